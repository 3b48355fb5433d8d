"""Anki decks (.apkg) that students drill and download again without losing progress.

One package per build: a parent deck named for the bank, a subdeck per topic
(`<bank title>::<topic>`), one note per claim with a card per question of it
(siblings, which Anki buries for the day once one is studied) and one note per
discussion; two note types with hard-coded model ids and frozen field lists
(docs/anki.md). Note GUIDs come from the bank id and the claim or question id,
never from field text. Time stamps come from the bank's `modified` time and an
earlier build of the same file, never the wall clock: an unchanged note keeps
its time (Anki skips it), a changed one gets a later time (Anki updates it),
and the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import genanki

from quizgen.export import ExportOptions
from quizgen.export.anki_fields import (
    LANG_ATTR,
    DeckError,
    Items,
    _deck_part,
    _esc,
    _esc_many,
    _points,
    _tags,
    claim_fields,
    discussion_fields,
)
from quizgen.export.anki_note_types import (
    CLAIM,
    CLAIM_SLOTS,
    DISCUSSION,
    NOTE_TYPES,
    NoteType,
    model,
)
from quizgen.export.anki_package import (
    DeckNote,
    Previous,
    model_shape,
    read_previous,
    write_package,
)
from quizgen.export.files import base_name
from quizgen.i18n import t
from quizgen.quiz import Kind, Question, Quiz

__all__ = [
    "DeckError",
    "DeckPlan",
    "NOTE_TYPES",
    "NoteType",
    "deck_id",
    "note_guid",
    "package_stem",
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


def note_guid(bank: str, *parts: str) -> str:
    """The note GUID of a question or claim: `genanki.guid_for(bank, *parts)`, computed faster.

    A test checks the two agree; a note's GUID must never change, or students'
    decks would get a duplicate of every note on the next import.
    """
    n = int.from_bytes(
        hashlib.sha256("__".join((bank, *parts)).encode()).digest()[:8], "big"
    )
    digits = []
    while n:
        n, digit = divmod(n, 91)
        digits.append(_BASE91[digit])
    return "".join(reversed(digits))


def question_note_guid(bank: str, q: Question) -> str:
    """The GUID of the note that holds question `q`: its claim's note (one note
    per claim, a card per question), or its own for a discussion question."""
    if q.kind == Kind.DISCUSSION:
        return note_guid(bank, q.id)
    return note_guid(bank, "claim", q.claims[0])


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
    preset: dict[str, object] | None = None


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


#: note times are multiples of SLOT seconds plus the language mode's rank, so
#: that a bilingual file is newer than a Chinese or English one of the same
#: content (switching to it updates the notes) and any later content is newer
#: than all three
SLOT = 4
RANK = {"zh": 0, "en": 1, "bilingual": 2}


def _mode(chosen: Sequence[Quiz], bilingual: bool) -> str:
    return "bilingual" if bilingual else chosen[0].lang


def package_stem(quizzes: Sequence[Quiz], options: ExportOptions) -> str:
    """The file stem of the package `write` makes: `<bank>-<lang>` or `<bank>-bilingual`."""
    chosen = _pick(quizzes, options.bilingual)
    mode = _mode(chosen, options.bilingual)
    return base_name(replace(chosen[0], lang=mode), with_version=False)


def _note_time(
    prev: tuple[int, int, str, str],
    mid: int,
    flds: str,
    tags: str,
    base: int,
    rank: int,
) -> int:
    """A note's modification time: the earlier build's when its note type,
    fields and tags are the same there, else the slot after the earlier time
    (plus `rank`), at least `base` (the bank's slot plus `rank`)."""
    if prev[1] == mid and prev[2] == flds and prev[3] == tags:
        return prev[0]
    return max(base, prev[0] - prev[0] % SLOT + SLOT + rank)


def plan_deck(
    quizzes: Sequence[Quiz],
    options: ExportOptions,
    previous: Previous | None = None,
) -> DeckPlan:
    """Build the decks and notes of one package from the quizzes.

    One note per claim (a card per question of it) and one per discussion.
    `previous` is an earlier build of the same package: a note whose content
    is unchanged keeps its time there, so Anki skips it; a changed one gets a
    later time, so Anki updates it. Returns a DeckPlan; raises DeckError for
    quizzes that cannot make a deck (no version 1, languages that do not line
    up, no modification time, a broken question).
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
    mode = _mode(chosen, options.bilingual)
    rank = RANK[mode]
    # the bank's time rounded up to a slot: never older than the bank
    base = timestamp + (-timestamp) % SLOT + rank
    titles = {quiz.lang: quiz.source_title for quiz in chosen}

    # deck names in the first language only (a bilingual title is too long
    # for a deck list on a phone, and the zh and bilingual decks must share
    # their names: Anki matches decks by name and makes the ones it lacks)
    parent_name = _deck_part(chosen[0].title)
    parent = genanki.Deck(
        deck_id(bank, mode),
        parent_name,
        description=html.escape(
            " / ".join(f"{q.source_title} ({q.source_origin})" for q in chosen)
        ),
    )
    # group: a claim's questions into one note, in the order of their first question
    groups: dict[str, list[Items]] = {}
    for items in _line_up(chosen):
        q = items[0][1]
        if not q.prompt.strip():
            raise DeckError(t(f"{q.id}: the question is empty", f"{q.id}：题目为空"))
        key = f"d\0{q.id}" if q.kind == Kind.DISCUSSION else f"c\0{q.claims[0]}"
        groups.setdefault(key, []).append(items)

    claim_model, discussion_model = model(CLAIM), model(DISCUSSION)
    slots = {s.suffix: 1 + 3 * i for i, s in enumerate(CLAIM_SLOTS)}
    decks: dict[str, genanki.Deck] = {}
    used_ids = {parent.deck_id}
    stride = len(groups)
    prev_notes = previous.notes if previous else {}
    latest = base
    for due, (key, questions) in enumerate(groups.items()):
        q = questions[0][0][1]
        deck = decks.get(q.topic)
        if deck is None:
            did = deck_id(bank, mode, q.topic)
            if did in used_ids:  # pragma: no cover - a 1 in 2**30 hash collision
                raise DeckError(f"deck id collision for topic '{q.topic}'")
            used_ids.add(did)
            topic = _deck_part(q.topic_name)
            deck = decks[q.topic] = genanki.Deck(did, f"{parent_name}::{topic}")
        guid = question_note_guid(bank, q)
        if key[0] == "d":
            note_model, raw = (
                discussion_model,
                discussion_fields(questions[0], titles, chosen[0].source_language),
            )
        else:
            note_model, raw = (
                claim_model,
                claim_fields(questions, titles, slots, chosen[0].source_language),
            )
        # NFC already: every text went through _esc, and markup is ASCII
        flds = "\x1f".join(raw)
        tags = _tags(tuple(tag for items in questions for tag in items[0][1].tags))
        prev = prev_notes.get(guid)
        mod = (
            base
            if prev is None
            else _note_time(
                prev, note_model.model_id, flds, f" {' '.join(tags)} ", base, rank
            )
        )
        latest = max(latest, mod)
        deck.notes.append(
            DeckNote(
                model=note_model,
                fields=flds.split("\x1f"),
                tags=list(tags),
                guid=guid,
                due=due,
                mod=mod,
                stride=stride,
            )
        )
    if previous is not None:  # a note type's templates: newer when they changed
        for m in (claim_model, discussion_model):
            old = previous.models.get(m.model_id)
            if old is None:
                continue
            shape = model_shape(m.to_json(0, 0))
            if old[1] == shape:
                latest = max(latest, old[0])
            else:
                latest = max(latest, old[0] - old[0] % SLOT + SLOT + rank)
    ordered = [parent, *(decks[k] for k in sorted(decks))]
    stem = base_name(replace(chosen[0], lang=mode), with_version=False)
    preset = {
        "id": deck_id(bank, "preset"),
        "name": f"quizgen: {parent_name}",
        "mod": latest,
        "new": {"bury": True},
        "rev": {"bury": True},
        "buryInterdayLearning": True,
    }
    return DeckPlan(
        decks=tuple(ordered),
        timestamp=latest,
        stem=stem,
        notes=len(groups),
        preset=preset,
    )


def write(quizzes: Sequence[Quiz], out_dir: Path, options: ExportOptions) -> list[Path]:
    """Write `<bank>-<lang>.apkg` (or `<bank>-bilingual.apkg`) from version 1; return [its path].

    An earlier build at that path decides the notes' times (see plan_deck).
    Raises DeckError when the quizzes cannot make a deck (see plan_deck).
    """
    path = out_dir / f"{package_stem(quizzes, options)}.apkg"
    plan = plan_deck(quizzes, options, read_previous(path))
    return [write_package(plan.decks, path, plan.timestamp, plan.preset)]
