"""Reading a bank's YAML safely, keeping the line of every mapping, key and item.

Plain YAML types only, no anchors or aliases, bounded nesting, no control
characters in texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import yaml

from quizgen.errors import BankError, Problem
from quizgen.i18n import t

MAX_DEPTH = 40


class _PlainQuestionMarks(yaml.SafeLoader):
    """PyYAML's pure-Python loader, reading plain texts as libyaml does.

    PyYAML's scanner ends a plain text in a flow mapping at `?`, so
    `{en: what?, zh: ...}` is a syntax error there and fine under libyaml:
    the same bank was valid on one machine and not on another. The scanner
    below is PyYAML's `scan_plain` with that one restriction lifted (`?` is
    an indicator only where a token starts, as the YAML spec has it).
    """

    def scan_plain(self) -> yaml.ScalarToken:  # type: ignore[override]
        chunks: list[str] = []
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        spaces: list[str] = []
        ends = "\0 \t\r\n\x85\u2028\u2029"
        while True:
            length = 0
            if self.peek() == "#":
                break
            while True:
                ch = self.peek(length)
                if (
                    ch in ends
                    or (
                        ch == ":"
                        and self.peek(length + 1)
                        in ends + (",[]{}" if self.flow_level else "")
                    )
                    or (self.flow_level and ch in ",[]{}")
                ):
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces)
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark)
            if (
                not spaces
                or self.peek() == "#"
                or (not self.flow_level and self.column < indent)
            ):
                break
        return yaml.ScalarToken("".join(chunks), True, start_mark, end_mark)


#: the YAML loaders a bank may be read with; libyaml's C parser when PyYAML
#: was built with it (several times faster), else the pure-Python one. A test
#: reads every bundled bank and tricky texts with both and gets the same.
YAML_BUILDS: dict[str, type] = {"python": _PlainQuestionMarks}
if getattr(yaml, "CSafeLoader", None) is not None:
    YAML_BUILDS["libyaml"] = yaml.CSafeLoader


class _Map(dict):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 0
    lines: dict[str, int]


class _List(list):
    line: int = 0
    lines: list[int]


class _AliasUsed(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _ControlChar(Exception):
    def __init__(self, line: int, char: str) -> None:
        self.line, self.char = line, char


#: characters no text may hold: controls other than tab and line breaks (a
#: double-quoted YAML text can write them as escapes; XML and Word refuse them)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first: int) -> None:
        self.key, self.line, self.first = key, line, first


def _construct_map(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Iterator[_Map]:
    data = _Map()
    data.line = node.start_mark.line + 1
    data.lines = {}
    yield data
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _AliasUsed(key_node.start_mark.line + 1)
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        line = key_node.start_mark.line + 1
        if key in data:
            raise _DuplicateKey(key, line, data.lines[key])
        data[key] = loader.construct_object(value_node, deep=True)
        data.lines[key] = line


def _construct_seq(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> Iterator[_List]:
    data = _List()
    data.line = node.start_mark.line + 1
    data.lines = []
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.lines.append(item.start_mark.line + 1)


def _tree_loader(base: type) -> type:
    """A safe loader on `base` that keeps line numbers and refuses anchors and aliases."""

    class Loader(base):  # type: ignore[misc,valid-type]
        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            # a node met a second time is an alias (of a text as much as of a list)
            if node in self.constructed_objects:
                raise _AliasUsed(node.start_mark.line + 1)
            return super().construct_object(node, deep=deep)

    Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
    return Loader


#: the loader banks are read with, and the one for each YAML build
TREE_LOADERS = {name: _tree_loader(base) for name, base in YAML_BUILDS.items()}
_Loader = TREE_LOADERS.get("libyaml", TREE_LOADERS["python"])


def _check_tree(value: Any, depth: int, seen: set[int], line: int) -> None:
    """Refuse aliases (a container met twice), nesting deeper than MAX_DEPTH and
    control characters in texts."""
    if isinstance(value, str):
        bad = _CONTROL.search(value)
        if bad:
            raise _ControlChar(line, bad.group())
    elif isinstance(value, _Map | _List):
        if id(value) in seen:
            raise _AliasUsed(value.line)
        seen.add(id(value))
        if depth > MAX_DEPTH:
            raise RecursionError
        if isinstance(value, _Map):
            for key, child in value.items():
                at = value.lines.get(key, value.line)
                _check_tree(key, depth + 1, seen, at)
                _check_tree(child, depth + 1, seen, at)
        else:
            for at, child in zip(value.lines, value, strict=True):
                _check_tree(child, depth + 1, seen, at)


def _too_deep(fail: Callable[..., BankError]) -> BankError:
    return fail(
        1,
        f"the file is nested too deeply (more than {MAX_DEPTH} levels)",
        f"文件嵌套过深（超过 {MAX_DEPTH} 层）",
    )


def _read_yaml(text: str, file: str) -> Any:
    """Parse YAML text into _Map/_List/scalars, or raise BankError."""

    def fail(
        line: int, en: str, zh: str, hint_en: str = "", hint_zh: str = ""
    ) -> BankError:
        return BankError(
            [
                Problem(
                    file=file,
                    line=line,
                    item="",
                    message=t(en, zh),
                    hint=t(hint_en, hint_zh),
                )
            ]
        )

    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
        _check_tree(data, 0, set(), 1)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        if "nesting depth" in what:
            raise _too_deep(fail) from None
        raise fail(
            line,
            f"YAML syntax error: {what}",
            f"YAML 语法错误：{what}",
            "check the indentation and quote texts that contain ': ' or start with a special character.",
            "检查缩进；含有 ': ' 或以特殊字符开头的文字请加引号。",
        ) from None
    except yaml.YAMLError as exc:
        raise fail(1, f"YAML error: {exc}", f"YAML 错误：{exc}") from None
    except _AliasUsed as exc:
        raise fail(
            exc.line,
            "anchors, aliases and merge keys (&, *, <<) are not allowed in a bank",
            "题库中不允许使用锚点、别名或合并键（&、*、<<）",
            "write the text out in full.",
            "请把内容完整写出。",
        ) from None
    except _ControlChar as exc:
        raise fail(
            exc.line,
            f"a text holds the control character U+{ord(exc.char):04X}",
            f"文字中含有控制字符 U+{ord(exc.char):04X}",
            "remove it (look for a backslash escape such as \\x1b or \\0).",
            "请删除它（检查 \\x1b、\\0 之类的反斜杠转义）。",
        ) from None
    except _DuplicateKey as exc:
        raise fail(
            exc.line,
            f"key '{exc.key}' appears twice in one mapping (first on line {exc.first})",
            f"同一映射中键 '{exc.key}' 出现两次（第一次在第 {exc.first} 行）",
            "remove or rename one of them.",
            "删除或重命名其中一个。",
        ) from None
    except RecursionError:
        raise _too_deep(fail) from None
    return data
