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
import itertools
import re
import sqlite3
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import genanki
import jinja2
from markupsafe import Markup

from quizgen.errors import QuizgenError
from quizgen.export import ExportOptions
from quizgen.export.files import atomic_path, base_name
from quizgen.generate import BLANK
from quizgen.i18n import t
from quizgen.quiz import Kind, Question, Quiz
from quizgen.resources import data_dir

__all__ = [
    "DeckError",
    "DeckPlan",
    "NOTE_TYPES",
    "NoteType",
    "deck_id",
    "plan_deck",
    "write",
    "write_package",
]

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LANG_ATTR = {"zh": "zh-Hans", "en": "en"}
LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "source": "《{title}》第 {paragraph} 段 · {speaker}",
        "source_only": "《{title}》",
        "paragraph": "第 {paragraph} 段",
        "guiding": "思考",
        "key_points": "要点",
    },
    "en": {
        "source": "{title}, paragraph {paragraph} · {speaker}",
        "source_only": "{title}",
        "paragraph": "paragraph {paragraph}",
        "guiding": "Think about",
        "key_points": "Key points",
    },
}
#: Anki's first valid time for a zip entry is 1980; earlier times are clamped.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class DeckError(QuizgenError):
    """The quizzes cannot become an Anki deck (a broken cloze, mismatched languages, ...)."""


@dataclass(frozen=True, kw_only=True)
class NoteType:
    """One frozen note type: its id, name, fields and card template files.

    Once released, `model_id`, `fields` and the template's name never change:
    Anki refuses to update notes whose note type changed shape. A new shape
    means a new model id (and a new name ending in the next version).
    """

    kind: Kind
    model_id: int
    name: str
    fields: tuple[str, ...]
    card: str  # the card template's name
    template: str  # file stem in templates/anki/
    cloze: bool = False


_CHOICE_FIELDS = (
    "Question",
    "Options",
    "OptionsKey",
    "Answer",
    "Explanation",
    "Quote",
    "Source",
    "Id",
    "Spare1",
    "Spare2",
)

#: The four note types, released with these ids and fields (docs/anki.md).
NOTE_TYPES: dict[Kind, NoteType] = {
    Kind.MULTIPLE_CHOICE: NoteType(
        kind=Kind.MULTIPLE_CHOICE,
        model_id=1742918305,
        name="quizgen multiple choice v1",
        fields=_CHOICE_FIELDS,
        card="Multiple choice",
        template="multiple_choice",
    ),
    Kind.TRUE_FALSE: NoteType(
        kind=Kind.TRUE_FALSE,
        model_id=1839604127,
        name="quizgen true/false v1",
        fields=_CHOICE_FIELDS,
        card="True or false",
        template="true_false",
    ),
    Kind.CLOZE: NoteType(
        kind=Kind.CLOZE,
        model_id=1590371846,
        name="quizgen cloze v1",
        fields=(
            "Text",
            "Context",
            "Explanation",
            "Quote",
            "Source",
            "Id",
            "Spare1",
            "Spare2",
        ),
        card="Cloze",
        template="cloze",
        cloze=True,
    ),
    Kind.DISCUSSION: NoteType(
        kind=Kind.DISCUSSION,
        model_id=1675249013,
        name="quizgen discussion v1",
        fields=(
            "Question",
            "Context",
            "Sides",
            "KeyPoints",
            "Source",
            "Id",
            "Spare1",
            "Spare2",
        ),
        card="Discussion",
        template="discussion",
    ),
}


# --------------------------------------------------------------------------- text


def _text(value: object) -> Markup:
    """Plain text as field HTML: escaped once, braces as references, newlines as <br>."""
    s = html.escape(str(value), quote=True)
    s = s.replace("{", "&#123;").replace("}", "&#125;").replace("\x1f", " ")
    return Markup(s.replace("\r\n", "\n").replace("\n", "<br>"))


def _quoted(explanation: str, quote: str) -> Markup:
    """The explanation as HTML, its verbatim quote marked for the stylesheet."""
    body, mark = _text(explanation), _text(quote)
    if mark and mark in body:
        body = Markup(
            str(body).replace(str(mark), f'<span class="qg-quote">{mark}</span>', 1)
        )
    return body


_POINT_END = re.compile(r"(?<=[。;;!?!?])\s*|(?<=[.;!?])\s+")


