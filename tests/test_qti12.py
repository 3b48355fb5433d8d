"""QTI 1.2 packages for Canvas (format `qti`).

Three kinds of check:

- the QTI 1.2 ASI content model: the assessment is validated by lxml against
  a DTD holding the declarations of the IMS QTI ASI 1.2 binding
  (ims_qtiasiv1p2.dtd) for every element we write. The official DTD and XSD
  ship with no package on the registries we install from, so the
  declarations are written out below, each as the binding has it;
- what Canvas reads: Canvas imports a QTI 1.2 package by running
  Instructure's QTIMigrationTool (`migrate.py`) and reading its QTI 2.1
  output with canvas-lms's qti_exporter plugin. The tests assert on the
  exact QTI 1.2 elements that code reads, citing the file;
- Canvas's own converter is on no package registry, so it is not run here:
  scripts/canvas_qti_check.py runs it on a checkout a person provides, reads
  the result by the qti_exporter plugin's rules and scores every converted
  item in pyslet (docs/lms.md gives its figures).
"""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

from lms_quiz import QUOTE, VARIANTS, tricky_quiz
from lxml import etree
from lxml import html as lxml_html

from quizgen.bank import load_bank
from quizgen.export import ExportOptions, export, qti21
from quizgen.export.files import base_name
from quizgen.export.lms_common import BLANK, label
from quizgen.export.qti12 import (
    CANVAS_TYPE,
    GENERAL_FEEDBACK,
    NS_CP,
    NS_QTI,
    RESPONSE,
    choice_id,
    item_id,
    write,
)
from quizgen.generate import Choices, generate
from quizgen.quiz import Kind, Question, Quiz

from conftest import EXAMPLE_BANK

Q = f"{{{NS_QTI}}}"
CP = f"{{{NS_CP}}}"
HAS_PYSLET = importlib.util.find_spec("pyslet") is not None

