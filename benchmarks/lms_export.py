"""Benchmark: the LMS exporters on a large quiz, against the canonical JSON export.

Run: python benchmarks/lms_export.py [--questions N] [--runs R]

The quiz is the shipped bank's every question (zh), repeated under new ids
until there are N. The baseline, in the same process, is quizgen's JSON
export of the same quiz (`json.dumps` plus an atomic write). Each exporter's
time covers its whole `write()`: HTML, escaping, the XML tree, the zip for
QTI (`qti`: QTI 1.2 for Canvas, `qti21`: QTI 2.1), the atomic write. Prints
medians, their ratio to JSON, and file sizes.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from quizgen.bank import load_bank
from quizgen.export import ExportOptions, gift, moodle_xml, qti12, qti21, quiz_json
from quizgen.generate import Choices, generate
from quizgen.quiz import Quiz

ROOT = Path(__file__).resolve().parent.parent

Writer = Callable[[Sequence[Quiz], Path, ExportOptions], list[Path]]


def big_quiz(questions: int) -> Quiz:
    """The shipped bank's questions, repeated under new ids until there are `questions`."""
    bank = load_bank(ROOT / "question_banks" / "ai_panel_2024.yaml")
    (quiz,) = generate(bank, Choices(lang="zh"))
    base = quiz.questions
    return replace(
        quiz,
        questions=tuple(
            replace(base[i % len(base)], id=f"{base[i % len(base)].id}-{i}")
            for i in range(questions)
        ),
    )


def median_s(write: Writer, quiz: Quiz, runs: int, out: Path) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        (path,) = write([quiz], out, ExportOptions())
        times.append(time.perf_counter() - start)
        size = path.stat().st_size
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    quiz = big_quiz(args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        base, base_size = median_s(quiz_json.write, quiz, args.runs, out)
        print(f"{args.questions} questions (zh), median of {args.runs} runs")
        print(
            f"  {'json (baseline)':16} {base * 1000:8.0f} ms  {base_size / 1e6:6.2f} MB"
        )
        for name, module in (
            ("moodle", moodle_xml),
            ("gift", gift),
            ("qti", qti12),
            ("qti21", qti21),
        ):
            t, size = median_s(module.write, quiz, args.runs, out)
            print(
                f"  {name:16} {t * 1000:8.0f} ms  {size / 1e6:6.2f} MB"
                f"  x{t / base:.1f} json  {t / args.questions * 1e6:.0f} µs/question"
            )


if __name__ == "__main__":
    main()
