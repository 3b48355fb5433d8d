from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import docx
import docx.table
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from lxml import etree

from quizgen.bank import Bank
from quizgen.cli import main
from quizgen.errors import ChoiceError
from quizgen.export import ExportOptions, export
from quizgen.export.compact_key import letter_groups
from quizgen.export.docx_styles import fonts_for, option_columns
from quizgen.export.handout_common import TEXT, writing_lines
from quizgen.export.handout_points import Points
from quizgen.export.word_handout import numbered
from quizgen.generate import Choices, available, generate
from quizgen.quiz import Kind, Question, Quiz

from conftest import EXAMPLE_BANK, require

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")


# --------------------------------------------------------------------------- reading back


@dataclass
class Printed:
    """One question as a student handout prints it."""

    number: int
    stem: str
    options: dict[str, str] = field(default_factory=dict)
    after: list[str] = field(default_factory=list)  # paragraphs up to the next one


STEM = re.compile(r"^(\d+)\.\t(.*)$", re.S)
OPTION = re.compile(r"([A-H])\.[\t ](.*?)(?=\t[A-H]\. |$)", re.S)


def handout_paragraphs(path: Path) -> list:
    """A handout's paragraphs in order, with those of the one-cell tables that
    hold a discussion question and its writing space (not the marking grid's)."""
    out = []
    for item in docx.Document(str(path)).iter_inner_content():
        if isinstance(item, docx.table.Table):
            if len(item.columns) == 1:
                out.extend(item.rows[0].cells[0].paragraphs)
        else:
            out.append(item)
    return out


def read_handout(path: Path) -> list[Printed]:
    """Every numbered question of a handout with its lettered options, in order."""
    out: list[Printed] = []
    for p in handout_paragraphs(path):
        style = p.style.name
        if style == "Question":
            m = STEM.match(p.text)
            assert m, p.text
            out.append(Printed(number=int(m.group(1)), stem=m.group(2)))
        elif style == "Option" or style.startswith("Options "):
            for letter, text in OPTION.findall(p.text):
                out[-1].options[letter] = text
        elif out and style != "Heading 1":
            out[-1].after.append(p.text)
    return out


def read_key(path: Path) -> list[tuple[int, str, str, str]]:
    """The key table's rows: (number, question id, answer, explanation).

    The answer is the answer cell's first line; its last line holds the points.
    """
    table = docx.Document(str(path)).tables[0]
    rows = []
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        rows.append((int(cells[0]), cells[1], cells[2].split("\n")[0], cells[3]))
    return rows


def key_points(path: Path) -> dict[int, int]:
    """Question number -> the points the key table gives it."""
    table = docx.Document(str(path)).tables[0]
    out = {}
    for row in table.rows[1:]:
        last = row.cells[2].text.split("\n")[-1]
        out[int(row.cells[0].text)] = int(re.match(r"(\d+) (分|points?)$", last)[1])
    return out


def stem_as_printed(q, lang: str = "zh") -> str:
    """The prompt as a handout paragraph's text: a blank is a picture, not text,
    and a discussion question ends with its points."""
    if q.kind == Kind.DISCUSSION:
        return q.prompt + ("（10 分）" if lang == "zh" else " (10 points)")
    return re.sub(r"_{3,}", "", q.prompt)


def used_style_ids(document_xml: bytes) -> set[str]:
    root = etree.fromstring(document_xml)
    return {el.get(qn("w:val")) for el in root.iter(qn("w:pStyle"), qn("w:tblStyle"))}


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def zh_quizzes(example_bank) -> tuple[Quiz, ...]:
    return generate(example_bank, Choices(lang="zh", seed=4, versions=3, siblings=True))


@pytest.fixture(scope="module")
def en_quizzes(example_bank) -> tuple[Quiz, ...]:
    return generate(example_bank, Choices(lang="en", seed=4, versions=2, siblings=True))


@pytest.fixture(scope="module")
def zh_files(zh_quizzes, tmp_path_factory) -> list[Path]:
    return export("docx", zh_quizzes, tmp_path_factory.mktemp("zh"), ExportOptions())


@pytest.fixture(scope="module")
def en_files(en_quizzes, tmp_path_factory) -> list[Path]:
    return export("docx", en_quizzes, tmp_path_factory.mktemp("en"), ExportOptions())


# --------------------------------------------------------------------------- files


def test_write_names_student_and_key_per_version(zh_files):
    assert [p.name for p in zh_files] == [
        f"example-translation-zh-{v}-{part}.docx"
        for v in "ABC"
        for part in ("student", "key")
    ]
    assert all(zipfile.is_zipfile(p) for p in zh_files)
    assert not list(zh_files[0].parent.glob("*.part"))


def test_write_single_version_has_no_version_in_name(example_bank, tmp_path):
    quizzes = generate(example_bank, Choices(lang="en"))
    paths = export("docx", quizzes, tmp_path, ExportOptions(answers="end"))
    assert [p.name for p in paths] == [
        "example-translation-en-teacher-copy.docx",
        "example-translation-en-key.docx",
    ]


@pytest.mark.parametrize("answers", ["all", "", "AFTER"], ids=["word", "empty", "case"])
def test_write_rejects_unknown_answers_mode(
    example_bank, tmp_path, monkeypatch, answers
):
    monkeypatch.setenv("QUIZGEN_LANG", "en")
    quizzes = generate(example_bank, Choices(lang="zh"))
    with pytest.raises(ChoiceError) as info:
        export("docx", quizzes, tmp_path, ExportOptions(answers=answers))
    assert str(info.value) == f"answers '{answers}' is not one of none, after, end"
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv("QUIZGEN_LANG", "zh")
    with pytest.raises(
        ChoiceError, match=f"答案位置 '{answers}' 不是 none、after、end 之一"
    ):
        export("docx", quizzes, tmp_path, ExportOptions(answers=answers))