# The declarations of IMS QTI ASI 1.2 (ims_qtiasiv1p2.dtd) for the elements
# this package uses, content models as the binding has them; the root also
# declares its namespace attributes, which a DTD must list.
ASI_DTD = f"""
<!ELEMENT questestinterop (qticomment?, (objectbank | assessment | (section | item)+))>
<!ATTLIST questestinterop xmlns CDATA #FIXED "{NS_QTI}"
  xmlns:xsi CDATA #FIXED "http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation CDATA #IMPLIED>
<!ELEMENT assessment (qticomment?, duration?, qtimetadata*, objectives*,
  assessmentcontrol*, rubric*, presentation_material?, outcomes_processing*,
  assessproc_extension?, assessfeedback*, selection_ordering?, reference?,
  (sectionref | section)+)>
<!ATTLIST assessment ident CDATA #REQUIRED title CDATA #IMPLIED xml:lang CDATA #IMPLIED>
<!ELEMENT section (qticomment?, duration?, qtimetadata*, objectives*,
  sectioncontrol*, sectionprecondition*, sectionpostcondition*, rubric*,
  presentation_material?, outcomes_processing*, sectionproc_extension?,
  sectionfeedback*, selection_ordering?, reference?,
  (itemref | item | sectionref | section)*)>
<!ATTLIST section ident CDATA #REQUIRED title CDATA #IMPLIED xml:lang CDATA #IMPLIED>
<!ELEMENT item (qticomment?, duration?, itemmetadata?, objectives*,
  itemcontrol*, itemprecondition*, itempostcondition*, (itemrubric | rubric)*,
  presentation?, resprocessing*, itemproc_extension?, itemfeedback*, reference?)>
<!ATTLIST item maxattempts CDATA #IMPLIED label CDATA #IMPLIED
  ident CDATA #REQUIRED title CDATA #IMPLIED xml:lang CDATA #IMPLIED>
<!ELEMENT itemmetadata (qtimetadata*, qmd_computerscored?, qmd_feedbackpermitted?,
  qmd_hintspermitted?, qmd_itemtype?, qmd_levelofdifficulty?, qmd_maximumscore?,
  qmd_renderingtype*, qmd_responsetype*, qmd_scoringpermitted?,
  qmd_solutionspermitted?, qmd_status?, qmd_timedependence?, qmd_timelimit?,
  qmd_toolvendor?, qmd_topic?, qmd_weighting?, qmd_material*, qmd_typeofsolution?)>
<!ELEMENT qtimetadata (vocabulary?, qtimetadatafield+)>
<!ELEMENT qtimetadatafield (fieldlabel, fieldentry)>
<!ATTLIST qtimetadatafield xml:lang CDATA #IMPLIED>
<!ELEMENT fieldlabel (#PCDATA)>
<!ELEMENT fieldentry (#PCDATA)>
<!ELEMENT presentation (qticomment?, (flow | (material | response_lid |
  response_xy | response_str | response_num | response_grp | response_extension)+))>
<!ATTLIST presentation label CDATA #IMPLIED xml:lang CDATA #IMPLIED
  y0 CDATA #IMPLIED x0 CDATA #IMPLIED width CDATA #IMPLIED height CDATA #IMPLIED>
<!ELEMENT material (qticomment?, (mattext | matemtext | matimage | mataudio |
  matvideo | matapplet | matapplication | matref | matbreak | mat_extension)+,
  altmaterial*)>
<!ATTLIST material label CDATA #IMPLIED xml:lang CDATA #IMPLIED>
<!ELEMENT mattext (#PCDATA)>
<!ATTLIST mattext texttype CDATA "text/plain" label CDATA #IMPLIED
  charset CDATA "ascii-us" uri CDATA #IMPLIED
  xml:space (preserve | default) "default" xml:lang CDATA #IMPLIED
  entityref ENTITY #IMPLIED width CDATA #IMPLIED height CDATA #IMPLIED
  y0 CDATA #IMPLIED x0 CDATA #IMPLIED>
<!ELEMENT response_lid ((material | material_ref)?, (render_choice |
  render_hotspot | render_slider | render_fib | render_extension),
  (material | material_ref)?)>
<!ATTLIST response_lid rcardinality (Single | Multiple | Ordered) "Single"
  rtiming (Yes | No) "No" ident CDATA #REQUIRED>
<!ELEMENT response_str ((material | material_ref)?, (render_choice |
  render_hotspot | render_slider | render_fib | render_extension),
  (material | material_ref)?)>
<!ATTLIST response_str rcardinality (Single | Multiple | Ordered) "Single"
  rtiming (Yes | No) "No" ident CDATA #REQUIRED>
<!ELEMENT render_choice ((material | material_ref | response_label | flow_label)*,
  response_na?)>
<!ATTLIST render_choice shuffle (Yes | No) "No" minnumber CDATA #IMPLIED
  maxnumber CDATA #IMPLIED>
<!ELEMENT render_fib ((material | material_ref | response_label | flow_label)*,
  response_na?)>
<!ATTLIST render_fib encoding CDATA "UTF_8"
  fibtype (String | Integer | Decimal | Scientific) "String"
  rows CDATA #IMPLIED maxchars CDATA #IMPLIED
  prompt (Box | Dashline | Asterisk | Underline) #IMPLIED
  columns CDATA #IMPLIED charset CDATA "ascii-us"
  minnumber CDATA #IMPLIED maxnumber CDATA #IMPLIED>
<!ELEMENT response_label (#PCDATA | qticomment | material | material_ref | flow_mat)*>
<!ATTLIST response_label rshuffle (Yes | No) "Yes"
  rarea (Ellipse | Rectangle | Bounded) "Ellipse" rrange (Exact | Range) "Exact"
  labelrefid CDATA #IMPLIED ident CDATA #REQUIRED match_group CDATA #IMPLIED
  match_max CDATA #IMPLIED>
<!ELEMENT resprocessing (qticomment?, outcomes, (respcondition | itemproc_extension)+)>
<!ATTLIST resprocessing scoremodel CDATA #IMPLIED>
<!ELEMENT outcomes (qticomment?, (decvar, interpretvar*)+)>
<!ELEMENT decvar (#PCDATA)>
<!ATTLIST decvar varname CDATA "SCORE"
  vartype (Integer | String | Decimal | Scientific | Boolean | Enumerated | Set) "Integer"
  defaultval CDATA #IMPLIED minvalue CDATA #IMPLIED maxvalue CDATA #IMPLIED
  members CDATA #IMPLIED cutvalue CDATA #IMPLIED>
<!ELEMENT respcondition (qticomment?, conditionvar, setvar*, displayfeedback*,
  respcond_extension?)>
<!ATTLIST respcondition continue (Yes | No) "No" title CDATA #IMPLIED>
<!ELEMENT conditionvar (not | and | or | unanswered | other | varequal | varlt |
  varlte | vargt | vargte | varsubset | varinside | varsubstring | durequal |
  durlt | durlte | durgt | durgte | var_extension)+>
<!ELEMENT other (#PCDATA)>
<!ELEMENT varequal (#PCDATA)>
<!ATTLIST varequal case (Yes | No) "No" respident CDATA #REQUIRED index CDATA #IMPLIED>
<!ELEMENT setvar (#PCDATA)>
<!ATTLIST setvar varname CDATA "SCORE"
  action (Set | Add | Subtract | Multiply | Divide) "Set">
<!ELEMENT displayfeedback (#PCDATA)>
<!ATTLIST displayfeedback feedbacktype (Response | Solution | Hint) "Response"
  linkrefid CDATA #REQUIRED>
<!ELEMENT itemfeedback ((flow_mat | material) | solution | hint)+>
<!ATTLIST itemfeedback view (All | Administrator | AdminAuthority | Assessor |
  Author | Candidate | InvigilatorProctor | Psychometrician | Scorer | Tutor) "All"
  ident CDATA #REQUIRED title CDATA #IMPLIED>
<!ELEMENT flow_mat (qticomment?, (flow_mat | material | material_ref)+)>
<!ATTLIST flow_mat class CDATA "Block">
"""


