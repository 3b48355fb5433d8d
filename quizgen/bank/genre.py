"""What a source is: its language (a BCP 47 tag) and its genre, and the words,
quote marks and `lang` attributes that follow from them.

A bank declares both under `source` (`language: en`, `genre: dialogue`); both
are optional, and a bank without them is a Chinese panel, as the first banks
were. Every question template, exporter and web page asks this module rather
than assuming Chinese marks or the word "panel".
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = [
    "DEFAULT_GENRE",
    "DEFAULT_LANGUAGE",
    "Genre",
    "genre_words",
    "html_lang",
    "is_cjk",
    "quote_marks",
    "valid_language",
]


class Genre(StrEnum):
    PANEL = "panel"
    INTERVIEW = "interview"
    DIALOGUE = "dialogue"
    LECTURE = "lecture"
    ARTICLE = "article"
    STORY = "story"


DEFAULT_LANGUAGE = "zh"
DEFAULT_GENRE = Genre.PANEL

#: a BCP 47 tag's shape: a 2-3 letter language (or a 4-8 letter registered
#: one), then subtags of 1-8 letters or digits (script, region, variant)
_TAG = re.compile(r"^(?:[a-z]{2,3}|[a-z]{4,8})(?:-[a-z0-9]{1,8})*$", re.IGNORECASE)

#: languages whose own quote marks are corner brackets
_CORNER = {"zh", "lzh", "yue", "wuu", "hak", "nan", "cmn", "ja"}
#: languages written in Chinese characters, kana or hangul (CJK fonts)
_CJK = _CORNER | {"ko"}
#: other languages' own quote marks (the rest take English “ ”)
_MARKS = {
    "de": ("„", "“"),
    "fr": ("« ", " »"),
    "ru": ("«", "»"),
    "es": ("«", "»"),
    "it": ("«", "»"),
    "pl": ("„", "”"),
}


def valid_language(tag: str) -> bool:
    """Whether `tag` has the shape of a BCP 47 language tag (en, zh-Hant, lzh)."""
    return bool(_TAG.match(tag))


def _primary(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


def is_cjk(language: str) -> bool:
    """Whether text in `language` is set in a Chinese, Japanese or Korean font."""
    return _primary(language) in _CJK


def quote_marks(language: str) -> tuple[str, str]:
    """The opening and closing marks a quote in `language` keeps wherever it
    is shown: 「」 for Chinese (and classical Chinese, Japanese), “ ” for
    English and by default."""
    primary = _primary(language)
    if primary in _CORNER:
        return "「", "」"
    return _MARKS.get(primary, ("\u201c", "\u201d"))


def html_lang(language: str) -> str:
    """The `lang` attribute for text in `language`: plain Chinese becomes
    zh-Hans, so that iOS and macOS pick Chinese rather than Japanese forms."""
    if language.lower() in ("zh", "cmn"):
        return "zh-Hans"
    return language


#: per genre, the occasion's word (zh, en), as in "in this panel"
_OCCASION = {
    Genre.PANEL: ("对谈", "panel"),
    Genre.INTERVIEW: ("访谈", "interview"),
    Genre.DIALOGUE: ("对话", "dialogue"),
    Genre.LECTURE: ("讲座", "lecture"),
    Genre.ARTICLE: ("文章", "article"),
    Genre.STORY: ("故事", "story"),
}
#: per genre, "this panel" in Chinese, with the occasion's measure word
_THIS = {
    Genre.PANEL: "这场对谈",
    Genre.INTERVIEW: "这次访谈",
    Genre.DIALOGUE: "这段对话",
    Genre.LECTURE: "这场讲座",
    Genre.ARTICLE: "这篇文章",
    Genre.STORY: "这个故事",
}
#: per genre, the verb that leads a speaker's statement (zh, en): a panelist
#: holds a view (认为); a speaker in a dialogue or story says, a writer writes
_VERB = {
    Genre.PANEL: ("认为", "says"),
    Genre.INTERVIEW: ("认为", "says"),
    Genre.DIALOGUE: ("说", "says"),
    Genre.LECTURE: ("讲到", "says"),
    Genre.ARTICLE: ("写道", "writes"),
    Genre.STORY: ("说", "says"),
}
#: per genre, what the text is (zh, en): a panel's text is a transcript
_RECORD = {
    Genre.PANEL: ("实录", "transcript"),
    Genre.INTERVIEW: ("实录", "transcript"),
    Genre.DIALOGUE: ("原文", "text"),
    Genre.LECTURE: ("实录", "transcript"),
    Genre.ARTICLE: ("原文", "text"),
    Genre.STORY: ("原文", "text"),
}


def genre_words(genre: str, lang: str) -> dict[str, str]:
    """The words the question templates take from the genre, in `lang`:
    `occasion` as in "Someone in the panel", `this_occasion` as in "In the
    panel", `verb` as in "X says:", and `record` as in "in the transcript"."""
    g = Genre(genre)
    i = 0 if lang == "zh" else 1
    return {
        "occasion": _OCCASION[g][i],
        "this_occasion": _THIS[g] if lang == "zh" else f"the {_OCCASION[g][1]}",
        "verb": _VERB[g][i],
        "record": _RECORD[g][i],
    }