def test_write_is_reproducible(zh_quizzes, tmp_path):
    first = export("docx", zh_quizzes[:1], tmp_path / "1", ExportOptions())
    second = export("docx", zh_quizzes[:1], tmp_path / "2", ExportOptions())
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_write_through_the_cli(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(EXAMPLE_BANK),
            "-f",
            "docx",
            "--versions",
            "2",
            "-o",
            str(tmp_path),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "example-translation-zh-A-key.docx",
        "example-translation-zh-A-student.docx",
        "example-translation-zh-B-key.docx",
        "example-translation-zh-B-student.docx",
    ]


# --------------------------------------------------------------------------- typography


@pytest.mark.parametrize("which", [0, 1], ids=["student", "key"])
def test_styles_name_east_asian_fonts_without_theme_fonts(zh_files, which):
    path = zh_files[which]
    with zipfile.ZipFile(path) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
        used = used_style_ids(z.read("word/document.xml"))
        used |= used_style_ids(z.read("word/footer1.xml"))
        font_table = z.read("word/fontTable.xml").decode("utf-8")
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in THEME_ATTRS:
            assert rfonts.get(f"{{{W}}}{attr}") is None, etree.tostring(rfonts)
    defaults = styles.find(qn("w:docDefaults")).find(".//" + qn("w:rPr"))
    rfonts = defaults.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "SimSun"
    assert rfonts.get(qn("w:ascii")) == "Times New Roman"
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    assert used, "the document uses no styles"
    for style_id in used:
        assert style_id in by_id, f"style {style_id} is not defined"
        style = by_id[style_id]
        if style.get(qn("w:type")) != "paragraph":
            continue
        east_asia = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia"))
        heading = style_id in ("Title", "Subtitle", "Heading1")
        assert east_asia == ("SimHei" if heading else "SimSun"), style_id
    with zipfile.ZipFile(path) as z:
        settings = etree.fromstring(z.read("word/settings.xml"))
    theme_lang = settings.find(qn("w:themeFontLang"))
    assert theme_lang.get(qn("w:eastAsia")) == "zh-CN"
    assert "SimSun" in font_table
    assert "宋体" in font_table
    assert "明朝" not in font_table


def test_page_is_a4_with_print_sizes(zh_files):
    document = docx.Document(str(zh_files[0]))
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0
    assert round(section.page_height.cm, 1) == 29.7
    body = document.styles["Normal"].font.size.pt
    assert 10.5 <= body <= 12
    assert fonts_for("en").body_pt <= 12


def test_footer_has_page_and_page_count_fields(zh_files, en_files):
    for path, words in (
        (zh_files[0], ("第 ", " 页 / 共 ", " 页")),
        (en_files[0], ("Page ", " of ")),
    ):
        with zipfile.ZipFile(path) as z:
            footer = etree.fromstring(z.read("word/footer1.xml"))
        instructions = [el.text.strip() for el in footer.iter(qn("w:instrText"))]
        assert instructions == ["PAGE", "NUMPAGES"]
        kinds = [el.get(qn("w:fldCharType")) for el in footer.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"] * 2
        text = "".join(el.text for el in footer.iter(qn("w:t")))
        for word in words:
            assert word in text


def test_numbers_and_letters_are_text_not_list_numbering(zh_files):
    with zipfile.ZipFile(zh_files[0]) as z:
        document = etree.fromstring(z.read("word/document.xml"))
    assert list(document.iter(qn("w:numPr"))) == []
    printed = read_handout(zh_files[0])
    assert [p.number for p in printed] == list(range(1, len(printed) + 1))


# --------------------------------------------------------------------------- layout


def test_sections_by_kind_with_headings_in_the_language(
    zh_files, en_files, zh_quizzes, en_quizzes
):
    headings = [
        p.text for p in handout_paragraphs(zh_files[0]) if p.style.name == "Heading 1"
    ]
    counts = {k: sum(q.kind == k for q in zh_quizzes[0].questions) for k in Kind}
    mc, tf, cl, di = (
        counts[k]
        for k in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE, Kind.CLOZE, Kind.DISCUSSION)
    )
    assert headings == [
        f"一、单项选择题（共 {mc} 题，每题 2 分，共 {2 * mc} 分）",
        f"二、判断题（共 {tf} 题，每题 1 分，共 {tf} 分）",
        f"三、填空题（共 {cl} 题，每题 2 分，共 {2 * cl} 分）",
        f"四、讨论题（共 {di} 题，每题 10 分，共 {10 * di} 分）",
    ]
    en_headings = [
        p.text for p in handout_paragraphs(en_files[0]) if p.style.name == "Heading 1"
    ]
    en_counts = {k: sum(q.kind == k for q in en_quizzes[0].questions) for k in Kind}
    mc, tf, cl = (
        en_counts[k] for k in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE, Kind.CLOZE)
    )
    assert en_headings == [
        f"Part 1. Multiple choice ({mc} questions, 2 points each, {2 * mc} points)",
        f"Part 2. True or false ({tf} questions, 1 point each, {tf} points)",
        f"Part 3. Fill in the blank ({cl} questions, 2 points each, {2 * cl} points)",
        "Part 4. Discussion (1 question, 10 points each, 10 points)",
    ]


def test_header_names_version_source_and_student_lines(zh_files, zh_quizzes):
    paragraphs = docx.Document(str(zh_files[2])).paragraphs  # version B
    texts = [p.text for p in paragraphs[:8]]
    quiz = zh_quizzes[1]
    assert texts[0] == quiz.title
    assert texts[1] == f"B 卷    满分 {Points().total(quiz.questions)} 分"
    assert texts[2].startswith("姓名：")
    assert "班级：" in texts[2]
    assert "日期：" in texts[2]
    assert f"材料：《{quiz.source_title}》，{quiz.source_origin}。" in texts


