"""Word handouts: per version a printable student handout and a teacher key.

`write` writes, for each Quiz (one per version):

- `<base>-student.docx`: header (title, version and full marks, name/class/date
  line, a marking grid with a column per section, instructions, the source),
  questions in sections by kind with their points (2 each, 20 in all),
  numbered 1..N across sections, options lettered A-D in 4, 2 or 1 columns by
  length, each question kept on one page with its options; blanks sized to
  their answer and never broken across a line; discussion questions with the
  sides' verbatim quotes and ruled writing space sized by their points;
  footer “第 X 页 / 共 Y 页”. With `answers='after'` or `'end'` the same
  handout carries the answers (after each question, or at the end) and is
  named `<base>-teacher-copy.docx`.
- `<base>-answer-sheet.docx` with `answer_sheet=True` (quizgen/export/answer_sheet.py).
- `<base>-key.docx`: on its first page the compact key (“1-5 ABCDA” and the
  blanks' answers with their accepted variants; quizgen/export/compact_key.py),
  then a table, one row per question in the handout's order: number, question
  id (the id an Anki note and a results column carry), the right letter and
  text with the points, the explanation with the verbatim quote, paragraph and
  speaker; for discussion questions each side's position and the notes.

Numbers, letters and the answer letters are plain text, so every viewer shows
the same ones the key names. Output is reproducible: the same quiz gives the
same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Emu
from docx.text.paragraph import Paragraph

from quizgen.bank.genre import quote_marks
from quizgen.errors import ChoiceError
from quizgen.export import ExportOptions
from quizgen.export.answer_sheet import answer_sheet_document
from quizgen.export.compact_key import compact_key
from quizgen.export.docx_styles import (
    NUMBER_INDENT,
    PAGE,
    fonts_for,
    new_document,
    option_columns,
)
from quizgen.export.files import base_name
from quizgen.export.handout_blanks import blank_width
from quizgen.export.handout_common import (
    KIND_ORDER,
    LETTERS,
    Body,
    answer_text,
    footer,
    keep_header_row,
    keep_row_whole,
    numbered,
    plural,
    save,
    score_table,
    section_heading,
    sections,
    text_for,
    variants_text,
    writing_lines,
    writing_space,
)
from quizgen.export.handout_points import DEFAULT_POINTS, Points
from quizgen.i18n import t
from quizgen.quiz import Kind, Question, Quiz

__all__ = [
    "ANSWER_MODES",
    "KIND_ORDER",
    "LETTERS",
    "handout_document",
    "key_document",
    "numbered",
    "write",
]

ANSWER_MODES = ("none", "after", "end")

#: a blank in a generated cloze prompt (quizgen.generate writes six underscores)
_BLANK = re.compile(r"_{3,}")
#: a citation of a paragraph number: 第 117 段, 第95、97段, P117, paragraph 12
CITES_PARAGRAPH = re.compile(
    r"第\s*\d+(?:\s*[-–~、，,和至到]\s*第?\s*\d+)*\s*段|(?<![A-Za-z])P\d+\b"
    r"|\bparagraphs?\s+\d+",
    re.I,
)


def student_guiding(q: Question) -> tuple[str, ...]:
    """The guiding questions a student handout prints: those citing no paragraph.

    The handout carries the sides' quotes, not the source text, so a guiding
    question that cites a paragraph number would send the student to a text
    they do not have; the key lists it for the teacher.
    """
    return tuple(g for g in q.guiding if not CITES_PARAGRAPH.search(g))


# --------------------------------------------------------------------------- handout


def _header(body: Body, quiz: Quiz, mode: str, points: Points, sheet: bool) -> None:
    text = text_for(quiz.lang)
    body.add(quiz.title, style="Title")
    subtitle = text["version"].format(label=quiz.version_label)
    subtitle += "    " + text["full_marks"].format(total=points.total(quiz.questions))
    if mode != "none":
        subtitle += "    " + text["teacher_copy"]
    body.add(subtitle, style="Subtitle")
    body.add(text["info"], style="Handout Info")
    score_table(body, quiz)
    kinds = {q.kind for q in quiz.questions}
    how = []
    if sheet:
        how.append(text["how_sheet"])
    if kinds & {Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE}:
        how.append(text["how_choice"])
    if Kind.CLOZE in kinds:
        how.append(text["how_cloze"])
    if Kind.DISCUSSION in kinds:
        how.append(text["how_discussion"])
    first = True
    for line in how:
        p = body.add(line, style="Handout Info")
        if first:
            p.paragraph_format.space_before = Cm(0.2)
            first = False
    body.add(
        text["source"].format(title=quiz.source_title, origin=quiz.source_origin),
        style="Handout Info",
    )


def _options(body: Body, q: Question, columns: int) -> list[Paragraph]:
    labelled = [f"{LETTERS[i]}. {o}" for i, o in enumerate(q.options)]
    if columns == 1:
        return [
            body.add(f"{LETTERS[i]}.\t{o}", style="Option")
            for i, o in enumerate(q.options)
        ]
    style = "Options 4 Columns" if columns == 4 else "Options 2 Columns"
    return [
        body.add("\t".join(labelled[i : i + columns]), style=style)
        for i in range(0, len(labelled), columns)
    ]


#: the widest a blank may be: the question's text width
_LINE = Emu(PAGE.text_width - NUMBER_INDENT)


def _stem(body: Body, number: int, q: Question, suffix: str = "") -> Paragraph:
    """The question's paragraph: number, tab, prompt, each blank a sized line."""
    if q.kind != Kind.CLOZE:
        return body.add(f"{number}.\t{q.prompt}{suffix}", style="Question")
    stem = body.add(f"{number}.\t", style="Question")
    width = blank_width(q.accepted_answers, fonts_for(body.lang), limit=_LINE)
    pieces = _BLANK.split(q.prompt)
    for i, piece in enumerate(pieces):
        if piece:
            stem._p.add_r().text = piece
        if i < len(pieces) - 1:
            body.blanks.add(stem, width)
    if suffix:
        stem._p.add_r().text = suffix
    return stem