def _points(notes: str) -> list[str]:
    """Teacher notes split into key points, one sentence each."""
    return [p.strip() for p in _POINT_END.split(notes) if p.strip()]


def _tag(raw: str) -> str:
    """A tag Anki accepts: no whitespace (runs become `_`)."""
    return re.sub(r"\s+", "_", raw.strip())


def _deck_part(name: str) -> str:
    """A deck name part: `::` would nest decks, so it becomes a single colon."""
    return re.sub(r":{2,}", ":", " ".join(name.split())) or "-"


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates") / "anki")),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=False,
    )
    env.filters.update(text=_text, quoted=_quoted, points=_points)
    env.globals.update(letters=LETTERS, lang_attr=LANG_ATTR, labels=LABELS)
    return env


@cache
def _macros() -> Any:
    return _env().get_template("fields.html.j2").module


@cache
def _model(kind: Kind) -> genanki.Model:
    """The genanki model of one note type, with its card template and CSS from templates/anki/."""
    nt = NOTE_TYPES[kind]
    folder = data_dir("templates") / "anki"
    css = (folder / "cards.css").read_text(encoding="utf-8")
    front = (folder / f"{nt.template}.front.html").read_text(encoding="utf-8")
    back = (folder / f"{nt.template}.back.html").read_text(encoding="utf-8")
    return genanki.Model(
        model_id=nt.model_id,
        name=nt.name,
        fields=[{"name": f} for f in nt.fields],
        templates=[{"name": nt.card, "qfmt": front, "afmt": back}],
        css=css,
        model_type=genanki.Model.CLOZE if nt.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=0,
    )


# --------------------------------------------------------------------------- fields

Items = list[tuple[str, Question]]


def _blocks(pairs: Iterable[tuple[str, str]]) -> str:
    m = _macros()
    return "".join(m.block(lang, _text(s), i == 0) for i, (lang, s) in enumerate(pairs))


def _source(items: Items, titles: dict[str, str]) -> str:
    pairs = []
    for lang, q in items:
        labels = LABELS[lang]
        if q.kind == Kind.DISCUSSION:
            pairs.append((lang, labels["source_only"].format(title=titles[lang])))
        else:
            pairs.append(
                (
                    lang,
                    labels["source"].format(
                        title=titles[lang],
                        paragraph=q.source.paragraph,
                        speaker=q.source.speaker_name,
                    ),
                )
            )
    return _blocks(pairs)


def _choice_fields(items: Items, titles: dict[str, str]) -> list[str]:
    m = _macros()
    q = items[0][1]
    return [
        m.blocks(items, "prompt"),
        m.options(items, False),
        m.options(items, True),
        m.answer(items),
        m.explanation(items),
        _blocks((lang, x.source.quote) for lang, x in items[:1]),
        _source(items, titles),
        q.id,
        "",
        "",
    ]


def _cloze_escape(term: str) -> str:
    """The term inside {{c1::...}}: `:` as a reference, so `::` cannot start a hint."""
    return str(_text(term)).replace(":", "&#58;")


def _cloze_text(q: Question) -> tuple[str, str]:
    """(statement with every occurrence of the term as c1, the prompt's lead-in).

    Raises DeckError when the question has no usable cloze.
    """
    if q.cloze is None or not q.cloze[1].strip():
        raise DeckError(
            t(
                f"{q.id}: a cloze question without a term to blank",
                f"{q.id}:填空题没有要挖空的词",
            )
        )
    before, term, after = q.cloze
    statement = before + term + after
    hole = "{{c1::" + _cloze_escape(term) + "}}"
    text = hole.join(str(_text(piece)) for piece in statement.split(term))
    blanked = statement.replace(term, BLANK)
    lead = q.prompt[: -len(blanked)] if q.prompt.endswith(blanked) else ""
    return text, lead.strip()


_CLOZE = re.compile(r"\{\{c1::(?:(?!\}\}).)+\}\}", re.DOTALL)


def _check_cloze(q: Question, lang: str, text: str) -> None:
    """Every cloze note has a c1 cloze and no full-width `：：` (an input method's colon)."""
    if "：：" in text or "：：" in "".join(q.cloze or ()):
        raise DeckError(
            t(
                f"{q.id} ({lang}): the cloze text contains a full-width '：：'. "
                "Hint: type the claim's statement and cloze term with ASCII colons, "
                "or reword them.",
                f"{q.id}({lang}):填空文本含有全角的“：：”。提示:改用半角冒号,或改写陈述与填空词。",
            )
        )
    if not _CLOZE.search(text):
        raise DeckError(
            t(
                f"{q.id} ({lang}): the cloze text has no {{{{c1::...}}}} cloze",
                f"{q.id}({lang}):填空文本中没有 {{{{c1::...}}}} 挖空",
            )
        )


