"""Drafts for the parts of a claim that are mechanical to write: false
statements that change one thing, and wrong options of the same kind as the
answer, drawn from the text's own names and numbers.

Drafts are suggestions for the teacher to accept or change, never written into
a bank unread: a changed number or name can still be true by the text, and
only a reader can tell.

Numbers are found by pattern, names are the bank's own (speaker names, for
an English text the capitalised words it uses, for a Chinese text the persons
and places the segmenter finds), and negation is a short list of verbs. A
Chinese answer of another kind (a noun, an organisation, a Latin term) gets
wrong options with its last word swapped for the text's own words of that
kind (`quizgen.segment`); the words a cloze could blank are offered to click.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from quizgen.segment import EN_STOP_WORDS, Word, content_words, words

__all__ = [
    "Vocabulary",
    "cloze_terms",
    "false_statements",
    "vocabulary",
    "wrong_options",
]

#: at most this many drafts of each kind
MAX_DRAFTS = 4

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?%?|[零一二两三四五六七八九十百千万亿]+")
_EN_NUMBER_WORDS = [
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
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "thousand",
]
_EN_WORD_NUMBER = re.compile(r"\b(" + "|".join(_EN_NUMBER_WORDS) + r")\b", re.I)
_CAPITALISED = re.compile(r"(?<![.!?:;\"'“‘]\s)(?<!^)\b([A-Z][a-z]{2,})\b")
#: capitalised words that are no names
_NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "And",
        "But",
        "For",
        "Then",
        "What",
        "When",
        "Where",
        "Why",
        "How",
        "Yes",
        "Nay",
        "Well",
        "Now",
        "Not",
        "Very",
        "Certainly",
        "True",
        "Good",
        "Tell",
        "Let",
        "Perhaps",
        "Surely",
        "Indeed",
        "Again",
        "Rare",
        "Alas",
        "Another",
        "Which",
        "Who",
        "Whom",
        "Whose",
        "Is",
        "Are",
        "Was",
        "Were",
        "Do",
        "Does",
        "Did",
        "Of",
        "In",
        "On",
        "Or",
        "If",
        "As",
        "At",
        "By",
        "To",
        "From",
        "With",
        "Without",
        "Your",
        "You",
        "Our",
        "Their",
        "His",
        "Her",
        "Its",
        "My",
        "God",
        "Gods",
        "King",
    ]
)

#: (pattern, replacement): the first that applies negates an English sentence
_EN_NEGATIONS = (
    (r"\bcannot\b", "can"),
    (r"\b(is|are|was|were|do|does|did|will|would|should|must|can) not\b", r"\1"),
    (r"\bnot\b ", ""),
    (r"\b(is|are|was|were|will|would|should|must)\b", r"\1 not"),
    (r"\bcan\b", "cannot"),
)
_ZH_NEGATIONS = (
    ("不是", "是"),
    ("不会", "会"),
    ("不能", "能"),
    ("没有", "有"),
    ("是", "不是"),
    ("会", "不会"),
    ("能", "不能"),
    ("应当", "不应当"),
    ("有", "没有"),
)


#: words before a capitalised word that make it a place
_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|from|near|deme of)\s+(?:the\s+)?([A-Z][a-z]{2,})\b"
)


@dataclass(frozen=True, kw_only=True)
class Vocabulary:
    """Names and numbers a text and its bank use, per language. `places` are
    the names the text uses after "in", "at", "to", "from"; a name is swapped
    only for another of its kind (a person's for a person's)."""

    names: dict[str, tuple[str, ...]]
    numbers: dict[str, tuple[str, ...]]
    places: frozenset[str] = frozenset()
    #: a Chinese text's words by kind (quizgen.segment), most used first
    zh_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def same_kind(self, name: str, lang: str) -> list[str]:
        """The other names of `name`'s kind, most used first."""
        place = name in self.places
        return [
            n
            for n in self.names.get(lang, ())
            if n != name and (n in self.places) == place
        ]