@pytest.mark.parametrize(
    ("options", "columns"),
    [
        (("正确", "错误"), 4),
        (("李航", "周忠和", "薛澜", "张宏江"), 4),
        (("ten years", "five years", "twenty years", "fifty years"), 4),
        (
            (
                "把数量变成质量",
                "进一步增加论文数量",
                "把突破变成跟进",
                "把质量变成数量",
            ),
            2,
        ),
        (
            (
                "人工智能目前难以在情感、创造力和自由意志三个方面取代人类。",
                "情感是人的本能,在机器上实现情感就等同于造出一个拥有生命的人。",
                "短",
                "短",
            ),
            1,
        ),
    ],
    ids=["true-false", "names", "english-short", "medium", "long"],
)
def test_option_columns_follow_length(options, columns):
    assert option_columns(options, fonts_for("zh")) == columns


def test_options_layout_matches_their_length(zh_files, zh_quizzes):
    document = docx.Document(str(zh_files[0]))
    by_stem = {}
    current = None
    for p in document.paragraphs:
        if p.style.name == "Question":
            current = STEM.match(p.text).group(2)
            by_stem[current] = []
        elif p.style.name == "Option" or p.style.name.startswith("Options "):
            by_stem[current].append(p.style.name)
    for q in zh_quizzes[0].questions:
        if not q.options:
            continue
        columns = option_columns(q.options, fonts_for("zh"))
        style = {4: "Options 4 Columns", 2: "Options 2 Columns", 1: "Option"}[columns]
        rows = -(-len(q.options) // columns)
        assert by_stem[q.prompt] == [style] * rows


def test_question_is_kept_with_its_options(zh_files):
    document = docx.Document(str(zh_files[0]))
    paragraphs = document.paragraphs

    def keep_next(p):
        fmt = p.paragraph_format.keep_with_next
        return p.style.paragraph_format.keep_with_next if fmt is None else fmt

    checked = 0
    for i, p in enumerate(paragraphs):
        if p.style.name != "Question":
            continue
        block = [p]
        for q in paragraphs[i + 1 :]:
            if q.style.name == "Option" or q.style.name.startswith("Options "):
                block.append(q)
            else:
                break
        if len(block) == 1:
            continue
        checked += 1
        assert all(keep_next(b) for b in block[:-1])
        assert not keep_next(block[-1])  # the next question may start a page
        assert p.style.paragraph_format.keep_together
    assert checked > 0


def test_discussion_has_quotes_guiding_questions_and_ruled_lines(zh_files, zh_quizzes):
    quiz = zh_quizzes[0]
    printed = read_handout(zh_files[0])
    discussions = [q for q in quiz.questions if q.kind == Kind.DISCUSSION]
    assert discussions
    for q in discussions:
        item = next(p for p in printed if p.stem == q.prompt + "（10 分）")
        for side in q.sides:
            # the excerpt itself, without a paragraph number the student cannot look up
            assert f"{side.speaker_name}：「{side.quote}」" in item.after
        assert not any("段" in line for line in item.after[:-1])
        for i, guide in enumerate(q.guiding, start=1):
            assert f"（{i}）\t{guide}" in item.after
        assert item.after[-1] == "\t\n" * 11 + "\t\u200b"  # 12 lines for 10 points
        assert not any(side.position in "".join(item.after) for side in q.sides)
    document = docx.Document(str(zh_files[0]))
    lines = document.styles["Answer Line"].paragraph_format
    (stop,) = lines.tab_stops
    assert (stop.alignment, stop.leader) == (
        WD_TAB_ALIGNMENT.RIGHT,
        WD_TAB_LEADER.LINES,
    )
    assert lines.keep_together  # the writing space is never split across pages
    # and a question moves to the next page with it: one row that cannot split
    blocks = [t for t in docx.Document(str(zh_files[0])).tables if len(t.columns) == 1]
    assert len(blocks) == len(discussions)
    order = ["tblStyle", "tblW", "jc", "tblLayout", "tblCellMar", "tblLook"]
    for table in blocks:
        assert table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
        tags = [etree.QName(el).localname for el in table._tbl.tblPr]
        assert "tblCellMar" in tags
        assert tags == sorted(tags, key=order.index)  # the schema's order


def test_student_handout_shows_no_answers(zh_files, zh_quizzes):
    text = "\n".join(p.text for p in handout_paragraphs(zh_files[0]))
    assert "【答案】" not in text
    for q in zh_quizzes[0].questions:
        assert q.explanation.splitlines()[-1] not in text


# --------------------------------------------------------------------------- keys


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_key_answer_matches_the_question_it_names(
    lang, zh_quizzes, en_quizzes, zh_files, en_files
):
    quizzes = zh_quizzes if lang == "zh" else en_quizzes
    files = zh_files if lang == "zh" else en_files
    orders = set()
    for quiz, student, key in zip(quizzes, files[0::2], files[1::2], strict=True):
        questions = {q.id: q for q in quiz.questions}
        printed = {p.number: p for p in read_handout(student)}
        rows = read_key(key)
        assert len(rows) == len(printed) == len(quiz.questions)
        assert {r[1] for r in rows} == set(questions)
        for number, qid, answer, explanation in rows:
            q = questions[qid]
            shown = printed[number]
            assert shown.stem == stem_as_printed(q, lang)
            if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
                letter, _, text = answer.partition(". ")
                assert shown.options[letter] == text == q.right_option
                assert list(shown.options.values()) == list(q.options)
            elif q.kind == Kind.CLOZE:
                assert answer == q.answer
                assert "______" not in shown.stem  # the blank is a sized picture
            else:
                for side in q.sides:
                    assert side.position in explanation
                    assert side.quote in explanation
                assert q.teacher_notes in explanation
            if q.kind != Kind.DISCUSSION:
                assert q.source.quote in explanation
                assert str(q.source.paragraph) in explanation
                assert q.source.speaker_name in explanation
        orders.add(tuple(r[1] for r in rows))
    assert len(orders) == len(quizzes)  # each version its own order, its own key


def test_key_has_a_question_id_column(zh_files):
    table = docx.Document(str(zh_files[1])).tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "题号",
        "题目编号",
        "答案",
        "解析与出处",
    ]
    header = table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None  # repeated on every page


