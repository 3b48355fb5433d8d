"""Load a bank (YAML) into frozen dataclasses, checking it against its source.

`load_bank(path)` returns a Bank or raises BankError with every problem found,
each as `file:line: [id] message. Hint: ...`. Loading is safe: plain YAML
types only, no anchors or aliases, bounded size and nesting.
"""

from __future__ import annotations

import difflib
import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from quizgen.errors import BankError, Problem, os_reason
from quizgen.i18n import t
from quizgen.rules import MAX_LENGTH_RATIO, options_comparable, width
from quizgen.source import Source, compact, parse_source

__all__ = [
    "Attribution",
    "Bank",
    "Claim",
    "Debate",
    "Erratum",
    "Fact",
    "Reported",
    "Side",
    "SourceInfo",
    "Speaker",
    "SpeakerKind",
    "Term",
    "Text",
    "Topic",
    "load_bank",
    "parse_bank",
]

MAX_BANK_BYTES = 32 * 1024 * 1024
MAX_SOURCE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40
#: what the checker may spend on "did you mean" and "nearest passage" hints, in
#: character comparisons (about a second); later problems get no such hint
HINT_WORK = 20_000_000
#: a "known: ..." hint names at most this many ids
MAX_LISTED = 20
LANGS = ("zh", "en")

try:  # libyaml's C parser when present: several times faster
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, kw_only=True)
class Text:
    """A learner-facing text in both languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang` ('zh' or 'en')."""
        return self.zh if lang == "zh" else self.en


class SpeakerKind(StrEnum):
    PANELIST = "panelist"
    HOST = "host"
    AUDIENCE = "audience"


class Attribution(StrEnum):
    EXPLICIT = "explicit"
    INFERRED = "inferred"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True, kw_only=True)
class Speaker:
    id: str
    name: Text
    role: Text
    kind: SpeakerKind = SpeakerKind.PANELIST
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Topic:
    id: str
    name: Text


@dataclass(frozen=True, kw_only=True)
class Fact:
    """A question a claim answers, its answer and curated wrong options."""

    question: Text
    answer: Text
    wrong: tuple[Text, ...]


@dataclass(frozen=True, kw_only=True)
class Reported:
    """Whose view a speaker relays when it is not the speaker's own."""

    who: Text
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Erratum:
    """A transcription slip in a quote and its probable correction."""

    text: str
    correction: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Claim:
    id: str
    speaker: str
    topic: str
    quote: str
    paragraph: int
    attribution: Attribution
    attribution_note: str = ""
    reported: Reported | None = None
    shared_with: tuple[str, ...] = ()
    statement: Text
    facts: tuple[Fact, ...] = ()
    false_statement: Text | None = None
    cloze: Text | None = None
    erratum: Erratum | None = None
    difficulty: int = 1
    tags: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class Side:
    speaker: str
    claims: tuple[str, ...]
    position: Text


@dataclass(frozen=True, kw_only=True)
class Debate:
    id: str
    topic: str
    question: Text
    sides: tuple[Side, ...]
    guiding: tuple[Text, ...] = ()
    teacher_notes: Text
    opposed: bool = False
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class Term:
    id: str
    term: Text
    definition: Text


@dataclass(frozen=True, kw_only=True)
class SourceInfo:
    """The source as the bank names it. `file` is what learners see (seeds/x.txt)."""

    file: str
    path: str
    title: Text
    origin: Text


