"""Moodle XML question files (Moodle 4: Question bank > Import > Moodle XML format).

One file per version, `<bank>-<lang>[-A].xml`. Each topic becomes a category
under the bank's title (`$course$/top/<title>/<topic>`). Kinds map to Moodle
question types:

- multiple_choice -> `multichoice` (single answer, answers shuffled);
- true_false      -> `truefalse` (Moodle shows its own True/False labels);
- cloze           -> `shortanswer` (the prompt with its blank; the term and
  each accepted variant, in every form a student types (5 years, five
  years; `Question.typed_answers`), as a right answer at 100%, case-insensitive, `*`
  escaped since Moodle reads it as a wildcard);
- discussion      -> `essay` (HTML editor) with the teacher's notes as grader
  information.

General feedback is the explanation (statement, verbatim quote, paragraph,
speaker); for an essay it is each side's quote. Text is HTML escaped once and
stored as XML character data, so `<`, `&` and `]]>` in the text cannot break
the file; Chinese stays UTF-8.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from quizgen.export import ExportOptions
from quizgen.export.files import base_name, write_atomic
from quizgen.export.lms_common import (
    by_topic,
    category_path,
    check_quizzes,
    discussion_lines,
    feedback_lines,
    html_paragraphs,
    label,
    moodle_idnumber,
    question_title,
    xml_bytes,
    xml_text,
)
from quizgen.quiz import Kind, Question, Quiz

__all__ = ["moodle_xml", "write"]

#: Moodle's question type for each kind
QTYPE: dict[Kind, str] = {
    Kind.MULTIPLE_CHOICE: "multichoice",
    Kind.TRUE_FALSE: "truefalse",
    Kind.CLOZE: "shortanswer",
    Kind.DISCUSSION: "essay",
}


def _set_text(el: etree._Element, value: str, html: bool) -> None:
    """Store `value` as `el`'s text: HTML in a CDATA section, as Moodle writes it.

    A value holding `]]>` (which would end the section) and plain text are
    stored as escaped character data instead; both read back the same.
    """
    value = xml_text(value)
    el.text = etree.CDATA(value) if html and value and "]]>" not in value else value


def _text(parent: etree._Element, tag: str, value: str, fmt: str = "html") -> None:
    """`<tag format=fmt><text>value</text></tag>` (value already in that format)."""
    el = etree.SubElement(parent, tag, format=fmt)
    _set_text(etree.SubElement(el, "text"), value, fmt == "html")


def _plain(parent: etree._Element, tag: str, value: str) -> None:
    etree.SubElement(parent, tag).text = xml_text(value)


def _category(root: etree._Element, parts: Sequence[str]) -> None:
    question = etree.SubElement(root, "question", type="category")
    category = etree.SubElement(question, "category")
    etree.SubElement(category, "text").text = category_path(parts)
    _text(question, "info", "")


def _answer(
    parent: etree._Element, text: str, fraction: int, fmt: str = "html"
) -> None:
    answer = etree.SubElement(parent, "answer", fraction=str(fraction), format=fmt)
    _set_text(etree.SubElement(answer, "text"), text, fmt == "html")
    _text(answer, "feedback", "")


def _shortanswer_text(term: str) -> str:
    """A short-answer answer: Moodle reads `*` as a wildcard, `\\*` as a star."""
    return term.replace("*", "\\*")


def _question_text(q: Question, lang: str) -> str:
    body = html_paragraphs(q.prompt.splitlines())
    if q.kind == Kind.DISCUSSION:
        sides, guiding = discussion_lines(q, lang)
        body += html_paragraphs([label("positions", lang)])
        body += html_paragraphs(sides)
        if guiding:
            body += html_paragraphs([label("guiding", lang)])
            body += html_paragraphs(guiding)
    return body


def _question(
    root: etree._Element, q: Question, lang: str, source_language: str = "zh"
) -> None:
    question = etree.SubElement(root, "question", type=QTYPE[q.kind])
    name = etree.SubElement(question, "name")
    etree.SubElement(name, "text").text = xml_text(question_title(q))
    _text(question, "questiontext", _question_text(q, lang))
    _text(
        question,
        "generalfeedback",
        html_paragraphs(feedback_lines(q, lang, source_language)),
    )
    _plain(question, "defaultgrade", "1.0000000")
    penalty = {
        Kind.MULTIPLE_CHOICE: "0.3333333",
        Kind.TRUE_FALSE: "1.0000000",
        Kind.CLOZE: "0.3333333",
        Kind.DISCUSSION: "0.0000000",
    }[q.kind]
    _plain(question, "penalty", penalty)
    _plain(question, "hidden", "0")
    _plain(question, "idnumber", moodle_idnumber(q.id))
    if q.kind == Kind.MULTIPLE_CHOICE:
        _plain(question, "single", "true")
        _plain(question, "shuffleanswers", "true")
        _plain(question, "answernumbering", "abc")
        _plain(question, "showstandardinstruction", "0")
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            _text(question, tag, "")
        for i, option in enumerate(q.options):
            _answer(question, html_paragraphs([option]), 100 if i == q.answer else 0)
    elif q.kind == Kind.TRUE_FALSE:
        statement_true = q.answer == 0
        _answer(question, "true", 100 if statement_true else 0, "moodle_auto_format")
        _answer(question, "false", 0 if statement_true else 100, "moodle_auto_format")
    elif q.kind == Kind.CLOZE:
        _plain(question, "usecase", "0")
        for accepted in q.typed_answers:
            _answer(question, _shortanswer_text(accepted), 100, "moodle_auto_format")
    else:
        _plain(question, "responseformat", "editor")
        _plain(question, "responserequired", "1")
        _plain(question, "responsefieldlines", "15")
        _plain(question, "attachments", "0")
        _plain(question, "attachmentsrequired", "0")
        _text(question, "graderinfo", html_paragraphs(q.teacher_notes.splitlines()))
        _text(question, "responsetemplate", "")
    for tag in q.tags:
        tags = question.find("tags")
        if tags is None:
            tags = etree.SubElement(question, "tags")
        etree.SubElement(etree.SubElement(tags, "tag"), "text").text = xml_text(tag)


def moodle_xml(quiz: Quiz) -> bytes:
    """The Moodle XML document of one quiz, as UTF-8 bytes with an XML declaration."""
    root = etree.Element("quiz")
    root.append(
        etree.Comment(
            xml_text(
                f" quizgen: {quiz.bank}, {quiz.lang}, version {quiz.version_label}, "
                f"seed {quiz.seed} ".replace("--", "- -")
            )
        )
    )
    for _topic, topic_name, questions in by_topic(quiz):
        _category(root, [quiz.title, topic_name])
        for q in questions:
            _question(root, q, quiz.lang, quiz.source_language)
    return xml_bytes(root)


def write(quizzes: Sequence[Quiz], out_dir: Path, options: ExportOptions) -> list[Path]:
    """Write `<bank>-<lang>[-A].xml` per version; return the paths written.

    Raises QuizgenError, before writing anything, for a question that cannot be
    written (lms_common.check_quizzes).
    """
    check_quizzes(quizzes)
    return [
        write_atomic(out_dir / f"{base_name(q)}.xml", moodle_xml(q)) for q in quizzes
    ]
