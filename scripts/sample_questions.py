"""Draw questions at random for an independent review, with their source.

    python scripts/sample_questions.py [BANK] [-n 100] [--seed 0] [-o review.md]

Builds the bank in Chinese and in English (every question of every claim, the
build's own seed), then draws N questions at random with the stated seed: first
one of every (language, kind, form) so that every form is read in both
languages, then the rest from all of them. Writes a Markdown file for the
reviewers: each question as a student sees it, the key, the accepted cloze
answers, the speaker, and the paragraph it comes from in full, with a line to
record the verdict (wrong key, second defensible answer, wrong speaker,
unreadable stem, usable without edit), and a CSV next to it to fill in.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

from quizgen.bank import display_path, load_bank
from quizgen.generate import Choices, generate
from quizgen.quiz import Kind, Question

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "question_banks" / "ai_panel_2024.yaml"
VERDICTS = (
    "wrong_key",
    "second_defensible_answer",
    "wrong_speaker",
    "unreadable_stem",
    "usable_without_edit",
)


def draw(bank_path: Path, n: int, seed: int) -> list[tuple[str, Question]]:
    """N (language, question) pairs drawn with `seed`, every (lang, kind, form) first."""
    bank = load_bank(bank_path)
    pool: list[tuple[str, Question]] = []
    for lang in ("zh", "en"):
        # what a teacher hands out: open blanks only when asked for (see blanks.py)
        choices = Choices(lang=lang, seed=seed, siblings=True, open_blanks=False)
        (quiz,) = generate(bank, choices)
        pool += [(lang, q) for q in quiz.questions]
    rng = random.Random(f"review:{seed}")
    strata: dict[tuple[str, str, str], list[int]] = {}
    for i, (lang, q) in enumerate(pool):
        strata.setdefault((lang, q.kind, q.form), []).append(i)
    picked = [rng.choice(members) for _, members in sorted(strata.items())]
    rest = [i for i in range(len(pool)) if i not in set(picked)]
    rng.shuffle(rest)
    picked += rest[: max(0, n - len(picked))]
    rng.shuffle(picked)
    return [pool[i] for i in picked]


#: what a reader needs to know of the marking rule (quizgen/answers.py) to judge
#: whether a student's typed answer would be marked right
MARKING = (
    "marking ignores case, width, spaces, hyphens, brackets and quote marks, and "
    "end punctuation; digits and number words from 0 to 100 are one answer (5 = five = 五, "
    "1,000 = 1000; 3% = 3 percent = 百分之三); an English plural or leading article "
    "and 的 between Chinese "
    "characters make no difference"
)


def _question_md(number: int, lang: str, q: Question, paragraph: str) -> str:
    lines = [f"## {number}. `{q.id}` ({lang}, {q.kind}:{q.form})", "", q.prompt, ""]
    for i, option in enumerate(q.options):
        key = " **(key)**" if q.kind != Kind.DISCUSSION and i == q.answer else ""
        lines.append(f"- {chr(ord('A') + i)}. {option}{key}")
    if q.kind == Kind.CLOZE:
        lines.append(f"- accepted: {' | '.join(q.accepted_answers)}")
        lines.append(f"- {MARKING}")
    if q.kind == Kind.DISCUSSION:
        for side in q.sides:
            lines.append(f"- {side.speaker_name}: {side.position}")
    lines += [
        "",
        f"Speaker: {q.source.speaker_name}; paragraph {q.source.paragraph}; "
        f"quote: 「{q.source.quote}」",
        "",
        f"> {paragraph}",
        "",
        "Verdict: [ ] wrong key  [ ] second defensible answer  [ ] wrong speaker  "
        "[ ] unreadable stem  [ ] usable without edit",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bank", nargs="?", type=Path, default=BANK)
    parser.add_argument("-n", type=int, default=100, help="questions to draw")
    parser.add_argument("--seed", type=int, default=0, help="seed of the draw")
    parser.add_argument("-o", "--out", type=Path, default=Path("review.md"))
    args = parser.parse_args(argv)
    bank = load_bank(args.bank)
    sample = draw(args.bank, args.n, args.seed)
    parts = [
        f"# Review sample: {len(sample)} questions from {bank.id}, seed {args.seed}",
        "",
        f"Drawn by `python scripts/sample_questions.py {display_path(args.bank)} "
        f"-n {args.n} "
        f"--seed {args.seed}`: every (language, kind, form) at least once, the "
        "rest at random from the zh and en builds. Judge each against the "
        "paragraph, not against the bank.",
        "",
    ]
    for number, (lang, q) in enumerate(sample, 1):
        text = bank.source.paragraph(q.source.paragraph).text
        parts.append(_question_md(number, lang, q, text))
    args.out.write_text("\n".join(parts), encoding="utf-8")
    with args.out.with_suffix(".csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["number", "lang", "id", "kind", "form", *VERDICTS, "note"])
        for number, (lang, q) in enumerate(sample, 1):
            writer.writerow([number, lang, q.id, q.kind, q.form, *[""] * 6])
    kinds = sorted({(lang, f"{q.kind}:{q.form}") for lang, q in sample})
    print(f"{len(sample)} questions, {len(kinds)} (language, form) pairs: {args.out}")


if __name__ == "__main__":
    sys.exit(main())
