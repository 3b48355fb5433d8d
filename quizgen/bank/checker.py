"""The checker: collects every problem while a bank's YAML tree becomes dataclasses."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from typing import Any

from quizgen.bank.model import Text
from quizgen.bank.writing import Flaw, zh_typography_flaws
from quizgen.bank.yaml_tree import _List, _Map
from quizgen.errors import Problem
from quizgen.i18n import t
from quizgen.source import Source

#: what the checker may spend on "did you mean" and "nearest passage" hints, in
#: character comparisons (about a second); later problems get no such hint
HINT_WORK = 20_000_000
#: a "known: ..." hint names at most this many ids
MAX_LISTED = 20
LANGS = ("zh", "en")

_ID = re.compile(r"^[a-z][a-z0-9_-]*$")


class _Checker:
    """Collects problems while turning the YAML tree into dataclasses."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.hint_work = HINT_WORK
        self._sorted: dict[int, tuple[set[str], list[str], int]] = {}
        #: people a fact stem may name: speakers, aliases, people claims report
        self.names: set[str] = set()
        #: the languages the bank's learner-facing texts are written in
        self.languages: tuple[str, ...] = LANGS

    def afford(self, work: int) -> bool:
        """Whether a hint costing about `work` comparisons fits the budget left (spends it)."""
        if work > self.hint_work:
            return False
        self.hint_work -= work
        return True

    def sorted_ids(self, known: set[str]) -> tuple[list[str], int]:
        """`known` sorted, and its total length; worked out once per set."""
        hit = self._sorted.get(id(known))
        if hit is None or hit[0] is not known or len(hit[1]) != len(known):
            names = sorted(known)
            hit = (known, names, sum(len(n) for n in names))
            self._sorted[id(known)] = hit
        return hit[1], hit[2]

    def add(
        self,
        line: int,
        item: str,
        en: str,
        zh: str,
        hint_en: str = "",
        hint_zh: str = "",
    ) -> None:
        self.problems.append(
            Problem(
                file=self.file,
                line=line,
                item=item,
                message=t(en, zh),
                hint=t(hint_en, hint_zh),
            )
        )

    # -- generic shapes

    def mapping(
        self,
        value: Any,
        where: str,
        line: int,
        item: str,
        *,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> _Map | None:
        """Check that `value` is a mapping with the given keys; report unknown and missing ones."""
        if not isinstance(value, _Map):
            self.add(
                line,
                item,
                f"{where}: expected a mapping (key: value), got {_kind(value)}",
                f"{where}：应为映射（形如 key: value），实际是{_kind_zh(value)}",
            )
            return None
        if not item and isinstance(value.get("id"), str):
            item = value["id"]
        allowed = required + optional
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint_en = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else f"allowed keys: {', '.join(allowed)}."
                )
                hint_zh = (
                    f"是不是想写 '{close[0]}'？"
                    if close
                    else f"允许的键：{'、'.join(allowed)}。"
                )
                self.add(
                    value.lines[key],
                    item,
                    f"{where}: unknown key '{key}'",
                    f"{where}：未知的键 '{key}'",
                    hint_en,
                    hint_zh,
                )
        for key in required:
            if key not in value or value[key] is None:
                self.add(
                    value.lines.get(key, line),
                    item,
                    f"{where}: missing '{key}'",
                    f"{where}：缺少 '{key}'",
                )
        return value

    def line_of(self, m: _Map, key: str) -> int:
        return m.lines.get(key, m.line)

    def string(
        self, m: _Map, key: str, where: str, item: str, *, required: bool = True
    ) -> str:
        value = m.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(
                self.line_of(m, key),
                item,
                f"{where}.{key}: expected text, got {_kind(value)}",
                f"{where}.{key}：应为文字，实际是{_kind_zh(value)}",
                "put the text in quotes.",
                "请给文字加引号。",
            )
            return ""
        text = str(value).strip()
        if required and not text:
            self.add(
                self.line_of(m, key),
                item,
                f"{where}.{key}: is empty",
                f"{where}.{key}：为空",
            )
        return text

    def ident(self, m: _Map, key: str, where: str, item: str) -> str:
        value = self.string(m, key, where, item)
        if value and not _ID.match(value):
            self.add(
                self.line_of(m, key),
                item,
                f"{where}.{key}: '{value}' is not a valid id",
                f"{where}.{key}：'{value}' 不是有效的 id",
                "use lower-case letters, digits, '-' and '_', starting with a letter.",
                "只用小写字母、数字、'-' 和 '_'，以字母开头。",
            )
        return value

    def text(
        self, m: _Map, key: str, where: str, item: str, *, required: bool = True
    ) -> Text | None:
        """A {zh, en} pair; both required. A bank in one language gives that
        language's text alone (a plain string, or a one-key mapping), and the
        Text holds it in both places."""
        if key not in m or m[key] is None:
            return None
        return self._pair(
            self.as_pair(m[key], self.line_of(m, key)),
            f"{where}.{key}",
            self.line_of(m, key),
            item,
        )

    def as_pair(self, value: Any, line: int) -> Any:
        """`value`, a plain string made a mapping of the bank's one language."""
        if (
            isinstance(value, str | int | float)
            and not isinstance(value, bool)
            and len(self.languages) == 1
        ):
            pair = _Map({self.languages[0]: str(value)})
            pair.line = line
            pair.lines = {self.languages[0]: line}
            return pair
        return value

    def _pair(self, value: Any, where: str, line: int, item: str) -> Text | None:
        if isinstance(value, str) and len(self.languages) > 1:
            self.add(
                line,
                item,
                f"{where}: expected {{zh: ..., en: ...}}, got the text {value!r}",
                f"{where}：应为 {{zh: ..., en: ...}}，实际是文字 {value!r}",
                "give the text in both languages, or declare the bank's one "
                "language at the top: `languages: [en]`.",
                "请用两种语言写出，或在题库开头声明唯一的语言：`languages: [zh]`。",
            )
            return None
        pair = self.mapping(value, where, line, item, required=self.languages)
        if pair is None:
            return None
        texts = {lang: self.string(pair, lang, where, item) for lang in self.languages}
        one = texts[self.languages[0]]
        return Text(zh=texts.get("zh", one), en=texts.get("en", one))

    def flaws(
        self,
        m: _Map,
        key: str,
        where: str,
        item: str,
        check: Callable[[str, str], list[Flaw]],
    ) -> None:
        """Report what `check(text, lang)` finds in the {zh, en} pair at m[key]."""
        pair = self.as_pair(m.get(key), self.line_of(m, key))
        if not isinstance(pair, _Map):
            return
        for lang in self.languages:
            text = pair.get(lang)
            if not isinstance(text, str):
                continue
            for flaw in check(text, lang):
                self.add(
                    pair.lines.get(lang, pair.line),
                    item,
                    f"{where}.{key}.{lang}: {flaw.en}",
                    f"{where}.{key}.{lang}：{flaw.zh}",
                    flaw.hint_en,
                    flaw.hint_zh,
                )

    def typography(self, m: _Map, key: str, where: str, item: str) -> None:
        """Report half-width marks next to Latin words in the Chinese text at m[key]
        (a {zh, en} pair, or a list of them)."""
        value = m.get(key)
        pairs = (
            [(f"{where}.{key}[{i}]", v) for i, v in enumerate(value)]
            if isinstance(value, _List)
            else [(f"{where}.{key}", value)]
        )
        pairs = [(at, self.as_pair(v, self.line_of(m, key))) for at, v in pairs]
        for at, pair in pairs:
            if isinstance(pair, _Map) and isinstance(pair.get("zh"), str):
                for flaw in zh_typography_flaws(pair["zh"]):
                    self.add(
                        pair.lines.get("zh", pair.line),
                        item,
                        f"{at}.zh: {flaw.en}",
                        f"{at}.zh：{flaw.zh}",
                        flaw.hint_en,
                        flaw.hint_zh,
                    )

    def text_list(
        self, m: _Map, key: str, where: str, item: str
    ) -> list[tuple[int, Text]]:
        out = []
        for i, line, value in self.items(m, key, where, item):
            text = self._pair(
                self.as_pair(value, line), f"{where}.{key}[{i}]", line, item
            )
            if text is not None:
                out.append((line, text))
        return out

    def items(
        self, m: _Map, key: str, where: str, item: str
    ) -> Iterator[tuple[int, int, Any]]:
        """(index, line, value) for each element of the list at m[key]."""
        value = m.get(key)
        if value is None:
            return
        if not isinstance(value, _List):
            self.add(
                self.line_of(m, key),
                item,
                f"{where}.{key}: expected a list, got {_kind(value)}",
                f"{where}.{key}：应为列表，实际是{_kind_zh(value)}",
            )
            return
        for i, element in enumerate(value):
            yield i, value.lines[i], element

    def words(self, m: _Map, key: str, where: str, item: str) -> tuple[str, ...]:
        out = []
        for i, line, value in self.items(m, key, where, item):
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                self.add(
                    line,
                    item,
                    f"{where}.{key}[{i}]: expected text, got {_kind(value)}",
                    f"{where}.{key}[{i}]：应为文字，实际是{_kind_zh(value)}",
                )
            else:
                out.append(str(value).strip())
        return tuple(out)

    def choice(
        self,
        m: _Map,
        key: str,
        where: str,
        item: str,
        allowed: tuple[str, ...],
        default: str,
    ) -> str:
        value = m.get(key)
        if value is None:
            return default
        if value not in allowed:
            self.add(
                self.line_of(m, key),
                item,
                f"{where}.{key}: '{value}' is not one of {', '.join(allowed)}",
                f"{where}.{key}：'{value}' 不是 {'、'.join(allowed)} 之一",
            )
            return default
        return str(value)

    def unique(self, seen: dict[str, int], value: str, line: int, what: str) -> None:
        if not value:
            return
        if value in seen:
            self.add(
                line,
                value,
                f"duplicate {what} id '{value}' (first on line {seen[value]})",
                f"{what} id '{value}' 重复（第一次在第 {seen[value]} 行）",
                "every id must be unique.",
                "每个 id 必须唯一。",
            )
        else:
            seen[value] = line


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, _Map):
        return "a mapping"
    if isinstance(value, _List):
        return "a list"
    if isinstance(value, bool):
        return f"true/false ({value!r})"
    return f"{type(value).__name__} {value!r}"


