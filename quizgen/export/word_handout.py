"""Word handouts: per version a printable student handout and a teacher key.

`write` writes, for each Quiz (one per version):

- `<base>-student.docx`: header (title, version, name/class/date line,
  instructions, the source), questions in sections by kind, numbered 1..N
  across sections, options lettered A-D in 4, 2 or 1 columns by length, each
  question kept on one page with its options; discussion questions with their
  context quotes and ruled answer space; footer "第 X 页 / 共 Y 页". With
  `answers='after'` or `'end'` the same handout carries the answers (after
  each question, or at the end) and is named `<base>-teacher-copy.docx`.
- `<base>-key.docx`: a table, one row per question in the handout's order:
  number, question id (the id an Anki note and a results column carry), the
  right letter and text, the explanation with the verbatim quote, paragraph
  and speaker; for discussion questions each side's position and the notes.

Numbers, letters and the answer letters are plain text, so every viewer shows
the same ones the key names. Output is reproducible: the same quiz gives the
same bytes.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu
from docx.table import Table

from quizgen.errors import ChoiceError
from quizgen.export import ExportOptions
from quizgen.export.docx_styles import (
    PAGE,
    add_field,
    font_table,
    fonts_for,
    new_document,
    option_columns,
)
from quizgen.export.files import base_name, write_atomic
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
#: the order of the sections in a handout
KIND_ORDER = (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE, Kind.CLOZE, Kind.DISCUSSION)
LETTERS = "ABCDEFGH"
ANSWER_LINES = 6

_ZH_NUMERALS = "一二三四五六七八九十"

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        Kind.MULTIPLE_CHOICE: "单项选择题",
        Kind.TRUE_FALSE: "判断题",
        Kind.CLOZE: "填空题",
        Kind.DISCUSSION: "讨论题",
        "section": "{num}、{name}（共 {n} 题）",
        "version": "{label} 卷",
        "info": "姓名：____________    班级：____________    日期：____________",
        "how_choice": "选择题和判断题：圈出正确选项的字母。",
        "how_cloze": "填空题：在横线上填写原文中的词语。",
        "how_discussion": "讨论题：在横线上作答，引用原文说明理由。",
        "source": "材料：《{title}》，{origin}。",
        "quote": "{speaker}（原文第 {paragraph} 段）：「{quote}」",
        "guiding": "思考提示：",
        "guide_item": "（{n}）\t{text}",
        "answer": "【答案】{text}",
        "explanation": "【解析】{text}",
        "open": "开放作答",
        "answers_heading": "参考答案",
        "footer_before": "{label} 卷    第 ",
        "footer_middle": " 页 / 共 ",
        "footer_after": " 页",
        "key_title": "{title} 参考答案",
        "key_version": "{label} 卷教师用答案",
        "key_intro": "题号与 {label} 卷学生卷一致；题目编号与 Anki 笔记、成绩表的列名相同。",
        "key_source": "材料：《{title}》，{origin}。共 {n} 题，随机种子 {seed}。",
        "key_header": "题号|题目编号|答案|解析与出处",
        "key_side": "{speaker}：{position}",
        "key_side_quote": "原文第 {paragraph} 段，{speaker}：「{quote}」",
        "key_notes": "教师提示：{text}",
        "key_cite": "原文第 {paragraph} 段，{speaker}：「{quote}」",
        "teacher_copy": "教师用卷（含答案）",
    },
    "en": {
        Kind.MULTIPLE_CHOICE: "Multiple choice",
        Kind.TRUE_FALSE: "True or false",
        Kind.CLOZE: "Fill in the blank",
        Kind.DISCUSSION: "Discussion",
        "section": "Part {num}. {name} ({n} questions)",
        "version": "Version {label}",
        "info": "Name: ________________    Class: __________    Date: __________",
        "how_choice": "Multiple choice and true or false: circle the letter of the right option.",
        "how_cloze": "Fill in the blank: write the words from the text on the line.",
        "how_discussion": "Discussion: answer on the lines and support your view with the text.",
        "source": "Source: {title}, {origin}.",
        "quote": "{speaker} (paragraph {paragraph}): 「{quote}」",
        "guiding": "Points to consider:",
        "guide_item": "({n})\t{text}",
        "answer": "Answer: {text}",
        "explanation": "Explanation: {text}",
        "open": "Open answer",
        "answers_heading": "Answers",
        "footer_before": "Version {label}    Page ",
        "footer_middle": " of ",
        "footer_after": "",
        "key_title": "{title}: answer key",
        "key_version": "Version {label}, for the teacher",
        "key_intro": "Numbers as on the version {label} handout; question ids as in the Anki notes and the results columns.",
        "key_source": "Source: {title}, {origin}. {n} questions, seed {seed}.",
        "key_header": "No.|Question id|Answer|Explanation and source",
        "key_side": "{speaker}: {position}",
        "key_side_quote": "Paragraph {paragraph}, {speaker}: 「{quote}」",
        "key_notes": "Teacher notes: {text}",
        "key_cite": "Paragraph {paragraph}, {speaker}: 「{quote}」",
        "teacher_copy": "Teacher's copy (with answers)",
    },
}

#: key table column widths; the last takes the rest of the text width
_KEY_WIDTHS = (Cm(1.3), Cm(3.6), Cm(3.4))


def _text(lang: str) -> dict[str, str]:
    return TEXT.get(lang, TEXT["en"])


def numbered(quiz: Quiz) -> list[tuple[int, Question]]:
    """The questions as the handout and key number them: by section, then quiz order.

    Returns (number, question) pairs, numbers from 1 without gaps.
    """
    ordered = [q for kind in KIND_ORDER for q in quiz.questions if q.kind == kind]
    ordered += [q for q in quiz.questions if q.kind not in KIND_ORDER]
    return list(enumerate(ordered, start=1))


def _answer_text(q: Question) -> str:
    """The right answer as a reader sees it: 'B. text' for choice kinds, the term for cloze."""
    if isinstance(q.answer, int) and q.options:
        return f"{LETTERS[q.answer]}. {q.options[q.answer]}"
    return "" if q.answer is None else str(q.answer)


def _cites(q: Question, text: dict[str, str]) -> bool:
    """True when the explanation already names the quote, its paragraph and speaker."""
    return (
        q.source.quote in q.explanation
        and str(q.source.paragraph) in q.explanation
        and q.source.speaker_name in q.explanation
    )


# --------------------------------------------------------------------------- handout


def _footer(doc: Document, quiz: Quiz, text: dict[str, str]) -> None:
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.style = doc.styles["Footer"]
    p.add_run(text["footer_before"].format(label=quiz.version_label))
    add_field(p, "PAGE")
    p.add_run(text["footer_middle"])
    add_field(p, "NUMPAGES")
    if text["footer_after"]:
        p.add_run(text["footer_after"])


def _header(doc: Document, quiz: Quiz, text: dict[str, str], mode: str) -> None:
    doc.add_paragraph(quiz.title, style="Title")
    subtitle = text["version"].format(label=quiz.version_label)
    if mode != "none":
        subtitle += "    " + text["teacher_copy"]
    doc.add_paragraph(subtitle, style="Subtitle")
    doc.add_paragraph(text["info"], style="Handout Info")
    kinds = {q.kind for q in quiz.questions}
    how = []
    if kinds & {Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE}:
        how.append(text["how_choice"])
    if Kind.CLOZE in kinds:
        how.append(text["how_cloze"])
    if Kind.DISCUSSION in kinds:
        how.append(text["how_discussion"])
    for line in how:
        doc.add_paragraph(line, style="Handout Info")
    doc.add_paragraph(
        text["source"].format(title=quiz.source_title, origin=quiz.source_origin),
        style="Handout Info",
    )


def _section_heading(lang: str, index: int, kind: Kind, n: int) -> str:
    text = _text(lang)
    num = _ZH_NUMERALS[index] if lang == "zh" and index < 10 else str(index + 1)
    return text["section"].format(num=num, name=text[kind], n=n)


def _options(doc: Document, q: Question, columns: int) -> list:
    labelled = [f"{LETTERS[i]}. {o}" for i, o in enumerate(q.options)]
    if columns == 1:
        return [
            doc.add_paragraph(f"{LETTERS[i]}.\t{o}", style="Option")
            for i, o in enumerate(q.options)
        ]
    style = "Options 4 Columns" if columns == 4 else "Options 2 Columns"
    return [
        doc.add_paragraph("\t".join(labelled[i : i + columns]), style=style)
        for i in range(0, len(labelled), columns)
    ]


def _question(
    doc: Document,
    number: int,
    q: Question,
    lang: str,
    mode: str,
) -> None:
    text = _text(lang)
    fonts = fonts_for(lang)
    stem = doc.add_paragraph(f"{number}.\t{q.prompt}", style="Question")
    block = [stem]
    if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        block += _options(doc, q, option_columns(q.options, fonts))
    elif q.kind == Kind.DISCUSSION:
        for side in q.sides:
            block.append(
                doc.add_paragraph(
                    text["quote"].format(
                        speaker=side.speaker_name,
                        paragraph=side.paragraph,
                        quote=side.quote,
                    ),
                    style="Source Quote",
                )
            )
        if q.guiding:
            block.append(doc.add_paragraph(text["guiding"], style="Source Quote"))
            block += [
                doc.add_paragraph(
                    text["guide_item"].format(n=i, text=g), style="Guiding Question"
                )
                for i, g in enumerate(q.guiding, start=1)
            ]
    if mode == "after":
        block += _answer_paragraphs(doc, q, text)
    if q.kind == Kind.DISCUSSION and mode == "none":
        # the first ruled line stays with the question; the rest may flow on
        for _ in range(ANSWER_LINES):
            doc.add_paragraph("", style="Answer Line")
        return
    block[-1].paragraph_format.keep_with_next = False


def _answer_paragraphs(doc: Document, q: Question, text: dict[str, str]) -> list:
    out = []
    if q.kind == Kind.DISCUSSION:
        out.append(
            doc.add_paragraph(text["answer"].format(text=text["open"]), style="Answer")
        )
        for side in q.sides:
            out.append(
                doc.add_paragraph(
                    text["key_side"].format(
                        speaker=side.speaker_name, position=side.position
                    ),
                    style="Answer",
                )
            )
        out.append(
            doc.add_paragraph(
                text["key_notes"].format(text=q.teacher_notes), style="Answer"
            )
        )
    else:
        out.append(
            doc.add_paragraph(
                text["answer"].format(text=_answer_text(q)), style="Answer"
            )
        )
        out.append(
            doc.add_paragraph(
                text["explanation"].format(text=q.explanation.replace("\n", " ")),
                style="Answer",
            )
        )
    for p in out[:-1]:
        p.paragraph_format.keep_with_next = True
    return out


def handout_document(quiz: Quiz, answers: str = "none") -> Document:
    """The student handout of one version (with answers when `answers` is 'after' or 'end').

    Returns a python-docx Document. Raises ChoiceError for an unknown `answers`.
    """
    mode = _check_mode(answers)
    lang = quiz.lang
    text = _text(lang)
    doc = new_document(lang, title=f"{quiz.title} {quiz.version_label}")
    _footer(doc, quiz, text)
    _header(doc, quiz, text, mode)
    pairs = numbered(quiz)
    kinds = [k for k in KIND_ORDER if any(q.kind == k for _, q in pairs)]
    for index, kind in enumerate(kinds):
        in_kind = [(n, q) for n, q in pairs if q.kind == kind]
        doc.add_paragraph(
            _section_heading(lang, index, kind, len(in_kind)), style="Heading 1"
        )
        for number, q in in_kind:
            _question(doc, number, q, lang, mode)
    if mode == "end":
        doc.add_paragraph(text["answers_heading"], style="Heading 1")
        for number, q in pairs:
            answer = text["open"] if q.kind == Kind.DISCUSSION else _answer_text(q)
            doc.add_paragraph(f"{number}.\t{answer}", style="Answer Item")
    return doc


# --------------------------------------------------------------------------- key


def _cell_paragraphs(cell: object, lines: list[str], style: object) -> None:
    paragraphs = cell.paragraphs  # type: ignore[attr-defined]
    first = paragraphs[0]
    first.style = style
    first.text = lines[0] if lines else ""
    for line in lines[1:]:
        cell.add_paragraph(line, style=style)  # type: ignore[attr-defined]


def _fixed_widths(table: Table, widths: list[Emu]) -> None:
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    tr_pr.append(el)


def _key_lines(q: Question, text: dict[str, str]) -> tuple[str, list[str]]:
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
                )
            )
        lines.append(text["key_notes"].format(text=q.teacher_notes))
        return text["open"], lines
    lines = q.explanation.splitlines()
    if not _cites(q, text):
        lines.append(
            text["key_cite"].format(
                paragraph=q.source.paragraph,
                speaker=q.source.speaker_name,
                quote=q.source.quote,
            )
        )
    return _answer_text(q), lines


def key_document(quiz: Quiz) -> Document:
    """The teacher key of one version: one table row per question, in handout order.

    Returns a python-docx Document.
    """
    lang = quiz.lang
    text = _text(lang)
    doc = new_document(lang, title=f"{quiz.title} {quiz.version_label}")
    _footer(doc, quiz, text)
    doc.add_paragraph(text["key_title"].format(title=quiz.title), style="Title")
    doc.add_paragraph(
        text["key_version"].format(label=quiz.version_label), style="Subtitle"
    )
    doc.add_paragraph(
        text["key_intro"].format(label=quiz.version_label), style="Handout Info"
    )
    pairs = numbered(quiz)
    doc.add_paragraph(
        text["key_source"].format(
            title=quiz.source_title,
            origin=quiz.source_origin,
            n=len(pairs),
            seed=quiz.seed,
        ),
        style="Handout Info",
    )
    cell_style = doc.styles["Key Cell"]
    table = doc.add_table(rows=1, cols=4)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, head in zip(
        table.rows[0].cells, text["key_header"].split("|"), strict=True
    ):
        _cell_paragraphs(cell, [head], cell_style)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table)
    for number, q in pairs:
        answer, lines = _key_lines(q, text)
        cells = table.add_row().cells
        _cell_paragraphs(cells[0], [str(number)], cell_style)
        _cell_paragraphs(cells[1], [q.id], cell_style)
        _cell_paragraphs(cells[2], [answer], cell_style)
        _cell_paragraphs(cells[3], lines, cell_style)
    rest = Emu(PAGE.text_width - sum(_KEY_WIDTHS))
    _fixed_widths(table, [*_KEY_WIDTHS, rest])
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


def _timestamp(quiz: Quiz) -> datetime:
    # the bank's last change (or SOURCE_DATE_EPOCH); never the wall clock
    return datetime.fromtimestamp(max(quiz.modified, 315532800), tz=UTC)


def _save(doc: Document, path: Path, quiz: Quiz) -> Path:
    """Save `doc` at `path` atomically, with fixed zip and document times."""
    stamp = _timestamp(quiz)
    props = doc.core_properties
    props.created = stamp.replace(tzinfo=None)
    props.modified = stamp.replace(tzinfo=None)
    props.last_printed = stamp.replace(tzinfo=None)
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    date_time = time.gmtime(stamp.timestamp())[:6]
    with (
        zipfile.ZipFile(raw) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            item = zipfile.ZipInfo(info.filename, date_time=date_time)
            item.compress_type = zipfile.ZIP_DEFLATED
            item.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "word/fontTable.xml":
                data = font_table(quiz.lang)
            dst.writestr(item, data)
    return write_atomic(path, out.getvalue())


def write(quizzes: Sequence[Quiz], out_dir: Path, options: ExportOptions) -> list[Path]:
    """Write per version `<base>-student.docx` (or `-teacher-copy.docx` with answers) and `<base>-key.docx`.

    Returns the paths written, handout then key for each version. Raises
    ChoiceError when `options.answers` is not 'none', 'after' or 'end'.
    """
    mode = _check_mode(options.answers)
    suffix = "student" if mode == "none" else "teacher-copy"
    paths = []
    for quiz in quizzes:
        base = base_name(quiz)
        paths.append(
            _save(handout_document(quiz, mode), out_dir / f"{base}-{suffix}.docx", quiz)
        )
        paths.append(_save(key_document(quiz), out_dir / f"{base}-key.docx", quiz))
    return paths
