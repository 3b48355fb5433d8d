"""Word handout speed: a 200-question handout, key and answer sheet against raw python-docx.

The baseline writes the same paragraphs (the same texts, in the same order)
into python-docx's default document with no styles, fonts, keep-with-next or
footer fields. Both save to memory. Prints each side's median over several
runs, the median ratio, and the sizes of the files.

    python benchmarks/word_handout.py [--runs N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizgen.bank import load_bank  # noqa: E402
from quizgen.errors import BankError  # noqa: E402
from quizgen.export import ExportOptions  # noqa: E402
from quizgen.export.answer_sheet import answer_sheet_document  # noqa: E402
from quizgen.export.handout_points import DEFAULT_POINTS  # noqa: E402
from quizgen.export.word_handout import (  # noqa: E402
    handout_document,
    key_document,
    write,
)
from quizgen.generate import Choices, generate  # noqa: E402
from quizgen.quiz import Quiz  # noqa: E402

QUESTIONS = 200


def quiz_of(n: int) -> Quiz:
    """A quiz of n questions: the shipped bank's, or the example bank's repeated."""
    for bank_path in (
        ROOT / "question_banks" / "ai_panel_2024.yaml",
        ROOT / "docs" / "example-bank.yaml",
    ):
        try:
            bank = load_bank(bank_path)
        except BankError:  # a bank being edited: use the next one
            continue
        quiz = generate(bank, Choices(lang="zh", seed=1, allow_fewer=True))[0]
        if quiz.questions:
            break
    pool = quiz.questions
    questions = tuple(
        replace(pool[i % len(pool)], id=f"{pool[i % len(pool)].id}.{i // len(pool)}")
        for i in range(n)
    )
    return replace(quiz, questions=questions)


def paragraphs_of(document: docx.document.Document) -> list[str]:
    """Every paragraph's text, body then table cells, as the handout wrote them."""
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    return texts


def raw(texts: list[str]) -> bytes:
    document = docx.Document()
    for text in texts:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def ours(quiz: Quiz, make) -> bytes:
    out = io.BytesIO()
    make(quiz).save(out)
    return out.getvalue()


def timed(fn, runs: int) -> tuple[list[float], bytes]:
    times = []
    data = b""
    for _ in range(runs):
        start = time.perf_counter()
        data = fn()
        times.append(time.perf_counter() - start)
    return times, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    quiz = quiz_of(QUESTIONS)
    print(f"{len(quiz.questions)} questions ({quiz.bank}), {args.runs} runs each")
    for label, make in (
        ("student handout", handout_document),
        ("teacher key", key_document),
        ("answer sheet", lambda quiz: answer_sheet_document(quiz, DEFAULT_POINTS)),
    ):
        texts = paragraphs_of(make(quiz))
        raw(texts)  # warm up both
        ours(quiz, make)
        ratios = []
        ours_times: list[float] = []
        raw_times: list[float] = []
        for _ in range(args.runs):  # interleaved, so drift hits both sides alike
            t_raw, raw_bytes = timed(lambda texts=texts: raw(texts), 1)
            t_ours, our_bytes = timed(lambda make=make: ours(quiz, make), 1)
            raw_times += t_raw
            ours_times += t_ours
            ratios.append(t_ours[0] / t_raw[0])
        print(
            f"{label}: {len(texts)} paragraphs; "
            f"quizgen median {statistics.median(ours_times) * 1000:.0f} ms "
            f"({len(our_bytes) / 1024:.0f} KiB), "
            f"raw python-docx median {statistics.median(raw_times) * 1000:.0f} ms "
            f"({len(raw_bytes) / 1024:.0f} KiB), "
            f"median ratio {statistics.median(ratios):.2f}x"
        )
    end_to_end(quiz, args.runs)


def end_to_end(quiz: Quiz, runs: int) -> None:
    """Both files of one version through `write`, to disk (zip times fixed)."""
    with tempfile.TemporaryDirectory() as tmp:
        times, _ = timed(lambda: write([quiz], Path(tmp), ExportOptions()), runs)
        sizes = sorted(p.stat().st_size for p in Path(tmp).iterdir())
    print(
        f"write(): handout and key to disk, median "
        f"{statistics.median(times) * 1000:.0f} ms, files {sizes[0] / 1024:.0f} KiB "
        f"and {sizes[1] / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