def _kind_zh(value: Any) -> str:
    if value is None:
        return "空"
    if isinstance(value, _Map):
        return "映射"
    if isinstance(value, _List):
        return "列表"
    if isinstance(value, bool):
        return f"布尔值（{value!r}）"
    return f"{value!r}"


def _unknown(
    c: _Checker,
    line: int,
    item: str,
    where: str,
    what: str,
    value: str,
    known: set[str],
) -> None:
    names, total = c.sorted_ids(known)
    work = len(value) * total + len(names)
    close = difflib.get_close_matches(value, names, n=1) if c.afford(work) else []
    listed = names[:MAX_LISTED] + (["…"] if len(names) > MAX_LISTED else [])
    c.add(
        line,
        item,
        f"{where}: unknown {what} '{value}'",
        f"{where}：未知的{ {'speaker': '发言人', 'topic': '主题', 'claim': '论断'}.get(what, what) } '{value}'",
        f"did you mean '{close[0]}'?"
        if close
        else f"known: {', '.join(listed) or 'none'}.",
        f"是不是想写 '{close[0]}'？"
        if close
        else f"已有：{'、'.join(listed) or '无'}。",
    )


def _not_found(
    c: _Checker, line: int, item: str, where: str, source: Source, quote: str
) -> None:
    start = source.spanning(quote)
    if start is not None:
        c.add(
            line,
            item,
            f"{where}.quote: runs across paragraphs {start} and {start + 1}",
            f"{where}.quote：跨越了第 {start} 段和第 {start + 1} 段",
            "a quote lies inside one paragraph: quote the part in one of them.",
            "引文必须在同一段之内：只引其中一段的文字。",
        )
        return
    work = source.search_work(quote)
    near = source.nearest(quote) if c.afford(work) else None
    if near is not None and near.ratio >= 0.4:
        hint_en = (
            f"the nearest passage is in paragraph {near.paragraph}: '{near.passage}'"
        )
        hint_zh = f"最接近的是第 {near.paragraph} 段：'{near.passage}'"
        if near.differences:
            hint_en += "; it differs at " + ", ".join(
                f"'{mine or '…'}' (the text: '{theirs or '…'}')"
                for mine, theirs in near.differences
            )
            hint_zh += "；不同之处：" + "、".join(
                f"'{mine or '…'}'（原文：'{theirs or '…'}'）"
                for mine, theirs in near.differences
            )
    else:
        hint_en = hint_zh = ""
    c.add(
        line,
        item,
        f"{where}.quote: not found in the source",
        f"{where}.quote：在原文中找不到",
        hint_en,
        hint_zh,
    )