def _cloze_fields(items: Items, titles: dict[str, str]) -> list[str]:
    m = _macros()
    texts, leads = [], []
    for lang, q in items:
        text, lead = _cloze_text(q)
        _check_cloze(q, lang, text)
        texts.append((lang, Markup(text)))
        leads.append((lang, lead))
    first = items[0][1]
    return [
        "".join(m.block(lang, body, i == 0) for i, (lang, body) in enumerate(texts)),
        _blocks(leads) if any(lead for _, lead in leads) else "",
        m.explanation(items),
        _blocks((lang, x.source.quote) for lang, x in items[:1]),
        _source(items, titles),
        first.id,
        "",
        "",
    ]


def _discussion_fields(items: Items, titles: dict[str, str]) -> list[str]:
    m = _macros()
    return [
        m.blocks(items, "prompt"),
        m.context(items),
        m.sides(items),
        m.key_points(items),
        _source(items, titles),
        items[0][1].id,
        "",
        "",
    ]


_FIELDS = {
    Kind.MULTIPLE_CHOICE: _choice_fields,
    Kind.TRUE_FALSE: _choice_fields,
    Kind.CLOZE: _cloze_fields,
    Kind.DISCUSSION: _discussion_fields,
}


# --------------------------------------------------------------------------- decks


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
                f"Anki 牌组需要{'中英文' if bilingual else '一种语言'}的第 1 版(收到:{got})",
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
                "双语牌组的中英文题目对不上:",
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
                "测验没有修改时间,Anki 将无法区分新旧牌组。提示:从题库文件生成,或设置 SOURCE_DATE_EPOCH。",
            )
        )
    bank = chosen[0].bank
    mode = "bilingual" if options.bilingual else chosen[0].lang
    titles = {quiz.lang: quiz.source_title for quiz in chosen}

    def name(parts: Iterable[str]) -> str:
        return _deck_part(" / ".join(dict.fromkeys(p for p in parts if p)))

    parent_name = name(quiz.title for quiz in chosen)
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
        fields = [_nfc(f) for f in _FIELDS[q.kind](items, titles)]
        tags = list(dict.fromkeys(filter(None, (_tag(x) for x in q.tags))))
        deck.add_note(
            genanki.Note(
                model=_model(q.kind),
                fields=fields,
                tags=tags,
                guid=genanki.guid_for(bank, q.id),
                due=due,
            )
        )
        count += 1
    ordered = [parent, *(decks[k] for k in sorted(decks))]
    stem = base_name(replace(chosen[0], lang=mode), with_version=False)
    return DeckPlan(decks=tuple(ordered), timestamp=timestamp, stem=stem, notes=count)


def write_package(decks: Sequence[genanki.Deck], path: Path, timestamp: int) -> Path:
    """Write `decks` as an .apkg at `path`, byte for byte the same for the same input.

    genanki stamps notes, cards and note types with `timestamp`; the zip
    entries get it too (not the time of writing). Written atomically; returns `path`.
    """
    package = genanki.Package(list(decks))
    with tempfile.TemporaryDirectory(prefix="quizgen-anki-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            package.write_to_db(
                conn.cursor(), timestamp, itertools.count(int(timestamp) * 1000)
            )
            conn.commit()
        finally:
            conn.close()
        stamp = max(_ZIP_EPOCH, time.gmtime(timestamp)[:6])
        with atomic_path(path) as part, zipfile.ZipFile(part, "w") as zf:
            for arcname, data in (
                ("collection.anki2", db_path.read_bytes()),
                ("media", b"{}"),
            ):
                info = zipfile.ZipInfo(arcname, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, data, compresslevel=6)
    return path


def write(quizzes: Sequence[Quiz], out_dir: Path, options: ExportOptions) -> list[Path]:
    """Write `<bank>-<lang>.apkg` (or `<bank>-bilingual.apkg`) from version 1; return [its path].

    Raises DeckError when the quizzes cannot make a deck (see plan_deck).
    """
    plan = plan_deck(quizzes, options)
    path = out_dir / f"{plan.stem}.apkg"
    return [write_package(plan.decks, path, plan.timestamp)]