def vocabulary(
    paragraphs: Iterable[str], speaker_names: dict[str, Iterable[str]]
) -> Vocabulary:
    """The names (speakers' names, and capitalised words used inside sentences
    of an English text, most frequent first) and numbers of a text.

    `speaker_names` maps 'en' and 'zh' to the speakers' names in that language.
    """
    text = "\n".join(paragraphs)
    words = Counter(
        w for w in _CAPITALISED.findall(text) if w not in _NOT_NAMES and not w.isupper()
    )
    places = Counter(_PLACE_BEFORE.findall(text))
    # a name recurs, or is a place ("in Naxos"); once-used capitals are often not names
    words = Counter({w: n for w, n in words.items() if n >= 2 or w in places})
    en_names = list(
        dict.fromkeys(
            [*speaker_names.get("en", ()), *(w for w, _ in words.most_common())]
        )
    )
    zh_terms = _zh_terms(text)
    # a false statement swaps only the speakers' names: the segmenter's persons
    # are too often common words (白领) to swap unread
    zh_names = list(dict.fromkeys(speaker_names.get("zh", ())))
    numbers = list(dict.fromkeys(m.group() for m in _NUMBER.finditer(text)))
    en_numbers = numbers + [w.lower() for w in _EN_WORD_NUMBER.findall(text)]
    speakers = set(speaker_names.get("en", ()))
    return Vocabulary(
        places=frozenset(
            w for w, n in places.items() if w not in speakers and n * 2 >= words[w]
        ),
        zh_terms=zh_terms,
        names={"en": tuple(en_names), "zh": tuple(zh_names)},
        numbers={
            "en": tuple(dict.fromkeys(n for n in en_numbers if not _is_zh_numeral(n))),
            "zh": tuple(numbers),
        },
    )


#: Chinese nouns too general to be an option: 大家, 时候
_ZH_GENERAL = frozenset(
    [
        "大家",
        "时候",
        "东西",
        "问题",
        "方面",
        "时间",
        "事情",
        "情况",
        "角度",
        "观点",
        "老师",
    ]
)
#: kinds whose words can stand in for each other as wrong options
_SWAPPABLE = ("person", "place", "organisation", "latin", "noun")


