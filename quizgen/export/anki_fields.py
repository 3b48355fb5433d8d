"""The HTML of an Anki note's fields, built from the questions of every language.

One escape function (`_esc`) for every piece of text, applied once, so that a
10,000-note deck costs little more than genanki's own write. Each language is
a `<div lang=...>`, Chinese first; the second language carries `qg-second`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from quizgen.bank.genre import html_lang, quote_marks
from quizgen.errors import QuizgenError
from quizgen.generate import BLANK
from quizgen.i18n import t
from quizgen.quiz import Kind, Question

__all__ = [
    "LABELS",
    "LANG_ATTR",
    "LETTERS",
    "DeckError",
    "Items",
    "claim_fields",
    "discussion_fields",
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
        "accepted": "也算对：",
        "list_sep": "、",
    },
    "en": {
        "source": "{title}, paragraph {paragraph} · {speaker}",
        "source_only": "{title}",
        "paragraph": "paragraph {paragraph}",
        "guiding": "Think about",
        "key_points": "Key points",
        "accepted": "Also accepted: ",
        "list_sep": ", ",
    },
}


class DeckError(QuizgenError):
    """The quizzes cannot become an Anki deck (a broken cloze, mismatched languages, ...)."""


# --------------------------------------------------------------------------- text


def _plain(value: str) -> bool:
    """True when nothing in `value` needs escaping (ten memchr scans: faster
    than one regular expression over the text)."""
    return not (
        "&" in value
        or "<" in value
        or ">" in value
        or '"' in value
        or "'" in value
        or "{" in value
        or "}" in value
        or "\x1f" in value
        or "\n" in value
        or "\r" in value
    )


def _esc(value: str) -> str:
    """Plain text as field HTML: NFC, escaped once, braces as references, newlines as <br>.

    `{` and `}` become `&#123;` and `&#125;` so that nothing in a claim reads
    as Anki template or cloze syntax; they still show as braces. Text is
    NFC-normalised here, piece by piece (Anki stores NFC), rather than the
    whole field with its markup: ASCII text needs no pass at all.
    """
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    if _plain(value):
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
    if joined.count("\0") != len(texts) - 1:  # a NUL in a text: one at a time
        return [_esc(x) for x in texts]
    if joined.isascii() and _plain(joined):
        return texts
    return _esc(joined).split("\0")


def _mark_quote(body: str, mark: str, quote_lang: str) -> str:
    """Escaped `body` with the escaped verbatim quote `mark` wrapped for the
    stylesheet, in the source's language (`quote_lang`, a lang attribute)."""
    at = body.rfind(mark) if mark else -1  # the statement may equal the quote
    if at < 0:
        return body
    end = at + len(mark)
    return (
        f'{body[:at]}<span class="qg-quote" lang="{quote_lang}">{mark}</span>'
        f"{body[end:]}"
    )


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


def _options(options: list[str]) -> str:
    """The lettered options; the back marks the right one by its number
    (`qg-right-<n>` in the card template and the stylesheet)."""
    return (
        '<ol class="qg-options">'
        + "".join(
            [
                "\n<li>" + _OPTION[i] + body + _END + "</li>"
                for i, body in enumerate(options)
            ]
        )
        + "</ol>"
    )


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


def _choice_card(items: Items) -> tuple[str, str, str]:
    """(front, back, right) of a choice question: the question and lettered
    options; the answer line; the right option's number (from 1)."""
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
    prompts, optionss = [], []
    for _, x in items:
        *texts, prompt = _esc_many([*x.options, x.prompt])
        prompts.append(prompt)
        optionss.append(texts)
    options = [_wrap(opens, [texts[i] for texts in optionss]) for i in range(n)]
    front = (
        '<div class="qg-question">' + _wrap(opens, prompts) + _END + _options(options)
    )
    answer = (
        f'<div class="qg-answer">{_MARK}{_LETTER[right]}'
        f'<div class="qg-option">{options[right]}</div></div>'
    )
    return front, answer, str(right + 1)


_HOLE = '<span class="cloze">[…]</span>'


def _cloze_text(q: Question) -> tuple[str, str, str]:
    """(statement with every occurrence of the term blanked, the same with the
    term shown, the prompt's lead-in), escaped.

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
    pieces = [_esc(piece) for piece in statement.split(term)]
    shown = f'<span class="cloze">{_esc(term)}</span>'
    blanked = statement.replace(term, BLANK)
    lead = q.prompt[: -len(blanked)] if q.prompt.endswith(blanked) else ""
    return _HOLE.join(pieces), shown.join(pieces), _esc(lead.strip())


def _accepted(lang: str, q: Question) -> str:
    """'Also accepted: ...' with the cloze's other accepted answers, or ''."""
    if not q.accepted:  # most terms have no variants: skip the normalising
        return ""
    others = q.accepted_answers[1:]
    if not others:
        return ""
    label = _esc(LABELS[lang]["accepted"])
    joined = _esc(LABELS[lang]["list_sep"].join(others))
    return f'<div class="qg-accepted">{label}{joined}</div>'


