"""QTI 2.1 packages (format `qti21`): read back with lxml, checked against the structure the
QTI 2.1 and IMS Content Packaging specs require, then loaded and scored by a
real QTI 2.1 implementation (pyslet)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import warnings
import zipfile
from pathlib import Path

import pytest
from lms_quiz import QUOTE, TITLE, TOPIC, pyslet_score, tricky_quiz
from lxml import etree

from quizgen.bank import load_bank
from quizgen.export import ExportOptions, export
from quizgen.export.files import base_name
from quizgen.export.lms_common import BLANK, ncname
from quizgen.export.qti21 import NS_CP, NS_QTI, choice_id, item_id, write
from quizgen.generate import Choices, generate
from quizgen.quiz import Kind, Question, Quiz

from conftest import EXAMPLE_BANK, require

Q = f"{{{NS_QTI}}}"
CP = f"{{{NS_CP}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")
HAS_PYSLET = importlib.util.find_spec("pyslet") is not None

# The order of an assessmentItem's children (QTI 2.1, assessmentItem content model).
ITEM_ORDER = [
    "responseDeclaration",
    "outcomeDeclaration",
    "templateDeclaration",
    "templateProcessing",
    "stylesheet",
    "itemBody",
    "responseProcessing",
    "modalFeedback",
]


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _read_package(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        return {name: etree.fromstring(zf.read(name)) for name in zf.namelist()}


def _texts(el: etree._Element) -> list[str]:
    """The text of each <p> or <li> under `el`, in order."""
    return [
        "".join(p.itertext())
        for p in el.iter(f"{Q}p", f"{Q}li")
        if p.getparent().tag != f"{Q}rubricBlock"
    ]


def check_package(path: Path, quiz: Quiz) -> dict[str, etree._Element]:
    """Every structural rule the specs set that this package relies on; returns its docs."""
    docs = _read_package(path)
    manifest = docs["imsmanifest.xml"]
    assert manifest.tag == f"{CP}manifest"
    assert NCNAME.fullmatch(manifest.get("identifier"))
    assert manifest.findtext(f"{CP}metadata/{CP}schema") == "QTIv2.1 Package"
    assert [_local(c) for c in manifest] == ["metadata", "organizations", "resources"]
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    ids = [r.get("identifier") for r in resources]
    assert len(ids) == len(set(ids)), "resource identifiers must be unique (xs:ID)"
    assert all(NCNAME.fullmatch(i) for i in ids)
    by_id = {r.get("identifier"): r for r in resources}
    referenced = set()
    for res in resources:
        kids = [_local(c) for c in res]
        assert kids == sorted(kids, key=["metadata", "file", "dependency"].index)
        files = [f.get("href") for f in res.findall(f"{CP}file")]
        assert res.get("href") in files
        referenced.update(files)
        for dep in res.findall(f"{CP}dependency"):
            assert dep.get("identifierref") in by_id
    assert referenced == set(docs) - {"imsmanifest.xml"}, "every file is a resource"
    tests = [r for r in resources if r.get("type") == "imsqti_test_xmlv2p1"]
    items = [r for r in resources if r.get("type") == "imsqti_item_xmlv2p1"]
    assert len(tests) == 1
    assert len(items) == len(quiz.questions)
    assert {d.get("identifierref") for d in tests[0].findall(f"{CP}dependency")} == {
        i.get("identifier") for i in items
    }

    test = docs[tests[0].get("href")]
    assert test.tag == f"{Q}assessmentTest"
    refs = test.findall(f".//{Q}assessmentItemRef")
    assert [r.get("href") for r in refs] == [i.get("href") for i in items] or {
        r.get("href") for r in refs
    } == {i.get("href") for i in items}
    assert len(refs) == len(quiz.questions)
    sections = test.findall(f"{Q}testPart/{Q}assessmentSection")
    assert [s.get("title") for s in sections] == list(
        dict.fromkeys(q.topic_name for q in quiz.questions)
    )

    for res in items:
        item = docs[res.get("href")]
        assert item.tag == f"{Q}assessmentItem"
        for attr in ("identifier", "title", "adaptive", "timeDependent"):
            assert item.get(attr), attr
        assert NCNAME.fullmatch(item.get("identifier"))
        assert item.get(XML_LANG) == quiz.lang
        order = [ITEM_ORDER.index(_local(c)) for c in item]
        assert order == sorted(order), "assessmentItem children out of order"
        declared = {
            d.get("identifier") for d in item.findall(f"{Q}responseDeclaration")
        }
        outcomes = {d.get("identifier") for d in item.findall(f"{Q}outcomeDeclaration")}
        assert {"SCORE", "FEEDBACK"} <= outcomes
        interactions = [el for el in item.iter() if _local(el).endswith("Interaction")]
        assert len(interactions) == 1
        assert interactions[0].get("responseIdentifier") in declared
        for fb in item.findall(f"{Q}modalFeedback"):
            assert fb.get("outcomeIdentifier") in outcomes
        for var in item.iter(f"{Q}variable", f"{Q}correct", f"{Q}mapResponse"):
            assert var.get("identifier") in declared | outcomes
        for setter in item.iter(f"{Q}setOutcomeValue"):
            assert setter.get("identifier") in outcomes
    return docs


def _items_by_question(docs: dict[str, etree._Element]) -> dict[str, etree._Element]:
    return {
        el.get("identifier"): el
        for el in docs.values()
        if el.tag == f"{Q}assessmentItem"
    }


def _check_question(item: etree._Element, q: Question) -> None:
    assert item.get("identifier") == item_id(q)
    decl = item.find(f"{Q}responseDeclaration")
    correct = decl.findtext(f"{Q}correctResponse/{Q}value")
    body = item.find(f"{Q}itemBody")
    if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        interaction = body.find(f"{Q}choiceInteraction")
        assert interaction.get("maxChoices") == "1"
        assert interaction.get("shuffle") == (
            "true" if q.kind == Kind.MULTIPLE_CHOICE else "false"
        )
        choices = interaction.findall(f"{Q}simpleChoice")
        assert [c.text for c in choices] == list(q.options)
        assert len({c.get("identifier") for c in choices}) == len(choices)
        right = [c.text for c in choices if c.get("identifier") == correct]
        assert right == [q.right_option]
        assert decl.get("baseType") == "identifier"
    elif q.kind == Kind.CLOZE:
        assert correct == q.answer
        entry = body.find(f".//{Q}textEntryInteraction")
        p = entry.getparent()
        assert p.text + BLANK + entry.tail in q.prompt
        matches = item.findall(f".//{Q}responseIf/{Q}or/{Q}stringMatch")
        assert [m.get("caseSensitive") for m in matches] == ["false"] * len(matches)
        scored = [m.findtext(f"{Q}baseValue") for m in matches]
        assert scored == list(q.typed_answers), "every accepted answer scores"
    else:
        assert correct is None
        assert body.find(f"{Q}extendedTextInteraction") is not None
        notes = body.find(f"{Q}rubricBlock")
        assert notes.get("view") == "scorer"
        assert [p.text for p in notes] == q.teacher_notes.splitlines()
    feedback = "\n".join(_texts(item.find(f"{Q}modalFeedback")))
    assert q.source.quote in feedback
    assert str(q.source.paragraph) in feedback


def test_qti_example_bank_every_version_and_language(tmp_path):
    bank = load_bank(EXAMPLE_BANK)
    for lang in ("zh", "en"):
        quizzes = generate(bank, Choices(lang=lang, seed=3, versions=2, siblings=True))
        paths = export("qti21", quizzes, tmp_path / lang)
        assert [p.name for p in paths] == [f"{base_name(q)}.qti21.zip" for q in quizzes]
        kinds = set()
        for path, quiz in zip(paths, quizzes, strict=True):
            docs = check_package(path, quiz)
            items = _items_by_question(docs)
            assert set(items) == {item_id(q) for q in quiz.questions}
            for q in quiz.questions:
                _check_question(items[item_id(q)], q)
                kinds.add(q.kind)
        assert kinds == set(Kind)


def test_qti_tricky_text_survives(tmp_path, artifacts):
    quiz = tricky_quiz()
    (path,) = write([quiz], tmp_path, ExportOptions())
    (artifacts / "lms").mkdir(exist_ok=True)
    shutil.copy(path, artifacts / "lms" / path.name)  # to look at by hand
    docs = check_package(path, quiz)
    raw = zipfile.ZipFile(path).read(f"items/{item_id(quiz.questions[0])}.xml")
    assert "王老师".encode() in raw, "Chinese is stored as UTF-8, not as references"
    items = _items_by_question(docs)
    for q in quiz.questions:
        item = items[item_id(q)]
        _check_question(item, q)
        body = item.find(f"{Q}itemBody")
        shown = "\n".join(_texts(body))
        if q.kind == Kind.CLOZE:
            p = body.find(f".//{Q}textEntryInteraction").getparent()
            assert p.text + BLANK + p[0].tail == q.prompt
        else:
            assert q.prompt in shown
        if q.kind == Kind.DISCUSSION:
            assert all(s.position in shown for s in q.sides)
            assert all(g in shown for g in q.guiding)
            assert QUOTE in "".join(_texts(item.find(f"{Q}modalFeedback")))
        assert item.get("title").startswith(q.prompt.splitlines()[0][:20])
    test = docs["assessment.xml"]
    assert test.get("title") == TITLE
    assert TOPIC in [s.get("title") for s in test.iter(f"{Q}assessmentSection")]
    assert b"]]>" not in raw, "XML forbids a literal ]]> in character data"


def test_qti_identifiers_stable_across_versions_and_builds(tmp_path):
    bank = load_bank(EXAMPLE_BANK)
    a, b = generate(bank, Choices(lang="en", seed=1, versions=2))
    (pa,) = write([a], tmp_path / "1", ExportOptions())
    (pb,) = write([b], tmp_path / "2", ExportOptions())
    (again,) = write([a], tmp_path / "3", ExportOptions())
    assert pa.read_bytes() == again.read_bytes(), "same quiz, same bytes"
    ids_a = set(_items_by_question(_read_package(pa)))
    ids_b = set(_items_by_question(_read_package(pb)))
    assert ids_a == ids_b == {q.id for q in a.questions}


def test_qti_zip_times_come_from_the_bank_not_the_clock(tmp_path):
    (path,) = write([tricky_quiz()], tmp_path, ExportOptions())
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist()[0] == "imsmanifest.xml"
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("wang-replace.fact2", True),
        ("b_agi.tf", True),
        ("_x", True),
        ("1st.fact", False),
        ("-lead", False),
        ("a b", False),
        ("问题.fact", False),
        ("a:b", False),
        ("", False),
    ],
    ids=[
        "plain",
        "underscore",
        "lead-underscore",
        "digit",
        "dash",
        "space",
        "cjk",
        "colon",
        "empty",
    ],
)
def test_ncname_valid_and_deterministic(text, kept):
    schema = etree.XMLSchema(
        etree.fromstring(
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
            '<xs:element name="n" type="xs:NCName"/></xs:schema>'
        )
    )
    name = ncname(text)
    doc = etree.Element("n")
    doc.text = name
    assert schema.validate(etree.ElementTree(doc)), name
    assert (name == text) is kept
    assert ncname(text) == name


def test_ncname_keeps_different_ids_apart():
    assert ncname("a b") != ncname("a_b")
    assert ncname("问题") != ncname("题目")


def test_choice_ids_unique():
    assert len({choice_id(i) for i in range(40)}) == 40


# --------------------------------------------------------------------------- pyslet


def _pyslet():
    require(HAS_PYSLET, "pyslet (a QTI 2.1 implementation) is not installed")
    import pyslet.imscpv1p2 as cp
    import pyslet.qtiv2.variables as variables
    import pyslet.qtiv2.xml as qtixml

    return cp, variables, qtixml


def _score(item_xml: bytes, response: str | None) -> tuple[float, str | None]:
    """Load an item in pyslet, answer it, run its response processing: (SCORE, FEEDBACK)."""
    return pyslet_score(item_xml, response)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("source", ["example", "tricky"])
def test_qti_items_scored_by_pyslet(tmp_path, source):
    cp, _, qtixml = _pyslet()
    if source == "example":
        quiz = generate(load_bank(EXAMPLE_BANK), Choices(lang="zh", seed=5))[0]
    else:
        quiz = tricky_quiz(variants=True)
    (path,) = write([quiz], tmp_path, ExportOptions())
    package = cp.ContentPackage(str(path))
    try:
        resources = package.manifest.root.Resources.Resource
        types = sorted(r.type for r in resources)
        assert types.count("imsqti_item_xmlv2p1") == len(quiz.questions)
        test_doc = qtixml.QTIDocument()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            test_doc.read(src=zipfile.ZipFile(path).read("assessment.xml"))
        assert type(test_doc.root).__name__ == "AssessmentTest"
    finally:
        package.Close()
    with zipfile.ZipFile(path) as zf:
        for q in quiz.questions:
            xml = zf.read(f"items/{item_id(q)}.xml")
            if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
                for i in range(len(q.options)):
                    expected = 1.0 if i == q.answer else 0.0
                    assert _score(xml, choice_id(i)) == (expected, "general_fb"), q.id
                assert _score(xml, None) == (0.0, "general_fb")
            elif q.kind == Kind.CLOZE:
                assert _score(xml, str(q.answer)) == (1.0, "general_fb")
                assert _score(xml, str(q.answer).upper()) == (1.0, "general_fb")
                assert _score(xml, "x" + str(q.answer)) == (0.0, "general_fb")
                assert _score(xml, None) == (0.0, "general_fb")
                for variant in q.typed_answers[1:]:
                    assert _score(xml, variant) == (1.0, "general_fb"), variant
                    assert _score(xml, variant.upper()) == (1.0, "general_fb")
            else:
                assert _score(xml, "an essay") == (0.0, "general_fb")


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_qti_shipped_bank_whole(tmp_path, shipped_bank):
    (quiz,) = generate(shipped_bank, Choices(lang="zh", seed=0))
    (path,) = write([quiz], tmp_path, ExportOptions())
    docs = check_package(path, quiz)
    items = _items_by_question(docs)
    for q in quiz.questions:
        _check_question(items[item_id(q)], q)
    if HAS_PYSLET:
        with zipfile.ZipFile(path) as zf:
            for q in quiz.questions[::25]:
                if q.kind == Kind.MULTIPLE_CHOICE:
                    xml = zf.read(f"items/{item_id(q)}.xml")
                    assert _score(xml, choice_id(int(q.answer))) == (1.0, "general_fb")