def _dtd() -> etree.DTD:
    return etree.DTD(io.StringIO(ASI_DTD))


def _read(path: Path) -> tuple[etree._Element, etree._Element, zipfile.ZipFile]:
    zf = zipfile.ZipFile(path)
    assert zf.testzip() is None
    manifest = etree.fromstring(zf.read("imsmanifest.xml"))
    (resource,) = manifest.findall(f"{CP}resources/{CP}resource")
    (href,) = [f.get("href") for f in resource.findall(f"{CP}file")]
    assert set(zf.namelist()) == {"imsmanifest.xml", href}, "every file is listed"
    return manifest, etree.fromstring(zf.read(href)), zf


def _field(item: etree._Element, name: str) -> str | None:
    for field in item.iter(f"{Q}qtimetadatafield"):
        if field.findtext(f"{Q}fieldlabel") == name:
            return field.findtext(f"{Q}fieldentry")
    return None


def _paragraphs(fragment: str) -> list[str]:
    """The text of each <p> of an HTML fragment, as a browser shows it."""
    if not fragment.strip():
        return []
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    return ["".join(p.itertext()) for p in root.iter("p")]


def _scored(item: etree._Element) -> list[str]:
    """The responses that set SCORE to 100, in order."""
    return [
        cond.findtext(f"{Q}conditionvar/{Q}varequal")
        for cond in item.iter(f"{Q}respcondition")
        if cond.findtext(f"{Q}setvar") == "100"
    ]


