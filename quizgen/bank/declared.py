"""Checking what a bank declares about itself: the languages its learner-facing
texts are written in (`languages`), and its source's language and genre
(`source.language`, `source.genre`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quizgen.bank.genre import (
    DEFAULT_GENRE,
    DEFAULT_LANGUAGE,
    Genre,
    valid_language,
)
from quizgen.bank.yaml_tree import _List, _Map

if TYPE_CHECKING:
    from quizgen.bank.checker import _Checker

#: the languages quizgen writes questions in
LEARNER_LANGS = ("zh", "en")


def check_languages(c: _Checker, top: _Map) -> tuple[str, ...]:
    """The bank's `languages` (default zh and en), each one quizgen writes
    questions in, none twice; problems go to `c`."""
    value = top.get("languages")
    if value is None:
        return LEARNER_LANGS
    line = c.line_of(top, "languages")
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | _List) or not value:
        c.add(
            line,
            "",
            "languages: expected a list of languages, such as [en] or [zh, en]",
            "languages：应为语言列表，如 [en] 或 [zh, en]",
        )
        return LEARNER_LANGS
    out: list[str] = []
    for lang in value:
        if lang not in LEARNER_LANGS:
            c.add(
                line,
                "",
                f"languages: '{lang}' is not a language quizgen writes questions in",
                f"languages：quizgen 不能用 '{lang}' 出题",
                "use zh, en or both; the source's own language goes in source.language.",
                "只能写 zh、en 或两者；原文的语言写在 source.language。",
            )
        elif lang in out:
            c.add(
                line,
                "",
                f"languages: '{lang}' is listed twice",
                f"languages：'{lang}' 列出了两次",
            )
        else:
            out.append(str(lang))
    return tuple(out) or LEARNER_LANGS


def check_source_kind(c: _Checker, m: _Map) -> tuple[str, Genre]:
    """`source.language` (a BCP 47 tag, default zh) and `source.genre` (default
    panel); problems go to `c`."""
    language = DEFAULT_LANGUAGE
    raw: Any = m.get("language")
    if raw is not None:
        line = c.line_of(m, "language")
        if not isinstance(raw, str) or not valid_language(raw.strip()):
            c.add(
                line,
                "",
                f"source.language: {raw!r} is not a language tag",
                f"source.language：{raw!r} 不是语言代码",
                "use a BCP 47 tag: zh (Chinese), lzh (classical Chinese), en, "
                "de, fr, ja ...",
                "请用 BCP 47 语言代码：zh（中文）、lzh（文言文）、en（英文）、"
                "de、fr、ja 等。",
            )
        else:
            language = raw.strip()
    genre = c.choice(m, "genre", "source", "", tuple(Genre), str(DEFAULT_GENRE))
    return language, Genre(genre)
