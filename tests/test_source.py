from __future__ import annotations

from pathlib import Path

import pytest

from quizgen.source import compact, parse_source, read_source

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_55bb846aed3be5ea.txt"
NAMES = {
    "薛澜": "xue",
    "张宏江": "zhang",
    "李航": "li",
    "周忠和": "zhou",
    "观众1": "aud",
}


def test_seed_is_the_source_as_given():
    shared = ROOT.parent / "shared" / "seeds" / SEED.name
    if shared.exists():
        assert SEED.read_bytes() == shared.read_bytes()
    assert SEED.read_text(encoding="utf-8").startswith("< 薛澜教授做客《科学四十人》")


def test_paragraphs_are_numbered_non_empty_lines():
    src = parse_source("a\n\n  b c  \n\n\nd\n")
    assert [(p.number, p.line, p.text) for p in src.paragraphs] == [
        (1, 1, "a"),
        (2, 3, "b c"),
        (3, 6, "d"),
    ]


def test_labels_ascii_and_full_width_colon():
    src = parse_source("薛澜:甲\n\n李航：乙\n\n丙\n\n张宏江说:丁", names=NAMES)
    labels = [(p.label, p.turn) for p in src.paragraphs]
    assert labels == [("xue", "xue"), ("li", "li"), (None, "li"), (None, "li")]
    assert src.paragraph(2).body == "乙"


def test_longest_alias_wins():
    src = parse_source("薛澜教授:你好", names={"薛澜": "xue", "薛澜教授": "xue2"})
    assert src.paragraph(1).label == "xue2"
    assert src.paragraph(1).body == "你好"


def test_seed_speakers_and_boilerplate():
    src = read_source(
        SEED,
        names=NAMES,
        body_start="大家好,我是知识分子总编辑周忠和",
        body_end="科学研究也进入了一个新的时代。",
    )
    assert len(src.paragraphs) == 162
    assert src.paragraph(1).boilerplate  # the web page title
    assert src.paragraph(2).boilerplate  # the date line
    assert not src.paragraph(3).boilerplate
    assert src.paragraph(7).label == "xue"
    assert src.paragraph(8).label is None
    assert src.paragraph(8).turn == "xue"
    assert all(p.boilerplate for p in src.paragraphs[158:])  # promotion, CONTACT US
    assert not src.paragraph(158).boilerplate


def test_locate_ignores_whitespace_only():
    src = read_source(SEED, names=NAMES)
    assert src.locate("视频时长 达到\n60秒") == [10]
    assert (
        src.locate("视频时长达到60秒。") == []
    )  # the text has a comma there, not a full stop
    assert src.locate("视频时长达到六十秒") == []


def test_nearest_shows_the_closest_passage():
    src = read_source(SEED, names=NAMES)
    near = src.nearest("视频时长达到90秒")
    assert near is not None
    assert near.paragraph == 10
    assert near.passage == "视频时长达到60秒"


def test_compact_removes_all_whitespace():
    assert compact(" a\u2003b\n\tc ") == "abc"


def test_labels_match_whatever_their_case_and_width():
    src = parse_source(
        "SOCRATES: Well?\nＳｏｃｒａｔｅｓ：And?\nsocrates : Yes.\nSocratic: no.",
        names={"Socrates": "socrates"},
    )
    assert [p.label for p in src.paragraphs] == ["socrates"] * 3 + [None]
    assert [p.label_text for p in src.paragraphs[:3]] == [
        "SOCRATES",
        "Ｓｏｃｒａｔｅｓ",
        "socrates",
    ]
    assert [p.body for p in src.paragraphs[1:3]] == ["And?", "Yes."]


ENGLISH = (
    "SOCRATES: And what is piety, and what is impiety?\n"
    "EUTHYPHRO: Piety is doing as I am doing; that is to say, prosecuting any one\n"
    "who is guilty of murder, sacrilege, or of any similar crime.\n"
)


def test_quotes_match_typographic_marks_width_and_case_but_keep_the_texts_own():
    src = parse_source(ENGLISH.replace("any one\n", "any one ").replace("I am", "I’m"))
    pasted = "piety is doing as i\u2019m doing; THAT is to say"
    assert src.locate(pasted) == [2]
    assert src.exact(pasted, 2) == "Piety is doing as I’m doing; that is to say"
    assert src.locate("Ｐｉｅｔｙ ｉｓ") == [2]
    # marks are not interchangeable: a full stop is not a comma
    assert src.locate("Piety is doing as I’m doing, that") == []
    with pytest.raises(ValueError, match="paragraph 1"):
        src.exact(pasted, 1)
    # where the words themselves occur, they win over an earlier tolerant match
    label = parse_source("A: he says ： and more")
    assert label.exact("：", 1) == "："
    assert label.exact(":", 1) == ":"


def test_nearest_keeps_the_texts_spacing_and_names_the_difference():
    src = parse_source(ENGLISH)
    near = src.nearest("what is piety, and what is holiness?")
    assert near is not None
    assert near.paragraph == 1
    assert near.passage == "what is piety, and what is impiety?"
    assert near.differences == (("holiness", "impiety"),)
    chinese = read_source(SEED, names=NAMES).nearest("视频时长达到90秒")
    assert chinese is not None
    assert chinese.differences == (("9", "6"),)


def test_a_quote_across_two_paragraphs_is_found_as_such():
    src = parse_source(ENGLISH)
    quote = "prosecuting any one who is guilty of murder"
    assert src.locate(quote) == []
    assert src.spanning(quote) == 2
    assert src.spanning("what is impiety") is None