def check_item(item: etree._Element, q: Question, lang: str) -> None:
    """What Canvas's converter reads from a QTI 1.2 item, checked for one question."""
    assert item.get("ident") == item_id(q)
    # QTIMigrationTool lib/imsqtiv1.py, MDFieldMap: 'question_type' and
    # 'points_possible' become instructureMetadata; canvas-lms
    # qti_exporter/lib/qti/assessment_item_converter.rb
    # (parse_instructure_metadata) sets the question type and its points.
    assert _field(item, "question_type") == CANVAS_TYPE[q.kind]
    assert float(_field(item, "points_possible")) > 0, "essays too score points"
    # the question text: one HTML mattext in the presentation, which the
    # converter writes as <div class="html"> and Canvas takes as HTML
    (text,) = item.findall(f"{Q}presentation/{Q}material/{Q}mattext")
    assert text.get("texttype") == "text/html"
    shown = _paragraphs(text.text)
    if q.kind == Kind.CLOZE:
        assert shown == q.prompt.splitlines()
        assert any(BLANK in line for line in shown), "the blank stays in the stem"
    else:
        assert q.prompt.splitlines() == shown[: len(q.prompt.splitlines())]
    if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        (lid,) = item.findall(f"{Q}presentation/{Q}response_lid")
        assert lid.get("ident") == RESPONSE
        labels = lid.findall(f"{Q}render_choice/{Q}response_label")
        assert [
            "".join(_paragraphs(x.findtext(f"{Q}material/{Q}mattext"))) for x in labels
        ] == list(q.options)
        assert [x.get("ident") for x in labels] == [
            choice_id(i) for i in range(len(q.options))
        ]
        assert _scored(item) == [choice_id(int(q.answer))]
    else:
        # a short answer or an essay: one typed response (response_str);
        # canvas-lms qti_exporter/lib/qti/extended_text_interaction.rb takes
        # each stringMatch of the converted responseProcessing as an accepted
        # answer, and an item with none as an essay
        (typed,) = item.findall(f"{Q}presentation/{Q}response_str")
        assert typed.find(f"{Q}render_fib") is not None
        expected = list(q.typed_answers) if q.kind == Kind.CLOZE else []
        assert _scored(item) == expected
        for cond in item.iter(f"{Q}varequal"):
            assert cond.get("case") == "No", "typed answers match in any case"
    # the general feedback: assessment_item_converter.rb (get_feedback) reads a
    # modalFeedback whose identifier matches /general_|_all/ as the general
    # comments; the converter names it after the itemfeedback's ident
    (feedback,) = item.findall(f"{Q}itemfeedback")
    assert re.search(r"general_|_all", feedback.get("ident"), re.I)
    shows = [
        c
        for c in item.iter(f"{Q}respcondition")
        if c.find(f"{Q}conditionvar/{Q}other") is not None
    ]
    assert [c.find(f"{Q}displayfeedback").get("linkrefid") for c in shows] == [
        GENERAL_FEEDBACK
    ]
    said = "\n".join(
        _paragraphs(feedback.findtext(f"{Q}flow_mat/{Q}material/{Q}mattext"))
    )
    assert q.source.quote in said or all(s.quote in said for s in q.sides)
    assert str(q.source.paragraph) in said
    if q.kind == Kind.DISCUSSION:
        assert label("teacher_notes", lang) in said
        assert all(line in said for line in q.teacher_notes.splitlines())


def check_package(path: Path, quiz: Quiz) -> etree._Element:
    """The package's rules: manifest, the ASI content model, every item; returns the doc."""
    manifest, doc, _ = _read(path)
    # canvas-lms qti_exporter/lib/qti/converter.rb (is_qti_2): a manifest with
    # no QTI 2 namespace and no `QTIv2.` schema is converted with migrate.py
    assert manifest.findtext(f"{CP}metadata/{CP}schema") == "IMS Content"
    assert not any("imsqti_v2" in ns for ns in manifest.nsmap.values() if ns)
    (resource,) = manifest.findall(f"{CP}resources/{CP}resource")
    assert resource.get("type") == "imsqti_xmlv1p2"
    dtd = _dtd()
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    items = doc.findall(f"{Q}assessment/{Q}section/{Q}item")
    assert [i.get("ident") for i in items] == [item_id(q) for q in quiz.questions]
    assert len({i.get("ident") for i in items}) == len(items)
    for item, q in zip(items, quiz.questions, strict=True):
        check_item(item, q, quiz.lang)
    return doc


