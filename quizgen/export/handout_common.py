"""What the handout, the answer sheet and the keys share.

The words they print (in Chinese and English), the numbering of questions by
section, the section headings with their points, a paragraph appender that
looks each style up once, the page footer, and the reproducible save.
"""

from __future__ import annotations

import io
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from quizgen.export.docx_styles import PAGE, add_field, font_table
from quizgen.export.files import write_atomic
from quizgen.export.handout_blanks import Blanks
from quizgen.export.handout_points import Points
from quizgen.quiz import Kind, Question, Quiz

__all__ = [
    "KIND_ORDER",
    "LETTERS",
    "TEXT",
    "Body",
    "answer_text",
    "footer",
    "numbered",
    "plural",
    "save",
    "score_table",
    "section_heading",
    "sections",
    "text_for",
    "variants_text",
    "writing_lines",
    "writing_space",
]

#: the order of the sections in a handout
KIND_ORDER = (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE, Kind.CLOZE, Kind.DISCUSSION)
LETTERS = "ABCDEFGH"

_ZH_NUMERALS = "一二三四五六七八九十"

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        Kind.MULTIPLE_CHOICE: "单项选择题",
        Kind.TRUE_FALSE: "判断题",
        Kind.CLOZE: "填空题",
        Kind.DISCUSSION: "讨论题",
        "section": "{num}、{name}（共 {n} 题，每题 {each} 分，共 {total} 分）",
        "version": "{label} 卷",
        "full_marks": "满分 {total} 分",
        "info": "姓名：____________    班级：____________    日期：____________",
        "how_choice": "选择题和判断题：圈出正确选项的字母。",
        "how_cloze": "填空题：在横线上填写原文中的词语。",
        "how_discussion": "讨论题：在横线上作答，引用原文说明理由。",
        "how_sheet": "所有答案写在答题卡上，试卷上不作答。",
        "source": "材料：《{title}》，{origin}。",
        "quote": "{speaker}：{qo}{quote}{qc}",
        "points_each": "（{n} 分）",
        "guiding": "思考提示：",
        "guide_item": "（{n}）\t{text}",
        "answer": "【答案】{text}",
        "also": "（亦可：{text}）",
        "also_sep": "、",
        "explanation": "【解析】{text}",
        "open": "开放作答",
        "answers_heading": "参考答案",
        "footer_before": "{label} 卷    第 ",
        "footer_middle": " 页 / 共 ",
        "footer_after": " 页",
        "score_head": "题号",
        "score_total": "总分",
        "score_row": "得分",
        "key_title": "{title} 参考答案",
        "key_version": "{label} 卷教师用答案",
        "key_intro": "题号与 {label} 卷学生卷一致；题目编号与 Anki 笔记、成绩表的列名相同。",
        "key_source": "材料：《{title}》，{origin}。共 {n} 题，随机种子 {seed}。",
        "key_points": "满分 {total} 分：{parts}。",
        "key_part": "{name} {n}×{each}＝{total} 分",
        "key_header": "题号|题目编号|答案|解析与出处",
        "key_points_cell": "{n} 分",
        "key_side": "{speaker}：{position}",
        "key_side_quote": "原文第 {paragraph} 段，{speaker}：{qo}{quote}{qc}",
        "key_notes": "教师提示：{text}",
        "key_guiding": "未印在学生卷上的思考提示（引用了学生没有的段落）：{text}",
        "key_cite": "原文第 {paragraph} 段，{speaker}：{qo}{quote}{qc}",
        "teacher_copy": "教师用卷（含答案）",
        "compact_title": "{title} 速查答案",
        "compact_version": "{label} 卷    满分 {total} 分    详细答案见后页",
        "compact_tf": "（A 正确，B 错误）",
        "compact_discussion": "开放作答，评分要点见详细答案",
        "sheet_title": "{title} 答题卡",
        "sheet_info": "姓名：____________    班级：____________    学号：________",
        "sheet_how": "选择题和判断题：在所选字母前的 □ 内打 √；填空题和讨论题：写在横线上。",
    },
    "en": {
        Kind.MULTIPLE_CHOICE: "Multiple choice",
        Kind.TRUE_FALSE: "True or false",
        Kind.CLOZE: "Fill in the blank",
        Kind.DISCUSSION: "Discussion",
        "section": "Part {num}. {name} ({n} question{s}, {each} point{es} each, "
        "{total} points)",
        "version": "Version {label}",
        "full_marks": "Total: {total} points",
        "info": "Name: ________________    Class: __________    Date: __________",
        "how_choice": "Multiple choice and true or false: circle the letter of the right option.",
        "how_cloze": "Fill in the blank: write the words from the text on the line.",
        "how_discussion": "Discussion: answer on the lines and support your view with the text.",
        "how_sheet": "Write every answer on the answer sheet, not on this paper.",
        "source": "Source: {title}, {origin}.",
        "quote": "{speaker}: {qo}{quote}{qc}",
        "points_each": " ({n} point{s})",
        "guiding": "Points to consider:",
        "guide_item": "({n})\t{text}",
        "answer": "Answer: {text}",
        "also": " (also: {text})",
        "also_sep": "; ",
        "explanation": "Explanation: {text}",
        "open": "Open answer",
        "answers_heading": "Answers",
        "footer_before": "Version {label}    Page ",
        "footer_middle": " of ",
        "footer_after": "",
        "score_head": "Part",
        "score_total": "Total",
        "score_row": "Score",
        "key_title": "{title}: answer key",
        "key_version": "Version {label}, for the teacher",
        "key_intro": "Numbers as on the version {label} handout; question ids as in the Anki notes and the results columns.",
        "key_source": "Source: {title}, {origin}. {n} questions, seed {seed}.",
        "key_points": "Total {total} points: {parts}.",
        "key_part": "{name} {n} × {each} = {total}",
        "key_header": "No.|Question id|Answer|Explanation and source",
        "key_points_cell": "{n} point{s}",
        "key_side": "{speaker}: {position}",
        "key_side_quote": "Paragraph {paragraph}, {speaker}: {qo}{quote}{qc}",
        "key_notes": "Teacher notes: {text}",
        "key_guiding": "Points to consider left off the student handout (they cite paragraphs the students do not have): {text}",
        "key_cite": "Paragraph {paragraph}, {speaker}: {qo}{quote}{qc}",
        "teacher_copy": "Teacher's copy (with answers)",
        "compact_title": "{title}: answers at a glance",
        "compact_version": "Version {label}    Total {total} points    Full key on the next pages",
        "compact_tf": " (A true, B false)",
        "compact_discussion": "open answer; marking points in the full key",
        "sheet_title": "{title}: answer sheet",
        "sheet_info": "Name: ________________    Class: __________    No.: ________",
        "sheet_how": "Multiple choice and true or false: tick the box of your letter; "
        "fill in the blank and discussion: write on the lines.",
    },
}


