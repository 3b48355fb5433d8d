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
from functools import cache, lru_cache
from pathlib import Path

import genanki

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
#: the zip format cannot store a time before 1980; earlier times are clamped
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


_PLAIN = re.compile("[&<>\"'{}\x1f\r\n]").search


def _esc(value: str) -> str:
    """Plain text as field HTML: escaped once, braces as references, newlines as <br>.

    `{` and `}` become `&#123;` and `&#125;` so that nothing in a claim reads
    as Anki template or cloze syntax; they still show as braces.
    """
    if _PLAIN(value) is None:
        return value
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
        .replace("\x1f", " ")
        .replace("\r\n", "\n")
        .replace("\n", "<br>")
    )


def _quoted(explanation: str, quote: str) -> str:
    """The explanation as HTML, its verbatim quote marked for the stylesheet."""
    body, mark = _esc(explanation), _esc(quote)
    at = body.rfind(mark) if mark else -1  # the statement may equal the quote
    if at < 0:
        return body
    end = at + len(mark)
    return f'{body[:at]}<span class="qg-quote">{mark}</span>{body[end:]}'


_POINT_END = re.compile(r"(?<=[。;;!?!?])\s*|(?<=[.;!?])\s+")


def _points(notes: str) -> list[str]:
    """Teacher notes split into key points, one sentence each."""
    return [p.strip() for p in _POINT_END.split(notes) if p.strip()]


def _tag(raw: str) -> str:
    """A tag Anki accepts: no whitespace (runs become `_`)."""
    return "_".join(raw.split())


@lru_cache(maxsize=4096)
def _tags(tags: tuple[str, ...]) -> list[str]:
    """A question's tags as Anki takes them: no spaces, no empties, no repeats."""
    return list(dict.fromkeys(filter(None, (_tag(x) for x in tags))))


def _deck_part(name: str) -> str:
    """A deck name part: `::` would nest decks, so it becomes a single colon."""
    return re.sub(r":{2,}", ":", " ".join(name.split())) or "-"


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


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
#
# Field HTML is built here with one escape function (_esc) for every piece of
# text, so that a 10,000-note deck costs little more than genanki's own write.
# A field holds one <div lang=...> per language, Chinese first; the second
# language carries the class qg-second.

Items = list[tuple[str, Question]]

_OPEN = {
    (lang, first): f'<div class="qg-lang{"" if first else " qg-second"}" lang="{attr}">'
    for lang, attr in LANG_ATTR.items()
    for first in (True, False)
}
_MARK = '<span class="qg-mark">✓</span>'


def _html_blocks(pairs: list[tuple[str, str]]) -> str:
    """One <div lang> per (lang, html) pair, the first plain, the rest qg-second."""
    if len(pairs) == 1:
        lang, body = pairs[0]
        return _OPEN[lang, True] + body + "</div>"
    out = ""
    first = True
    for lang, body in pairs:
        out += _OPEN[lang, first] + body + "</div>"
        first = False
    return out


def _blocks(pairs: list[tuple[str, str]]) -> str:
    """Like _html_blocks, for plain text."""
    return _html_blocks([(lang, _esc(text)) for lang, text in pairs])


def _options(items: Items, options: list[str], key: bool) -> str:
    """The lettered options; with `key`, the right one marked by class, bold and ✓."""
    right = items[0][1].answer
    out = ['<ol class="qg-options">']
    for i, body in enumerate(options):
        if not key:
            out.append(
                f'\n<li><span class="qg-letter">{LETTERS[i]}.</span>'
                f'<div class="qg-option">{body}</div></li>'
            )
        elif i == right:
            out.append(
                f'\n<li class="qg-right"><span class="qg-letter">{LETTERS[i]}.</span>'
                f'<div class="qg-option">{body}</div>{_MARK}</li>'
            )
        else:
            out.append(
                f'\n<li class="qg-wrong"><span class="qg-letter">{LETTERS[i]}.</span>'
                f'<div class="qg-option">{body}</div></li>'
            )
    out.append("</ol>")
    return "".join(out)


@lru_cache(maxsize=4096)
def _source_line(
    lang: str, title: str, paragraph: int | None, speaker: str | None
) -> str:
    """The escaped source line (many questions of one claim share it)."""
    labels = LABELS[lang]
    if paragraph is None:
        return _esc(labels["source_only"].format(title=title))
    return _esc(
        labels["source"].format(title=title, paragraph=paragraph, speaker=speaker)
    )


def _source(items: Items, titles: dict[str, str]) -> str:
    return _html_blocks(
        [
            (
                lang,
                _source_line(lang, titles[lang], None, None)
                if q.kind == Kind.DISCUSSION
                else _source_line(
                    lang, titles[lang], q.source.paragraph, q.source.speaker_name
                ),
            )
            for lang, q in items
        ]
    )


