"""Read a source text into numbered paragraphs with their speaker labels.

A source is published text, one paragraph a line. Paragraph numbers count the
non-empty lines from 1. A paragraph that starts with a speaker's name or alias
and a colon (`:` or `：`) is labelled with that speaker, whatever the case or
width of the label; the names come from the bank, nothing here knows who spoke.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

_SPACE = re.compile(r"\s+")


def compact(text: str) -> str:
    """`text` without any whitespace: quotes match whatever the spacing."""
    return _SPACE.sub("", text)


@dataclass(frozen=True, kw_only=True)
class Paragraph:
    """One paragraph of a source.

    `label` is the speaker id of the label it starts with (None if unlabelled),
    `turn` the speaker id of the last labelled paragraph up to and including
    this one, `boilerplate` whether it lies outside the real text.
    """

    number: int
    line: int
    text: str
    label: str | None
    label_text: str | None
    turn: str | None
    boilerplate: bool

    @property
    def body(self) -> str:
        """The text after the speaker label, if any."""
        if self.label_text is None:
            return self.text
        return self.text[len(self.label_text) :].lstrip().lstrip(":：").strip()


#: typographic quote marks a pasted quote may carry where the text has plain ones
_QUOTE_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)


@functools.cache
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return ""
    folded = unicodedata.normalize("NFKC", ch).translate(_QUOTE_MARKS).casefold()
    return "".join(x for x in folded if not x.isspace())


def fold(text: str) -> str:
    """`text` as quotes are matched: no whitespace, NFKC (width), typographic
    quote marks as plain ones, case folded. "It’s" finds "it's"; 。 and ， stay
    different marks."""
    return "".join(_fold_char(ch) for ch in text)


def _folded_with_index(text: str) -> tuple[str, tuple[int, ...]]:
    """`fold(text)` and, for each of its characters, the index in `text` it came from."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for x in _fold_char(ch):
            chars.append(x)
            index.append(i)
    return "".join(chars), tuple(index)


@dataclass(frozen=True, kw_only=True)
class Match:
    """Where a quote best matches: paragraph number, the passage as the text
    writes it, similarity 0-1, and the pieces that differ (the quote's, the
    text's), at most three."""

    paragraph: int
    passage: str
    ratio: float
    differences: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, kw_only=True)
class Source:
    """A source text read into paragraphs."""

    path: str
    paragraphs: tuple[Paragraph, ...]
    _folded: tuple[tuple[str, tuple[int, ...]], ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_folded", tuple(_folded_with_index(p.text) for p in self.paragraphs)
        )

    @property
    def _compact(self) -> tuple[str, ...]:
        return tuple(hay for hay, _ in self._folded)

    @cached_property
    def _counts(self) -> tuple[Counter[str], int, list[int], list[int]]:
        """Each character's count, the length, the paragraphs' lengths sorted and summed."""
        lengths = sorted(len(hay) for hay in self._compact)
        return (
            Counter("".join(self._compact)),
            sum(lengths),
            lengths,
            list(itertools.accumulate(lengths, initial=0)),
        )

    def search_work(self, quote: str) -> int:
        """About how many steps `nearest(quote)` takes at most: reading the text, each
        of the quote's characters where the text holds it, and comparing the quote
        with a passage as long as itself in every paragraph."""
        counts, size, lengths, sums = self._counts
        n = len(fold(quote))
        shorter = bisect.bisect_left(lengths, n)  # paragraphs shorter than the quote
        passages = sums[shorter] + n * (len(lengths) - shorter)
        return 2 * (size + sum(counts[ch] for ch in fold(quote))) + n * passages

    def paragraph(self, number: int) -> Paragraph:
        """The paragraph with this number (1-based). Raises IndexError if none."""
        if not 1 <= number <= len(self.paragraphs):
            raise IndexError(
                f"no paragraph {number} (there are {len(self.paragraphs)})"
            )
        return self.paragraphs[number - 1]

    def locate(self, quote: str) -> list[int]:
        """Numbers of the paragraphs that contain `quote`, matched as `fold` says
        (whitespace, width, typographic quote marks and case aside)."""
        needle = fold(quote)
        if not needle:
            return []
        return [i + 1 for i, (hay, _) in enumerate(self._folded) if needle in hay]

    def exact(self, quote: str, paragraph: int) -> str:
        """The words of paragraph `paragraph` that `quote` matches, as the text
        writes them (its own spacing, marks and case). Raises ValueError when
        the paragraph does not contain the quote."""
        hay, index = self._folded[paragraph - 1]
        needle = fold(quote)
        text = self.paragraphs[paragraph - 1].text
        found: list[str] = []
        at = hay.find(needle) if needle else -1
        while at >= 0:
            words = text[index[at] : index[at + len(needle) - 1] + 1]
            if compact(words) == compact(quote):
                return words  # the very words, where the tolerant match is wider
            found.append(words)
            at = hay.find(needle, at + 1)
        if not found:
            raise ValueError(f"paragraph {paragraph} does not contain {quote!r}")
        return found[0]

    def spanning(self, quote: str) -> int | None:
        """The number of the paragraph where `quote` starts when it runs on into
        the next one (and lies in neither alone), else None."""
        needle = fold(quote)
        if not needle:
            return None
        for i in range(len(self._folded) - 1):
            first, second = self._folded[i][0], self._folded[i + 1][0]
            joined = first[-len(needle) :] + second[: len(needle)]
            if needle in joined and needle not in first and needle not in second:
                return i + 1
        return None

    def nearest(self, quote: str) -> Match | None:
        """The passage most like `quote`, to show when the quote is not found."""
        needle = fold(quote)
        if not needle:
            return None
        best: tuple[float, int, int] | None = None  # ratio, paragraph index, start
        for i, (hay, _) in enumerate(self._folded):
            sm = difflib.SequenceMatcher(None, needle, hay, autojunk=False)
            m = sm.find_longest_match(0, len(needle), 0, len(hay))
            if m.size == 0:
                continue
            start = max(0, m.b - m.a)
            passage = hay[start : start + len(needle)]
            ratio = difflib.SequenceMatcher(
                None, needle, passage, autojunk=False
            ).ratio()
            if best is None or ratio > best[0]:
                best = (ratio, i, start)
        if best is None:
            return None
        ratio, i, start = best
        hay, index = self._folded[i]
        end = min(len(hay), start + len(needle))
        text = self.paragraphs[i].text
        passage = text[index[start] : index[end - 1] + 1]
        return Match(
            paragraph=i + 1,
            passage=passage,
            ratio=ratio,
            differences=_differences(quote, passage),
        )


