"""Quality rules shared by the bank checker and the generator."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: the longest option may be at most this many times the shortest
MAX_LENGTH_RATIO = 2.5
#: options this wide or narrower (names, numbers) are exempt
SHORT_WIDTH = 16


def width(text: str) -> int:
    """Display width: CJK and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def options_comparable(options: Iterable[str]) -> bool:
    """True if no option is more than 2.5 times as wide as the shortest (short ones exempt)."""
    widths = [width(o) for o in options]
    if not widths or max(widths) <= SHORT_WIDTH:
        return True
    return max(widths) <= MAX_LENGTH_RATIO * max(1, min(widths))


_CJK = r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’《》「」]"
_FULL_WIDTH = {",": "，", ":": "：", "?": "？", ";": "；", "!": "！"}
_ASCII_PUNCT = re.compile(rf"(?<={_CJK})([,:?;!])|([,:?;!])(?={_CJK})")


_HAS_CJK = re.compile(_CJK).search
_PARENS = re.compile(r"\(([^()\n]*)\)")
_DOUBLE_QUOTES = re.compile(r'"([^"\n]*)"')


def zh_punctuation(text: str) -> str:
    """Chinese text with Chinese punctuation marks.

    ASCII ( ) and " " around text with Chinese in it become （ ） and “ ”, and
    ASCII , : ? ; ! next to a Chinese character become full-width. Other ASCII
    stays: "GPT-4, Claude: ok?", "(--allow-fewer)", "http://a:80/".

    Bank texts often follow the source, which uses ASCII marks; printed Chinese
    uses full-width ones. Learner text goes through this when questions are
    generated (quotes never: they stay verbatim), and a test holds quizgen's
    own Chinese literals to it (scripts/zh_punctuation.py fixes them).
    """
    text = _PARENS.sub(
        lambda m: f"\uff08{m.group(1)}\uff09" if _HAS_CJK(m.group(1)) else m.group(0),
        text,
    )
    text = _DOUBLE_QUOTES.sub(
        lambda m: f"\u201c{m.group(1)}\u201d" if _HAS_CJK(m.group(1)) else m.group(0),
        text,
    )
    return _ASCII_PUNCT.sub(lambda m: _FULL_WIDTH[m.group(1) or m.group(2)], text)


_ANY_PARENS = re.compile(r"\(([^()\n]*)\)")
_LOOSE_COMMA = re.compile(r"(?<![0-9]),(?![0-9])\s*|(?<=[0-9]),(?![0-9])\s*|,\s+")
_SPACE_AROUND_FULL = re.compile(
    r"(?<=[，。、；：？！）”’》」])[ \t]+|[ \t]+(?=[，。、；：？！（）“”‘’《》「」])"
)


def zh_learner_text(text: str) -> str:
    """Chinese learner text as printed: zh_punctuation, and then, in a text with
    Chinese in it, full-width brackets and commas next to Latin words too
    ("（SaaS）", "OpenAI，Google", "（P31-P36）") and no spaces beside
    full-width marks. A comma inside a number (1,000) stays. Quotes never go
    through this: they stay verbatim.
    """
    text = zh_punctuation(text)
    if not _HAS_CJK(text):
        return text
    text = _ANY_PARENS.sub(lambda m: f"\uff08{m.group(1)}\uff09", text)
    text = zh_punctuation(_LOOSE_COMMA.sub("\uff0c", text))  # marks now next to （ ）
    return _SPACE_AROUND_FULL.sub("", text)


def cloze_spans(statement: str, term: str) -> list[tuple[int, int]]:
    """Where `term` occurs in `statement`, as (start, end): the one blanking rule.

    A term that begins or ends with a Latin letter or digit counts only where it
    is not part of a longer word ("ten" is not in "often"); a Chinese term
    counts wherever it occurs. A cloze blanks its term's one occurrence.
    """
    if not term:
        return []
    head = r"(?<![A-Za-z0-9])" if term[0].isascii() and term[0].isalnum() else ""
    tail = r"(?![A-Za-z0-9])" if term[-1].isascii() and term[-1].isalnum() else ""
    return [m.span() for m in re.finditer(head + re.escape(term) + tail, statement)]


#: units a number's blank leaves outside it: a cloze on "60秒" asks for the 60
#: in "视频时长达到______秒", so "60秒钟" or "一分钟" is no second answer
_ZH_UNITS = ("%", "秒", "年", "分", "层", "岁", "倍")
_EN_UNITS = ("%", " percent", " years", " seconds", " layers", "-point")
_NUMBER = (
    r"[0-9]+(?:[.,][0-9]+)*"
    r"|[零〇一二两三四五六七八九十百]+"
    r"|(?:a |one )?hundred"
    r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-[a-z]+)?"
    r"|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
)
_IS_NUMBER = re.compile(rf"(?:{_NUMBER})", re.IGNORECASE)


def number_and_unit(term: str) -> tuple[str, str] | None:
    """(number, unit) when a cloze term is a number followed by a unit (60
    seconds, "five years", "97%"), else None: the blank then covers the number
    only."""
    for unit in (*_ZH_UNITS, *_EN_UNITS):
        if term.endswith(unit) and len(term) > len(unit):
            number = term[: -len(unit)]
            if _IS_NUMBER.fullmatch(number):
                return number, unit
    return None


def number_of(answer: str, unit: str) -> str | None:
    """An accepted answer of a term with `unit`, as the number the blank asks
    for; None for one that does not fit before the unit (one minute for 60
    seconds)."""
    answer = answer.strip()
    if answer.endswith(unit):
        answer = answer[: -len(unit)].strip()
    return answer if _IS_NUMBER.fullmatch(answer) else None