def plural(n: int) -> str:
    """'s' unless n is 1: for the English texts' {s} (the Chinese ones have none)."""
    return "" if n == 1 else "s"


def text_for(lang: str) -> dict[str, str]:
    """The printed words for `lang` ('zh', else English)."""
    return TEXT.get(lang, TEXT["en"])


def numbered(quiz: Quiz) -> list[tuple[int, Question]]:
    """The questions as the handout and key number them: by section, then quiz order.

    Returns (number, question) pairs, numbers from 1 without gaps.
    """
    ordered = [q for kind in KIND_ORDER for q in quiz.questions if q.kind == kind]
    ordered += [q for q in quiz.questions if q.kind not in KIND_ORDER]
    return list(enumerate(ordered, start=1))


def sections(quiz: Quiz) -> list[tuple[Kind, list[tuple[int, Question]]]]:
    """The handout's sections in order: (kind, its numbered questions), none empty."""
    pairs = numbered(quiz)
    out = []
    for kind in KIND_ORDER:
        in_kind = [(n, q) for n, q in pairs if q.kind == kind]
        if in_kind:
            out.append((kind, in_kind))
    return out


def section_numeral(lang: str, index: int) -> str:
    """Chinese numerals in Chinese; 1, 2, ... otherwise (index from 0)."""
    return _ZH_NUMERALS[index] if lang == "zh" and index < 10 else str(index + 1)


def section_heading(lang: str, index: int, kind: Kind, n: int, points: Points) -> str:
    """'一、单项选择题（共 10 题，每题 2 分，共 20 分）' / 'Part 1. Multiple choice (...)'."""
    text = text_for(lang)
    each = points.for_kind(kind)
    return text["section"].format(
        num=section_numeral(lang, index),
        name=text[kind],
        n=n,
        s="" if n == 1 else "s",
        each=each,
        es="" if each == 1 else "s",
        total=each * n,
    )


def answer_text(q: Question) -> str:
    """The right answer as a reader sees it: 'B. text' for choice kinds, the term for cloze."""
    if isinstance(q.answer, int) and q.options:
        return f"{LETTERS[q.answer]}. {q.options[q.answer]}"
    return "" if q.answer is None else str(q.answer)


def variants_text(q: Question, text: dict[str, str]) -> str:
    """A cloze's other accepted answers as '（亦可：a、b）', or '' when it has none."""
    others = q.accepted_answers[1:]
    if not others:
        return ""
    return text["also"].format(text=text["also_sep"].join(others))


