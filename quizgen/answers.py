"""One rule for typed answers: how a cloze answer is normalised and matched.

Live marking, Anki, Moodle XML, GIFT and QTI all accept the same strings: the
question's term and its accepted variants. A typed answer is right when its
normal form equals the normal form of one of them.

Besides case, width, spaces and punctuation, the rule treats as the same
answer a few wordings that always mean the same thing:

- a whole number from 0 to 100 in digits or in English or Chinese words
  (5 = five, 25 = twenty-five; see the comment above `_ZH_DIGIT`);
- a percentage with the sign or in words (3% = 3 percent = 3 per cent =
  百分之三);
- an English regular plural and its singular (batteries = battery,
  videos = video) and a leading article (the, a, an);
- the Chinese possessive particle between two Chinese characters (see `_DE`).

LMS formats compare the typed string itself, so `typed_forms` spells out the
forms of each answer a student would type (5 years, five years, 5 year, ...).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "accepts",
    "normalize_answer",
    "typed_forms",
    "unique_answers",
]

#: punctuation inside an answer that a student may type or leave out: dashes,
#: connectors, brackets and quote marks (not . , % which change a number)
_DROPPED_INSIDE = {"Pd", "Pc", "Ps", "Pe", "Pi", "Pf"}


#: marks that change what an answer means, kept even at its ends
_KEPT_AT_ENDS = set("%‰")

_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = [
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
]
_EN_VALUE = {w: i for i, w in enumerate(_EN_UNITS)} | {
    w: 20 + 10 * i for i, w in enumerate(_EN_TENS)
}
_JOIN = r"[\s\-‐‑–—]+"
#: an English whole number 0-100 in words: "five", "twenty-five", "a hundred"
_EN_NUMBER = re.compile(
    rf"\b(?:(?:one|a){_JOIN})?hundred\b"
    rf"|\b(?:{'|'.join(_EN_TENS)})(?:{_JOIN}(?:{'|'.join(_EN_UNITS[1:10])}))?\b"
    rf"|\b(?:{'|'.join(_EN_UNITS)})\b"
)
# Chinese numerals: 五 = 5, 十五 = 15, 二十五 = 25, 一百 = 100, 两 = 2; a run that is
# not one of them (一二, 三五) is left as it is
_ZH_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
#: a run of Chinese numeral characters; only runs worth 0-100 are converted
_ZH_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+")
#: a percentage in Chinese words: 百分之三, 百分之3, 百分之九十
_ZH_PERCENT = re.compile(r"百分之([0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百]+)")
#: a percentage in English words, once its number is in digits: 3 percent, 3 per cent
_EN_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(?:per\s*cent|percent)\b")
#: an answer that is only a whole percentage, in its normal form: 3%, 90%
_ONLY_PERCENT = re.compile(r"([0-9]{1,3})%")
#: a leading English article, followed by a space or a dash ("A-Decade")
_ARTICLE = re.compile(r"^(?:the|an|a)[\s\-‐‑–—]+(?=\S)")
_EN_WORD = re.compile(r"[a-z]+")
_HAN = r"\u3400-\u9fff\uf900-\ufaff"
# 的 between two Chinese characters: 大量的资金 = 大量资金
_DE = re.compile(rf"(?<=[{_HAN}])的(?=[{_HAN}])")


def _en_number_value(words: str) -> int:
    parts = [p for p in re.split(_JOIN, words) if p]
    if parts[-1] == "hundred":
        return 100
    return sum(_EN_VALUE[p] for p in parts)


def _zh_number_value(run: str) -> int | None:
    """The value of a Chinese numeral from 0 to 100, or None."""
    if run in ("一百", "百"):
        return 100
    if len(run) == 1 and run in _ZH_DIGIT:
        return _ZH_DIGIT[run]
    if "十" in run and run.count("十") == 1 and "百" not in run:
        tens, _, ones = run.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return None
        if tens and (tens not in _ZH_DIGIT or _ZH_DIGIT[tens] == 0):
            return None
        if ones and (ones not in _ZH_DIGIT or _ZH_DIGIT[ones] == 0):
            return None
        return 10 * (_ZH_DIGIT[tens] if tens else 1) + (_ZH_DIGIT[ones] if ones else 0)
    return None


def _zh_percent(m: re.Match[str]) -> str:
    number = m.group(1)
    if number[0].isdigit():
        return f"{number}%"
    value = _zh_number_value(number)
    return m.group() if value is None else f"{value}%"


def _zh_numbers_to_digits(text: str) -> str:
    def digits(m: re.Match[str]) -> str:
        value = _zh_number_value(m.group())
        return m.group() if value is None else str(value)

    return _ZH_NUMBER.sub(digits, text)


def _singular(word: str) -> str:
    """The singular of an English regular plural (batteries -> battery)."""
    if len(word) < 4 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _canonical_words(folded: str) -> str:
    """Numbers as digits, no leading article, English words singular, no 的
    between two Chinese characters."""
    text = _ARTICLE.sub("", folded.strip())
    text = _ZH_PERCENT.sub(_zh_percent, text)
    text = _EN_NUMBER.sub(lambda m: str(_en_number_value(m.group())), text)
    text = _EN_PERCENT.sub(r"\1%", text)
    text = _zh_numbers_to_digits(text)
    text = _EN_WORD.sub(lambda m: _singular(m.group()), text)
    return _DE.sub("", text)


def normalize_answer(text: str) -> str:
    """The form two answers are compared in.

    NFKC (full-width letters, digits and marks become their plain forms),
    case folded, the same-meaning wordings above made one (numbers as digits,
    English singular without a leading article, no possessive particle
    between Chinese characters),
    whitespace removed, punctuation at either end removed in both languages
    (。，！？.,!? …), and dashes, brackets and quote marks removed inside.
    "GPT-4" and "ｇｐｔ４" match; "3.5" and "35" do not; "1,000" and "1000" do
    (a comma between digit groups of three separates thousands).
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _THOUSANDS.sub("", folded)
    folded = _canonical_words(folded.strip("".join(_edge_marks(folded)) + " "))
    kept = "".join(
        ch
        for ch in folded
        if not ch.isspace() and unicodedata.category(ch) not in _DROPPED_INSIDE
    )
    return kept.strip("".join(_edge_marks(kept)))


