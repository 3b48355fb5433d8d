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
    "note_guid",
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


def _esc_many(texts: list[str]) -> list[str]:
    """_esc of each text, in one pass over them joined (a note has a dozen short texts)."""
    joined = "\0".join(texts)
    if _PLAIN(joined) is None:
        return texts
    if joined.count("\0") != len(texts) - 1:  # a NUL in a text: one at a time
        return [_esc(x) for x in texts]
    return _esc(joined).split("\0")


def _mark_quote(body: str, mark: str) -> str:
    """Escaped `body` with the escaped verbatim quote `mark` wrapped for the stylesheet."""
    at = body.rfind(mark) if mark else -1  # the statement may equal the quote
    if at < 0:
        return body
    end = at + len(mark)
    return f'{body[:at]}<span class="qg-quote">{mark}</span>{body[end:]}'


def _quoted(explanation: str, quote: str) -> str:
    """The explanation as HTML, its verbatim quote marked for the stylesheet."""
    return _mark_quote(_esc(explanation), _esc(quote))


#: after 。；！？ (a point may follow at once) or after . ; ! ? and a space
_POINT_END = re.compile(r"(?<=[\u3002\uff1b\uff01\uff1f])\s*|(?<=[.;!?])\s+")


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
_END = "</div>"
_MARK = '<span class="qg-mark">✓</span>'
#: per option: its letter label, and the label with the option's opening tag
_LETTER = [f'<span class="qg-letter">{c}.</span>' for c in LETTERS]
_OPTION = [f'{x}<div class="qg-option">' for x in _LETTER]


def _opens(items: Sequence[tuple[str, object]]) -> list[str]:
    """The opening <div lang> of each language's block, the first plain, the rest qg-second."""
    return [_OPEN[lang, i == 0] for i, (lang, _) in enumerate(items)]


def _wrap(opens: list[str], bodies: list[str]) -> str:
    """One <div lang> per language around its HTML body."""
    if len(opens) == 1:
        return opens[0] + bodies[0] + _END
    if len(opens) == 2:
        return opens[0] + bodies[0] + _END + opens[1] + bodies[1] + _END
    return "".join([o + b + _END for o, b in zip(opens, bodies, strict=True)])


def _html_blocks(pairs: list[tuple[str, str]]) -> str:
    """One <div lang> per (lang, html) pair, the first plain, the rest qg-second."""
    return _wrap(_opens(pairs), [b for _, b in pairs])


def _blocks(pairs: list[tuple[str, str]]) -> str:
    """Like _html_blocks, for plain text."""
    return _html_blocks([(lang, _esc(text)) for lang, text in pairs])


def _options(options: list[str], right: int) -> tuple[str, str]:
    """The lettered options (front) and the same with the right one marked by class, bold and ✓."""
    front, key = ['<ol class="qg-options">'], ['<ol class="qg-options">']
    for i, body in enumerate(options):
        item = _OPTION[i] + body + _END
        front.append("\n<li>" + item + "</li>")
        if i == right:
            key.append('\n<li class="qg-right">' + item + _MARK + "</li>")
        else:
            key.append('\n<li class="qg-wrong">' + item + "</li>")
    front.append("</ol>")
    key.append("</ol>")
    return "".join(front), "".join(key)


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


def _source(items: Items, titles: dict[str, str], opens: list[str]) -> str:
    return _wrap(
        opens,
        [
            _source_line(lang, titles[lang], None, None)
            if q.kind == Kind.DISCUSSION
            else _source_line(
                lang, titles[lang], q.source.paragraph, q.source.speaker_name
            )
            for lang, q in items
        ],
    )


