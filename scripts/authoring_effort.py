"""How much of a bank a teacher types by hand in the authoring workspace,
against writing its YAML by hand.

Run: python scripts/authoring_effort.py [BANK ...]   (default: the shipped banks)

For every claim of a finished bank, the hand-written baseline is the claim's
YAML as the bank writer writes it (every character typed or pasted: ids,
keys, quoting, the quote, both languages). In the workspace the quote, its
paragraph, speaker, attribution and id come from selecting the passage; the
topic is a choice in a list; and a field is one click when a draft offers the
bank's own text for it: a false statement, a cloze term among the statement's
words, a fact's wrong option. What is left is typed: statements, questions,
answers, notes, and every field no draft offered. The script counts both and
how often each kind of draft offered what the bank's author wrote.

A bank in the source's language only (`languages: [en]`) is counted too:
the same claims, each text once.

This measures characters, not minutes: it says how much of the mechanical
work is gone, not how long the thinking takes (writing a faithful statement
and a wrong option the text contradicts is the teacher's real work). For an
English bank it also gives the typing alone in minutes at 0.28 s a
character (the keystroke-level model's average typist, about 40 words a
minute); Chinese typed through an input method has no such standard figure.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

from quizgen import drafts
from quizgen.bank import load_bank
from quizgen.bank_languages import in_one_language
from quizgen.bank_writer import bank_yaml

ROOT = Path(__file__).resolve().parent.parent
BANKS = [
    ROOT / "question_banks" / "euthyphro_jowett.yaml",
    ROOT / "question_banks" / "ai_panel_2024.yaml",
]
LANGS = ("zh", "en")
#: seconds a keystroke, the keystroke-level model's average skilled typist
KEYSTROKE_S = 0.28


def _text(value: object, lang: str) -> str:
    if isinstance(value, dict):
        got = value.get(lang)
        return got if isinstance(got, str) else ""
    return value if isinstance(value, str) else ""


def measure(path: Path) -> None:
    bank = load_bank(path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = {lang: [s.name.get(lang) for s in bank.speakers] for lang in LANGS}
    vocab = drafts.vocabulary((p.text for p in bank.source.paragraphs), names)
    by_id = {c.id: c for c in bank.claims}
    hand = typed = 0
    declared = bank.source_info.language.split("-")[0]
    source_lang = declared if declared in LANGS else "zh"  # lzh: Chinese
    hand_one = 0
    typed_in: Counter[str] = Counter()  # characters typed in each language
    offered: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    for claim in raw["claims"]:
        hand += len(bank_yaml({"claims": [claim]}))
        hand_one += len(bank_yaml(in_one_language({"claims": [claim]}, source_lang)))
        parsed = by_id[claim["id"]]
        context = bank.source.paragraph(parsed.paragraph).text
        typed += len(claim.get("attribution_note") or "")
        typed += len(" ".join(claim.get("tags") or []))
        for lang in LANGS:
            start = typed
            statement = _text(claim.get("statement"), lang)
            typed += len(statement)
            false = _text(claim.get("false_statement"), lang)
            if false:
                asked["false statement"] += 1
                if false in drafts.false_statements(statement, lang, vocab):
                    offered["false statement"] += 1
                else:
                    typed += len(false)
            cloze = _text(claim.get("cloze"), lang)
            if cloze:
                asked["cloze term"] += 1
                if cloze in drafts.cloze_terms(statement, lang):
                    offered["cloze term"] += 1
                else:
                    typed += len(cloze)
            for variant in (claim.get("cloze_accept") or {}).get(lang, []):
                typed += len(variant) + 3
            for fact in claim.get("facts") or []:
                answer = _text(fact.get("answer"), lang)
                typed += len(_text(fact.get("question"), lang)) + len(answer)
                options = drafts.wrong_options(answer, lang, vocab, context)
                for wrong in fact.get("wrong") or []:
                    w = _text(wrong, lang)
                    asked["wrong option"] += 1
                    if w in options:
                        offered["wrong option"] += 1
                    else:
                        typed += len(w)
            typed_in[lang] += typed - start
    n = len(raw["claims"])
    print(f"{path.name}: {n} claims")
    print(
        f"  by hand (YAML): {hand:>7,} characters, {hand / n:,.0f} a claim\n"
        f"  workspace:      {typed:>7,} characters typed, {typed / n:,.0f} a claim "
        f"({typed / hand:.0%} of by hand)"
    )
    one = typed - typed_in["zh"] - typed_in["en"] + typed_in[source_lang]
    print(
        f"  in {source_lang} only: by hand {hand_one:,} characters, {hand_one / n:,.0f} a claim; "
        f"workspace {one:,}, {one / n:,.0f} a claim ({one / hand_one:.0%} of by hand)"
    )
    if source_lang == "en":
        print(
            f"  typing alone at {KEYSTROKE_S} s a character: by hand "
            f"{hand * KEYSTROKE_S / 60 / n:.1f} min a claim (both languages), "
            f"{hand_one * KEYSTROKE_S / 60 / n:.1f} (English only); workspace "
            f"{typed * KEYSTROKE_S / 60 / n:.1f} (both), {one * KEYSTROKE_S / 60 / n:.1f} (English only)"
        )
    for kind in ("false statement", "cloze term", "wrong option"):
        if asked[kind]:
            print(
                f"  {kind}: a draft offered the bank's own text for "
                f"{offered[kind]} of {asked[kind]} ({offered[kind] / asked[kind]:.0%})"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("banks", nargs="*", type=Path, default=BANKS)
    args = parser.parse_args(argv)
    for path in args.banks:
        measure(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
