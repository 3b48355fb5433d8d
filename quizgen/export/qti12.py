"""IMS QTI 1.2 packages as Canvas imports them (format `qti`).

One zip per version, `<bank>-<lang>[-A].qti.zip`, holding:

- `imsmanifest.xml`: an IMS Content Packaging manifest with one
  `imsqti_xmlv1p2` resource, the assessment;
- `<assessment id>/<assessment id>.xml`: a `questestinterop` with one
  `assessment`, its items in quiz order.

Canvas converts a QTI 1.2 package with Instructure's QTIMigrationTool
(`migrate.py`, QTI 1.2 to 2.1, keeping the `qtimetadata` fields as Canvas
metadata) and reads the result with the qti_exporter plugin of canvas-lms
(`gems/plugins/qti_exporter/lib/qti/`). Each item therefore carries what that
code reads, in the form Canvas's own QTI export and text2qti write:

- `itemmetadata/qtimetadata`: `question_type` (`multiple_choice_question`,
  `true_false_question`, `short_answer_question`, `essay_question`) and
  `points_possible` (1 for every kind, essays included);
- the question text as one HTML `mattext`, a cloze with its blank `______`
  kept in the sentence (Canvas shows the answer box under it);
- choices as `response_lid`/`render_choice`, typed answers as
  `response_str`/`render_fib`;
- `resprocessing`: SCORE 100 for the right choice, or for each accepted
  answer of a cloze in every form a student types (`Question.typed_answers`;
  one `respcondition` per answer, so each becomes one of
  Canvas's accepted answers); the general feedback is shown in any case;
- `itemfeedback ident="general_fb"`: the explanation with its verbatim quote,
  paragraph and speaker (Canvas: the question's general comments). For a
  discussion: each side's quote, then the teacher's notes under their heading
  (Canvas has no grader-only text for a question).

Identifiers are the question ids as NCNames (lms_common.ncname), so a rebuild
keeps them. The zip is reproducible (lms_common.write_zip).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from quizgen.export import ExportOptions
from quizgen.export.files import base_name
from quizgen.export.lms_common import (
    check_quizzes,
    discussion_lines,
    feedback_lines,
    html_paragraphs,
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
    "CANVAS_TYPE",
    "GENERAL_FEEDBACK",
    "NS_CP",
    "NS_QTI",
    "POINTS",
    "RESPONSE",
    "assessment",
    "assessment_id",
    "choice_id",
    "item",
    "item_id",
    "manifest",
    "package_members",
    "write",
]

NS_QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
NS_CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD_QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
XSD_CP = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"

#: Canvas's question type for each kind (the `question_type` metadata field)
CANVAS_TYPE: dict[Kind, str] = {
    Kind.MULTIPLE_CHOICE: "multiple_choice_question",
    Kind.TRUE_FALSE: "true_false_question",
    Kind.CLOZE: "short_answer_question",
    Kind.DISCUSSION: "essay_question",
}
#: points per question, every kind (Moodle's default grade is 1 too)
POINTS = 1
RESPONSE = "response1"
#: the general feedback: Canvas reads /general_|_all/ as the general comments
GENERAL_FEEDBACK = "general_fb"


def _q(tag: str) -> str:
    return f"{{{NS_QTI}}}{tag}"


def _el(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str
) -> etree._Element:
    """A QTI element under `parent`, with `text` (made XML-safe) and attributes."""
    return sub_element(parent, _q(tag), text, **attrs)


def item_id(q: Question) -> str:
    """The item ident of a question: its id as an NCName."""
    return ncname(q.id, prefix="item")


def choice_id(index: int) -> str:
    """The ident of the option at `index`: CHOICE_A, CHOICE_B, ..."""
    return f"CHOICE_{chr(ord('A') + index)}" if index < 26 else f"CHOICE_{index}"


def assessment_id(quiz: Quiz) -> str:
    """The assessment ident of a quiz: bank, language and version."""
    return ncname(f"{quiz.bank}-{quiz.lang}-{quiz.version_label}", prefix="test")


def _html(parent: etree._Element, html: str) -> None:
    """`<material><mattext texttype="text/html">html</mattext></material>`."""
    _el(_el(parent, "material"), "mattext", html, texttype="text/html")


def _metadata(item: etree._Element, fields: Sequence[tuple[str, str]]) -> None:
    meta = _el(_el(item, "itemmetadata"), "qtimetadata")
    for name, value in fields:
        field = _el(meta, "qtimetadatafield")
        _el(field, "fieldlabel", name)
        _el(field, "fieldentry", value)


def _question_html(q: Question, lang: str) -> str:
    body = html_paragraphs(q.prompt.splitlines())
    if q.kind == Kind.DISCUSSION:
        sides, guiding = discussion_lines(q, lang)
        body += html_paragraphs([label("positions", lang), *sides])
        if guiding:
            body += html_paragraphs([label("guiding", lang), *guiding])
    return body


def _feedback_html(q: Question, lang: str, source_language: str = "zh") -> str:
    html = html_paragraphs(feedback_lines(q, lang, source_language))
    if q.kind == Kind.DISCUSSION and q.teacher_notes.strip():
        notes = [label("teacher_notes", lang), *q.teacher_notes.splitlines()]
        html += html_paragraphs(notes)
    return html


def _condition(
    rp: etree._Element, test: str | None, value: str = "", *, score: bool
) -> None:
    """A respcondition: `value` is the response (`<other/>`: any response).

    `test` is 'choice' (an option's ident) or 'text' (a typed answer, compared
    ignoring case: `case="No"`). A scoring condition sets SCORE to 100 and
    ends the processing; the other one shows the general feedback.
    """
    cond = _el(rp, "respcondition", **{"continue": "No" if score else "Yes"})
    var = _el(cond, "conditionvar")
    if test is None:
        _el(var, "other")
    elif test == "choice":
        _el(var, "varequal", value, respident=RESPONSE)
    else:
        _el(var, "varequal", value, respident=RESPONSE, case="No")
    if score:
        _el(cond, "setvar", "100", action="Set", varname="SCORE")
    else:
        _el(
            cond, "displayfeedback", feedbacktype="Response", linkrefid=GENERAL_FEEDBACK
        )


def item(q: Question, lang: str, source_language: str = "zh") -> etree._Element:
    """One question as a QTI 1.2 `item` element, in Canvas's form."""
    el = etree.Element(_q("item"), ident=item_id(q), title=xml_text(question_title(q)))
    _metadata(
        el,
        [("question_type", CANVAS_TYPE[q.kind]), ("points_possible", str(POINTS))],
    )
    presentation = _el(el, "presentation")
    _html(presentation, _question_html(q, lang))
    if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        lid = _el(presentation, "response_lid", ident=RESPONSE, rcardinality="Single")
        render = _el(
            lid,
            "render_choice",
            shuffle="Yes" if q.kind == Kind.MULTIPLE_CHOICE else "No",
        )
        for i, option in enumerate(q.options):
            choice = _el(render, "response_label", ident=choice_id(i))
            _html(choice, html_paragraphs([option]))
    else:
        typed = _el(presentation, "response_str", ident=RESPONSE, rcardinality="Single")
        _el(_el(typed, "render_fib"), "response_label", ident="answer1", rshuffle="No")

    rp = _el(el, "resprocessing")
    _el(
        _el(rp, "outcomes"),
        "decvar",
        maxvalue="100",
        minvalue="0",
        varname="SCORE",
        vartype="Decimal",
    )
    _condition(rp, None, score=False)
    if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        _condition(rp, "choice", choice_id(int(q.answer or 0)), score=True)
    elif q.kind == Kind.CLOZE:
        for accepted in q.typed_answers:
            _condition(rp, "text", accepted, score=True)

    feedback = _el(el, "itemfeedback", ident=GENERAL_FEEDBACK)
    _html(_el(feedback, "flow_mat"), _feedback_html(q, lang, source_language))
    return el