def _question(
    body: Body,
    number: int,
    q: Question,
    mode: str,
    points: Points,
    sheet: bool,
    heading: str = "",
) -> None:
    text = text_for(body.lang)
    fonts = fonts_for(body.lang)
    marks = _marks(body.source_language)
    suffix = (
        text["points_each"].format(n=points.of(q), s=plural(points.of(q)))
        if q.kind == Kind.DISCUSSION
        else ""
    )
    space = q.kind == Kind.DISCUSSION and mode == "none" and not sheet
    if space:
        # the question and its writing space move to the next page whole
        body.container = body.unbreakable_block()
    if heading:
        # inside the block: LibreOffice does not keep a heading with a table
        body.add(heading, style="Heading 1")
    stem = _stem(body, number, q, suffix)
    block = [stem]
    if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        block += _options(body, q, option_columns(q.options, fonts))
    elif q.kind == Kind.DISCUSSION:
        for side in q.sides:
            block.append(
                body.add(
                    text["quote"].format(
                        speaker=side.speaker_name, quote=side.quote, **marks
                    ),
                    style="Source Quote",
                )
            )
        guiding = student_guiding(q)
        if guiding:
            block.append(body.add(text["guiding"], style="Source Quote"))
            block += [
                body.add(
                    text["guide_item"].format(n=i, text=g), style="Guiding Question"
                )
                for i, g in enumerate(guiding, start=1)
            ]
    if mode == "after":
        block += _answer_paragraphs(body, q, text)
    if space:
        writing_space(body, writing_lines(points.of(q)))
        body.container = None
        return
    block[-1].paragraph_format.keep_with_next = False


