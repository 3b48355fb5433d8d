"""Moodle XML files, read back with lxml the way Moodle's importer reads them."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from lms_quiz import QUOTE, TITLE, TOPIC, tricky_quiz
from lxml import etree
from lxml import html as lxml_html

from quizgen.bank import load_bank
from quizgen.export import ExportOptions, export
from quizgen.export.files import base_name
from quizgen.export.lms_common import by_topic, moodle_idnumber
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
    assert el.findtext("idnumber") == moodle_idnumber(q.id) == q.id
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
        # the term and every accepted variant at 100%; '*' is a wildcard, '\*' a star
        assert [(a.findtext("text"), a.get("fraction")) for a in answers] == [
            (accepted.replace("*", "\\*"), "100") for accepted in q.typed_answers
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


@pytest.mark.parametrize("variants", [False, True], ids=["term", "variants"])
def test_moodle_tricky_text_survives(tmp_path, artifacts, variants):
    quiz = tricky_quiz(variants=variants)
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


# ------------------------------------------------------------------ re-import


def _moodle_import(bank: dict, data: bytes) -> list[tuple[str, str | None, str]]:
    """Moodle's import of a Moodle XML file into a question bank, as
    question/format.php (importprocess) does it: every question is inserted
    as a new one in the category the file names; an ID number that already
    exists in that category is removed from the new question. `bank` maps
    category -> list of (idnumber or None, name); returns what was added."""
    added = []
    for category, el in _read(data):
        idnumber = el.findtext("idnumber") or None
        entries = bank.setdefault(category, [])
        if idnumber is not None and any(i == idnumber for i, _ in entries):
            idnumber = None
        entry = (idnumber, el.findtext("name/text"))
        entries.append(entry)
        added.append((category, *entry))
    return added


def test_moodle_first_import_keeps_every_id_number_and_reimport_is_plain():
    """What docs/lms.md says Moodle does: a first import keeps every ID number
    (they are unique in each category); importing an edited quiz again adds
    every question a second time, the copies without ID number but with the
    question id in their name."""
    bank_yaml = load_bank(EXAMPLE_BANK)
    (quiz,) = generate(bank_yaml, Choices(lang="zh", seed=1, siblings=True))
    moodle_bank: dict = {}
    first = _moodle_import(moodle_bank, moodle_xml(quiz))
    assert [i for _, i, _ in first] == [q.id for q in _file_order(quiz)]
    edited = replace(
        quiz,
        questions=tuple(
            replace(q, prompt=q.prompt + "（修订）") for q in quiz.questions
        ),
    )
    (other_seed,) = generate(bank_yaml, Choices(lang="zh", seed=2, siblings=True))
    assert {q.id for q in other_seed.questions} == {q.id for q in quiz.questions}
    again = _moodle_import(moodle_bank, moodle_xml(edited))
    assert len(again) == len(quiz.questions), "Moodle adds, it never updates"
    assert all(idnumber is None for _, idnumber, _ in again)
    assert [name.rsplit("[", 1)[1] for _, _, name in again] == [
        f"{q.id}]" for q in _file_order(quiz)
    ]


def test_moodle_id_numbers_stable_across_seeds_and_versions():
    bank = load_bank(EXAMPLE_BANK)
    a, b = generate(bank, Choices(lang="en", seed=1, versions=2, siblings=True))
    (c,) = generate(bank, Choices(lang="en", seed=7, siblings=True))
    ids = [
        sorted(
            (el.findtext("name/text").rsplit("[", 1)[1], el.findtext("idnumber"))
            for _, el in _read(moodle_xml(x))
        )
        for x in (a, b, c)
    ]
    assert ids[0] == ids[1] == ids[2]


def test_moodle_long_ids_fit_and_stay_apart():
    quiz = tricky_quiz()
    long_a, long_b = "x" * 120 + ".a", "x" * 120 + ".b"
    qs = (replace(quiz.questions[0], id=long_a), replace(quiz.questions[1], id=long_b))
    read = _read(moodle_xml(replace(quiz, questions=qs)))
    numbers = [el.findtext("idnumber") for _, el in read]
    assert all(len(n) <= 100 for n in numbers)
    assert numbers[0] != numbers[1]
    assert numbers == [moodle_idnumber(long_a), moodle_idnumber(long_b)]
    assert moodle_idnumber("short.id") == "short.id"