#: a thousands separator: "1,000", "12,500,000" (not "3,5" nor "1,00")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def _edge_marks(text: str) -> set[str]:
    """The punctuation characters in `text`, to strip from its ends."""
    return {
        ch
        for ch in text
        if unicodedata.category(ch).startswith("P") and ch not in _KEPT_AT_ENDS
    }


def unique_answers(answers: Iterable[str]) -> tuple[str, ...]:
    """The answers in order, without blanks and without repeats under the rule."""
    seen: set[str] = set()
    out: list[str] = []
    for a in answers:
        key = normalize_answer(a)
        if key and key not in seen:
            seen.add(key)
            out.append(a)
    return tuple(out)


def accepts(typed: str, accepted: Iterable[str]) -> bool:
    """True when `typed` matches one of the `accepted` answers under the rule."""
    key = normalize_answer(typed)
    return bool(key) and any(key == normalize_answer(a) for a in accepted)


# -- the forms a student types, for formats that compare the string itself --

_ZH_CHARS = "零一二三四五六七八九"
_HAS_HAN = re.compile(f"[{_HAN}]")
#: a modifier and a noun of two characters each, typed with or without 的:
#: 大量资金 is also listed as 大量的资金
_FOUR_HAN = re.compile(f"[{_HAN}]{{4}}")
#: at most this many typed forms per accepted answer
MAX_FORMS = 8


def _en_words(n: int) -> str:
    if n < 20:
        return _EN_UNITS[n]
    if n == 100:
        return "a hundred"
    tens, ones = divmod(n, 10)
    return _EN_TENS[tens - 2] + (f"-{_EN_UNITS[ones]}" if ones else "")