def test_numbering_groups_kinds_and_keeps_quiz_order(zh_quizzes):
    quiz = zh_quizzes[0]
    pairs = numbered(quiz)
    kinds = [q.kind for _, q in pairs]
    assert kinds == sorted(
        kinds,
        key=[Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE, Kind.CLOZE, Kind.DISCUSSION].index,
    )
    for kind in Kind:
        assert [q.id for _, q in pairs if q.kind == kind] == [
            q.id for q in quiz.questions if q.kind == kind
        ]


def _also(q) -> str:
    """The other answers a key lists after a blank's term (a number's unit)."""
    return f"（亦可：{'、'.join(q.accepted)}）" if q.accepted else ""


@pytest.mark.parametrize("answers", ["after", "end"])
def test_teacher_copy_carries_the_answers(zh_quizzes, tmp_path, answers):
    quiz = zh_quizzes[0]
    paths = export("docx", [quiz], tmp_path, ExportOptions(answers=answers))
    assert paths[0].name.endswith("-A-teacher-copy.docx")
    document = docx.Document(str(paths[0]))
    assert "教师用卷" in document.paragraphs[1].text
    printed = read_handout(paths[0])
    by_number = dict(numbered(quiz))
    if answers == "after":
        for item in printed:
            q = by_number[item.number]
            if q.kind == Kind.DISCUSSION:
                assert item.after[-len(q.sides) - 2] == "【答案】开放作答"
                continue
            right = (
                f"{'ABCD'[q.answer]}. {q.right_option}"
                if q.kind != Kind.CLOZE
                else f"{q.answer}{_also(q)}"
            )
            assert item.after[0] == f"【答案】{right}"
            assert item.after[1].startswith("【解析】")
    else:
        texts = [p.text for p in document.paragraphs]
        start = texts.index("参考答案")
        answers_listed = texts[start + 1 :]
        assert {p.style.name for p in document.paragraphs[start + 1 :]} == {
            "Answer Item"
        }
        assert len(answers_listed) == len(quiz.questions)
        for line, (number, q) in zip(answers_listed, numbered(quiz), strict=True):
            expected = {
                Kind.CLOZE: f"{q.answer}{_also(q)}",
                Kind.DISCUSSION: "开放作答",
            }.get(q.kind) or f"{'ABCD'[q.answer]}. {q.right_option}"
            assert line == f"{number}.\t{expected}"


def test_shipped_bank_keys_match_their_handouts(shipped_bank, tmp_path):
    if not shipped_bank.claims:
        pytest.skip("the shipped bank has no claims yet")
    quizzes = generate(shipped_bank, Choices(lang="zh", seed=1, versions=2, count=80))
    paths = export("docx", quizzes, tmp_path, ExportOptions())
    for quiz, student, key in zip(quizzes, paths[0::2], paths[1::2], strict=True):
        questions = {q.id: q for q in quiz.questions}
        printed = {p.number: p for p in read_handout(student)}
        for number, qid, answer, _ in read_key(key):
            q = questions[qid]
            assert printed[number].stem == stem_as_printed(q)
            if q.options:
                letter, _, text = answer.partition(". ")
                assert printed[number].options[letter] == q.right_option == text


# --------------------------------------------------------------------------- LibreOffice


def long_quiz(quiz: Quiz, copies: int) -> Quiz:
    """The quiz's questions several times over (new ids), to fill many pages."""
    questions = tuple(
        replace(q, id=f"{q.id}.{k}") for k in range(copies) for q in quiz.questions
    )
    return replace(quiz, questions=questions)


def render(quizzes: dict[str, Quiz], out: Path) -> dict[str, tuple[Quiz, Path]]:
    """Write each quiz's handout (and, for 'zh', its key) and convert all to PDF at once."""
    require(SOFFICE is not None, "LibreOffice (soffice) is not installed")
    require(
        PDFTOTEXT is not None and PDFTOPPM is not None, "poppler-utils is not installed"
    )
    docs = {}
    for name, quiz in list(quizzes.items()):
        student, key = export("docx", [quiz], out / name, ExportOptions())
        docs[name] = student
        if name == "zh":
            docs["zh-key"] = key
            quizzes["zh-key"] = quiz
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                SOFFICE,
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{profile}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out / "pdf"),
                *(str(p) for p in docs.values()),
            ],
            check=False,
            capture_output=True,
            timeout=300,
        )
    result = {}
    for name, path in docs.items():
        pdf = out / "pdf" / f"{path.stem}.pdf"
        assert pdf.exists(), (
            f"LibreOffice wrote no PDF for {path.name}"
        )  # exit code lies
        result[name] = (quizzes[name], pdf)
    return result


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, example_bank) -> dict[str, tuple[Quiz, Path]]:
    """Handouts of the example bank and a key, rendered by LibreOffice in one run."""
    zh = generate(example_bank, Choices(lang="zh", seed=4, versions=2))
    en = generate(example_bank, Choices(lang="en", seed=4))
    quizzes = {
        "zh": zh[0],
        "en": en[0],
        "long-zh": long_quiz(zh[1], 6),
        "long-en": long_quiz(en[0], 6),
    }
    return render(quizzes, tmp_path_factory.mktemp("rendered"))


@pytest.fixture(scope="session")
def rendered_shipped(tmp_path_factory, shipped_bank) -> dict[str, tuple[Quiz, Path]]:
    """120 questions of the shipped bank as a handout, rendered by LibreOffice."""
    if not shipped_bank.claims:
        pytest.skip("the shipped bank has no claims yet")
    quiz = generate(shipped_bank, Choices(lang="zh", seed=2, count=120))[0]
    # a handout whose last discussion question fell at a page's foot
    tail = generate(shipped_bank, Choices(lang="en", seed=3, count=20, versions=2))[0]
    return render(
        {"shipped": quiz, "shipped-tail": tail}, tmp_path_factory.mktemp("shipped")
    )


