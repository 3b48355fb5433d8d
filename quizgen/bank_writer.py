"""Write a bank as YAML that `parse_bank` reads back to the same bank.

One formatter for every bank the program writes (the authoring workspace's
saves and downloads): keys in the order docs/bank-format.md lists them, a
`{zh: ..., en: ...}` pair and a short list of ids on one line where that stays
readable, and every string quoted exactly when YAML needs it (a leading quote
mark, `: `, ` #`, `?`, `{`, a comma inside a flow pair, `yes`, `1.0`, a
newline), which PyYAML's emitter decides from the string itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

__all__ = ["ORDER", "bank_yaml"]

#: the key order of each kind of mapping; unknown keys follow in their own order
ORDER: dict[str, tuple[str, ...]] = {
    "bank": ("id", "title", "source", "speakers", "topics", "claims", "debates",
             "glossary"),
    "source": ("file", "title", "origin", "body", "context"),
    "body": ("start", "end"),
    "context": ("speaker", "quote"),
    "speakers": ("id", "name", "role", "kind", "aliases"),
    "topics": ("id", "name"),
    "claims": ("id", "speaker", "topic", "quote", "attribution", "attribution_note",
               "reported", "shared_with", "statement", "facts", "false_statement",
               "cloze", "cloze_accept", "contradicts", "erratum", "difficulty",
               "tags"),
    "reported": ("who", "note"),
    "facts": ("question", "answer", "wrong"),
    "erratum": ("text", "correction", "note"),
    "debates": ("id", "topic", "opposed", "question", "sides", "guiding",
                "teacher_notes"),
    "sides": ("speaker", "claims", "position"),
    "glossary": ("id", "term", "definition"),
    "pair": ("zh", "en"),
}  # fmt: skip

#: a flow pair or flow list longer than this many characters is written as a block
FLOW_WIDTH = 100

#: line breaks as YAML counts them, and tabs
_BREAKS = re.compile("[\n\r\t\x85\u2028\u2029]")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents a list under its key, as the docs' examples do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _scalar(value: Any) -> yaml.ScalarNode:
    if value is None:
        return yaml.ScalarNode(_NULL, "null")
    if isinstance(value, bool):
        return yaml.ScalarNode(_BOOL, "true" if value else "false")
    if isinstance(value, int):
        return yaml.ScalarNode(_INT, str(value))
    text = str(value)
    # a line break or edge whitespace: double quotes with escapes, never a
    # folded single-quoted block that a hand edit could break
    style = '"' if _BREAKS.search(text) or text != text.strip() else None
    return yaml.ScalarNode(_STR, text, style=style)


def _is_pair(value: Mapping[str, Any]) -> bool:
    return bool(value) and set(value) <= {"zh", "en"}


def _short(values: Sequence[Any]) -> bool:
    """Whether scalars fit on one flow line."""
    total = 0
    for v in values:
        if isinstance(v, Mapping | list | tuple):
            return False
        text = str(v)
        if _BREAKS.search(text) or text != text.strip():
            return False
        total += len(text) + 6
    return total <= FLOW_WIDTH


def _ordered(value: Mapping[str, Any], kind: str) -> list[tuple[str, Any]]:
    order = ORDER.get(kind, ())
    rank = {k: i for i, k in enumerate(order)}
    keys = sorted(value, key=lambda k: (rank.get(k, len(order)), 0))
    return [(k, value[k]) for k in keys]


def _node(value: Any, kind: str) -> yaml.Node:
    if isinstance(value, Mapping):
        if _is_pair(value):
            items = _ordered(value, "pair")
            flow = _short([v for _, v in items])
            return yaml.MappingNode(
                _MAP,
                [(_scalar(k), _node(v, kind)) for k, v in items],
                flow_style=flow,
            )
        return yaml.MappingNode(
            _MAP,
            [(_scalar(k), _node(v, k)) for k, v in _ordered(value, kind)],
            flow_style=False,
        )
    if isinstance(value, list | tuple):
        if value and _short(value):
            return yaml.SequenceNode(_SEQ, [_scalar(v) for v in value], flow_style=True)
        if not value:
            return yaml.SequenceNode(_SEQ, [], flow_style=True)
        return yaml.SequenceNode(
            _SEQ, [_node(v, kind) for v in value], flow_style=False
        )
    return _scalar(value)


def bank_yaml(data: Mapping[str, Any], *, header: str = "") -> str:
    """The YAML text of a bank given as plain data (what `yaml.safe_load` of a
    bank file gives: dicts, lists, strings, ints, booleans).

    `header` (lines without the `#`) is written first as a comment. The text
    reads back with `parse_bank` to the same bank, and writing what
    `yaml.safe_load` reads from it gives the same text again.
    """
    node = _node(data, "bank")
    body = yaml.serialize(
        node,
        Dumper=_Dumper,
        allow_unicode=True,
        width=1_000_000,
        indent=2,
    )
    comment = "".join(
        f"# {line}".rstrip() + "\n" for line in header.splitlines() if header
    )
    return comment + body