def _answer_paragraphs(
    body: Body, q: Question, text: dict[str, str]
) -> list[Paragraph]:
    out = []
    if q.kind == Kind.DISCUSSION:
        out.append(body.add(text["answer"].format(text=text["open"]), style="Answer"))
        for side in q.sides:
            out.append(
                body.add(
                    text["key_side"].format(
                        speaker=side.speaker_name, position=side.position
                    ),
                    style="Answer",
                )
            )
        out.append(
            body.add(text["key_notes"].format(text=q.teacher_notes), style="Answer")
        )
    else:
        out.append(
            body.add(
                text["answer"].format(text=answer_text(q) + variants_text(q, text)),
                style="Answer",
            )
        )
        out.append(
            body.add(
                text["explanation"].format(text=q.explanation.replace("\n", " ")),
                style="Answer",
            )
        )
    for p in out[:-1]:
        p.paragraph_format.keep_with_next = True
    return out


def handout_document(
    quiz: Quiz,
    answers: str = "none",
    points: Points = DEFAULT_POINTS,
    *,
    answer_sheet: bool = False,
) -> Document:
    """The student handout of one version (with answers when `answers` is 'after' or 'end').

    With `answer_sheet`, students answer on the sheet: the handout says so and
    leaves out the discussion writing space. Returns a python-docx Document.
    Raises ChoiceError for an unknown `answers`.
    """
    mode = _check_mode(answers)
    lang = quiz.lang
    text = text_for(lang)
    doc = new_document(lang, title=f"{quiz.title} {quiz.version_label}")
    footer(doc, quiz)
    body = Body(doc, lang)
    body.source_language = quiz.source_language
    _header(body, quiz, mode, points, answer_sheet)
    blocks = mode == "none" and not answer_sheet
    for index, (kind, in_kind) in enumerate(sections(quiz)):
        heading = section_heading(lang, index, kind, len(in_kind), points)
        if not (blocks and kind == Kind.DISCUSSION):
            body.add(heading, style="Heading 1")
            heading = ""
        for number, q in in_kind:
            _question(body, number, q, mode, points, answer_sheet, heading)
            heading = ""
    if mode == "end":
        body.add(text["answers_heading"], style="Heading 1")
        for number, q in numbered(quiz):
            answer = (
                text["open"]
                if q.kind == Kind.DISCUSSION
                else answer_text(q) + variants_text(q, text)
            )
            body.add(f"{number}.\t{answer}", style="Answer Item")
    return doc


# --------------------------------------------------------------------------- key

#: key table column widths; the last takes the rest of the text width
_KEY_WIDTHS = (Cm(1.3), Cm(3.6), Cm(3.4))


def _cites(q: Question) -> bool:
    """True when the explanation already names the quote, its paragraph and speaker."""
    return (
        q.source.quote in q.explanation
        and str(q.source.paragraph) in q.explanation
        and q.source.speaker_name in q.explanation
    )


def _marks(language: str) -> dict[str, str]:
    """The quote marks of the source's language, as the texts' {qo} and {qc}."""
    qo, qc = quote_marks(language)
    return {"qo": qo, "qc": qc}


def _key_lines(
    q: Question, text: dict[str, str], marks: dict[str, str]
) -> tuple[list[str], list[str]]:
    """(answer cell lines, explanation cell lines) of one question's key row."""
    if q.kind == Kind.DISCUSSION:
        lines = []
        for side in q.sides:
            lines.append(
                text["key_side"].format(
                    speaker=side.speaker_name, position=side.position
                )
            )
            lines.append(
                text["key_side_quote"].format(
                    paragraph=side.paragraph,
                    speaker=side.speaker_name,
                    quote=side.quote,
                    **marks,
                )
            )
        lines.append(text["key_notes"].format(text=q.teacher_notes))
        left_off = [g for g in q.guiding if g not in student_guiding(q)]
        if left_off:
            lines.append(text["key_guiding"].format(text=" ".join(left_off)))
        return [text["open"]], lines
    lines = q.explanation.splitlines()
    if not _cites(q):
        lines.append(
            text["key_cite"].format(
                paragraph=q.source.paragraph,
                speaker=q.source.speaker_name,
                quote=q.source.quote,
                **marks,
            )
        )
    answer = [answer_text(q)]
    if variants_text(q, text):
        answer.append(variants_text(q, text).strip())
    return answer, lines


