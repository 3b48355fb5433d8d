"""A teacher's text as it comes, made into one paragraph a line."""

from __future__ import annotations

import pytest

from quizgen.errors import QuizgenError
from quizgen.text_import import import_text

from conftest import ROOT

SEED = ROOT / "seeds" / "000_55bb846aed3be5ea.txt"

WRAPPED = (
    "\ufeffEUTHYPHRO\r\n\r\nby Plato\r\n\r\n"
    "SOCRATES: Is the pious loved by the gods because it is pious, or is it\r\n"
    "pious because it is loved by the gods?\r\n\r\n"
    "EUTHYPHRO: I do not understand your meaning,\r\nSocrates.\r\n\r\n"
    "SOCRATES: I will endeavour to explain: we speak of carrying and we speak\r\n"
    "of being carried, of leading and being led, seeing and being seen. You\r\n"
    "know that in all such cases there is a difference.\r\n"
)


def test_hard_wrapped_dialogue_with_crlf_and_bom_becomes_paragraphs() -> None:
    out = import_text(WRAPPED.encode("utf-8"))
    assert out.paragraphs == (
        "EUTHYPHRO",
        "by Plato",
        "SOCRATES: Is the pious loved by the gods because it is pious, or is it "
        "pious because it is loved by the gods?",
        "EUTHYPHRO: I do not understand your meaning, Socrates.",
        "SOCRATES: I will endeavour to explain: we speak of carrying and we speak "
        "of being carried, of leading and being led, seeing and being seen. You "
        "know that in all such cases there is a difference.",
    )
    assert out.joined_lines == 4
    assert any("byte-order mark" in n for n in out.notes)
    assert any("CRLF" in n for n in out.notes)
    assert out.text.endswith("difference.\n")
    assert "\r" not in out.text


def test_a_text_already_one_paragraph_a_line_keeps_every_line() -> None:
    """The shipped seed: web-page indents (em spaces), blank lines between
    paragraphs, a two-line header: nothing is joined, no word is changed."""
    raw = SEED.read_bytes()
    out = import_text(raw)
    lines = [line.strip() for line in raw.decode("utf-8").splitlines() if line.strip()]
    assert list(out.paragraphs) == lines
    assert out.joined_lines == 0


def test_wrapped_chinese_joins_without_a_space() -> None:
    lines = [
        "主持人：今天我们谈谈人工智能和教育的关系，两位老师怎么看这个问题，",
        "请先说说各自的看法。",
        "",
        "王老师：我认为人工智能会改变课堂，但老师的作用不会消失，反而会更重要",
        "一些。",
    ]
    out = import_text("\n".join(lines).encode("gb18030"))
    assert out.encoding == "gb18030"
    assert out.paragraphs == (
        "主持人：今天我们谈谈人工智能和教育的关系，两位老师怎么看这个问题，请先说说各自的看法。",
        "王老师：我认为人工智能会改变课堂，但老师的作用不会消失，反而会更重要一些。",
    )


def test_pdf_text_without_blank_lines_is_unwrapped_at_its_width() -> None:
    prose = (
        "It is a truth universally acknowledged, that a single man in possession "
        "of a good fortune, must be in want of a wife. However little known the "
        "feelings or views of such a man may be on his first entering a "
        "neighbourhood, this truth is so well fixed in the minds of the "
        "surrounding families, that he is considered the rightful property of "
        "some one or other of their daughters."
    )
    import textwrap

    wrapped = textwrap.wrap(prose, 60) + ["Chapter 2"] + textwrap.wrap(prose, 60)
    out = import_text("\n".join(wrapped))
    assert out.paragraphs == (prose, "Chapter 2", prose)


def test_hyphen_at_a_line_end_is_kept_and_joined() -> None:
    out = import_text("A well-\nknown saying goes on and on.\n\nNext one.\nAnd more.")
    assert out.paragraphs[0] == "A well-known saying goes on and on."


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"\x00\x9f\xff\xfe\x00" * 3, "not a text file"), (b"\r\n \n\t\n", "empty")],
    ids=["binary", "blank"],
)
def test_not_a_text_is_a_clean_error(data: bytes, message: str) -> None:
    with pytest.raises(QuizgenError, match=message) as info:
        import_text(data, name="notes.txt")
    assert "notes.txt" in str(info.value)


def test_a_wrapped_line_that_begins_like_a_label_stays_in_its_paragraph() -> None:
    """`him: his name is Meletus` at a line start is no speaker's label."""
    text = (
        "SOCRATES: A young man who is little known, Euthyphro; and I hardly know\n"
        "him: his name is Meletus, and he is of the deme of Pitthis.\n"
        "\n"
        "EUTHYPHRO: No, I do not remember him, Socrates. But what is the charge\n"
        "which he brings against you?\n"
        "\n"
        "SOCRATES: What is the charge? Well, a very serious charge.\n"
    )
    imported = import_text(text)
    assert imported.paragraphs[0] == (
        "SOCRATES: A young man who is little known, Euthyphro; and I hardly know "
        "him: his name is Meletus, and he is of the deme of Pitthis."
    )
    assert len(imported.paragraphs) == 3


def test_paragraphs_start_at_the_labels_the_starter_bank_names() -> None:
    """One rule finds labels for both: a two-word label starts a paragraph even
    after a line cut mid-sentence, as it names a speaker in the starting bank."""
    from quizgen.starter import find_labels

    text = (
        "Dr. Watson: I had seen little of Holmes lately, for my marriage had\n"
        "Mr. Holmes: You have put on weight, Watson, since we last met in town,\n"
        "\n"
        "Dr. Watson: Seven pounds, and a little more than that since the winter.\n"
        "Mr. Holmes: Indeed, I should have thought a little more than that one.\n"
    )
    out = import_text(text)
    assert [p.split(":")[0] for p in out.paragraphs] == [
        "Dr. Watson", "Mr. Holmes", "Dr. Watson", "Mr. Holmes",
    ]  # fmt: skip
    assert [x.name for x in find_labels(out.paragraphs)] == ["Dr. Watson", "Mr. Holmes"]