@dataclass(frozen=True, kw_only=True)
class Bank:
    id: str
    title: Text
    source_info: SourceInfo
    source: Source
    speakers: tuple[Speaker, ...]
    topics: tuple[Topic, ...]
    claims: tuple[Claim, ...]
    debates: tuple[Debate, ...] = ()
    glossary: tuple[Term, ...] = ()
    context_paragraphs: frozenset[int] = frozenset()
    path: str = ""
    modified: int = 0
    _index: dict[str, dict[str, Any]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self._index.update(
            speakers={s.id: s for s in self.speakers},
            topics={t.id: t for t in self.topics},
            claims={c.id: c for c in self.claims},
            debates={d.id: d for d in self.debates},
        )

    def speaker(self, speaker_id: str) -> Speaker:
        """The speaker with this id. Raises KeyError if none."""
        return self._index["speakers"][speaker_id]

    def topic(self, topic_id: str) -> Topic:
        """The topic with this id. Raises KeyError if none."""
        return self._index["topics"][topic_id]

    def claim(self, claim_id: str) -> Claim:
        """The claim with this id. Raises KeyError if none."""
        return self._index["claims"][claim_id]

    def debate(self, debate_id: str) -> Debate:
        """The debate with this id. Raises KeyError if none."""
        return self._index["debates"][debate_id]

    def substantive_paragraphs(self) -> list[int]:
        """Paragraphs that should be quoted: the real text, minus host and audience turns."""
        context_kinds = {s.id for s in self.speakers if s.kind != SpeakerKind.PANELIST}
        return [
            p.number
            for p in self.source.paragraphs
            if not p.boilerplate
            and p.label not in context_kinds
            and p.number not in self.context_paragraphs
        ]

    def coverage(self) -> tuple[int, int]:
        """(substantive paragraphs quoted by a claim, substantive paragraphs)."""
        wanted = set(self.substantive_paragraphs())
        quoted = {c.paragraph for c in self.claims} & wanted
        return len(quoted), len(wanted)

    def summary(self) -> str:
        """One line: what the bank holds and how much of the source it quotes."""
        quoted, total = self.coverage()
        share = 100.0 * quoted / total if total else 100.0
        return t(
            f"{len(self.claims)} claims, {len(self.debates)} debates, "
            f"{len(self.speakers)} speakers, {len(self.topics)} topics; "
            f"paragraphs quoted {quoted}/{total} ({share:.1f}%)",
            f"{len(self.claims)} 条论断，{len(self.debates)} 个辩题，"
            f"{len(self.speakers)} 位发言人，{len(self.topics)} 个主题；"
            f"引用段落 {quoted}/{total}（{share:.1f}%）",
        )


# --------------------------------------------------------------------------- YAML


class _Map(dict):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 0
    lines: dict[str, int]


class _List(list):
    line: int = 0
    lines: list[int]


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps line numbers and refuses anchors and aliases."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # a node met a second time is an alias (of a text as much as of a list)
        if node in self.constructed_objects:
            raise _AliasUsed(node.start_mark.line + 1)
        return super().construct_object(node, deep=deep)


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


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


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


# --------------------------------------------------------------------------- checking

_ID = re.compile(r"^[a-z][a-z0-9_-]*$")


class _Checker:
    """Collects problems while turning the YAML tree into dataclasses."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.hint_work = HINT_WORK
        self._sorted: dict[int, tuple[set[str], list[str], int]] = {}

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
        """A {zh, en} pair; both required."""
        if key not in m or m[key] is None:
            return None
        pair = self.mapping(
            m[key], f"{where}.{key}", self.line_of(m, key), item, required=LANGS
        )
        if pair is None:
            return None
        zh = self.string(pair, "zh", f"{where}.{key}", item)
        en = self.string(pair, "en", f"{where}.{key}", item)
        return Text(zh=zh, en=en)

    def text_list(
        self, m: _Map, key: str, where: str, item: str
    ) -> list[tuple[int, Text]]:
        out = []
        for i, line, value in self.items(m, key, where, item):
            pair = self.mapping(
                value, f"{where}.{key}[{i}]", line, item, required=LANGS
            )
            if pair is not None:
                out.append(
                    (
                        line,
                        Text(
                            zh=self.string(pair, "zh", f"{where}.{key}[{i}]", item),
                            en=self.string(pair, "en", f"{where}.{key}[{i}]", item),
                        ),
                    )
                )
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


# --------------------------------------------------------------------------- loading


def load_bank(
    path: str | Path, *, source_text: str | None = None, max_bytes: int = MAX_BANK_BYTES
) -> Bank:
    """Load and check the bank at `path`.

    Returns the Bank; raises BankError listing every problem (file:line). The
    source is read from the bank's `source.file`, relative to the bank's
    folder, unless `source_text` is given (an upload).
    """
    path = Path(path)
    file = display_path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BankError(
                [
                    Problem(
                        file=file,
                        line=1,
                        item="",
                        message=t(
                            f"the file is too large ({size} bytes; the limit is {max_bytes})",
                            f"文件过大（{size} 字节；上限为 {max_bytes}）",
                        ),
                    )
                ]
            )
        raw = path.read_bytes()
        modified = int(path.stat().st_mtime)
    except OSError as exc:
        raise BankError(
            [
                Problem(
                    file=file,
                    line=1,
                    item="",
                    message=t(
                        f"cannot read the bank: {os_reason(exc)}",
                        f"无法读取题库：{os_reason(exc)}",
                    ),
                )
            ]
        ) from None
    return parse_bank(
        raw,
        file=file,
        base=path.parent,
        source_text=source_text,
        max_bytes=max_bytes,
        modified=modified,
    )


def parse_bank(
    raw: bytes | str,
    *,
    file: str = "<bank>",
    base: Path | None = None,
    source_text: str | None = None,
    max_bytes: int = MAX_BANK_BYTES,
    modified: int = 0,
) -> Bank:
    """Check a bank given as bytes or text; see load_bank.

    `base` resolves `source.file`; `modified` (Unix seconds) is when the bank
    last changed, which Anki decks use as their notes' modification time.
    """
    if isinstance(raw, bytes):
        if len(raw) > max_bytes:
            raise BankError(
                [
                    Problem(
                        file=file,
                        line=1,
                        item="",
                        message=t(
                            f"the file is too large ({len(raw)} bytes; the limit is {max_bytes})",
                            f"文件过大（{len(raw)} 字节；上限为 {max_bytes}）",
                        ),
                    )
                ]
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise BankError(
                [
                    Problem(
                        file=file,
                        line=line,
                        item="",
                        message=t("the file is not UTF-8 text", "文件不是 UTF-8 文本"),
                        hint=t("save it as UTF-8.", "请以 UTF-8 编码保存。"),
                    )
                ]
            ) from None
    else:
        text = raw
    with _gc_paused():
        data = _read_yaml(text, file)
        bank = _build(data, file, base or Path("."), source_text)
    return replace(bank, modified=modified)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bank is parsed.

    Parsing makes hundreds of thousands of small objects and no cycles; the
    collector's passes over them took more than half the time of a large bank.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def display_path(path: Path) -> str:
    """`path` relative to the working folder when it is inside it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _build(data: Any, file: str, base: Path, source_text: str | None) -> Bank:
    c = _Checker(file)
    top = c.mapping(
        data,
        "bank",
        getattr(data, "line", 1),
        "",
        required=("id", "title", "source", "speakers", "topics", "claims"),
        optional=("debates", "glossary"),
    )
    if top is None:
        raise BankError(c.problems)
    bank_id = c.ident(top, "id", "bank", "")
    title = c.text(top, "title", "bank", "")

    # speakers first: their names label the source
    speakers: list[Speaker] = []
    speaker_lines: dict[str, int] = {}
    names: dict[str, str] = {}
    for i, line, value in c.items(top, "speakers", "bank", ""):
        where = f"speakers[{i}]"
        m = c.mapping(
            value,
            where,
            line,
            "",
            required=("id", "name", "role"),
            optional=("kind", "aliases"),
        )
        if m is None:
            continue
        sid = c.ident(m, "id", where, "")
        c.unique(speaker_lines, sid, line, "speaker")
        name = c.text(m, "name", where, sid)
        role = c.text(m, "role", where, sid)
        kind = c.choice(m, "kind", where, sid, tuple(SpeakerKind), SpeakerKind.PANELIST)
        aliases = c.words(m, "aliases", where, sid)
        for n in ((name.zh, name.en) if name else ()) + aliases:
            if n and n in names and names[n] != sid:
                c.add(
                    line,
                    sid,
                    f"{where}: the name '{n}' also belongs to speaker '{names[n]}'",
                    f"{where}：名字 '{n}' 已属于发言人 '{names[n]}'",
                )
            elif n:
                names[n] = sid
        if sid and name and role:
            speakers.append(
                Speaker(
                    id=sid,
                    name=name,
                    role=role,
                    kind=SpeakerKind(kind),
                    aliases=aliases,
                )
            )
    speaker_ids = {s.id for s in speakers} | set(speaker_lines)

    topics: list[Topic] = []
    topic_lines: dict[str, int] = {}
    for i, line, value in c.items(top, "topics", "bank", ""):
        where = f"topics[{i}]"
        m = c.mapping(value, where, line, "", required=("id", "name"))
        if m is None:
            continue
        tid = c.ident(m, "id", where, "")
        c.unique(topic_lines, tid, line, "topic")
        name = c.text(m, "name", where, tid)
        if tid and name:
            topics.append(Topic(id=tid, name=name))
    topic_ids = set(topic_lines)

    source, info, context = _source(c, top, base, names, speaker_ids, source_text)

    claims = [
        claim
        for i, line, value in c.items(top, "claims", "bank", "")
        if (
            claim := _claim(c, i, line, value, source, speaker_ids, topic_ids, speakers)
        )
        is not None
    ]
    claim_lines: dict[str, int] = {}
    for _i, line, value in c.items(top, "claims", "bank", ""):
        if isinstance(value, _Map) and isinstance(value.get("id"), str):
            c.unique(claim_lines, value["id"], line, "claim")
    claims_by_id = {cl.id: cl for cl in claims}

    debates: list[Debate] = []
    debate_lines: dict[str, int] = {}
    for i, line, value in c.items(top, "debates", "bank", ""):
        debate = _debate(
            c, i, line, value, speaker_ids, topic_ids, claims_by_id, set(claim_lines)
        )
        if debate is not None:
            c.unique(debate_lines, debate.id, line, "debate")
            debates.append(debate)

    glossary: list[Term] = []
    term_lines: dict[str, int] = {}
    for i, line, value in c.items(top, "glossary", "bank", ""):
        where = f"glossary[{i}]"
        m = c.mapping(value, where, line, "", required=("id", "term", "definition"))
        if m is None:
            continue
        gid = c.ident(m, "id", where, "")
        c.unique(term_lines, gid, line, "glossary")
        term = c.text(m, "term", where, gid)
        definition = c.text(m, "definition", where, gid)
        if gid and term and definition:
            glossary.append(Term(id=gid, term=term, definition=definition))

    if c.problems:
        raise BankError(c.problems)
    assert title is not None
    assert source is not None
    assert info is not None
    return Bank(
        id=bank_id,
        title=title,
        source_info=info,
        source=source,
        speakers=tuple(speakers),
        topics=tuple(topics),
        claims=tuple(claims),
        debates=tuple(debates),
        glossary=tuple(glossary),
        context_paragraphs=frozenset(context),
        path=file,
    )


def _source(
    c: _Checker,
    top: _Map,
    base: Path,
    names: dict[str, str],
    speaker_ids: set[str],
    source_text: str | None,
) -> tuple[Source | None, SourceInfo | None, set[int]]:
    line = c.line_of(top, "source")
    m = c.mapping(
        top.get("source"),
        "source",
        line,
        "",
        required=("file", "title", "origin"),
        optional=("body", "context"),
    )
    if m is None:
        return None, None, set()
    file = c.string(m, "file", "source", "")
    title = c.text(m, "title", "source", "")
    origin = c.text(m, "origin", "source", "")
    body_start = body_end = None
    if m.get("body") is not None:
        body = c.mapping(
            m["body"],
            "source.body",
            c.line_of(m, "body"),
            "",
            required=("start", "end"),
        )
        if body is not None:
            body_start = c.string(body, "start", "source.body", "")
            body_end = c.string(body, "end", "source.body", "")
    if not file:
        return None, None, set()
    path = (base / file).resolve()
    if source_text is None:
        try:
            if path.stat().st_size > MAX_SOURCE_BYTES:
                c.add(
                    c.line_of(m, "file"),
                    "",
                    f"source.file: '{file}' is too large",
                    f"source.file：'{file}' 过大",
                )
                return None, None, set()
            source_text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            c.add(
                c.line_of(m, "file"),
                "",
                f"source.file: cannot read '{file}' ({os_reason(exc)})",
                f"source.file：无法读取 '{file}'（{os_reason(exc)}）",
                "the path is relative to the bank file's folder.",
                "路径相对于题库文件所在的文件夹。",
            )
            return None, None, set()
        except UnicodeDecodeError:
            c.add(
                c.line_of(m, "file"),
                "",
                f"source.file: '{file}' is not UTF-8 text",
                f"source.file：'{file}' 不是 UTF-8 文本",
            )
            return None, None, set()
    source = parse_source(
        source_text,
        path=str(path),
        names=names,
        body_start=body_start,
        body_end=body_end,
    )
    for key, marker in (("start", body_start), ("end", body_end)):
        if marker and not source.locate(marker):
            c.add(
                c.line_of(m["body"], key),
                "",
                f"source.body.{key}: not found in the source",
                f"source.body.{key}：在原文中找不到",
            )
    context: set[int] = set()
    for i, cline, value in c.items(m, "context", "source", ""):
        where = f"source.context[{i}]"
        cm = c.mapping(value, where, cline, "", required=("speaker", "quote"))
        if cm is None:
            continue
        sp = c.string(cm, "speaker", where, "")
        if sp and sp not in speaker_ids:
            _unknown(
                c,
                c.line_of(cm, "speaker"),
                "",
                f"{where}.speaker",
                "speaker",
                sp,
                speaker_ids,
            )
        quote = c.string(cm, "quote", where, "")
        found = source.locate(quote) if quote else []
        if quote and not found:
            _not_found(c, c.line_of(cm, "quote"), "", where, source, quote)
        context.update(found[:1])
    display = (
        "seeds/" + Path(file).name if "seeds" in Path(file).parts else Path(file).name
    )
    info = (
        SourceInfo(file=display, path=str(path), title=title, origin=origin)
        if title and origin
        else None
    )
    return source, info, context


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
    work = source.search_work(quote)
    near = source.nearest(quote) if c.afford(work) else None
    if near is not None and near.ratio >= 0.4:
        hint_en = (
            f"the nearest passage is in paragraph {near.paragraph}: '{near.passage}'"
        )
        hint_zh = f"最接近的是第 {near.paragraph} 段：'{near.passage}'"
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


def _claim(
    c: _Checker,
    i: int,
    line: int,
    value: Any,
    source: Source | None,
    speaker_ids: set[str],
    topic_ids: set[str],
    speakers: list[Speaker],
) -> Claim | None:
    where = f"claims[{i}]"
    m = c.mapping(
        value,
        where,
        line,
        "",
        required=("id", "speaker", "topic", "quote", "attribution", "statement"),
        optional=(
            "attribution_note",
            "reported",
            "shared_with",
            "facts",
            "false_statement",
            "cloze",
            "erratum",
            "difficulty",
            "tags",
        ),
    )
    if m is None:
        return None
    cid = c.ident(m, "id", where, "")
    item = cid
    n_before = len(c.problems)
    speaker = c.string(m, "speaker", where, item)
    if speaker and speaker not in speaker_ids:
        _unknown(
            c,
            c.line_of(m, "speaker"),
            item,
            f"{where}.speaker",
            "speaker",
            speaker,
            speaker_ids,
        )
    topic = c.string(m, "topic", where, item)
    if topic and topic not in topic_ids:
        _unknown(
            c, c.line_of(m, "topic"), item, f"{where}.topic", "topic", topic, topic_ids
        )
    quote = c.string(m, "quote", where, item)
    attribution = Attribution(
        c.choice(
            m, "attribution", where, item, tuple(Attribution), Attribution.EXPLICIT
        )
    )
    note = c.string(m, "attribution_note", where, item, required=False)
    if attribution != Attribution.EXPLICIT and not note:
        c.add(
            line,
            item,
            f"{where}: attribution '{attribution}' needs an attribution_note",
            f"{where}：归属为 '{attribution}' 时需要 attribution_note",
            "say why this speaker said it (or why it cannot be told).",
            "说明为什么认定是这位发言人（或为何无法判断）。",
        )
    paragraph = 0
    if source is not None and quote:
        found = source.locate(quote)
        if not found:
            _not_found(c, c.line_of(m, "quote"), item, where, source, quote)
        elif len(found) > 1:
            c.add(
                c.line_of(m, "quote"),
                item,
                f"{where}.quote: occurs in several paragraphs ({', '.join(map(str, found))})",
                f"{where}.quote：出现在多个段落中（{'、'.join(map(str, found))}）",
                "quote more words so that it points to one place.",
                "多引几个字，使其只指向一处。",
            )
        else:
            paragraph = found[0]
            para = source.paragraph(paragraph)
            if speaker in speaker_ids:
                _check_speaker(
                    c,
                    c.line_of(m, "speaker"),
                    item,
                    where,
                    para,
                    speaker,
                    attribution,
                    speakers,
                )
    reported = None
    if m.get("reported") is not None:
        rm = c.mapping(
            m["reported"],
            f"{where}.reported",
            c.line_of(m, "reported"),
            item,
            required=("who",),
            optional=("note",),
        )
        if rm is not None:
            who = c.text(rm, "who", f"{where}.reported", item)
            if who:
                reported = Reported(
                    who=who,
                    note=c.string(
                        rm, "note", f"{where}.reported", item, required=False
                    ),
                )
    shared = c.words(m, "shared_with", where, item)
    for s in shared:
        if s not in speaker_ids:
            _unknown(
                c,
                c.line_of(m, "shared_with"),
                item,
                f"{where}.shared_with",
                "speaker",
                s,
                speaker_ids,
            )
        elif s == speaker:
            c.add(
                c.line_of(m, "shared_with"),
                item,
                f"{where}.shared_with: lists the claim's own speaker",
                f"{where}.shared_with：列出了论断本人",
            )
    statement = c.text(m, "statement", where, item)
    facts = []
    for j, fline, fvalue in c.items(m, "facts", where, item):
        fact = _fact(c, f"{where}.facts[{j}]", fline, fvalue, item)
        if fact is not None:
            facts.append(fact)
    false_statement = c.text(m, "false_statement", where, item)
    if false_statement and statement:
        for lang in LANGS:
            if compact(false_statement.get(lang)) == compact(statement.get(lang)):
                c.add(
                    c.line_of(m, "false_statement"),
                    item,
                    f"{where}.false_statement.{lang}: is the same as the statement",
                    f"{where}.false_statement.{lang}：与 statement 相同",
                    "change one number, direction or name to make it false.",
                    "改动一个数字、方向或名字使其为假。",
                )
    cloze = c.text(m, "cloze", where, item)
    if cloze and statement:
        for lang in LANGS:
            if cloze.get(lang) and cloze.get(lang) not in statement.get(lang):
                c.add(
                    c.line_of(m, "cloze"),
                    item,
                    f"{where}.cloze.{lang}: '{cloze.get(lang)}' does not occur in statement.{lang}",
                    f"{where}.cloze.{lang}：'{cloze.get(lang)}' 没有出现在 statement.{lang} 中",
                    "the cloze term must be a word of the statement.",
                    "填空词必须是陈述中的原词。",
                )
            if (
                "::" in cloze.get(lang)
                or "：：" in cloze.get(lang)
                or "{{" in cloze.get(lang)
                or "}}" in cloze.get(lang)
            ):
                c.add(
                    c.line_of(m, "cloze"),
                    item,
                    f"{where}.cloze.{lang}: must be a plain term, without '::', '：：', '{{{{' or '}}}}'",
                    f"{where}.cloze.{lang}：应为纯文字，不能含 '::'、'：：'、'{{{{' 或 '}}}}'",
                )
    erratum = None
    if m.get("erratum") is not None:
        em = c.mapping(
            m["erratum"],
            f"{where}.erratum",
            c.line_of(m, "erratum"),
            item,
            required=("text", "correction"),
            optional=("note",),
        )
        if em is not None:
            etext = c.string(em, "text", f"{where}.erratum", item)
            corr = c.string(em, "correction", f"{where}.erratum", item)
            if etext and quote and compact(etext) not in compact(quote):
                c.add(
                    c.line_of(em, "text"),
                    item,
                    f"{where}.erratum.text: '{etext}' does not occur in the quote",
                    f"{where}.erratum.text：'{etext}' 没有出现在引文中",
                )
            erratum = Erratum(
                text=etext,
                correction=corr,
                note=c.string(em, "note", f"{where}.erratum", item, required=False),
            )
    difficulty = m.get("difficulty", 1)
    if isinstance(difficulty, bool) or difficulty not in (1, 2, 3):
        c.add(
            c.line_of(m, "difficulty"),
            item,
            f"{where}.difficulty: must be 1, 2 or 3, got {difficulty!r}",
            f"{where}.difficulty：必须是 1、2 或 3，实际是 {difficulty!r}",
        )
        difficulty = 1
    tags = c.words(m, "tags", where, item)
    for tag in tags:
        if not tag or re.search(r"\s", tag):
            c.add(
                c.line_of(m, "tags"),
                item,
                f"{where}.tags: '{tag}' contains a space",
                f"{where}.tags：'{tag}' 含有空格",
                "join words with '-' or '_'.",
                "用 '-' 或 '_' 连接。",
            )
    if len(c.problems) > n_before or not (cid and statement):
        return None
    return Claim(
        id=cid,
        speaker=speaker,
        topic=topic,
        quote=quote,
        paragraph=paragraph,
        attribution=attribution,
        attribution_note=note,
        reported=reported,
        shared_with=shared,
        statement=statement,
        facts=tuple(facts),
        false_statement=false_statement,
        cloze=cloze,
        erratum=erratum,
        difficulty=int(difficulty),
        tags=tags,
        line=line,
    )


def _check_speaker(
    c: _Checker,
    line: int,
    item: str,
    where: str,
    para: Any,
    speaker: str,
    attribution: Attribution,
    speakers: list[Speaker],
) -> None:
    if not speaker:
        return
    if para.boilerplate:
        c.add(
            line,
            item,
            f"{where}.quote: paragraph {para.number} is boilerplate, not part of the text",
            f"{where}.quote：第 {para.number} 段是网页附加内容，不属于正文",
        )
        return
    if para.label is not None and para.label != speaker:
        c.add(
            line,
            item,
            f"{where}.speaker: '{speaker}', but paragraph {para.number} is labelled '{para.label_text}' ({para.label})",
            f"{where}.speaker：'{speaker}'，但第 {para.number} 段标注的发言人是 '{para.label_text}'（{para.label}）",
            "correct the speaker, or quote another paragraph.",
            "改正发言人，或引用别的段落。",
        )
    elif (
        para.label is None
        and attribution == Attribution.EXPLICIT
        and para.turn != speaker
    ):
        last = para.turn or "nobody"
        c.add(
            line,
            item,
            f"{where}.attribution: 'explicit', but paragraph {para.number} is unlabelled and the last labelled speaker is '{last}'",
            f"{where}.attribution：'explicit'，但第 {para.number} 段无标注，上一个标注的发言人是 '{last}'",
            "use 'inferred' with an attribution_note saying why, or 'uncertain'.",
            "请改用 'inferred' 并在 attribution_note 中说明理由，或用 'uncertain'。",
        )


def _fact(c: _Checker, where: str, line: int, value: Any, item: str) -> Fact | None:
    m = c.mapping(value, where, line, item, required=("question", "answer", "wrong"))
    if m is None:
        return None
    question = c.text(m, "question", where, item)
    answer = c.text(m, "answer", where, item)
    wrong_items = c.text_list(m, "wrong", where, item)
    wrong = [w for _, w in wrong_items]
    if "wrong" in m and isinstance(m["wrong"], _List) and len(m["wrong"]) < 3:
        c.add(
            c.line_of(m, "wrong"),
            item,
            f"{where}.wrong: {len(m['wrong'])} wrong options; at least 3 are needed",
            f"{where}.wrong：只有 {len(m['wrong'])} 个错误选项；至少需要 3 个",
        )
    if answer:
        for lang in LANGS:
            seen: dict[str, int] = {compact(answer.get(lang)): 0}
            for wline, w in wrong_items:
                key = compact(w.get(lang))
                if key == compact(answer.get(lang)):
                    c.add(
                        wline,
                        item,
                        f"{where}.wrong: the answer '{answer.get(lang)}' is also listed as a wrong option",
                        f"{where}.wrong：答案 '{answer.get(lang)}' 同时被列为错误选项",
                        "remove it or write another wrong option.",
                        "删除它或另写一个错误选项。",
                    )
                elif key in seen:
                    c.add(
                        wline,
                        item,
                        f"{where}.wrong: duplicate option '{w.get(lang)}' ({lang})",
                        f"{where}.wrong：选项 '{w.get(lang)}' 重复（{lang}）",
                    )
                seen[key] = wline
            if (
                question
                and answer.get(lang)
                and len(compact(answer.get(lang))) > 1
                and compact(answer.get(lang)).lower()
                in compact(question.get(lang)).lower()
            ):
                c.add(
                    c.line_of(m, "question"),
                    item,
                    f"{where}.question.{lang}: contains its own answer '{answer.get(lang)}'",
                    f"{where}.question.{lang}：题干中含有答案 '{answer.get(lang)}'",
                )
    if answer and len(wrong) == len(wrong_items):
        for lang in LANGS:
            options = [answer.get(lang), *(w.get(lang) for w in wrong)]
            if not options_comparable(options):
                widths = [width(o) for o in options]
                c.add(
                    c.line_of(m, "wrong"),
                    item,
                    f"{where}: the {lang} options differ too much in length "
                    f"(widths {min(widths)} to {max(widths)}; at most {MAX_LENGTH_RATIO}x)",
                    f"{where}：{lang} 选项长度相差过大（宽度 {min(widths)} 到 {max(widths)}；"
                    f"最多 {MAX_LENGTH_RATIO} 倍）",
                    "a learner should not spot the answer by its length.",
                    "不要让学生凭长度猜出答案。",
                )
    if not (question and answer) or len(wrong) != len(wrong_items):
        return None
    return Fact(question=question, answer=answer, wrong=tuple(wrong))


def _debate(
    c: _Checker,
    i: int,
    line: int,
    value: Any,
    speaker_ids: set[str],
    topic_ids: set[str],
    claims: dict[str, Claim],
    claim_ids: set[str],
) -> Debate | None:
    where = f"debates[{i}]"
    m = c.mapping(
        value,
        where,
        line,
        "",
        required=("id", "topic", "question", "sides", "teacher_notes"),
        optional=("guiding", "opposed"),
    )
    if m is None:
        return None
    did = c.ident(m, "id", where, "")
    n_before = len(c.problems)
    topic = c.string(m, "topic", where, did)
    if topic and topic not in topic_ids:
        _unknown(
            c, c.line_of(m, "topic"), did, f"{where}.topic", "topic", topic, topic_ids
        )
    question = c.text(m, "question", where, did)
    sides = []
    for j, sline, svalue in c.items(m, "sides", where, did):
        swhere = f"{where}.sides[{j}]"
        sm = c.mapping(
            svalue, swhere, sline, did, required=("speaker", "claims", "position")
        )
        if sm is None:
            continue
        sp = c.string(sm, "speaker", swhere, did)
        if sp and sp not in speaker_ids:
            _unknown(
                c,
                c.line_of(sm, "speaker"),
                did,
                f"{swhere}.speaker",
                "speaker",
                sp,
                speaker_ids,
            )
        ids = c.words(sm, "claims", swhere, did)
        if "claims" in sm and not ids:
            c.add(
                c.line_of(sm, "claims"),
                did,
                f"{swhere}.claims: is empty",
                f"{swhere}.claims：为空",
                "give each side at least one claim.",
                "每一方至少给出一条论断。",
            )
        for cid in ids:
            if cid not in claim_ids:
                _unknown(
                    c,
                    c.line_of(sm, "claims"),
                    did,
                    f"{swhere}.claims",
                    "claim",
                    cid,
                    claim_ids,
                )
            elif cid not in claims:
                pass  # the claim itself is invalid and already reported
            elif sp and claims[cid].speaker != sp:
                c.add(
                    c.line_of(sm, "claims"),
                    did,
                    f"{swhere}.claims: '{cid}' is by '{claims[cid].speaker}', not by this side's speaker '{sp}'",
                    f"{swhere}.claims：'{cid}' 的发言人是 '{claims[cid].speaker}'，不是这一方的 '{sp}'",
                )
        position = c.text(sm, "position", swhere, did)
        if sp and ids and position:
            sides.append(Side(speaker=sp, claims=ids, position=position))
    if isinstance(m.get("sides"), _List) and len(m["sides"]) < 2:
        c.add(
            c.line_of(m, "sides"),
            did,
            f"{where}.sides: a debate needs at least two sides, found {len(m['sides'])}",
            f"{where}.sides：辩题至少需要两方，实际只有 {len(m['sides'])} 方",
        )
    guiding = [g for _, g in c.text_list(m, "guiding", where, did)]
    if "guiding" in m and not 2 <= len(guiding) <= 3:
        c.add(
            c.line_of(m, "guiding"),
            did,
            f"{where}.guiding: {len(guiding)} sub-questions; give two or three",
            f"{where}.guiding：有 {len(guiding)} 个引导问题；应为两到三个",
        )
    notes = c.text(m, "teacher_notes", where, did)
    opposed = m.get("opposed", False)
    if not isinstance(opposed, bool):
        c.add(
            c.line_of(m, "opposed"),
            did,
            f"{where}.opposed: must be true or false, got {opposed!r}",
            f"{where}.opposed：必须是 true 或 false，实际是 {opposed!r}",
        )
        opposed = False
    if len(c.problems) > n_before or not (did and question and notes):
        return None
    return Debate(
        id=did,
        topic=topic,
        question=question,
        sides=tuple(sides),
        guiding=tuple(guiding),
        teacher_notes=notes,
        opposed=opposed,
        line=line,
    )
