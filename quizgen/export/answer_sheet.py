"""The answer sheet: one sheet per student to collect and mark.

Header: title, version and full marks, name / class / number fields, the
marking grid. Then the handout's sections with their points: a box per option
for choice questions (“1. □A □B □C □D”, four questions a row), a box per
answer for true or false (“□A True □B False”, three a row, the letters the
handout and the compact key use), a line sized to the answer for each blank,
and ruled writing space for each discussion question. Boxes are U+25A1 □,
which every Chinese font has (☐ is not).
"""

from __future__ import annotations

from docx.document import Document
from docx.shared import Cm, Emu

from quizgen.export.docx_styles import PAGE, fonts_for, new_document
from quizgen.export.handout_blanks import blank_width
from quizgen.export.handout_common import (
    LETTERS,
    Body,
    footer,
    plural,
    score_table,
    section_heading,
    sections,
    text_for,
    writing_lines,
    writing_space,
)
from quizgen.export.handout_points import Points
from quizgen.quiz import Kind, Question, Quiz

__all__ = ["BOX", "answer_sheet_document", "boxes"]

BOX = "\u25a1"  # □
#: questions a row: choice, true or false
_PER_ROW = {Kind.MULTIPLE_CHOICE: 4, Kind.TRUE_FALSE: 3}
_ROW_STYLE = {Kind.MULTIPLE_CHOICE: "Sheet Row", Kind.TRUE_FALSE: "Sheet Row 3"}


def boxes(number: int, q: Question) -> str:
    """'1. □A □B □C □D' for a choice question, '12. □A 正确 □B 错误' for true or false."""
    if q.kind == Kind.TRUE_FALSE:
        marks = [f"{BOX}{LETTERS[i]} {o}" for i, o in enumerate(q.options)]
        return f"{number}. " + "  ".join(marks)
    return f"{number}. " + " ".join(f"{BOX}{LETTERS[i]}" for i in range(len(q.options)))


def answer_sheet_document(quiz: Quiz, points: Points) -> Document:
    """The answer sheet of one version, numbered as its handout.

    Returns a python-docx Document.
    """
    lang = quiz.lang
    text = text_for(lang)
    doc = new_document(lang, title=f"{quiz.title} {quiz.version_label}")
    footer(doc, quiz)
    body = Body(doc, lang)
    body.add(text["sheet_title"].format(title=quiz.title), style="Title")
    body.add(
        text["version"].format(label=quiz.version_label)
        + "    "
        + text["full_marks"].format(total=points.total(quiz.questions)),
        style="Subtitle",
    )
    body.add(text["sheet_info"], style="Handout Info")
    score_table(body, quiz)
    how = body.add(text["sheet_how"], style="Handout Info")
    how.paragraph_format.space_before = Cm(0.2)
    line = Emu(PAGE.text_width // 2)
    for index, (kind, pairs) in enumerate(sections(quiz)):
        heading = section_heading(lang, index, kind, len(pairs), points)
        if kind != Kind.DISCUSSION:
            body.add(heading, style="Heading 1")
        if kind in _PER_ROW:
            per_row = _PER_ROW[kind]
            cells = [boxes(n, q) for n, q in pairs]
            for i in range(0, len(cells), per_row):
                body.add("\t".join(cells[i : i + per_row]), style=_ROW_STYLE[kind])
        elif kind == Kind.CLOZE:
            for number, q in pairs:
                p = body.add(f"{number}.\t", style="Answer Item")
                width = blank_width(q.accepted_answers, fonts_for(lang), limit=line)
                body.blanks.add(p, width)
        else:
            for number, q in pairs:
                # number and lines move to the next page together (see
                # Body.unbreakable_block); the heading goes with the first
                body.container = body.unbreakable_block()
                if heading:
                    body.add(heading, style="Heading 1")
                    heading = ""
                stem = body.add(
                    f"{number}.\t"
                    + text["points_each"]
                    .format(n=points.of(q), s=plural(points.of(q)))
                    .strip(),
                    style="Question",
                )
                stem.paragraph_format.keep_with_next = True
                writing_space(body, writing_lines(points.of(q)))
                body.container = None
    return doc
