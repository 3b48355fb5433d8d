"""Words of a text and their kind, for drafting: a cloze term to click, wrong
options of the same kind as an answer.

Chinese is written without spaces, so its words come from a segmenter:
rjieba, the Python binding of jieba-rs (a Rust port of jieba, the segmenter
most Chinese NLP work starts from). It ships jieba's dictionary and
part-of-speech tags in a wheel for every platform a teacher's laptop runs,
needs no model download and is maintained; the original jieba package's last
release is from 2020. English words are split on letters and digits.

A word's kind is coarse on purpose: person, place, organisation, number,
Latin (a Latin-script name or term inside Chinese text), noun, verb, other.
The tags are a dictionary's guesses (谷歌 comes out as a person), so drafts
built on them are suggestions a teacher reads, never written unread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["EN_STOP_WORDS", "Word", "content_words", "words"]

#: jieba part-of-speech tag prefixes -> our kinds (first match wins)
_KINDS = (
    ("nr", "person"),
    ("ns", "place"),
    ("nt", "organisation"),
    ("eng", "latin"),
    ("m", "number"),
    ("n", "noun"),  # n, nz, ng, ...
    ("vn", "noun"),  # a verb used as a noun: 研究, 发展
    ("l", "noun"),  # set phrases: 人才培养
    ("i", "noun"),  # idioms, and words such as 颠覆性
    ("v", "verb"),
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?%?")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|\d+(?:[.,]\d+)?%?")
#: English words too common to be a cloze term or an option's kind
EN_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "then",
        "than",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "not",
        "no",
        "nor",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "without",
        "about",
        "into",
        "onto",
        "over",
        "under",
        "as",
        "it",
        "its",
        "it's",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "me",
        "him",
        "her",
        "them",
        "us",
        "my",
        "your",
        "his",
        "their",
        "our",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "some",
        "many",
        "much",
        "more",
        "most",
        "very",
        "so",
        "such",
        "can",
        "could",
        "will",
        "would",
        "should",
        "must",
        "may",
        "might",
        "shall",
        "also",
        "only",
        "just",
        "even",
        "too",
        "own",
        "same",
        "other",
        "each",
        "every",
        "both",
        "either",
        "neither",
        "one",
    ]
)


@dataclass(frozen=True)
class Word:
    """A word of a text and its kind (see the module's docstring)."""

    text: str
    kind: str


def words(text: str, lang: str) -> tuple[Word, ...]:
    """The words of `text` in order, punctuation and spaces left out."""
    if lang == "zh":
        return _zh_words(text)
    out = []
    for m in _EN_WORD.finditer(text):
        w = m.group()
        kind = "number" if _NUMBER.fullmatch(w) else "other"
        if kind == "other" and w[0].isupper() and m.start() > 0:
            kind = "name"
        out.append(Word(w, kind))
    return tuple(out)


@lru_cache(maxsize=64)
def _zh_words(text: str) -> tuple[Word, ...]:
    import rjieba  # imported here: only drafting Chinese needs it

    out = []
    for token, tag in rjieba.tag(text):
        token = token.strip()
        if not token or not any(ch.isalnum() for ch in token):
            continue
        kind = "number" if _NUMBER.fullmatch(token) else _kind(tag)
        out.append(Word(token, kind))
    return tuple(out)


def _kind(tag: str) -> str:
    for prefix, kind in _KINDS:
        if tag.startswith(prefix):
            return kind
    return "other"


_ZH_CONTENT = frozenset(["person", "place", "organisation", "latin", "number", "noun"])


def content_words(text: str, lang: str) -> list[str]:
    """The words of `text` a cloze could blank, in order, each once: in Chinese
    the names, numbers and nouns of two or more characters (and Latin terms);
    in English the words that are not among the most common ones."""
    found: list[str] = []
    for w in words(text, lang):
        if lang == "zh":
            keep = w.kind in _ZH_CONTENT and (len(w.text) >= 2 or w.kind == "number")
        else:
            keep = w.kind in ("number", "name") or (
                w.text.lower() not in EN_STOP_WORDS and len(w.text) >= 3
            )
        if keep and w.text not in found:
            found.append(w.text)
    return found