def pdf_pages(pdf: Path, *, layout: bool = True) -> list[str]:
    """Each page's text; `layout` keeps a line's columns in reading order,
    without it the text comes in the order it was drawn (cell by cell)."""
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
    )
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    return [
        subprocess.run(
            [PDFTOTEXT, "-layout" if layout else "-raw", "-f", str(i), "-l", str(i)]
            + [str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for i in range(1, pages + 1)
    ]


@pytest.mark.slow
def test_pdf_keeps_the_chinese_text(rendered):
    quiz, pdf = rendered["zh"]
    text = compact("".join(pdf_pages(pdf)))
    for needle in (quiz.title, "A卷", "一、单项选择题", "姓名：", quiz.source_title):
        assert compact(needle) in text
    for q in quiz.questions:
        assert compact(stem_as_printed(q)) in text
        for option in q.options:
            assert compact(option) in text
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True
    ).stdout
    assert "CJK" in fonts  # Noto CJK stands in for SimSun / SimHei: no boxes


@pytest.mark.slow
def test_pdf_key_lists_every_answer(rendered):
    quiz, pdf = rendered["zh-key"]
    text = compact("".join(pdf_pages(pdf, layout=False)))  # cell by cell
    assert "题号题目编号答案解析与出处" in text
    for q in quiz.questions:
        # pdftotext joins a word hyphenated at a line end: compare without hyphens
        assert compact(q.id).replace("-", "") in text.replace("-", "")
        assert compact(q.source.quote) in text


@pytest.mark.slow
@pytest.mark.parametrize("name", ["long-zh", "long-en", "shipped"])
def test_pdf_stem_and_options_share_a_page(request, name):
    fixture = "rendered_shipped" if name == "shipped" else "rendered"
    quiz, pdf = request.getfixturevalue(fixture)[name]
    # each line without spaces; a question's number starts a line
    pages = [
        "\n".join(compact(line) for line in page.splitlines() if line.strip())
        for page in pdf_pages(pdf)
    ]
    assert len(pages) >= 3
    for number, q in numbered(quiz):
        printed = compact(stem_as_printed(q, quiz.lang))
        wrapped = "\n?".join(re.escape(ch) for ch in printed)
        stem = re.compile(rf"^{number}\.{wrapped}", re.M)
        hits = [(i, m) for i, page in enumerate(pages) if (m := stem.search(page))]
        assert len(hits) == 1, f"question {number} found on {len(hits)} pages"
        page_no, match = hits[0]
        page = pages[page_no]
        nxt = re.compile(rf"^{number + 1}\.", re.M).search(page, match.end())
        segment = page[match.end() : nxt.start() if nxt else len(page)]
        segment = segment.replace("\n", "")
        for letter, option in zip("ABCDEFGH", q.options, strict=False):
            assert compact(f"{letter}.{option}") in segment, (
                f"question {number}: option {letter} is not on page {page_no + 1}"
            )
        for side in q.sides:
            assert compact(side.quote) in segment


@pytest.mark.slow
@pytest.mark.parametrize("name", ["long-zh", "long-en", "shipped", "shipped-tail"])
def test_pdf_no_page_holds_only_writing_lines(request, name):
    """A discussion question's writing space is never split off onto a page of its own."""
    fixture = "rendered_shipped" if name.startswith("shipped") else "rendered"
    quiz, pdf = request.getfixturevalue(fixture)[name]
    discussions = sum(q.kind == Kind.DISCUSSION for q in quiz.questions)
    assert discussions
    pages = pdf_pages(pdf)
    for i, page in enumerate(pages, start=1):
        assert re.search(r"^\s*\d+\.", page, re.M), f"page {i} starts no question"
    ruled = sum(
        1
        for page in pages
        for line in page.splitlines()
        if re.fullmatch(r"\s*_{20,}\s*", line)
    )
    assert ruled == writing_lines(Points().discussion) * discussions


@pytest.mark.slow
def test_pdf_footer_counts_pages(rendered):
    quiz, pdf = rendered["long-zh"]
    pages = pdf_pages(pdf)
    for i, page in enumerate(pages, start=1):
        assert f"第{i}页/共{len(pages)}页" in compact(page)
    _, en_pdf = rendered["long-en"]
    en_pages = pdf_pages(en_pdf)
    assert f"Page 1 of {len(en_pages)}" in en_pages[0]


@pytest.mark.slow
def test_pdf_first_page_as_png(rendered, artifacts):
    quiz, pdf = rendered["zh"]
    target = artifacts / "word-handout-zh-page1"
    subprocess.run(
        [
            PDFTOPPM,
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(target),
        ],
        check=True,
    )
    png = target.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000  # a page of text, not a blank
    shutil.copy(pdf, artifacts / "word-handout-zh.pdf")


# --------------------------------------------------------------------------- points


def with_variants(quiz: Quiz) -> Quiz:
    """The quiz with accepted variants on its blanks (a bank's `accepted`)."""
    questions = tuple(
        replace(q, accepted=(f"{q.answer}（约）", "x" + str(q.answer)))
        if q.kind == Kind.CLOZE
        else q
        for q in quiz.questions
    )
    return replace(quiz, questions=questions)


def heading_points(path: Path) -> list[tuple[int, int, int]]:
    """(questions, points each, section total) from each section heading of a handout."""
    out = []
    for p in handout_paragraphs(path):
        if p.style.name != "Heading 1":
            continue
        m = re.search(r"共 (\d+) 题，每题 (\d+) 分，共 (\d+) 分", p.text) or re.search(
            r"\((\d+) questions?, (\d+) points? each, (\d+) points\)", p.text
        )
        assert m, p.text
        out.append(tuple(int(x) for x in m.groups()))
    return out


def test_points_add_up_in_handout_and_key(zh_quizzes, tmp_path):
    quiz = zh_quizzes[0]
    points = Points(multiple_choice=3, true_false=2, cloze=4, discussion=12)
    student, key = export("docx", [quiz], tmp_path, ExportOptions(points=points))
    sections = heading_points(student)
    assert all(n * each == total for n, each, total in sections)
    assert sum(n for n, _, _ in sections) == len(quiz.questions)
    paper = sum(total for _, _, total in sections)
    assert paper == points.total(quiz.questions)
    subtitle = docx.Document(str(student)).paragraphs[1].text
    assert subtitle == f"A 卷    满分 {paper} 分"
    per_question = key_points(key)
    assert sum(per_question.values()) == paper
    by_number = dict(numbered(quiz))
    for number, given in per_question.items():
        assert given == points.of(by_number[number])
    texts = [p.text for p in docx.Document(str(key)).paragraphs]
    assert f"满分 {paper} 分：" in "".join(texts)
    assert texts[1].startswith(f"A 卷    满分 {paper} 分")  # the compact key's head


def test_points_default_by_kind():
    assert (Points().multiple_choice, Points().true_false) == (2, 1)
    assert (Points().cloze, Points().discussion) == (2, 10)


def test_points_option_through_the_cli(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(EXAMPLE_BANK),
            "-f",
            "docx",
            "--points",
            "choice：5，tf:3、disc:20",  # a Chinese input method's marks
            "--points",
            "cloze:4",
            "-o",
            str(tmp_path),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    student = tmp_path / "example-translation-zh-student.docx"
    assert sorted({e for _, e, _ in heading_points(student)}) == [3, 4, 5, 20]


@pytest.mark.parametrize(
    ("value", "en", "zh"),
    [
        (
            "choice:0",
            "'choice:0': the points must be a whole number from 1 to 100, as in choice:2",
            "'choice:0'：分值必须是 1 到 100 的整数，如 choice:2",
        ),
        ("essay:5", "unknown kind 'essay'", "未知的题型 'essay'"),
        (
            "tf",
            "'tf': the points must be a whole number from 1 to 100, as in tf:2",
            "'tf'：分值必须是 1 到 100 的整数，如 tf:2",
        ),
        (
            "cloze:1.5,mc:x",
            "'cloze:1.5': the points must be a whole number from 1 to 100, as in "
            "cloze:2; 'mc:x': the points must be a whole number from 1 to 100, as in mc:2",
            "'cloze:1.5'：分值必须是 1 到 100 的整数，如 cloze:2；'mc:x'：分值必须是 "
            "1 到 100 的整数，如 mc:2",
        ),
    ],
    ids=["zero", "unknown-kind", "no-number", "every-problem"],
)
def test_points_option_rejects_bad_input(tmp_path, monkeypatch, value, en, zh):
    for lang, message in (("en", en), ("zh", zh)):
        monkeypatch.setenv("QUIZGEN_LANG", lang)
        result = CliRunner().invoke(
            main,
            ["build", str(EXAMPLE_BANK), "-f", "docx", "--points", value]
            + ["-o", str(tmp_path)],
        )
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert message in result.output, result.output
        assert list(tmp_path.iterdir()) == []


def test_points_and_sheet_are_for_word_only(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZGEN_LANG", "en")
    result = CliRunner().invoke(
        main,
        ["build", str(EXAMPLE_BANK), "-f", "json", "--answer-sheet"]
        + ["-o", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert "--points and --answer-sheet are for --format docx only" in result.output


# --------------------------------------------------------------------------- answers


def test_keys_and_teacher_copy_carry_accepted_variants(zh_quizzes, tmp_path):
    quiz = with_variants(zh_quizzes[0])
    clozes = {n: q for n, q in numbered(quiz) if q.kind == Kind.CLOZE}
    assert clozes
    _, key = export("docx", [quiz], tmp_path / "k", ExportOptions())
    copy, _ = export("docx", [quiz], tmp_path / "c", ExportOptions(answers="end"))
    key_texts = [p.text for p in docx.Document(str(key)).paragraphs]
    table = docx.Document(str(key)).tables[0]
    copy_texts = [p.text for p in docx.Document(str(copy)).paragraphs]
    for number, q in clozes.items():
        term, *others = q.accepted_answers
        assert term == q.answer
        assert len(others) == 2
        also = f"（亦可：{'、'.join(others)}）"
        assert f"{number}.\t{term}{also}" in key_texts  # the compact key
        assert f"{number}.\t{term}{also}" in copy_texts  # answers at the end
        row = next(r for r in table.rows[1:] if r.cells[0].text == str(number))
        assert row.cells[2].text.split("\n")[:2] == [term, also]


def test_compact_key_lists_letters_in_groups_of_five(en_quizzes, tmp_path):
    quiz = long_quiz(en_quizzes[0], 3)
    _, key = export("docx", [quiz], tmp_path, ExportOptions())
    document = docx.Document(str(key))
    rows = [p.text for p in document.paragraphs if p.style.name == "Compact Row"]
    groups = [g for row in rows for g in row.split("\t")]
    letters = {}
    for group in groups:
        numbers, answer = group.split(" ")
        first, _, last = numbers.partition("-")
        span = range(int(first), int(last or first) + 1)
        assert len(answer) == len(span) <= 5
        letters.update(zip(span, answer, strict=True))
    for number, q in numbered(quiz):
        if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
            assert letters.pop(number) == "ABCD"[q.answer]
    assert letters == {}
    # the detailed key follows on a new page
    body = document.element.body
    breaks = [br for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert len(breaks) == 1


# --------------------------------------------------------------------------- discussion


def test_discussion_cites_no_paragraph_the_student_lacks(zh_quizzes, tmp_path):
    quiz = zh_quizzes[0]
    cited = "王老师在第 12 段举了哪个例子？"
    questions = tuple(
        replace(q, guiding=(*q.guiding, cited)) if q.kind == Kind.DISCUSSION else q
        for q in quiz.questions
    )
    quiz = replace(quiz, questions=questions)
    student, key = export("docx", [quiz], tmp_path, ExportOptions())
    text = "\n".join(p.text for p in handout_paragraphs(student))
    assert cited not in text
    assert not re.search(r"第\s*\d+\s*段", text)
    q = next(q for q in quiz.questions if q.kind == Kind.DISCUSSION)
    for side in q.sides:
        assert side.quote in text  # the excerpt itself is on the handout
    key_text = "\n".join(
        c.text for r in docx.Document(str(key)).tables[0].rows for c in r.cells
    )
    assert cited in key_text
    for side in q.sides:
        assert f"原文第 {side.paragraph} 段" in key_text  # the teacher has the text


# --------------------------------------------------------------------------- answer sheet


def test_answer_sheet_has_boxes_lines_and_fields(zh_quizzes, tmp_path):
    quiz = zh_quizzes[0]
    paths = export("docx", [quiz], tmp_path, ExportOptions(answer_sheet=True))
    assert [p.name for p in paths] == [
        "example-translation-zh-A-student.docx",
        "example-translation-zh-A-answer-sheet.docx",
        "example-translation-zh-A-key.docx",
    ]
    student, sheet, _ = paths
    document = docx.Document(str(sheet))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == f"{quiz.title} 答题卡"
    assert texts[2].startswith("姓名：")
    assert "班级：" in texts[2]
    cells = [c for p in document.paragraphs for c in p.text.split("\t")]
    by_number = dict(numbered(quiz))
    for number, q in by_number.items():
        if q.kind == Kind.MULTIPLE_CHOICE:
            assert f"{number}. □A □B □C □D" in cells
        elif q.kind == Kind.TRUE_FALSE:
            assert f"{number}. □A {q.options[0]}  □B {q.options[1]}" in cells
    with zipfile.ZipFile(sheet) as z:
        xml = z.read("word/document.xml").decode()
    blanks = sum(1 for q in quiz.questions if q.kind == Kind.CLOZE)
    assert xml.count('name="blank"') == blanks
    assert "☐" not in xml  # not in every Chinese font
    discussions = sum(q.kind == Kind.DISCUSSION for q in quiz.questions)
    lines = [p for p in handout_paragraphs(sheet) if p.style.name == "Answer Line"]
    assert len(lines) == discussions
    # students write on the sheet: the handout says so and has no writing space
    handout = handout_paragraphs(student)
    assert "所有答案写在答题卡上，试卷上不作答。" in [p.text for p in handout]
    assert not [p for p in handout if p.style.name == "Answer Line"]


def test_write_with_sheet_is_reproducible(zh_quizzes, tmp_path):
    options = ExportOptions(answer_sheet=True)
    first = export("docx", zh_quizzes[:1], tmp_path / "1", options)
    second = export("docx", zh_quizzes[:1], tmp_path / "2", options)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()


# --------------------------------------------------------------------------- marking, rendered


def soffice_pdf(paths: list[Path], out: Path) -> list[Path]:
    """Convert every file to PDF in one LibreOffice run; the PDFs, in order."""
    require(SOFFICE is not None, "LibreOffice (soffice) is not installed")
    require(
        PDFTOTEXT is not None and PDFTOPPM is not None, "poppler-utils is not installed"
    )
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                SOFFICE,
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{profile}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                *(str(p) for p in paths),
            ],
            check=False,
            capture_output=True,
            timeout=300,
        )
    pdfs = [out / f"{p.stem}.pdf" for p in paths]
    for pdf in pdfs:
        assert pdf.exists(), f"LibreOffice wrote no PDF for {pdf.stem}"
    return pdfs


def answers_document(answers: list[str], lang: str, path: Path) -> Path:
    """Each answer in a paragraph of the handout's Question style: as print sets it."""
    from quizgen.export.docx_styles import new_document

    document = new_document(lang)
    for answer in answers:
        document.add_paragraph(answer, style="Question")
    document.save(str(path))
    return path


def line_widths(pdf: Path) -> list[float]:
    """The width in points of each text line of a PDF, top to bottom."""
    xml = subprocess.run(
        [PDFTOTEXT, "-bbox-layout", str(pdf), "-"],
        capture_output=True,
        check=True,
    ).stdout
    root = etree.fromstring(xml)
    lines = [el for el in root.iter() if etree.QName(el).localname == "line"]
    return [float(el.get("xMax")) - float(el.get("xMin")) for el in lines]


@dataclass
class Placed:
    """A picture on a PDF page, in points from the page's top left."""

    page: int
    left: float
    top: float
    width: float
    page_width: float


ZOOM = 3  # pdftohtml rounds to whole units (and zooms 3 at most)


def placed_images(pdf: Path, workdir: Path) -> list[Placed]:
    """Every picture drawn in `pdf`, in reading order (page, line, left to right)."""
    workdir.mkdir(parents=True, exist_ok=True)
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-zoom", str(ZOOM), "-stdout", str(pdf), "pic"],
        capture_output=True,
        check=True,
        cwd=workdir,
    ).stdout
    root = etree.fromstring(xml)
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    page_pt = float(re.search(r"Page size:\s+([\d.]+) x", info)[1])
    out = []
    for page in root.iter("page"):
        scale = int(page.get("width")) / page_pt  # units per point
        for image in page.iter("image"):
            out.append(
                Placed(
                    page=int(page.get("number")),
                    left=int(image.get("left")) / scale,
                    top=int(image.get("top")) / scale,
                    width=int(image.get("width")) / scale,
                    page_width=page_pt,
                )
            )
    return sorted(out, key=lambda p: (p.page, round(p.top), p.left))


def blank_owners(quiz: Quiz) -> list[Question]:
    """The question of each blank, in the order the handout prints them."""
    return [
        q
        for _, q in numbered(quiz)
        if q.kind == Kind.CLOZE
        for _ in range(len(re.findall(r"_{3,}", q.prompt)))
    ]


def _first_clozes(bank: Bank, n: int) -> tuple[str, ...]:
    ids = [q for q in available(bank, Choices(lang="en")) if q.endswith(".cloze")]
    return tuple(ids[:n])


@pytest.fixture(scope="session")
def rendered_marking(tmp_path_factory, shipped_bank) -> dict[str, object]:
    """Papers of 40 (Chinese) and 20 (English) questions with accepted variants,
    their answer sheets and keys, and their answers set in print, as PDFs."""
    if not shipped_bank.claims:
        pytest.skip("the shipped bank has no claims yet")
    out = tmp_path_factory.mktemp("marking")
    quizzes = {
        "zh": with_variants(
            generate(shipped_bank, Choices(lang="zh", seed=5, count=40))[0]
        ),
        # three blanks at least, whatever the draw: the first clozes included
        "en": with_variants(
            generate(
                shipped_bank,
                Choices(
                    lang="en", seed=6, count=20, include=_first_clozes(shipped_bank, 3)
                ),
            )[0]
        ),
    }
    files: dict[str, Path] = {}
    for lang, quiz in quizzes.items():
        student, sheet, key = export(
            "docx", [quiz], out / lang, ExportOptions(answer_sheet=True)
        )
        plain, _ = export("docx", [quiz], out / f"{lang}-plain", ExportOptions())
        files[f"{lang}-student"] = plain
        files[f"{lang}-on-sheet"] = student
        files[f"{lang}-sheet"] = sheet
        files[f"{lang}-key"] = key
        answers = [a for q in blank_owners(quiz) for a in q.accepted_answers]
        files[f"{lang}-answers"] = answers_document(
            answers, lang, out / f"{lang}-answers.docx"
        )
    names = list(files)
    staged = out / "staged"  # one name each: LibreOffice names a PDF by its stem
    staged.mkdir()
    for name in names:
        shutil.copy(files[name], staged / f"{name}.docx")
    pdfs = soffice_pdf([staged / f"{n}.docx" for n in names], out / "pdf")
    return {"quizzes": quizzes, "pdf": dict(zip(names, pdfs, strict=True)), "out": out}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_blanks_fit_their_answers_on_one_line(rendered_marking, lang):
    quiz = rendered_marking["quizzes"][lang]
    pdfs = rendered_marking["pdf"]
    owners = blank_owners(quiz)
    assert len(owners) >= 3
    printed = iter(line_widths(pdfs[f"{lang}-answers"]))
    widest = {
        q.id: max(next(printed) for _ in q.accepted_answers) for q in owners
    }  # each answer set in the handout's font and size
    blanks = placed_images(pdfs[f"{lang}-student"], rendered_marking["out"] / lang)
    assert len(blanks) == len(owners)  # one picture a blank, none split in two
    margin = 2.2 / 2.54 * 72
    for q, blank in zip(owners, blanks, strict=True):
        assert blank.width >= widest[q.id], (q.id, blank.width, widest[q.id])
        # a whole blank within the text area: not run into the margin
        assert blank.left >= margin - 1
        assert blank.left + blank.width <= blank.page_width - margin + 1
    sheet = placed_images(pdfs[f"{lang}-sheet"], rendered_marking["out"] / f"{lang}-s")
    answers = [q for q in quiz.questions if q.kind == Kind.CLOZE]
    assert len(sheet) == len(answers)
    by_width = sorted(b.width for b in sheet)
    assert by_width[0] >= min(widest.values())


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_compact_key_fits_the_first_page(rendered_marking, lang):
    quiz = rendered_marking["quizzes"][lang]
    pages = pdf_pages(rendered_marking["pdf"][f"{lang}-key"])
    first = compact(pages[0])
    for kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        pairs = [(n, q) for n, q in numbered(quiz) if q.kind == kind]
        for group in letter_groups(pairs):
            assert compact(group) in first, group
    for number, q in numbered(quiz):
        if q.kind == Kind.CLOZE:
            for answer in q.accepted_answers:
                assert (
                    compact(f"{number}.{answer}") in first or compact(answer) in first
                )
    title = "参考答案" if lang == "zh" else "answer key"
    assert compact(title) not in first  # the detailed key starts on page 2
    assert compact(pages[1]).startswith(compact(quiz.title)[:6])


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_points_add_up_to_the_full_marks(rendered_marking, lang):
    quiz = rendered_marking["quizzes"][lang]
    text = compact("".join(pdf_pages(rendered_marking["pdf"][f"{lang}-student"])))
    if lang == "zh":
        sections = re.findall(r"共(\d+)题，每题(\d+)分，共(\d+)分", text)
        full = int(re.search(r"满分(\d+)分", text)[1])
    else:
        sections = re.findall(r"\((\d+)questions?,(\d+)points?each,(\d+)points\)", text)
        full = int(re.search(r"Total:(\d+)points", text)[1])
    assert len(sections) == len({q.kind for q in quiz.questions})
    assert all(int(n) * int(e) == int(t) for n, e, t in sections)
    assert sum(int(n) for n, _, _ in sections) == len(quiz.questions)
    assert sum(int(t) for _, _, t in sections) == full == Points().total(quiz.questions)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_answer_sheet_has_a_box_per_option(rendered_marking, lang):
    quiz = rendered_marking["quizzes"][lang]
    pages = pdf_pages(rendered_marking["pdf"][f"{lang}-sheet"])
    # each discussion question's number is on the page of its writing lines
    ruled = 0
    for page in pages:
        stems = 0
        for line in page.splitlines():
            if re.match(r"^\s*\d+\.\s+(（\d+ 分）|\(\d+ points\))\s*$", line):
                stems += 1
                ruled = 0
            elif stems and re.fullmatch(r"\s*_{20,}\s*", line):
                ruled += 1
        if stems:
            assert ruled == writing_lines(Points().discussion)
    text = "".join(pages)
    boxes = sum(len(q.options) for q in quiz.questions if q.kind != Kind.CLOZE)
    assert text.count("□") == boxes + TEXT[lang]["sheet_how"].count("□")
    flat = compact(text)
    for number, q in numbered(quiz):
        if q.kind == Kind.MULTIPLE_CHOICE:
            assert f"{number}.□A□B□C□D" in flat
        elif q.kind == Kind.TRUE_FALSE:
            assert compact(f"{number}. □A {q.options[0]} □B {q.options[1]}") in flat
    assert compact("姓名：" if lang == "zh" else "Name:") in flat
    on_sheet = compact("".join(pdf_pages(rendered_marking["pdf"][f"{lang}-on-sheet"])))
    assert compact(TEXT[lang]["how_sheet"]) in on_sheet