def assessment(quiz: Quiz) -> bytes:
    """The quiz as a QTI 1.2 `questestinterop` document: one assessment, one section."""
    root = etree.Element(_q("questestinterop"), nsmap={None: NS_QTI, "xsi": NS_XSI})
    root.set(f"{{{NS_XSI}}}schemaLocation", f"{NS_QTI} {XSD_QTI}")
    suffix = f" ({quiz.version_label})" if quiz.versions > 1 else ""
    test = _el(
        root,
        "assessment",
        ident=assessment_id(quiz),
        title=xml_text(f"{quiz.title}{suffix}"),
    )
    section = _el(test, "section", ident="root_section")
    for q in quiz.questions:
        section.append(item(q, quiz.lang, quiz.source_language))
    return xml_bytes(root)


def _assessment_href(quiz: Quiz) -> str:
    ident = assessment_id(quiz)
    return f"{ident}/{ident}.xml"


def manifest(quiz: Quiz) -> bytes:
    """The package's imsmanifest.xml: one `imsqti_xmlv1p2` resource, the assessment."""

    def cp(tag: str) -> str:
        return f"{{{NS_CP}}}{tag}"

    root = etree.Element(cp("manifest"), nsmap={None: NS_CP, "xsi": NS_XSI})
    root.set("identifier", ncname(f"MANIFEST-{assessment_id(quiz)}", prefix="m"))
    root.set(f"{{{NS_XSI}}}schemaLocation", f"{NS_CP} {XSD_CP}")
    metadata = etree.SubElement(root, cp("metadata"))
    etree.SubElement(metadata, cp("schema")).text = "IMS Content"
    etree.SubElement(metadata, cp("schemaversion")).text = "1.1.3"
    etree.SubElement(root, cp("organizations"))
    resources = etree.SubElement(root, cp("resources"))
    res = etree.SubElement(
        resources,
        cp("resource"),
        identifier=assessment_id(quiz),
        type="imsqti_xmlv1p2",
    )
    etree.SubElement(res, cp("file"), href=_assessment_href(quiz))
    return xml_bytes(root)


def package_members(quiz: Quiz) -> list[tuple[str, bytes]]:
    """The package's files in zip order: (name, content)."""
    return [
        ("imsmanifest.xml", manifest(quiz)),
        (_assessment_href(quiz), assessment(quiz)),
    ]


def write(quizzes: Sequence[Quiz], out_dir: Path, options: ExportOptions) -> list[Path]:
    """Write `<bank>-<lang>[-A].qti.zip` per version; return the paths written.

    Raises QuizgenError, before writing anything, for a question that cannot be
    written (lms_common.check_quizzes).
    """
    check_quizzes(quizzes)
    return [
        write_zip(out_dir / f"{base_name(q)}.qti.zip", q, package_members(q))
        for q in quizzes
    ]
