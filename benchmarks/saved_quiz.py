"""Benchmark: the quizzes of a saved selection, plain against kept layout and edits.

Run: python benchmarks/saved_quiz.py [--count N] [--versions V] [--runs R]

Every preview, download and live session start calls `Selection.quizzes`.
The baseline is the generator alone (`generate` with the saved ids and seed:
what a fresh selection costs). Measured against it: the same selection after
a remove (the layout of every version kept) with an edit of every fifth
question laid over it, in the selection's language and in the other one (the
bilingual Anki deck). The shipped bank (904 questions) is used.

Prints the medians and the median of the per-run ratios (runs interleaved).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from quizgen.bank import load_bank
from quizgen.generate import generate
from quizgen.quiz import Kind
from quizgen.web.edits import QuestionEdit
from quizgen.web.selection import Selection

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--versions", type=int, default=4)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    bank = load_bank(ROOT / "question_banks" / "ai_panel_2024.yaml")
    plain = Selection(
        lang="zh", seed=11, count=args.count + 1, versions=args.versions
    ).build(bank)
    kept = plain.without(bank, plain.ids[0])
    first = kept.quizzes(bank)[0]
    for i, q in enumerate(first.questions):
        if i % 5 == 0 and q.kind == Kind.MULTIPLE_CHOICE:
            kept = kept.with_edit(
                QuestionEdit(
                    qid=q.id,
                    lang="zh",
                    prompt=q.prompt + "（改）",
                    options=((q.options[0], q.options[0] + "（改）"),),
                    right=q.options[-1],
                    edited_at=2_000_000_000,
                )
            )
    exact = kept.exact_choices()
    cases = {
        "generate only": lambda: generate(bank, exact),
        "layout + edits": lambda: kept.quizzes(bank),
        "layout + edits, other language": lambda: kept.quizzes(bank, "en"),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, run in cases.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    base = times["generate only"]
    print(
        f"{len(kept.ids)} questions, {args.versions} versions, "
        f"{len(kept.edits)} edited, {args.runs} runs"
    )
    for name, got in times.items():
        ratios = [g / b for g, b in zip(got, base, strict=True)]
        print(
            f"{name:32s} median {statistics.median(got) * 1000:7.1f} ms  "
            f"ratio {statistics.median(ratios):5.2f}"
        )


if __name__ == "__main__":
    main()