def _choice_fields(items: Items, titles: dict[str, str]) -> list[str]:
    q = items[0][1]
    n = len(q.options)
    if not (isinstance(q.answer, int) and 0 <= q.answer < n <= len(LETTERS)):
        raise DeckError(
            t(
                f"{q.id}: the answer {q.answer!r} is not one of its {n} options",
                f"{q.id}:答案 {q.answer!r} 不是它的 {n} 个选项之一",
            )
        )
    options = [
        _html_blocks([(lang, _esc(x.options[i])) for lang, x in items])
        for i in range(n)
    ]
    right = int(q.answer)  # type: ignore[arg-type]
    answer = f'{_MARK} <span class="qg-letter">{LETTERS[right]}.</span>{options[right]}'

    return [
        _blocks([(lang, x.prompt) for lang, x in items]),
        _options(items, options, False),
        _options(items, options, True),
        answer,
        _html_blocks(
            [(lang, _quoted(x.explanation, x.source.quote)) for lang, x in items]
        ),
        _blocks([(lang, x.source.quote) for lang, x in items[:1]]),
        _source(items, titles),
        q.id,
        "",
        "",
    ]


def _cloze_escape(term: str) -> str:
    """The term inside {{c1::...}}: `:` as a reference, so `::` cannot start a hint."""
    return _esc(term).replace(":", "&#58;")


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
    text = hole.join(_esc(piece) for piece in statement.split(term))
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
    texts, leads = [], []
    for lang, q in items:
        text, lead = _cloze_text(q)
        _check_cloze(q, lang, text)
        texts.append((lang, text))
        leads.append((lang, lead))
    return [
        _html_blocks(texts),
        _blocks(leads) if any(lead for _, lead in leads) else "",
        _html_blocks(
            [(lang, _quoted(x.explanation, x.source.quote)) for lang, x in items]
        ),
        _blocks([(lang, x.source.quote) for lang, x in items[:1]]),
        _source(items, titles),
        items[0][1].id,
        "",
        "",
    ]


def _context(lang: str, q: Question) -> str:
    out = [f'<div class="qg-topic">{_esc(q.topic_name)}</div>']
    if q.guiding:
        out.append(f'<div class="qg-heading">{_esc(LABELS[lang]["guiding"])}</div>')
        out.append('<ul class="qg-guiding">')
        out.extend(f"<li>{_esc(g)}</li>" for g in q.guiding)
        out.append("</ul>")
    return "".join(out)


def _side(lang: str, q: Question, i: int, first: bool) -> str:
    side = q.sides[i]
    out = (
        f'<div class="qg-who">{_esc(side.speaker_name)}</div>'
        f'<div class="qg-position">{_esc(side.position)}</div>'
    )
    if first:  # the quote is Chinese in every language: show it once
        where = LABELS[lang]["paragraph"].format(paragraph=side.paragraph)
        out += (
            f'<div class="qg-side-quote"><span class="qg-quote">「{_esc(side.quote)}」'
            f"</span> {_esc(where)}</div>"
        )
    return out


def _key_points(lang: str, q: Question) -> str:
    points = "".join(f"<li>{_esc(p)}</li>" for p in _points(q.teacher_notes))
    return (
        f'<div class="qg-heading">{_esc(LABELS[lang]["key_points"])}</div>'
        f'<ul class="qg-points">{points}</ul>'
    )


def _discussion_fields(items: Items, titles: dict[str, str]) -> list[str]:
    sides = "".join(
        '<div class="qg-side">'
        + _html_blocks(
            [(lang, _side(lang, x, i, j == 0)) for j, (lang, x) in enumerate(items)]
        )
        + "</div>"
        for i in range(len(items[0][1].sides))
    )
    return [
        _blocks([(lang, x.prompt) for lang, x in items]),
        _html_blocks([(lang, _context(lang, x)) for lang, x in items]),
        sides,
        _html_blocks([(lang, _key_points(lang, x)) for lang, x in items]),
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
        fields = [_nfc(f) for f in _FIELDS[q.kind](items, titles)]
        if not q.prompt.strip():  # Anki skips a note whose first field is empty
            raise DeckError(t(f"{q.id}: the question is empty", f"{q.id}:题目为空"))
        tags = _tags(q.tags)
        deck.add_note(
            genanki.Note(
                model=_model(q.kind),
                fields=fields,
                tags=list(tags),
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
                zf.writestr(info, data, compresslevel=3)
    return path


def write(quizzes: Sequence[Quiz], out_dir: Path, options: ExportOptions) -> list[Path]:
    """Write `<bank>-<lang>.apkg` (or `<bank>-bilingual.apkg`) from version 1; return [its path].

    Raises DeckError when the quizzes cannot make a deck (see plan_deck).
    """
    plan = plan_deck(quizzes, options)
    path = out_dir / f"{plan.stem}.apkg"
    return [write_package(plan.decks, path, plan.timestamp)]