def _zh_words(n: int) -> str:
    if n < 10:
        return _ZH_CHARS[n]
    if n == 100:
        return "一百"
    tens, ones = divmod(n, 10)
    return (
        ("" if tens == 1 else _ZH_CHARS[tens])
        + "十"
        + (_ZH_CHARS[ones] if ones else "")
    )


def _number_forms(text: str) -> list[str]:
    """`text` with its numbers 0-100 as digits, and in words of its language."""
    zh = bool(_HAS_HAN.search(text))
    as_digits = _EN_NUMBER.sub(lambda m: str(_en_number_value(m.group())), text)
    if zh:
        as_digits = _zh_numbers_to_digits(as_digits)
    spell = _zh_words if zh else _en_words

    def word(m: re.Match[str]) -> str:
        before = as_digits[m.start() - 1 : m.start()]
        after = as_digits[m.end() : m.end() + 1]
        if int(m.group()) > 100 or _in_a_token(before) or _in_a_token(after):
            return m.group()  # GPT-4, 3.5, 50%: part of a name or another number
        return spell(int(m.group()))

    as_words = re.sub(r"(?<!\d)\d{1,3}(?!\d)", word, as_digits)
    return [as_digits, as_words]


def _in_a_token(ch: str) -> bool:
    """True when `ch` next to a number makes it part of a longer token: a
    letter other than a Chinese character, a digit, a dash, . , % or ‰."""
    if not ch or ch.isspace() or _HAS_HAN.match(ch):
        return False
    category = unicodedata.category(ch)
    return category[0] in "LN" or category == "Pd" or ch in ".,%‰．，％"


def _plural(word: str) -> str:
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def _number_forms_of_last_word(text: str) -> list[str]:
    """`text` with its last English word in its other number: a plural made
    singular, or a lower-case noun made plural (not a name)."""
    m = re.search(r"([A-Za-z]+)(\W*)$", text)
    if not m or _HAS_HAN.search(text):
        return []
    word = m.group(1)
    single = _singular(word)
    if single != word:
        other = single
    elif word.islower() and len(word) >= 3:
        other = _plural(word)
    else:
        return []
    return [text[: m.start(1)] + other + m.group(2)]


def typed_forms(answers: Iterable[str]) -> tuple[str, ...]:
    """Each answer (in order) followed by the other forms the rule counts as
    it and a student would type: numbers in digits and in words, the last
    English word singular and plural, without a leading article, without the
    Chinese possessive particle (and a four-character Chinese term with it in
    its middle, see `_FOUR_HAN`).
    Forms equal ignoring case are listed once; each answer gives at most
    `MAX_FORMS` forms."""
    out: list[str] = []
    seen: set[str] = set()
    for answer in unique_answers(answers):
        forms = [answer]
        base = [answer]
        bare = _ARTICLE.sub("", answer.strip().lower(), count=1)
        bare = answer.strip()[len(answer.strip()) - len(bare) :]
        if bare.lower() != answer.strip().lower():
            base.append(bare)
        if _DE.search(answer):
            base.append(_DE.sub("", answer))
        elif _FOUR_HAN.fullmatch(answer.strip()):
            base.append(answer.strip()[:2] + "的" + answer.strip()[2:])
        for b in base:
            for n in _number_forms(b):
                forms.append(n)
                forms.extend(_number_forms_of_last_word(n))
        pct = _ONLY_PERCENT.fullmatch(normalize_answer(answer))
        if pct and int(pct.group(1)) <= 100:  # 3%, 3 percent, 百分之三
            n = int(pct.group(1))
            forms += [f"{n}%", f"{n} percent", f"百分之{_zh_words(n)}"]
        key_of_answer = normalize_answer(answer)
        kept = 0
        for f in forms:
            key = f.casefold()
            if key in seen or normalize_answer(f) != key_of_answer:
                continue
            seen.add(key)
            out.append(f)
            kept += 1
            if kept >= MAX_FORMS:
                break
    return tuple(out)