class Body:
    """Appends styled paragraphs to a document or a table cell.

    Style ids are looked up once per name: python-docx's own lookup scans
    every style of the document for each paragraph, most of a handout's time.
    """

    def __init__(self, doc: Document, lang: str) -> None:
        self.doc = doc
        #: the source's language: its quotes keep their own marks
        self.source_language = "zh"
        self.lang = lang
        self.container: _Cell | None = None  # where add() writes by default
        self.blanks = Blanks(doc.part)
        self._ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        """The id of the paragraph style `name`. Raises KeyError if undefined."""
        if name not in self._ids:
            self._ids[name] = self.doc.styles[name].style_id
        return self._ids[name]

    def add(self, text: str, style: str, container: _Cell | None = None) -> Paragraph:
        """Append a paragraph of `text` (tabs kept) in `style`; return it."""
        parent = container or self.container or self.doc._body
        p = parent._element.add_p()
        p.style = self.style_id(style)
        if text:
            p.add_r().text = text
        return Paragraph(p, parent)

    def cell(self, cell: _Cell, lines: list[str], style: str) -> None:
        """Fill an empty table cell with `lines`, one paragraph each."""
        first = cell._tc.p_lst[0]
        first.style = self.style_id(style)
        if lines and lines[0]:
            first.add_r().text = lines[0]
        for line in lines[1:]:
            self.add(line, style, cell)

    def unbreakable_block(self) -> _Cell:
        """A borderless full-width table cell whose row never splits across pages.

        LibreOffice does not always move a long keep-with-next chain to the
        next page whole; a row that cannot split it always moves (and Word too).
        Returns the cell, empty; set `container` to it to write inside.
        """
        table = self.doc.add_table(rows=1, cols=1)
        table.autofit = False
        table.columns[0].width = PAGE.text_width
        tbl_pr = table._tbl.tblPr
        margins = OxmlElement("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), "0")
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        # CT_TblPr is a sequence: tblCellMar goes before tblLook (Word refuses
        # a document whose elements are out of order)
        tbl_pr.insert_element_before(
            margins, "w:tblLook", "w:tblCaption", "w:tblDescription"
        )
        row = table.rows[0]
        keep_row_whole(row)
        cell = row.cells[0]
        cell.width = PAGE.text_width
        tc = cell._tc
        tc.remove(tc.p_lst[0])  # the block's own paragraphs come next
        return cell

    def page_break(self) -> None:
        """End the page here."""
        self.doc.add_page_break()


def footer(doc: Document, quiz: Quiz) -> None:
    """The footer 'A 卷    第 X 页 / 共 Y 页' with PAGE and NUMPAGES fields."""
    text = text_for(quiz.lang)
    p = doc.sections[0].footer.paragraphs[0]
    p.style = doc.styles["Footer"]
    p.add_run(text["footer_before"].format(label=quiz.version_label))
    add_field(p, "PAGE")
    p.add_run(text["footer_middle"])
    add_field(p, "NUMPAGES")
    if text["footer_after"]:
        p.add_run(text["footer_after"])


def score_table(body: Body, quiz: Quiz) -> None:
    """The marking grid under a paper's header: a column per section and the total."""
    text = text_for(quiz.lang)
    parts = sections(quiz)
    heads = [text["score_head"]]
    heads += [section_numeral(quiz.lang, i) for i in range(len(parts))]
    heads.append(text["score_total"])
    table = body.doc.add_table(rows=2, cols=len(heads))
    table.style = body.doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    width = Emu(min(PAGE.text_width // len(heads), int(Emu(914400 * 0.6))))
    for column in table.columns:
        column.width = width
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        body.cell(cell, [head], "Score Cell")
        cell.width = width
    body.cell(table.rows[1].cells[0], [text["score_row"]], "Score Cell")
    for cell in table.rows[1].cells[1:]:
        body.cell(cell, [""], "Score Cell")
    for cell in table.rows[1].cells:
        cell.width = width
    table.rows[1].height = Emu(914400 * 0.35)


def _timestamp(quiz: Quiz) -> datetime:
    # the bank's last change (or SOURCE_DATE_EPOCH); never the wall clock
    return datetime.fromtimestamp(max(quiz.modified, 315532800), tz=UTC)


def save(doc: Document, path: Path, quiz: Quiz) -> Path:
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


def writing_lines(points: int) -> int:
    """Ruled lines for a discussion answer worth `points`: points + 2, from 6 to 18."""
    return max(6, min(18, points + 2))


def writing_space(body: Body, lines: int) -> None:
    """Ruled lines to write on: one paragraph kept whole and with what precedes it.

    A question that does not fit moves to the next page, rather than leaving a
    line or two of writing space alone on a page of its own.
    """
    space = body.add("", style="Answer Line")
    for i in range(lines):
        run = space.add_run()
        run.add_tab()
        if i < lines - 1:
            run.add_break()
    # LibreOffice draws no leader for a paragraph's closing tab in a table
    # cell; a zero-width space after it makes it an ordinary tab
    space.add_run("\u200b")


def keep_row_whole(row: object) -> None:
    """Never break a table row across two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # type: ignore[attr-defined]


def keep_header_row(row: object) -> None:
    """Repeat a table's first row at the top of every page."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # type: ignore[attr-defined]