def _choice_fields(items: Items, titles: dict[str, str]) -> list[str]:
    q = items[0][1]
    n = len(q.options)
    if not (isinstance(q.answer, int) and 0 <= q.answer < n <= len(LETTERS)):
        raise DeckError(
            t(
                f"{q.id}: the answer {q.answer!r} is not one of its {n} options",
                f"{q.id}：答案 {q.answer!r} 不是它的 {n} 个选项之一",
            )
        )
    right = q.answer
    opens = _opens(items)
    quote = _esc(q.source.quote)  # verbatim Chinese, the same in every language
    prompts, optionss, explanations = [], [], []
    for _, x in items:
        *texts, prompt, explanation = _esc_many([*x.options, x.prompt, x.explanation])
        prompts.append(prompt)
        optionss.append(texts)
        mark = quote if x.source.quote == q.source.quote else _esc(x.source.quote)
        explanations.append(_mark_quote(explanation, mark))
    options = [_wrap(opens, [texts[i] for texts in optionss]) for i in range(n)]
    front, key = _options(options, right)
    return [
        _wrap(opens, prompts),
        front,
        key,
        f"{_MARK} {_LETTER[right]}{options[right]}",
        _wrap(opens, explanations),
        opens[0] + quote + _END,
        _source(items, titles, opens),
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
                f"{q.id}：填空题没有要挖空的词",
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
                f"{q.id}({lang})：填空文本含有全角的“：：”。提示：改用半角冒号，或改写陈述与填空词。",
            )
        )
    if not _CLOZE.search(text):
        raise DeckError(
            t(
                f"{q.id} ({lang}): the cloze text has no {{{{c1::...}}}} cloze",
                f"{q.id}({lang})：填空文本中没有 {{{{c1::...}}}} 挖空",
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
        _source(items, titles, _opens(items)),
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
        _source(items, titles, _opens(items)),
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


@dataclass(slots=True)
class DeckNote:
    """One note of a deck, with the attribute names genanki.Note uses.

    The plan holds these instead of genanki.Note objects, which validate their
    tags and fields again on every write; `write_package` inserts them with
    the rows genanki would write. `tags` are Anki tags already (no spaces).
    """

    model: genanki.Model
    fields: list[str]
    tags: list[str]
    guid: str
    due: int


_CLOZE_REF = re.compile(r"{{[^}]*?cloze:(?:[^}]?:)*(.+?)}}")
_CLOZE_NUMBER = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)


@lru_cache(maxsize=64)
def _cloze_sources(qfmt: str, names: tuple[str, ...]) -> tuple[int | None, ...]:
    """Which fields a cloze template's {{cloze:...}} references read (None: no such field)."""
    return tuple(
        names.index(name) if name in names else None
        for name in set(_CLOZE_REF.findall(qfmt))
    )


def _card_ords(model: genanki.Model, fields: Sequence[str]) -> list[int]:
    """The ords of the cards genanki makes for a note (Note.cards, without a Note)."""
    if model.model_type == model.CLOZE:
        names = tuple(f["name"] for f in model.fields)
        ords: set[int] = set()
        for i in _cloze_sources(model.templates[0]["qfmt"], names):
            value = fields[i] if i is not None else ""
            ords.update(int(m) - 1 for m in _CLOZE_NUMBER.findall(value) if int(m) > 0)
        return list(ords)  # genanki's set order: a note has one cloze, c1
    return [
        card_ord
        for card_ord, any_or_all, required in model._req
        if (any if any_or_all == "any" else all)(fields[i] for i in required)
    ]


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
        fields = _nfc("\x1f".join(_FIELDS[q.kind](items, titles))).split("\x1f")
        deck.notes.append(
            DeckNote(
                model=_model(q.kind),
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


class _BulkDeck(genanki.Deck):
    """A genanki deck whose notes (DeckNote) go in with one executemany per table.

    genanki's Deck.write_to_db runs two INSERTs per note and checks every field
    for malformed HTML (the fields built here are escaped by construction, and
    a test runs genanki's check on them). The rows are the ones genanki writes,
    in the same order and with the same ids: a test compares the two databases
    row by row.
    """

    def write_to_db(self, cursor, timestamp, id_gen):  # type: ignore[no-untyped-def]
        notes: list[DeckNote] = self.notes
        self.notes = []
        for note in notes:
            self.add_model(note.model)
        try:
            super().write_to_db(cursor, timestamp, id_gen)  # the deck and note types
        finally:
            self.notes = notes
        mod = int(timestamp)
        note_rows, card_rows = [], []
        for note in notes:
            model = note.model
            if len(model.fields) != len(note.fields):
                raise ValueError(f"{note.guid}: fields do not match the note type")
            nid = next(id_gen)
            note_rows.append(
                (nid, note.guid, model.model_id, mod, -1, f" {' '.join(note.tags)} ",
                 "\x1f".join(note.fields), note.fields[model.sort_field_index], 0, 0, "")
            )  # fmt: skip
            for card_ord in _card_ords(model, note.fields):
                card_rows.append(
                    (next(id_gen), nid, self.deck_id, card_ord, mod, -1, 0, 0,
                     note.due, 0, 0, 0, 0, 0, 0, 0, 0, "")
                )  # fmt: skip
        cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", note_rows)
        cursor.executemany(
            "INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows
        )


def _bulk(deck: genanki.Deck) -> _BulkDeck:
    out = _BulkDeck(deck.deck_id, deck.name, description=deck.description)
    out.notes = deck.notes
    out.models = dict(deck.models)
    return out


def write_package(decks: Sequence[genanki.Deck], path: Path, timestamp: int) -> Path:
    """Write `decks` as an .apkg at `path`, byte for byte the same for the same input.

    genanki stamps notes, cards and note types with `timestamp`; the zip
    entries get it too (not the time of writing). The collection is built in
    memory and written atomically; returns `path`.
    """
    package = genanki.Package([_bulk(d) for d in decks])
    conn = sqlite3.connect(":memory:")
    try:
        # large pages: a note's fields (about 4 KB of HTML in a bilingual deck)
        # fit in one page instead of spilling into overflow pages; a third
        # less to write and to deflate, and any SQLite (so any Anki) reads them
        conn.execute("PRAGMA page_size = 65536")
        package.write_to_db(
            conn.cursor(), timestamp, itertools.count(int(timestamp) * 1000)
        )
        conn.commit()
        collection = conn.serialize()
    finally:
        conn.close()
    stamp = max(_ZIP_EPOCH, time.gmtime(timestamp)[:6])
    with atomic_path(path) as part, zipfile.ZipFile(part, "w") as zf:
        for arcname, data in (("collection.anki2", collection), ("media", b"{}")):
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