def test_qti12_example_bank_every_version_and_language(tmp_path):
    bank = load_bank(EXAMPLE_BANK)
    for lang in ("zh", "en"):
        quizzes = generate(bank, Choices(lang=lang, seed=3, versions=2))
        paths = export("qti", quizzes, tmp_path / lang)
        assert [p.name for p in paths] == [f"{base_name(q)}.qti.zip" for q in quizzes]
        kinds = set()
        for path, quiz in zip(paths, quizzes, strict=True):
            check_package(path, quiz)
            kinds |= {q.kind for q in quiz.questions}
        assert kinds == set(Kind)


def test_qti12_tricky_text_and_variants_survive(tmp_path, artifacts):
    quiz = tricky_quiz(variants=True)
    (path,) = write([quiz], tmp_path, ExportOptions())
    (artifacts / "lms").mkdir(exist_ok=True)
    (artifacts / "lms" / path.name).write_bytes(path.read_bytes())
    doc = check_package(path, quiz)
    raw = etree.tostring(doc, encoding="unicode")
    assert "王老师" in raw, "Chinese is stored as UTF-8, not as references"
    cloze = next(i for i in doc.iter(f"{Q}item") if i.get("ident") == "c1.cloze")
    assert _scored(cloze)[1:] == list(VARIANTS)
    feedback = cloze.findtext(f"{Q}itemfeedback/{Q}flow_mat/{Q}material/{Q}mattext")
    assert QUOTE in "\n".join(_paragraphs(feedback))


def test_qti12_and_qti21_say_the_same(tmp_path):
    """Both QTI packages give the same items, right options and accepted answers."""
    quiz = tricky_quiz(variants=True)
    (p12,) = write([quiz], tmp_path, ExportOptions())
    (p21,) = qti21.write([quiz], tmp_path, ExportOptions())
    _, doc, _ = _read(p12)
    items12 = {i.get("ident"): i for i in doc.iter(f"{Q}item")}
    q21 = f"{{{qti21.NS_QTI}}}"
    with zipfile.ZipFile(p21) as zf:
        for q in quiz.questions:
            item21 = etree.fromstring(zf.read(f"items/{qti21.item_id(q)}.xml"))
            right21 = [
                v.text
                for v in item21.iter(f"{q21}value")
                if v.getparent().tag.endswith("correctResponse")
            ]
            typed21 = [
                b.text
                for b in item21.iter(f"{q21}baseValue")
                if b.get("baseType") == "string"
            ]
            scored12 = _scored(items12[qti21.item_id(q)])
            if q.kind == Kind.CLOZE:
                assert scored12 == typed21 == list(q.typed_answers)
            elif q.kind == Kind.DISCUSSION:
                assert scored12 == right21 == []
            else:
                assert scored12 == right21


def test_qti12_same_quiz_same_bytes_and_times_from_the_bank(tmp_path):
    quiz = tricky_quiz()
    (a,) = write([quiz], tmp_path / "a", ExportOptions())
    (b,) = write([quiz], tmp_path / "b", ExportOptions())
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        assert zf.namelist()[0] == "imsmanifest.xml"
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_qti12_dtd_rejects_what_the_binding_forbids():
    """The DTD is not a rubber stamp: an item out of order or unknown fails."""
    dtd = _dtd()
    good = etree.fromstring(
        f'<questestinterop xmlns="{NS_QTI}"><item ident="a">'
        "<presentation><material><mattext>x</mattext></material></presentation>"
        "</item></questestinterop>"
    )
    assert dtd.validate(good), dtd.error_log
    swapped = etree.fromstring(
        f'<questestinterop xmlns="{NS_QTI}"><item ident="a">'
        '<itemfeedback ident="f"><material><mattext>x</mattext></material></itemfeedback>'
        "<presentation><material><mattext>x</mattext></material></presentation>"
        "</item></questestinterop>"
    )
    assert not dtd.validate(swapped)
    no_ident = etree.fromstring(
        f'<questestinterop xmlns="{NS_QTI}"><item/></questestinterop>'
    )
    assert not dtd.validate(no_ident)


def test_tricky_variants_differ_from_the_term():
    q = next(q for q in tricky_quiz(variants=True).questions if q.kind == Kind.CLOZE)
    assert q.accepted_answers == (q.answer, *VARIANTS)
    assert replace(q, accepted=()).accepted_answers == (q.answer,)
