"""Benchmark: a 10,000-note Anki deck (one note per claim), quizgen against raw genanki.

Run: python benchmarks/anki_deck.py [--notes N] [--runs R]

The baseline is raw genanki writing the same notes (the same fields, GUIDs and
tags, precomputed) with the same models into the same decks, with
`Package.write_to_file(timestamp=...)`. quizgen's time covers everything
`write()` does: the field HTML from the quiz, cloze checks, the package and
its reproducible, deflated zip (genanki's is stored). quizgen inserts notes and
cards with one executemany each where genanki runs two INSERTs per note; the
rows are the same (tests/test_anki_deck.py compares them).

Prints the medians, their ratio, the median of the per-run ratios (the runs
are interleaved, so a slow spell of the machine hits both of a pair) and the
file sizes.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import genanki

from quizgen.bank import load_bank
from quizgen.export import ExportOptions
from quizgen.export.anki_deck import plan_deck, write
from quizgen.generate import Choices, generate
from quizgen.quiz import Kind, Question, Quiz

ROOT = Path(__file__).resolve().parent.parent


def _copy(q: Question, i: int) -> Question:
    """Question `q` of the i-th copy of the bank: its claims and id renamed."""
    owner, _, suffix = q.id.rpartition(".")
    return replace(
        q, id=f"{owner}~{i}.{suffix}", claims=tuple(f"{c}~{i}" for c in q.claims)
    )


def big_quizzes(notes: int) -> list[Quiz]:
    """The example bank's questions, copied under new claim ids until there are
    `notes` notes (one per claim and one per discussion), zh and en."""
    bank = load_bank(ROOT / "docs" / "example-bank.yaml")
    out = []
    for lang in ("zh", "en"):
        (quiz,) = generate(bank, Choices(lang=lang))
        per_copy = len(
            {q.id if q.kind == Kind.DISCUSSION else q.claims[0] for q in quiz.questions}
        )
        copies = -(-notes // per_copy)
        questions = tuple(_copy(q, i) for i in range(copies) for q in quiz.questions)
        out.append(replace(quiz, questions=questions))
    return out


def run_quizgen(quizzes: list[Quiz], options: ExportOptions, out: Path) -> Path:
    (path,) = write(quizzes, out, options)
    return path


def run_genanki(plan_data: list[tuple], timestamp: int, path: Path) -> Path:
    """Raw genanki: build the notes and decks from precomputed fields, write the package."""
    decks = []
    for did, name, desc, notes in plan_data:
        deck = genanki.Deck(did, name, description=desc)
        for model, fields, tags, parts, due in notes:
            guid = genanki.guid_for(*parts)
            deck.add_note(
                genanki.Note(model=model, fields=fields, tags=tags, guid=guid, due=due)
            )
        decks.append(deck)
    genanki.Package(decks).write_to_file(str(path), timestamp=timestamp)
    return path


def _guid_parts(bank: str, note) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """What genanki.guid_for takes for a note: the bank and the claim or discussion id."""
    names = [f["name"] for f in note.model.fields]
    if names[0] == "Id":  # a claim note
        return (bank, "claim", note.fields[0])
    return (bank, note.fields[names.index("Id")])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    for label, bilingual in (("zh", False), ("bilingual", True)):
        qs = big_quizzes(args.notes)
        if not bilingual:
            qs = qs[:1]
        options = ExportOptions(bilingual=bilingual)
        plan = plan_deck(qs, options)
        data = [
            (
                d.deck_id,
                d.name,
                d.description,
                [
                    (n.model, list(n.fields), list(n.tags), parts, n.due)
                    for n in d.notes
                    for parts in [_guid_parts(qs[0].bank, n)]
                ],
            )
            for d in plan.decks
        ]
        ours, theirs, planning, rebuild = [], [], [], []
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            for i in range(args.runs):  # interleaved, so drift hits both alike
                start = time.perf_counter()
                mine = run_quizgen(qs, options, out / f"q{i}")
                ours.append(time.perf_counter() - start)
                start = time.perf_counter()
                plan_deck(qs, options)
                planning.append(time.perf_counter() - start)
                start = time.perf_counter()
                raw = run_genanki(data, plan.timestamp, out / f"g{i}.apkg")
                theirs.append(time.perf_counter() - start)
                start = time.perf_counter()
                run_quizgen(qs, options, out / "q0")  # over an earlier build
                rebuild.append(time.perf_counter() - start)
            size_ours, size_raw = mine.stat().st_size, raw.stat().st_size
        m_ours, m_raw = statistics.median(ours), statistics.median(theirs)
        print(
            f"{label}: {plan.notes} notes, {len(qs[0].questions)} cards, "
            f"{args.runs} runs each"
        )
        print(f"  quizgen write():   median {m_ours:.3f} s  (runs {_fmt(ours)})")
        print(f"  raw genanki:       median {m_raw:.3f} s  (runs {_fmt(theirs)})")
        print(f"  ratio:             {m_ours / m_raw:.2f}x (target <= 1.3x)")
        print(
            f"  rebuild over the earlier file (reads it for note times): median "
            f"{statistics.median(rebuild):.3f} s, {statistics.median(rebuild) / m_raw:.2f}x"
        )
        paired = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
        print(f"  per-run ratio:     median {paired:.2f}x")
        print(
            f"  ratio of fastest:  {min(ours) / min(theirs):.2f}x "
            f"(less sensitive to a busy machine)"
        )
        print(
            f"  of which notes and field HTML (plan_deck): median "
            f"{statistics.median(planning):.3f} s"
        )
        print(
            f"  file size:         quizgen {size_ours / 1e6:.2f} MB (deflated), "
            f"genanki {size_raw / 1e6:.2f} MB (stored)"
        )


def _fmt(times: list[float]) -> str:
    return ", ".join(f"{t:.3f}" for t in times)


if __name__ == "__main__":
    main()