def _zh_terms(text: str) -> dict[str, tuple[str, ...]]:
    """The words of a Chinese text by kind, used at least twice (once-used words
    are as often the segmenter's slips), of two characters or more."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return {}
    counts: dict[str, Counter[str]] = {}
    for w in words(text, "zh"):
        if _swappable(w):
            counts.setdefault(w.kind, Counter())[w.text] += 1
    return {
        kind: tuple(t for t, n in c.most_common() if n >= 2)
        for kind, c in counts.items()
    }


def _swappable(w: Word) -> bool:
    if w.kind == "latin":  # a name or term, not "for" or "to" inside Chinese
        return len(w.text) >= 2 and w.text.lower() not in EN_STOP_WORDS
    return w.kind in _SWAPPABLE and len(w.text) >= 2 and w.text not in _ZH_GENERAL


def _is_zh_numeral(text: str) -> bool:
    return bool(re.fullmatch(r"[零一二两三四五六七八九十百千万亿]+", text))


def _numbers_in(statement: str, lang: str) -> list[str]:
    found = [m.group() for m in _NUMBER.finditer(statement)]
    if lang == "en":
        found = [n for n in found if not _is_zh_numeral(n)]
        found += [m.group() for m in _EN_WORD_NUMBER.finditer(statement)]
    return found


_ZH_DIGITS = "零一二三四五六七八九"


def _other_numbers(number: str, pool: Iterable[str]) -> list[str]:
    """Other numbers of the same kind: the text's own first (a percentage for a
    percentage), then the number doubled and halved."""
    percent = number.endswith("%")
    others = [
        n
        for n in pool
        if n.lower() != number.lower()
        and n.endswith("%") == percent
        and _is_zh_numeral(n) == _is_zh_numeral(number)
    ]
    digits = number.rstrip("%")
    if digits.isdigit():
        value = int(digits)
        suffix = "%" if percent else ""
        bigger = value + (100 - value) // 2 if percent and value < 100 else value * 2
        others += [f"{bigger}{suffix}", f"{max(1, value // 2)}{suffix}"]
    elif number in ("十", "二十", "五十", "一百"):
        others += [n for n in ("五", "二十", "五十", "一百") if n != number]
    elif len(number) == 1 and number in _ZH_DIGITS[1:]:
        value = _ZH_DIGITS.index(number)
        others += [_ZH_DIGITS[v] for v in (value + 1, value - 1) if 0 < v < 10]
    return list(dict.fromkeys(o for o in others if o and o != number))


def false_statements(statement: str, lang: str, vocab: Vocabulary) -> list[str]:
    """Drafts of `statement` with one thing changed: a number, a name, or a
    negation, in that order; at most MAX_DRAFTS, none equal to the statement."""
    statement = statement.strip()
    if not statement:
        return []
    out: list[str] = []
    for number in _numbers_in(statement, lang):
        for other in _other_numbers(number, vocab.numbers.get(lang, ()))[:1]:
            out.append(_replace_once(statement, number, other, lang))
    for name in vocab.names.get(lang, ()):
        if _contains(statement, name, lang):
            others = [
                n
                for n in vocab.same_kind(name, lang)
                if not _contains(statement, n, lang)
            ]
            for other in others[:1]:
                out.append(_replace_once(statement, name, other, lang))
    drafts = [d for d in dict.fromkeys(out) if d != statement][: MAX_DRAFTS - 1]
    negated = _negate(statement, lang)
    if negated and negated not in drafts:
        drafts.append(negated)
    return drafts


def wrong_options(
    answer: str, lang: str, vocab: Vocabulary, context: str = ""
) -> list[str]:
    """Wrong options of the answer's kind: other numbers of the text for a
    number, other names for a name; for a Chinese answer of another kind, the
    text's words of its last word's kind, those of `context` (the quoted
    paragraph) first; [] for anything else."""
    answer = answer.strip()
    if not answer:
        return []
    numbers = _numbers_in(answer, lang)
    if numbers:
        number = numbers[0]
        return [
            _replace_once(answer, number, other, lang)
            for other in _other_numbers(number, vocab.numbers.get(lang, ()))
        ][:MAX_DRAFTS]
    names = vocab.names.get(lang, ())
    for name in names:
        if _contains(answer, name, lang):
            return [
                _replace_once(answer, name, other, lang)
                for other in vocab.same_kind(name, lang)
            ][:MAX_DRAFTS]
    if lang == "zh":
        return _zh_same_kind(answer, vocab, context)
    return []


def _zh_same_kind(answer: str, vocab: Vocabulary, context: str) -> list[str]:
    """The answer with its last swappable word replaced by other words of that
    kind, the context's first, then the text's most used: 算力 -> 数据."""
    head = next((w for w in reversed(words(answer, "zh")) if _swappable(w)), None)
    if head is None:
        return []
    near = [
        w.text for w in words(context, "zh") if w.kind == head.kind and _swappable(w)
    ]
    pool = dict.fromkeys([*near, *vocab.zh_terms.get(head.kind, ())])
    others = [t for t in pool if t not in answer and head.text not in t]
    return [_replace_once(answer, head.text, o, "zh") for o in others][:MAX_DRAFTS]


#: at most this many words offered as a statement's cloze term
MAX_CLOZE_TERMS = 12


def cloze_terms(statement: str, lang: str, avoid: Iterable[str] = ()) -> list[str]:
    """Words of `statement` a cloze could blank (names, numbers, nouns; in
    English the less common words), each occurring once in it (a term that
    occurs twice would leave the answer visible), none in `avoid` (the
    speakers' names, which the question's lead shows)."""
    skip = {a for a in avoid if a}
    out = []
    for w in content_words(statement, lang):
        inside = any(w in a or a in w for a in skip)
        if not inside and _count(statement, w, lang) == 1:
            out.append(w)
    return out[:MAX_CLOZE_TERMS]


def _count(text: str, word: str, lang: str) -> int:
    if lang == "zh":
        return text.count(word)
    return len(re.findall(rf"\b{re.escape(word)}\b", text))


def _contains(text: str, word: str, lang: str) -> bool:
    if lang == "zh":
        return word in text
    return re.search(rf"\b{re.escape(word)}\b", text) is not None


def _replace_once(text: str, old: str, new: str, lang: str) -> str:
    if lang != "zh" and re.fullmatch(r"\w+", old):
        return re.sub(rf"\b{re.escape(old)}\b", new, text, count=1)
    return text.replace(old, new, 1)


def _negate(statement: str, lang: str) -> str | None:
    if lang == "zh":
        for old, new in _ZH_NEGATIONS:
            if old in statement:
                return statement.replace(old, new, 1)
        return None
    for pattern, replacement in _EN_NEGATIONS:
        found = list(re.finditer(pattern, statement))
        if found:  # the last one: the main verb more often than "What is ..."
            m = found[-1]
            changed = (
                statement[: m.start()] + m.expand(replacement) + statement[m.end() :]
            )
            return re.sub(r"\s{2,}", " ", changed)
    return None
