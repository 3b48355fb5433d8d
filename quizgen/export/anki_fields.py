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

from quizgen.errors import QuizgenError
from quizgen.generate import BLANK
from quizgen.i18n import t
from quizgen.quiz import Kind, Question

__all__ = ["FIELDS", "LABELS", "LANG_ATTR", "LETTERS", "DeckError", "Items"]

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


class DeckError(QuizgenError):
    """The quizzes cannot become an Anki deck (a broken cloze, mismatched languages, ...)."""


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


FIELDS = {
    Kind.MULTIPLE_CHOICE: _choice_fields,
    Kind.TRUE_FALSE: _choice_fields,
    Kind.CLOZE: _cloze_fields,
    Kind.DISCUSSION: _discussion_fields,
}
