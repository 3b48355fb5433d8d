"""Word handouts: per version a printable student handout and a teacher key.

`write` writes, for each Quiz (one per version):

- `<base>-student.docx`: header (title, version, name/class/date line,
  instructions, the source), questions in sections by kind, numbered 1..N
  across sections, options lettered A-D in 4, 2 or 1 columns by length, each
  question kept on one page with its options; discussion questions with their
  context quotes and ruled answer space; footer “第 X 页 / 共 Y 页”. With
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
from docx.shared import Cm, Emu
from docx.table import _Cell
from docx.text.paragraph import Paragraph

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
        "section": "Part {num}. {name} ({n} question{s})",
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


class _Body:
    """Appends styled paragraphs to a document or a table cell.

    Style ids are looked up once per name: python-docx's own lookup scans
    every style of the document for each paragraph, most of a handout's time.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        """The id of the paragraph style `name`. Raises KeyError if undefined."""
        if name not in self._ids:
            self._ids[name] = self.doc.styles[name].style_id
        return self._ids[name]

    def add(self, text: str, style: str, container: _Cell | None = None) -> Paragraph:
        """Append a paragraph of `text` (tabs kept) in `style`; return it."""
        parent = container if container is not None else self.doc._body
        p = parent._element.add_p()
        p.style = self.style_id(style)
        if text:
            p.add_r().text = text
        return Paragraph(p, parent)


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


def _header(body: _Body, quiz: Quiz, text: dict[str, str], mode: str) -> None:
    body.add(quiz.title, style="Title")
    subtitle = text["version"].format(label=quiz.version_label)
    if mode != "none":
        subtitle += "    " + text["teacher_copy"]
    body.add(subtitle, style="Subtitle")
    body.add(text["info"], style="Handout Info")
    kinds = {q.kind for q in quiz.questions}
    how = []
    if kinds & {Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE}:
        how.append(text["how_choice"])
    if Kind.CLOZE in kinds:
        how.append(text["how_cloze"])
    if Kind.DISCUSSION in kinds:
        how.append(text["how_discussion"])
    for line in how:
        body.add(line, style="Handout Info")
    body.add(
        text["source"].format(title=quiz.source_title, origin=quiz.source_origin),
        style="Handout Info",
    )


def _section_heading(lang: str, index: int, kind: Kind, n: int) -> str:
    text = _text(lang)
    num = _ZH_NUMERALS[index] if lang == "zh" and index < 10 else str(index + 1)
    return text["section"].format(
        num=num, name=text[kind], n=n, s="" if n == 1 else "s"
    )


def _options(body: _Body, q: Question, columns: int) -> list[Paragraph]:
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


def _question(
    body: _Body,
    number: int,
    q: Question,
    lang: str,
    mode: str,
) -> None:
    text = _text(lang)
    fonts = fonts_for(lang)
    stem = body.add(f"{number}.\t{q.prompt}", style="Question")
    block = [stem]
    if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        block += _options(body, q, option_columns(q.options, fonts))
    elif q.kind == Kind.DISCUSSION:
        for side in q.sides:
            block.append(
                body.add(
                    text["quote"].format(
                        speaker=side.speaker_name,
                        paragraph=side.paragraph,
                        quote=side.quote,
                    ),
                    style="Source Quote",
                )
            )
        if q.guiding:
            block.append(body.add(text["guiding"], style="Source Quote"))
            block += [
                body.add(
                    text["guide_item"].format(n=i, text=g), style="Guiding Question"
                )
                for i, g in enumerate(q.guiding, start=1)
            ]
    if mode == "after":
        block += _answer_paragraphs(body, q, text)
    if q.kind == Kind.DISCUSSION and mode == "none":
        # the writing space is one paragraph kept whole and with the question:
        # a question that does not fit moves to the next page, rather than
        # leaving a line or two of writing space alone on a page of its own
        space = body.add("", style="Answer Line")
        for i in range(ANSWER_LINES):
            run = space.add_run()
            run.add_tab()
            if i < ANSWER_LINES - 1:
                run.add_break()
        return
    block[-1].paragraph_format.keep_with_next = False


def _answer_paragraphs(
    body: _Body, q: Question, text: dict[str, str]
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
            body.add(text["answer"].format(text=_answer_text(q)), style="Answer")
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


def handout_document(quiz: Quiz, answers: str = "none") -> Document:
    """The student handout of one version (with answers when `answers` is 'after' or 'end').

    Returns a python-docx Document. Raises ChoiceError for an unknown `answers`.
    """
    mode = _check_mode(answers)
    lang = quiz.lang
    text = _text(lang)
    doc = new_document(lang, title=f"{quiz.title} {quiz.version_label}")
    _footer(doc, quiz, text)
    body = _Body(doc)
    _header(body, quiz, text, mode)
    pairs = numbered(quiz)
    kinds = [k for k in KIND_ORDER if any(q.kind == k for _, q in pairs)]
    for index, kind in enumerate(kinds):
        in_kind = [(n, q) for n, q in pairs if q.kind == kind]
        body.add(_section_heading(lang, index, kind, len(in_kind)), style="Heading 1")
        for number, q in in_kind:
            _question(body, number, q, lang, mode)
    if mode == "end":
        body.add(text["answers_heading"], style="Heading 1")
        for number, q in pairs:
            answer = text["open"] if q.kind == Kind.DISCUSSION else _answer_text(q)
            body.add(f"{number}.\t{answer}", style="Answer Item")
    return doc


# --------------------------------------------------------------------------- key


def _cell_paragraphs(body: _Body, cell: _Cell, lines: list[str], style: str) -> None:
    first = cell._tc.p_lst[0]
    first.style = body.style_id(style)
    if lines and lines[0]:
        first.add_r().text = lines[0]
    for line in lines[1:]:
        body.add(line, style, cell)


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
    body = _Body(doc)
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
    widths = [*_KEY_WIDTHS, Emu(PAGE.text_width - sum(_KEY_WIDTHS))]
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout fixed: the column widths hold
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # new rows take their cell widths from here
    header = table.add_row()
    for cell, head in zip(header.cells, text["key_header"].split("|"), strict=True):
        _cell_paragraphs(body, cell, [head], "Key Cell")
        for run in cell.paragraphs[0].runs:
            run.bold = True
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # every page
    for number, q in pairs:
        answer, lines = _key_lines(q, text)
        cells = table.add_row().cells
        _cell_paragraphs(body, cells[0], [str(number)], "Key Cell")
        _cell_paragraphs(body, cells[1], [q.id], "Key Cell")
        _cell_paragraphs(body, cells[2], [answer], "Key Cell")
        _cell_paragraphs(body, cells[3], lines, "Key Cell")
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
