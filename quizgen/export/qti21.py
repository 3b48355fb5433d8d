"""IMS QTI 2.1 content packages, for QTI 2.1 importers (format `qti21`).

Canvas imports the QTI 1.2 package of `qti12` whole and this one with losses
(see docs/lms.md); this is for the platforms that read QTI 2.1.

One zip per version, `<bank>-<lang>[-A].qti21.zip`, holding:

- `imsmanifest.xml`: an IMS Content Packaging 1.1 manifest with one
  `imsqti_item_xmlv2p1` resource per question and one `imsqti_test_xmlv2p1`
  resource for the test, which depends on every item;
- `assessment.xml`: an assessmentTest with one section per topic, in quiz order;
- `items/<id>.xml`: one assessmentItem per question.

Kinds map to interactions: multiple_choice and true_false -> choiceInteraction
(one right choice, `correctResponse` and scoring; multiple choice shuffled),
cloze -> textEntryInteraction in the sentence (the term and each accepted
variant right in every form a student types, `Question.typed_answers`, whatever its case), discussion -> extendedTextInteraction with the teacher's
notes in a `rubricBlock view="scorer"`. Response processing sets SCORE to 1
for a right answer, else 0, and always shows the general feedback (a
modalFeedback with the explanation and its verbatim quote).

Identifiers come from question ids, made into NCNames deterministically
(lms_common.ncname), so a rebuild keeps them. The zip is reproducible: fixed
member order and timestamps (the bank's last change, or 1980-01-01).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from quizgen.export import ExportOptions
from quizgen.export.files import base_name
from quizgen.export.lms_common import (
    BLANK,
    by_topic,
    check_quizzes,
    discussion_lines,
    feedback_lines,
    label,
    ncname,
    question_title,
    sub_element,
    write_zip,
    xml_bytes,
    xml_text,
)
from quizgen.quiz import Kind, Question, Quiz

__all__ = [
    "NS_CP",
    "NS_QTI",
    "assessment_item",
    "assessment_test",
    "assessment_test_id",
    "choice_id",
    "item_id",
    "manifest",
    "package_members",
    "write",
]

NS_QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
NS_CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD_QTI = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
XSD_CP = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

RESPONSE = "RESPONSE"
SCORE = "SCORE"
MAXSCORE = "MAXSCORE"
FEEDBACK = "FEEDBACK"
#: the general feedback's identifier; Canvas's converter reads a modalFeedback
#: whose identifier matches /general_|_all/ as the general comments
GENERAL = "general_fb"
TEST_FILE = "assessment.xml"
ITEM_DIR = "items"


def _q(tag: str) -> str:
    return f"{{{NS_QTI}}}{tag}"


def _el(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str
) -> etree._Element:
    """A QTI element under `parent`, with `text` (made XML-safe) and attributes."""
    return sub_element(parent, _q(tag), text, **attrs)


def choice_id(index: int) -> str:
    """The identifier of the option at `index`: CHOICE_A, CHOICE_B, ..."""
    return f"CHOICE_{chr(ord('A') + index)}" if index < 26 else f"CHOICE_{index}"


def item_id(q: Question) -> str:
    """The item identifier of a question: its id as an NCName."""
    return ncname(q.id, prefix="item")


def _paragraphs(parent: etree._Element, lines: Sequence[str]) -> None:
    for line in lines:
        if line.strip():
            _el(parent, "p", line)


def _outcomes(item: etree._Element, max_score: int) -> None:
    score = _el(
        item,
        "outcomeDeclaration",
        identifier=SCORE,
        cardinality="single",
        baseType="float",
    )
    _el(_el(score, "defaultValue"), "value", "0")
    top = _el(
        item,
        "outcomeDeclaration",
        identifier=MAXSCORE,
        cardinality="single",
        baseType="float",
    )
    _el(_el(top, "defaultValue"), "value", str(max_score))
    _el(
        item,
        "outcomeDeclaration",
        identifier=FEEDBACK,
        cardinality="single",
        baseType="identifier",
    )


def _set(parent: etree._Element, identifier: str, base_type: str, value: str) -> None:
    setter = _el(parent, "setOutcomeValue", identifier=identifier)
    _el(setter, "baseValue", value, baseType=base_type)


def _processing(
    item: etree._Element, compare: str | None, accepted: Sequence[str] = ()
) -> None:
    """SCORE 1 when the response is a right one, else 0; then show the feedback.

    `compare` is 'match' (choice identifiers, against the correct response),
    'text' (the string typed, compared ignoring case with stringMatch against
    each of `accepted`) or None (not scored: an essay).
    """
    rp = _el(item, "responseProcessing")
    if compare is not None:
        cond = _el(rp, "responseCondition")
        when = _el(cond, "responseIf")
        if compare == "match":
            test = _el(when, "match")
            _el(test, "variable", identifier=RESPONSE)
            _el(test, "correct", identifier=RESPONSE)
        else:
            either = _el(when, "or")
            for answer in accepted:
                test = _el(either, "stringMatch", caseSensitive="false")
                _el(test, "variable", identifier=RESPONSE)
                _el(test, "baseValue", answer, baseType="string")
        _set(when, SCORE, "float", "1")
        _set(_el(cond, "responseElse"), SCORE, "float", "0")
    _set(rp, FEEDBACK, "identifier", GENERAL)


def assessment_item(q: Question, lang: str, source_language: str = "zh") -> bytes:
    """One question as a QTI 2.1 assessmentItem document (UTF-8 bytes)."""
    item = etree.Element(
        _q("assessmentItem"),
        nsmap={None: NS_QTI, "xsi": NS_XSI},
    )
    item.set(f"{{{NS_XSI}}}schemaLocation", f"{NS_QTI} {XSD_QTI}")
    item.set("identifier", item_id(q))
    item.set("title", xml_text(question_title(q)))
    item.set("adaptive", "false")
    item.set("timeDependent", "false")
    item.set(XML_LANG, lang)

    if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        decl = _el(
            item,
            "responseDeclaration",
            identifier=RESPONSE,
            cardinality="single",
            baseType="identifier",
        )
        _el(_el(decl, "correctResponse"), "value", choice_id(int(q.answer or 0)))
        scored: str | None = "match"
    elif q.kind == Kind.CLOZE:
        decl = _el(
            item,
            "responseDeclaration",
            identifier=RESPONSE,
            cardinality="single",
            baseType="string",
        )
        _el(_el(decl, "correctResponse"), "value", str(q.answer))
        scored = "text"
    else:
        _el(
            item,
            "responseDeclaration",
            identifier=RESPONSE,
            cardinality="single",
            baseType="string",
        )
        scored = None
    _outcomes(item, 0 if scored is None else 1)

    body = _el(item, "itemBody")
    prompt_lines = q.prompt.splitlines()
    if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        _paragraphs(body, prompt_lines)
        interaction = _el(
            body,
            "choiceInteraction",
            responseIdentifier=RESPONSE,
            shuffle="true" if q.kind == Kind.MULTIPLE_CHOICE else "false",
            maxChoices="1",
        )
        for i, option in enumerate(q.options):
            _el(interaction, "simpleChoice", option, identifier=choice_id(i))
    elif q.kind == Kind.CLOZE:
        placed = False
        for line in prompt_lines:
            if not placed and BLANK in line:
                before, _, after = line.partition(BLANK)
                p = _el(body, "p", before)
                entry = _el(
                    p,
                    "textEntryInteraction",
                    responseIdentifier=RESPONSE,
                    expectedLength=str(max(8, len(str(q.answer)) * 2)),
                )
                entry.tail = xml_text(after)
                placed = True
            elif line.strip():
                _el(body, "p", line)
        if not placed:
            p = _el(body, "p")
            _el(
                p,
                "textEntryInteraction",
                responseIdentifier=RESPONSE,
                expectedLength="20",
            )
    else:
        _paragraphs(body, prompt_lines)
        sides, guiding = discussion_lines(q, lang)
        _el(body, "p", label("positions", lang))
        ul = _el(body, "ul")
        for side in sides:
            _el(ul, "li", side)
        if guiding:
            _el(body, "p", label("guiding", lang))
            ol = _el(body, "ol")
            for g in guiding:
                _el(ol, "li", g)
        _el(
            body,
            "extendedTextInteraction",
            responseIdentifier=RESPONSE,
            expectedLines="15",
        )
        if q.teacher_notes:
            rubric = _el(body, "rubricBlock", view="scorer")
            _paragraphs(rubric, q.teacher_notes.splitlines())

    _processing(item, scored, q.typed_answers)
    feedback = _el(
        item,
        "modalFeedback",
        outcomeIdentifier=FEEDBACK,
        identifier=GENERAL,
        showHide="show",
    )
    _paragraphs(feedback, feedback_lines(q, lang, source_language))
    return xml_bytes(item)


def assessment_test_id(quiz: Quiz) -> str:
    """The assessmentTest identifier of a quiz: bank, language and version."""
    return ncname(f"{quiz.bank}-{quiz.lang}-{quiz.version_label}", prefix="test")


def _item_href(q: Question) -> str:
    return f"{ITEM_DIR}/{item_id(q)}.xml"


def assessment_test(quiz: Quiz) -> bytes:
    """The quiz as a QTI 2.1 assessmentTest: one section per topic, SCORE summed."""
    test = etree.Element(_q("assessmentTest"), nsmap={None: NS_QTI, "xsi": NS_XSI})
    test.set(f"{{{NS_XSI}}}schemaLocation", f"{NS_QTI} {XSD_QTI}")
    test.set("identifier", assessment_test_id(quiz))
    suffix = f" ({quiz.version_label})" if quiz.versions > 1 else ""
    test.set("title", xml_text(f"{quiz.title}{suffix}"))
    score = _el(
        test,
        "outcomeDeclaration",
        identifier=SCORE,
        cardinality="single",
        baseType="float",
    )
    _el(_el(score, "defaultValue"), "value", "0")
    part = _el(
        test,
        "testPart",
        identifier="PART_1",
        navigationMode="nonlinear",
        submissionMode="simultaneous",
    )
    for n, (topic, topic_name, questions) in enumerate(by_topic(quiz), start=1):
        section = _el(
            part,
            "assessmentSection",
            identifier=ncname(f"SECTION_{n}_{topic}", prefix="section"),
            title=xml_text(topic_name),
            visible="true",
        )
        for q in questions:
            _el(section, "assessmentItemRef", identifier=item_id(q), href=_item_href(q))
    processing = _el(test, "outcomeProcessing")
    setter = _el(processing, "setOutcomeValue", identifier=SCORE)
    _el(_el(setter, "sum"), "testVariables", variableIdentifier=SCORE)
    return xml_bytes(test)


def manifest(quiz: Quiz) -> bytes:
    """The imsmanifest.xml of a quiz's package: one resource per item, one for the test."""

    def cp(tag: str) -> str:
        return f"{{{NS_CP}}}{tag}"

    root = etree.Element(cp("manifest"), nsmap={None: NS_CP, "xsi": NS_XSI})
    root.set(
        "identifier", ncname(f"MANIFEST-{assessment_test_id(quiz)}", prefix="manifest")
    )
    root.set(f"{{{NS_XSI}}}schemaLocation", f"{NS_CP} {XSD_CP}")
    metadata = etree.SubElement(root, cp("metadata"))
    etree.SubElement(metadata, cp("schema")).text = "QTIv2.1 Package"
    etree.SubElement(metadata, cp("schemaversion")).text = "1.0.0"
    etree.SubElement(root, cp("organizations"))
    resources = etree.SubElement(root, cp("resources"))
    test = etree.SubElement(
        resources,
        cp("resource"),
        identifier=f"RES-{assessment_test_id(quiz)}",
        type="imsqti_test_xmlv2p1",
        href=TEST_FILE,
    )
    etree.SubElement(test, cp("file"), href=TEST_FILE)
    for q in quiz.questions:
        etree.SubElement(test, cp("dependency"), identifierref=f"RES-{item_id(q)}")
    for q in quiz.questions:
        res = etree.SubElement(
            resources,
            cp("resource"),
            identifier=f"RES-{item_id(q)}",
            type="imsqti_item_xmlv2p1",
            href=_item_href(q),
        )
        etree.SubElement(res, cp("file"), href=_item_href(q))
    return xml_bytes(root)


def package_members(quiz: Quiz) -> list[tuple[str, bytes]]:
    """The package's files in zip order: (name, content)."""
    members = [("imsmanifest.xml", manifest(quiz)), (TEST_FILE, assessment_test(quiz))]
    members += [
        (_item_href(q), assessment_item(q, quiz.lang, quiz.source_language))
        for q in quiz.questions
    ]
    return members


def write(quizzes: Sequence[Quiz], out_dir: Path, options: ExportOptions) -> list[Path]:
    """Write `<bank>-<lang>[-A].qti21.zip` per version; return the paths written.

    Raises QuizgenError, before writing anything, for a question that cannot be
    written (lms_common.check_quizzes).
    """
    check_quizzes(quizzes)
    return [
        write_zip(out_dir / f"{base_name(q)}.qti21.zip", q, package_members(q))
        for q in quizzes
    ]