def _cloze_card(items: Items) -> tuple[str, str, str]:
    """(front, back, "") of a cloze question: the lead-in and the statement
    with the term blanked; then with the term shown and the other accepted
    answers (the back hides the front's blanked statement)."""
    fronts, backs = [], []
    for lang, q in items:
        hole, shown, lead = _cloze_text(q)
        context = f'<div class="qg-context">{lead}</div>' if lead else ""
        fronts.append(f'{context}<div class="qg-cloze-text">{hole}</div>')
        backs.append(
            f'{context}<div class="qg-cloze-text">{shown}</div>{_accepted(lang, q)}'
        )
    opens = _opens(items)
    front = '<div class="qg-blanked">' + _wrap(opens, fronts) + _END
    return front, _wrap(opens, backs), ""


def claim_fields(
    questions: Sequence[Items],
    titles: dict[str, str],
    slots: dict[str, int],
    source_language: str = "zh",
) -> list[str]:
    """The fields of one claim's note: Id, a front, back and right option per
    card slot (`slots`: question id suffix -> index of its front field), then the shared
    explanation, quote (in the source's language) and source. Raises DeckError for a question that has no
    slot or shares one with another question."""
    first = questions[0]
    q = first[0][1]
    claim = q.claims[0]
    out = [""] * (1 + 3 * len(slots) + 5)
    out[0] = _esc(claim)
    for items in questions:
        x = items[0][1]
        suffix = x.id[len(claim) + 1 :] if x.id.startswith(claim + ".") else ""
        at = slots.get(suffix)
        if at is None or out[at]:
            raise DeckError(
                t(
                    f"{x.id}: no card of claim '{claim}' is free for this question "
                    f"(cards: {', '.join(slots)})",
                    f"{x.id}：论点 '{claim}' 没有空余的卡片位置给这道题（卡片：{'、'.join(slots)}）",
                )
            )
        card = _cloze_card(items) if x.kind == Kind.CLOZE else _choice_card(items)
        out[at], out[at + 1], out[at + 2] = card
    opens = _opens(first)
    quote = _esc(q.source.quote)  # verbatim, the same in every language
    quote_lang = html_lang(source_language)
    explanations = []
    for _, x in first:
        mark = quote if x.source.quote == q.source.quote else _esc(x.source.quote)
        explanations.append(_mark_quote(_esc(x.explanation), mark, quote_lang))
    out[-5] = _wrap(opens, explanations)
    out[-4] = f'<div class="qg-lang" lang="{quote_lang}">{quote}{_END}'
    out[-3] = _source(first, titles, opens)
    return out


def _context(lang: str, q: Question) -> str:
    out = [f'<div class="qg-topic">{_esc(q.topic_name)}</div>']
    if q.guiding:
        out.append(f'<div class="qg-heading">{_esc(LABELS[lang]["guiding"])}</div>')
        out.append('<ul class="qg-guiding">')
        out.extend(f"<li>{_esc(g)}</li>" for g in q.guiding)
        out.append("</ul>")
    return "".join(out)


def _side(lang: str, q: Question, i: int, first: bool, source_language: str) -> str:
    side = q.sides[i]
    out = (
        f'<div class="qg-who">{_esc(side.speaker_name)}</div>'
        f'<div class="qg-position">{_esc(side.position)}</div>'
    )
    if first:  # the quote is the same in every language: show it once
        where = LABELS[lang]["paragraph"].format(paragraph=side.paragraph)
        qo, qc = quote_marks(source_language)
        out += (
            f'<div class="qg-side-quote"><span class="qg-quote" '
            f'lang="{html_lang(source_language)}">{qo}{_esc(side.quote)}{qc}'
            f"</span> {_esc(where)}</div>"
        )
    return out


def _key_points(lang: str, q: Question) -> str:
    points = "".join(f"<li>{_esc(p)}</li>" for p in _points(q.teacher_notes))
    return (
        f'<div class="qg-heading">{_esc(LABELS[lang]["key_points"])}</div>'
        f'<ul class="qg-points">{points}</ul>'
    )


def discussion_fields(
    items: Items, titles: dict[str, str], source_language: str = "zh"
) -> list[str]:
    sides = "".join(
        '<div class="qg-side">'
        + _html_blocks(
            [
                (lang, _side(lang, x, i, j == 0, source_language))
                for j, (lang, x) in enumerate(items)
            ]
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
        _esc(items[0][1].id),
        "",
        "",
    ]
