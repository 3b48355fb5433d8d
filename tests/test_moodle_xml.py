"""Moodle XML files, read back with lxml the way Moodle's importer reads them."""

from __future__ import annotations

import shutil

import pytest
from lms_quiz import QUOTE, TITLE, TOPIC, tricky_quiz
from lxml import etree
from lxml import html as lxml_html

from quizgen.bank import load_bank
from quizgen.export import ExportOptions, export
from quizgen.export.files import base_name
from quizgen.export.lms_common import by_topic
from quizgen.export.moodle_xml import QTYPE, _set_text, moodle_xml, write
from quizgen.generate import Choices, generate
from quizgen.quiz import Kind, Question, Quiz

from conftest import EXAMPLE_BANK


def _paragraphs(fragment: str | None) -> list[str]:
    """The text of each <p> in an HTML fragment (entities decoded once)."""
    if not fragment:
        return []
    return [p.text_content() for p in lxml_html.fragments_fromstring(fragment)]


def _category_parts(path: str) -> list[str]:
    # Moodle splits category paths on '/', and reads '//' as a literal slash
    return [p.replace("\x00", "/") for p in path.replace("//", "\x00").split("/")]


def _read(data: bytes) -> list[tuple[str, etree._Element]]:
    """(category path in force, question element) for every non-category question."""
    root = etree.fromstring(data)
    assert root.tag == "quiz"
    out, category = [], None
    for question in root.iter("question"):
        if question.get("type") == "category":
            category = question.findtext("category/text")
        else:
            assert category is not None, "a question before any category"
            out.append((category, question))
    return out


def _check(category: str, el: etree._Element, q: Question, quiz: Quiz) -> None:
    assert el.get("type") == QTYPE[q.kind]
    assert el.findtext("idnumber") == q.id
    assert el.findtext("name/text").endswith(f"[{q.id}]")
    assert _category_parts(category) == ["$course$", "top", quiz.title, q.topic_name]
    assert el.find("questiontext").get("format") == "html"
    shown = _paragraphs(el.findtext("questiontext/text"))
    assert shown[: len(q.prompt.splitlines())] == q.prompt.splitlines()
    answers = el.findall("answer")
    if q.kind == Kind.MULTIPLE_CHOICE:
        assert el.findtext("single") == "true"
        assert el.findtext("shuffleanswers") == "true"
        assert [_paragraphs(a.findtext("text")) for a in answers] == [
            [o] for o in q.options
        ]
        assert [a.get("fraction") for a in answers] == [
            "100" if i == q.answer else "0" for i in range(len(q.options))
        ]
    elif q.kind == Kind.TRUE_FALSE:
        right = {a.findtext("text"): a.get("fraction") for a in answers}
        assert right == (
            {"true": "100", "false": "0"}
            if q.answer == 0
            else {"true": "0", "false": "100"}
        )
    elif q.kind == Kind.CLOZE:
        assert [(a.findtext("text"), a.get("fraction")) for a in answers] == [
            (str(q.answer).replace("*", "\\*"), "100")
        ]
        assert el.findtext("usecase") == "0"
    else:
        assert answers == []
        assert el.findtext("responseformat") == "editor"
        grader = _paragraphs(el.findtext("graderinfo/text"))
        assert grader == q.teacher_notes.splitlines()
        assert all(s.position in "\n".join(shown) for s in q.sides)
        assert all(g in shown for g in q.guiding)
    feedback = "\n".join(_paragraphs(el.findtext("generalfeedback/text")))
    assert q.source.quote in feedback
    assert str(q.source.paragraph) in feedback


def _file_order(quiz: Quiz) -> list[Question]:
    return [q for _, _, qs in by_topic(quiz) for q in qs]


def test_moodle_example_bank_every_version_and_language(tmp_path):
    bank = load_bank(EXAMPLE_BANK)
    for lang in ("zh", "en"):
        quizzes = generate(bank, Choices(lang=lang, seed=4, versions=2, siblings=True))
        paths = export("moodle", quizzes, tmp_path / lang)
        assert [p.name for p in paths] == [f"{base_name(q)}.xml" for q in quizzes]
        for path, quiz in zip(paths, quizzes, strict=True):
            read = _read(path.read_bytes())
            assert len(read) == len(quiz.questions)
            for (category, el), q in zip(read, _file_order(quiz), strict=True):
                _check(category, el, q, quiz)
            assert {el.get("type") for _, el in read} == set(QTYPE.values())
            categories = etree.fromstring(path.read_bytes()).findall(
                "question[@type='category']"
            )
            assert len(categories) == len({q.topic for q in quiz.questions})


def test_moodle_tricky_text_survives(tmp_path, artifacts):
    quiz = tricky_quiz()
    (path,) = write([quiz], tmp_path, ExportOptions())
    (artifacts / "lms").mkdir(exist_ok=True)
    shutil.copy(path, artifacts / "lms" / path.name)  # to look at by hand
    data = path.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert "王老师".encode() in data, "Chinese stays UTF-8, not character references"
    read = _read(data)
    assert len(read) == len(quiz.questions)
    for (category, el), q in zip(read, _file_order(quiz), strict=True):
        _check(category, el, q, quiz)
    assert _category_parts(read[0][0])[2:] == [TITLE, TOPIC]
    feedback = read[0][1].findtext("generalfeedback/text")
    assert QUOTE in "".join(_paragraphs(feedback))


def test_moodle_html_in_cdata_unless_it_holds_the_cdata_end(tmp_path):
    bank = load_bank(EXAMPLE_BANK)
    (quiz,) = generate(bank, Choices(lang="zh", seed=0))
    plain = moodle_xml(quiz)
    assert b"<text><![CDATA[<p>" in plain
    tricky = moodle_xml(tricky_quiz())
    # a CDATA section ends at the first `]]>`: the file must hold exactly one
    # `]]>` per section (HTML escaping turns the text's `]]>` into `]]&gt;`)
    sections = tricky.count(b"<![CDATA[")
    assert sections > 0
    assert tricky.count(b"]]>") == sections
    assert b"]]&gt;" in tricky


def test_moodle_raw_cdata_end_in_html_falls_back_to_escaped_text():
    # HTML that itself holds `]]>` (quizgen's own never does) cannot go in CDATA
    el = etree.Element("text")
    _set_text(el, "<p>a]]>b</p>", html=True)
    data = etree.tostring(el)
    assert b"CDATA" not in data
    assert etree.fromstring(data).text == "<p>a]]>b</p>"
    _set_text(el, "<p>ab</p>", html=True)
    assert etree.tostring(el) == b"<text><![CDATA[<p>ab</p>]]></text>"


@pytest.mark.parametrize("seed", [0, 1])
def test_moodle_same_quiz_same_bytes(seed):
    (a,) = generate(load_bank(EXAMPLE_BANK), Choices(lang="en", seed=seed))
    (b,) = generate(load_bank(EXAMPLE_BANK), Choices(lang="en", seed=seed))
    assert moodle_xml(a) == moodle_xml(b)


@pytest.mark.slow
def test_moodle_shipped_bank_whole(tmp_path, shipped_bank):
    for lang in ("zh", "en"):
        (quiz,) = generate(shipped_bank, Choices(lang=lang, seed=0))
        (path,) = write([quiz], tmp_path / lang, ExportOptions())
        read = _read(path.read_bytes())
        assert len(read) == len(quiz.questions)
        for (category, el), q in zip(read, _file_order(quiz), strict=True):
            _check(category, el, q, quiz)
