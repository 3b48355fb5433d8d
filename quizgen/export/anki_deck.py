"""Anki decks (.apkg) that students drill and download again without losing progress.

One package per build: a parent deck named for the bank, a subdeck per topic
(`<bank title>::<topic>`), and four note types with hard-coded model ids and
frozen field lists (docs/anki.md). Note GUIDs come from the bank id and the
question id, never from field text, and every time stamp in the file is the
quizzes' `modified` time, never the wall clock: the same inputs give the same
bytes, and a rebuilt bank imports as updates to the notes a student already has.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import genanki

from quizgen.export import ExportOptions
from quizgen.export.anki_fields import (
    FIELDS,
    LANG_ATTR,
    DeckError,
    Items,
    _deck_part,
    _esc,
    _esc_many,
    _nfc,
    _points,
    _tags,
)
from quizgen.export.anki_note_types import NOTE_TYPES, NoteType, model
from quizgen.export.anki_package import DeckNote, write_package
from quizgen.export.files import base_name
from quizgen.i18n import t
from quizgen.quiz import Quiz

__all__ = [
    "DeckError",
    "DeckPlan",
    "NOTE_TYPES",
    "NoteType",
    "deck_id",
    "note_guid",
    "plan_deck",
    "write",
    "write_package",
]

#: what tests and the benchmark reach for besides the public names
_REEXPORTED = (_esc, _esc_many, _points)


_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


def note_guid(bank: str, qid: str) -> str:
    """The note GUID of a question: `genanki.guid_for(bank, qid)`, computed faster.

    A test checks the two agree; a note's GUID must never change, or students'
    decks would get a duplicate of every note on the next import.
    """
    n = int.from_bytes(hashlib.sha256(f"{bank}__{qid}".encode()).digest()[:8], "big")
    out = ""
    while n:
        n, digit = divmod(n, 91)
        out = _BASE91[digit] + out
    return out


def deck_id(bank: str, mode: str, topic: str = "") -> int:
    """A stable deck id for a bank, a language mode and a topic ('' for the parent deck).

    The same arguments give the same id on every machine and run (a SHA-256
    of them), in genanki's range [2**30, 2**31).
    """
    digest = hashlib.sha256(f"quizgen-deck\0{bank}\0{mode}\0{topic}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


@dataclass(frozen=True, kw_only=True)
class DeckPlan:
    """What goes into one .apkg: the decks (with their notes), the time stamp, a file stem."""

    decks: tuple[genanki.Deck, ...]
    timestamp: int
    stem: str
    notes: int


def _pick(quizzes: Sequence[Quiz], bilingual: bool) -> list[Quiz]:
    """Version 1 of each language, Chinese first; raises DeckError when that is not one quiz per language."""
    firsts: dict[str, Quiz] = {}
    for quiz in quizzes:
        if quiz.version != 1:
            continue  # every version holds the same questions; a deck needs one
        if quiz.lang in firsts:
            raise DeckError(
                t(
                    f"two quizzes in '{quiz.lang}' for one deck",
                    f"一个牌组收到了两份 '{quiz.lang}' 测验",
                )
            )
        if quiz.lang not in LANG_ATTR:
            raise DeckError(
                t(
                    f"language '{quiz.lang}' is not zh or en",
                    f"语言 '{quiz.lang}' 不是 zh 或 en",
                )
            )
        firsts[quiz.lang] = quiz
    wanted = ["zh", "en"] if bilingual else list(firsts)
    if (bilingual and set(firsts) != {"zh", "en"}) or len(wanted) != 1 + bilingual:
        got = ", ".join(sorted(firsts)) or t("none", "无")
        raise DeckError(
            t(
                f"an Anki deck needs version 1 of {'zh and en' if bilingual else 'one language'} "
                f"(got: {got})",
                f"Anki 牌组需要{'中英文' if bilingual else '一种语言'}的第 1 版（收到：{got}）",
            )
        )
    return [firsts[lang] for lang in wanted]


def _line_up(quizzes: list[Quiz]) -> list[Items]:
    """Questions of each language paired by id; raises DeckError when they differ."""
    first = quizzes[0]
    others = [{q.id: q for q in quiz.questions} for quiz in quizzes[1:]]
    out: list[Items] = []
    problems = []
    for q in first.questions:
        items: Items = [(first.lang, q)]
        for quiz, by_id in zip(quizzes[1:], others, strict=True):
            other = by_id.get(q.id)
            if other is None:
                problems.append(f"{q.id}: not in the '{quiz.lang}' quiz")
                continue
            if (other.kind, other.answer if q.options else None) != (
                q.kind,
                q.answer if q.options else None,
            ) or (len(other.options), len(other.sides)) != (
                len(q.options),
                len(q.sides),
            ):
                problems.append(f"{q.id}: options or answer differ in '{quiz.lang}'")
                continue
            items.append((quiz.lang, other))
        out.append(items)
    for quiz, by_id in zip(quizzes[1:], others, strict=True):
        extra = set(by_id) - {q.id for q in first.questions}
        problems.extend(
            f"{qid}: only in the '{quiz.lang}' quiz" for qid in sorted(extra)
        )
    if problems:
        raise DeckError(
            t(
                "the languages of a bilingual deck do not line up: ",
                "双语牌组的中英文题目对不上：",
            )
            + "; ".join(problems)
        )
    return out


def plan_deck(quizzes: Sequence[Quiz], options: ExportOptions) -> DeckPlan:
    """Build the decks and notes of one package from the quizzes.

    Returns a DeckPlan; raises DeckError for quizzes that cannot make a deck
    (no version 1, languages that do not line up, no modification time, a
    broken cloze).
    """
    chosen = _pick(quizzes, options.bilingual)
    timestamp = max(q.modified for q in chosen)
    if timestamp <= 0:
        raise DeckError(
            t(
                "the quiz has no modification time, so Anki could not tell a rebuilt "
                "deck from an old one. Hint: build from a bank file or set SOURCE_DATE_EPOCH.",
                "测验没有修改时间，Anki 将无法区分新旧牌组。提示：从题库文件生成，或设置 SOURCE_DATE_EPOCH。",
            )
        )
    bank = chosen[0].bank
    mode = "bilingual" if options.bilingual else chosen[0].lang
    titles = {quiz.lang: quiz.source_title for quiz in chosen}

    def name(parts: Iterable[str]) -> str:
        return _deck_part(" / ".join(dict.fromkeys(p for p in parts if p)))

    # the bank's title in the first language: a bilingual title is too long
    # for a deck list on a phone (topics, being short, carry both languages)
    parent_name = name([chosen[0].title])
    parent = genanki.Deck(
        deck_id(bank, mode),
        parent_name,
        description=html.escape(
            " / ".join(f"{q.source_title} ({q.source_origin})" for q in chosen)
        ),
    )
    decks: dict[str, genanki.Deck] = {}
    used_ids = {parent.deck_id}
    count = 0
    for due, items in enumerate(_line_up(chosen)):
        q = items[0][1]
        deck = decks.get(q.topic)
        if deck is None:
            did = deck_id(bank, mode, q.topic)
            if did in used_ids:  # pragma: no cover - a 1 in 2**30 hash collision
                raise DeckError(f"deck id collision for topic '{q.topic}'")
            used_ids.add(did)
            topic = name(x.topic_name for _, x in items)
            deck = decks[q.topic] = genanki.Deck(did, f"{parent_name}::{topic}")
        if not q.prompt.strip():  # Anki skips a note whose first field is empty
            raise DeckError(t(f"{q.id}: the question is empty", f"{q.id}：题目为空"))
        # Anki stores NFC; one pass over the joined fields (\x1f blocks composition)
        fields = _nfc("\x1f".join(FIELDS[q.kind](items, titles))).split("\x1f")
        deck.notes.append(
            DeckNote(
                model=model(q.kind),
                fields=fields,
                tags=list(_tags(q.tags)),
                guid=note_guid(bank, q.id),
                due=due,
            )
        )
        count += 1
    ordered = [parent, *(decks[k] for k in sorted(decks))]
    stem = base_name(replace(chosen[0], lang=mode), with_version=False)
    return DeckPlan(decks=tuple(ordered), timestamp=timestamp, stem=stem, notes=count)


def write(quizzes: Sequence[Quiz], out_dir: Path, options: ExportOptions) -> list[Path]:
    """Write `<bank>-<lang>.apkg` (or `<bank>-bilingual.apkg`) from version 1; return [its path].

    Raises DeckError when the quizzes cannot make a deck (see plan_deck).
    """
    plan = plan_deck(quizzes, options)
    path = out_dir / f"{plan.stem}.apkg"
    return [write_package(plan.decks, path, plan.timestamp)]
