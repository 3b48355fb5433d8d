"""The bank writer: YAML that `parse_bank` reads back to the same bank, whatever
the texts hold, in a stable and readable form."""

from __future__ import annotations

import dataclasses

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizgen.bank import Bank, parse_bank
from quizgen.bank.yaml_tree import _read_yaml
from quizgen.bank_writer import bank_yaml
from quizgen.errors import BankError

from conftest import ROOT

EXAMPLE = ROOT / "docs" / "example-bank.yaml"
EXAMPLE_SOURCE = ROOT / "docs" / "example-source.txt"


def _plain(bank: Bank) -> Bank:
    """The bank without the line numbers, which a rewrite may move."""
    return dataclasses.replace(
        bank,
        claims=tuple(dataclasses.replace(c, line=0) for c in bank.claims),
        debates=tuple(dataclasses.replace(d, line=0) for d in bank.debates),
    )


def test_example_bank_reads_back_the_same_and_rewrites_unchanged() -> None:
    raw = EXAMPLE.read_text("utf-8")
    source = EXAMPLE_SOURCE.read_text("utf-8")
    written = bank_yaml(yaml.safe_load(raw))
    assert _plain(parse_bank(written, source_text=source)) == _plain(
        parse_bank(raw, source_text=source)
    )
    assert bank_yaml(yaml.safe_load(written)) == written


def test_layout_is_readable() -> None:
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    written = bank_yaml(data, header="Written by a test.\nSecond line.")
    lines = written.splitlines()
    assert lines[:3] == [
        "# Written by a test.",
        "# Second line.",
        "id: example-translation",
    ]
    # short pairs on one line, keys in the documented order, lists indented
    assert (
        "  title: {zh: 机器翻译的未来, en: The future of machine translation}" in lines
    )
    assert "  - id: wang-replace" in lines
    assert "    tags: [forecast]" in lines
    assert written.index("\nsource:") < written.index("\nspeakers:")
    # a dict given in another order comes out in the documented one
    shuffled = dict(reversed(list(data.items())))
    shuffled["claims"] = [dict(reversed(list(c.items()))) for c in data["claims"]]
    assert bank_yaml(shuffled) == bank_yaml(data)


HARD = [
    '"quoted" at the start',
    "'single' at the start",
    "a colon: then more",
    "ends with a colon:",
    "a # hash",
    "#leading hash",
    "? question mark first",
    "{braces}",
    "[brackets]",
    "commas, inside, a pair",
    "yes",
    "null",
    "1.0",
    "0x1F",
    "~",
    "- a dash",
    "& anchor",
    "* star",
    "! bang",
    "| pipe",
    "> greater",
    "% percent",
    "@ at",
    "` backtick",
    "“中文引号”开头",
    "冒号：全角，逗号、句号。",
    "两行\n第二行",
    "tab\there",
    "  leading spaces kept inside a line",
]


@pytest.mark.parametrize("text", HARD, ids=range(len(HARD)))
def test_hard_texts_read_back(text: str) -> None:
    bank = _bank(text, text)
    written = bank_yaml(bank)
    loaded = yaml.safe_load(written)
    assert loaded == bank
    assert bank_yaml(loaded) == written


def _bank(text: str, quote: str) -> dict:
    pair = {"zh": text, "en": text}
    return {
        "id": "b",
        "title": pair,
        "source": {"file": "s.txt", "title": pair, "origin": pair},
        "speakers": [
            {
                "id": "a",
                "name": {"zh": "甲", "en": "A"},
                "role": pair,
                "aliases": [text],
            }
        ],
        "topics": [{"id": "t", "name": pair}],
        "claims": [
            {
                "id": "c1",
                "speaker": "a",
                "topic": "t",
                "quote": quote,
                "attribution": "explicit",
                "statement": pair,
                "false_statement": {"zh": text + "不", "en": "not " + text},
                "tags": ["x"],
            }
        ],
    }


# any printable text YAML may hold, weighted towards what it treats specially
_CHARS = st.one_of(
    st.sampled_from(list("\"'`:#?{}[],&*!|>%@-~ \n\t“”‘’：，。？！、（）《》")),
    st.characters(
        blacklist_categories=("Cs", "Cc", "Co", "Cn"),
        blacklist_characters="\ufeff\x85\u2028\u2029",
    ),
)
_TEXT = st.text(_CHARS, min_size=1, max_size=40).filter(lambda s: s.strip())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_TEXT,
    words=st.text(_CHARS.filter(lambda c: c not in "\n\t"), min_size=1, max_size=30),
)
def test_random_texts_round_trip_through_parse_bank(text: str, words: str) -> None:
    quote = words.strip() or "x"
    source = f"A: In this sentence the speaker says {quote} and goes on talking.\n"
    data = _bank(text, quote)
    data["speakers"][0]["aliases"] = []
    written = bank_yaml(data)
    assert yaml.safe_load(written) == data
    assert bank_yaml(yaml.safe_load(written)) == written
    # the bank's own reader (line numbers, no aliases) gets every text back;
    # whether a random text is a good statement is the checker's business
    assert _read_yaml(written, "<bank>") == data
    try:
        bank = parse_bank(written, source_text=source)
    except BankError:
        return  # a content rule refused the random text: the reading is proven above
    claim = bank.claims[0]
    assert claim.statement.en == text.strip()
    assert claim.quote == quote
    assert bank.title.zh == text.strip()


def test_cloze_variants_are_written_as_lists() -> None:
    """A {zh, en} pair of lists (cloze_accept) is written as lists, not as text."""
    data = {
        "claims": [
            {
                "id": "c",
                "cloze_accept": {"zh": ["年轻人"], "en": ["young", "young men"]},
            }
        ]
    }
    written = bank_yaml(data)
    assert yaml.safe_load(written) == data
    assert "      zh: [年轻人]\n      en: [young, young men]\n" in written


def test_shipped_workspace_bank_is_the_writers_own_layout() -> None:
    """The Euthyphro bank was written by the workspace: rewriting it changes nothing."""
    raw = (ROOT / "question_banks" / "euthyphro_jowett.yaml").read_text("utf-8")
    body = "".join(line for line in raw.splitlines(True) if not line.startswith("#"))
    assert bank_yaml(yaml.safe_load(raw)) == body