def key_points_line(quiz: Quiz, points: Points) -> str:
    """'满分 100 分：单项选择题 10×2＝20 分；…。' / 'Total 100 points: …'."""
    text = text_for(quiz.lang)
    parts = [
        text["key_part"].format(
            name=text[kind],
            n=len(in_kind),
            each=points.for_kind(kind),
            total=points.for_kind(kind) * len(in_kind),
        )
        for kind, in_kind in sections(quiz)
    ]
    sep = "；" if quiz.lang == "zh" else "; "
    return text["key_points"].format(
        total=points.total(quiz.questions), parts=sep.join(parts)
    )


def key_document(quiz: Quiz, points: Points = DEFAULT_POINTS) -> Document:
    """The teacher key of one version: the compact key on page 1, then one table
    row per question, in handout order.

    Returns a python-docx Document.
    """
    lang = quiz.lang
    text = text_for(lang)
    doc = new_document(lang, title=f"{quiz.title} {quiz.version_label}")
    footer(doc, quiz)
    body = Body(doc, lang)
    body.source_language = quiz.source_language
    compact_key(body, quiz, points)
    body.page_break()
    body.add(text["key_title"].format(title=quiz.title), style="Title")
    body.add(text["key_version"].format(label=quiz.version_label), style="Subtitle")
    body.add(text["key_intro"].format(label=quiz.version_label), style="Handout Info")
    pairs = numbered(quiz)
    body.add(
        text["key_source"].format(
            title=quiz.source_title,
            origin=quiz.source_origin,
            n=len(pairs),
            seed=quiz.seed,
        ),
        style="Handout Info",
    )
    body.add(key_points_line(quiz, points), style="Handout Info")
    widths = [*_KEY_WIDTHS, Emu(PAGE.text_width - sum(_KEY_WIDTHS))]
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout fixed: the column widths hold
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # new rows take their cell widths from here
    header = table.add_row()
    for cell, head in zip(header.cells, text["key_header"].split("|"), strict=True):
        body.cell(cell, [head], "Key Cell")
        for run in cell.paragraphs[0].runs:
            run.bold = True
    keep_header_row(header)
    for number, q in pairs:
        answer, lines = _key_lines(q, text, _marks(quiz.source_language))
        answer.append(
            text["key_points_cell"].format(n=points.of(q), s=plural(points.of(q)))
        )
        row = table.add_row()
        keep_row_whole(row)  # a teacher reads an answer and its quote in one place
        cells = row.cells
        body.cell(cells[0], [str(number)], "Key Cell")
        body.cell(cells[1], [q.id], "Key Cell")
        body.cell(cells[2], answer, "Key Cell")
        body.cell(cells[3], lines, "Key Cell")
    return doc


# --------------------------------------------------------------------------- files


def _check_mode(answers: str) -> str:
    if answers not in ANSWER_MODES:
        raise ChoiceError(
            t(
                f"answers '{answers}' is not one of {', '.join(ANSWER_MODES)}",
                f"答案位置 '{answers}' 不是 {'、'.join(ANSWER_MODES)} 之一",
            )
        )
    return answers


def write(quizzes: Sequence[Quiz], out_dir: Path, options: ExportOptions) -> list[Path]:
    """Write per version `<base>-student.docx` (or `-teacher-copy.docx` with
    answers), `<base>-answer-sheet.docx` when `options.answer_sheet`, and
    `<base>-key.docx`.

    Returns the paths written, in that order for each version. Raises
    ChoiceError when `options.answers` is not 'none', 'after' or 'end'.
    """
    mode = _check_mode(options.answers)
    suffix = "student" if mode == "none" else "teacher-copy"
    points = options.points
    paths = []
    for quiz in quizzes:
        base = base_name(quiz)
        handout = handout_document(
            quiz, mode, points, answer_sheet=options.answer_sheet
        )
        paths.append(save(handout, out_dir / f"{base}-{suffix}.docx", quiz))
        if options.answer_sheet:
            sheet = answer_sheet_document(quiz, points)
            paths.append(save(sheet, out_dir / f"{base}-answer-sheet.docx", quiz))
        key = key_document(quiz, points)
        paths.append(save(key, out_dir / f"{base}-key.docx", quiz))
    return paths