#: a word of a Latin-script text, or any other single character (a Chinese one)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\S", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _tokens(text: str) -> list[str]:
    """Words for Latin-script text, characters for Chinese: the units a
    difference is shown in."""
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        out.extend(word if _CJK.search(word) else [word])
    return out


def _joined(tokens: list[str]) -> str:
    text = ""
    for tok in tokens:
        if text and text[-1].isalnum() and tok[0].isalnum() and not _CJK.match(tok):
            text += " "
        text += tok
    return text


def _differences(quote: str, passage: str) -> tuple[tuple[str, str], ...]:
    """Up to three pieces where `quote` and `passage` differ, beyond whitespace,
    each as (the quote's words, the text's words)."""
    a, b = _tokens(quote), _tokens(passage)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out = [
        (_joined(a[i1:i2]), _joined(b[j1:j2]))
        for op, i1, i2, j1, j2 in sm.get_opcodes()
        if op != "equal"
    ]
    return tuple(out[:3])


def label_key(text: str) -> str:
    """A label as it is compared: NFKC (full-width letters and colons become
    plain) and case-folded, so `SOCRATES:`, `Socrates：` and `ＳＯＣＲＡＴＥＳ:`
    are one label."""
    return unicodedata.normalize("NFKC", text).casefold()


def label_pattern(names: Mapping[str, str]) -> re.Pattern[str] | None:
    """A regex matching `<name>:` at the start of a paragraph's `label_key`
    form, for every name or alias.

    `names` maps each name or alias to its speaker id. Longer names win, so
    that `薛澜教授` is not read as `薛澜`.
    """
    if not names:
        return None
    keys = sorted({label_key(n) for n in names}, key=len, reverse=True)
    alts = "|".join(re.escape(k) for k in keys)
    return re.compile(rf"^({alts})\s*:")


def _match_label(
    pattern: re.Pattern[str], by_key: Mapping[str, str], para: str
) -> tuple[str, str] | None:
    """The speaker id and the label as written, when `para` starts with a label."""
    head = para[:64]
    folded = [label_key(ch) for ch in head]
    m = pattern.match("".join(folded))
    if m is None:
        return None
    # the characters of `head` whose folded forms make up the label
    used, end = 0, 0
    while used < len(m.group(1)):
        used += len(folded[end])
        end += 1
    return by_key[m.group(1)], head[:end]


def parse_source(
    text: str,
    *,
    path: str = "<source>",
    names: Mapping[str, str] | None = None,
    body_start: str | None = None,
    body_end: str | None = None,
) -> Source:
    """Read `text` into a Source.

    `names` maps speaker names and aliases to speaker ids. Paragraphs before the
    one containing `body_start` and after the one containing `body_end` are
    boilerplate; so is a short line with no sentence in it (``CONTACT US``).
    """
    pattern = label_pattern(names or {})
    by_key = {label_key(n): sid for n, sid in (names or {}).items()}
    raw = [(i + 1, line.strip()) for i, line in enumerate(text.splitlines())]
    raw = [(n, s) for n, s in raw if s]
    start_at = _find(raw, body_start, default=0)
    end_at = _find(raw, body_end, default=len(raw) - 1)
    paragraphs = []
    turn = None
    for index, (line, para) in enumerate(raw):
        label = label_text = None
        if pattern is not None and (found := _match_label(pattern, by_key, para)):
            label, label_text = found
            turn = label
        outside = index < start_at or index > end_at
        paragraphs.append(
            Paragraph(
                number=index + 1,
                line=line,
                text=para,
                label=label,
                label_text=label_text,
                turn=turn,
                boilerplate=outside or _looks_like_boilerplate(para),
            )
        )
    return Source(path=path, paragraphs=tuple(paragraphs))


def read_source(path: str | Path, **kwargs: object) -> Source:
    """Read the file at `path` (UTF-8) into a Source; see parse_source.

    Raises OSError if it cannot be read and UnicodeDecodeError if it is not UTF-8.
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    return parse_source(text, path=str(path), **kwargs)  # type: ignore[arg-type]


#: six Chinese characters in a row, or sentence punctuation (ASCII, or 。！？，)
_SENTENCE = re.compile(r"[\u4e00-\u9fff]{6,}|[.!?,\u3002\uff01\uff1f\uff0c]")


def _looks_like_boilerplate(para: str) -> bool:
    return len(para) < 25 and not _SENTENCE.search(para)


def _find(raw: list[tuple[int, str]], marker: str | None, *, default: int) -> int:
    if not marker:
        return default
    needle = compact(marker)
    for index, (_, para) in enumerate(raw):
        if needle in compact(para):
            return index
    return default
