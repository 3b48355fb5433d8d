"""The `quizgen` command: a thin layer over the Python API.

User mistakes (a bad bank, impossible choices) print a clean message and exit
1; nothing prints a traceback for them.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from quizgen.bank import Bank, display_path, load_bank
from quizgen.errors import BankError, ChoiceError, OutputError, QuizgenError, os_reason
from quizgen.export import FORMATS, ExportOptions, export
from quizgen.export.files import write_atomic
from quizgen.export.handout_points import parse_points
from quizgen.generate import (
    KIND_SHORT_NAMES,
    Choices,
    available,
    available_counts,
    generate,
    parse_kinds,
    split_list,
    with_lang,
    zero_reasons,
)
from quizgen.i18n import t, user_lang
from quizgen.quiz import FORMS, Kind, Quiz
from quizgen.resources import bundled_banks
from quizgen.rules import width

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="quizgen")
def main() -> None:
    """quizgen: curated claims from a source text become quizzes.

    quizgen：把原文中经过整理的论断变成测验题。
    """


@main.command()
@click.argument("banks", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def check(banks: tuple[Path, ...]) -> None:
    """Validate banks against their sources (default: every bundled bank).

    校验题库与原文是否一致（默认：所有内置题库）。Prints every problem as
    file:line: [id] message, and exits 1 if there is any.
    """
    paths = list(banks) or bundled_banks()
    if not paths:
        raise UserError(t("no banks found", "没有找到题库"))
    failed = 0
    for path in paths:
        try:
            bank = load_bank(path)
        except BankError as exc:
            failed += 1
            _echo_problems(exc)
            click.echo(
                t(
                    f"{display_path(path)}: {len(exc.problems)} problem(s)",
                    f"{display_path(path)}\uff1a共 {len(exc.problems)} 个问题",
                ),
                err=True,
            )
            continue
        click.echo(t(f"{bank.path}: ", f"{bank.path}\uff1a") + bank.summary())
        for line in _zero_lines(bank):
            click.echo(t(f"{bank.path}: note: ", f"{bank.path}\uff1a注意：") + line)
    if failed:
        sys.exit(1)


class UserError(click.ClickException):
    """A one-line error for the user, headed Error or 错误 by their language; exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(t("Error: ", "错误：") + self.format_message(), err=True)


def _echo_problems(exc: BankError) -> None:
    """Every problem of a bad bank on standard error, one `file:line:` line each."""
    for problem in exc.problems:
        click.echo(str(problem), err=True)


@main.command()
@click.argument("bank")
@click.option(
    "--format",
    "-f",
    "fmt",
    required=True,
    type=click.Choice(list(FORMATS)),
    help="File format to write. / 输出格式。",
)
@click.option(
    "--lang",
    default=None,
    type=click.Choice(["zh", "en", "bilingual"]),
    help="Language of the questions (default: zh, or the language of a bank "
    "written in one); bilingual is for Anki only. / 题目语言（默认 zh，"
    "单语题库则为其语言）；bilingual 仅用于 Anki。",
)
@click.option(
    "--topics",
    multiple=True,
    metavar="IDS",
    help="Topic ids, comma-separated (default: all). / 主题 id，逗号分隔（默认全部）。",
)
@click.option(
    "--kinds",
    multiple=True,
    metavar="KINDS",
    help="Kinds or kind:form, comma-separated, e.g. multiple_choice:fact,cloze "
    "(default: all). / 题型，或 kind:form，如 multiple_choice:fact，逗号分隔（默认全部）。",
)
@click.option(
    "--difficulty",
    multiple=True,
    metavar="LEVELS",
    help="Difficulty levels 1-3, comma-separated (default: all). / 难度 1-3，逗号分隔。",
)
@click.option(
    "--count",
    "-n",
    type=click.IntRange(min=1),
    default=None,
    help="Number of questions (default: every one the choices allow). / 题目数量（默认全部）。",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Random seed: the same seed gives the same quiz. / 随机种子：相同种子得到相同测验。",
)
@click.option(
    "--versions",
    type=click.IntRange(1, 26),
    default=1,
    show_default=True,
    help="Shuffled versions (A, B, ...), each with its own key. / 乱序版本数，各有答案。",
)
@click.option(
    "--allow-fewer",
    is_flag=True,
    help="Build fewer questions when the choices allow fewer than --count. / 题目不足时照样生成。",
)
@click.option(
    "--siblings",
    is_flag=True,
    help="A drill: several questions per claim, even where one gives another away "
    "(always on for --format anki). / 练习用：同一论断可出多道题，即使相互泄露答案"
    "（--format anki 时总是开启）。",
)
@click.option(
    "--open-blanks",
    is_flag=True,
    help="Also cloze blanks with more than one right wording (a common word, not a "
    "name or number), for a drill a person marks (always on for --format anki). / "
    "也出开放填空（空格处是普通词语而非名字或数字，可能不止一种正确写法），适合人工批改的练习"
    "（--format anki 时总是开启）。",
)
@click.option(
    "--answers",
    type=click.Choice(["none", "after", "end"]),
    default="none",
    show_default=True,
    help="Word handouts: print answers after each question or at the end (teacher's copy). "
    "/ Word 讲义：答案放在题后或卷尾（教师用）。",
)
@click.option(
    "--points",
    multiple=True,
    metavar="KIND:N",
    help="Word handouts: points per question of a kind, comma-separated, e.g. "
    "choice:3,tf:1,cloze:2,disc:10 (default: choice 2, tf 1, cloze 2, disc 10). "
    "/ Word 讲义：每题分值，如 choice:3,tf:1（默认：选择 2、判断 1、填空 2、讨论 10）。",
)
@click.option(
    "--answer-sheet",
    is_flag=True,
    help="Word handouts: also write an answer sheet per version. "
    "/ Word 讲义：另写每卷的答题卡。",
)
@click.option(
    "--output",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder. / 输出文件夹。",
)
def build(
    bank: str,
    fmt: str,
    lang: str | None,
    topics: tuple[str, ...],
    kinds: tuple[str, ...],
    difficulty: tuple[str, ...],
    count: int | None,
    seed: int,
    versions: int,
    allow_fewer: bool,
    siblings: bool,
    open_blanks: bool,
    answers: str,
    points: tuple[str, ...],
    answer_sheet: bool,
    out_dir: Path,
) -> None:
    """Build a quiz from BANK (a path or a bundled bank's name) and write it.

    由题库 BANK（路径或内置题库名）生成测验并写出文件。
    """
    try:
        loaded = open_bank(bank)
        lang = lang or ("zh" if "zh" in loaded.languages else loaded.languages[0])
        try:
            levels = tuple(int(x) for x in split_list(difficulty))
        except ValueError:
            raise ChoiceError(
                t("difficulty must be numbers 1-3", "难度必须是 1-3 的数字")
            ) from None
        if lang == "bilingual" and fmt != "anki":
            raise ChoiceError(
                t(
                    "--lang bilingual is for --format anki only",
                    "--lang bilingual 仅适用于 --format anki",
                )
            )
        if answers != "none" and fmt != "docx":
            raise ChoiceError(
                t(
                    "--answers is for --format docx only (Word handouts)",
                    "--answers 仅适用于 --format docx（Word 讲义）",
                )
            )
        if (points or answer_sheet) and fmt != "docx":
            raise ChoiceError(
                t(
                    "--points and --answer-sheet are for --format docx only (Word handouts)",
                    "--points 和 --answer-sheet 仅适用于 --format docx（Word 讲义）",
                )
            )
        handout_points = parse_points(split_list(points))
        choices = Choices(
            lang="zh" if lang == "bilingual" else lang,
            topics=split_list(topics),
            kinds=parse_kinds(kinds),
            difficulty=levels,
            count=count,
            seed=seed,
            versions=versions,
            allow_fewer=allow_fewer,
            # an Anki deck is a drill: every form of every claim, and the
            # student grades each card
            siblings=siblings or fmt == "anki",
            open_blanks=open_blanks or fmt == "anki",
        )
        quizzes = list(generate(loaded, choices))
        if lang == "bilingual":
            quizzes += generate(loaded, with_lang(choices, "en"))
        quizzes = [_with_epoch(q) for q in quizzes]
        paths = export(
            fmt,
            quizzes,
            out_dir,
            ExportOptions(
                answers=answers,
                bilingual=lang == "bilingual",
                points=handout_points,
                answer_sheet=answer_sheet,
            ),
        )
    except BankError as exc:
        _echo_problems(exc)
        sys.exit(1)
    except QuizgenError as exc:
        raise UserError(str(exc)) from None
    n = len(quizzes[0].questions)
    click.echo(
        t(
            f"{n} question{'' if n == 1 else 's'}, {len(paths)} "
            f"file{'' if len(paths) == 1 else 's'}:",
            f"{n} 道题，{len(paths)} 个文件：",
        )
    )
    for path in paths:
        click.echo(f"  {path}")


@main.command()
@click.argument("bank")
@click.option(
    "--lang",
    default=None,
    type=click.Choice(["zh", "en"]),
    help="Language of the names (default: the messages' language). / 名称的语言。",
)
def info(bank: str, lang: str | None) -> None:
    """Show BANK's topics and how many questions of each kind it can give.

    显示题库的主题，以及每种题型可出的题目数量（供 --topics 和 --kinds 使用）。
    """
    try:
        loaded = open_bank(bank)
    except BankError as exc:
        _echo_problems(exc)
        sys.exit(1)
    except QuizgenError as exc:
        raise UserError(str(exc)) from None
    lang = lang or user_lang()
    counts = available_counts(loaded, Choices())
    columns = [(kind, form) for kind in Kind for form in FORMS[kind]]
    short = {pair: name for name, pair in KIND_SHORT_NAMES.items()}
    heads = [short.get(col, col[0].value) for col in columns]
    click.echo(f"{loaded.title.get(lang)}  ({loaded.id})")
    click.echo(loaded.summary())
    click.echo("")
    click.echo(
        _pad(t("topic", "主题"), 14)
        + "".join(f"{h:>7}" for h in heads)
        + "  "
        + t("name", "名称")
    )
    for topic in loaded.topics:
        row = counts.get(topic.id, {})
        cells = "".join(f"{row.get(col, 0):>7}" for col in columns)
        click.echo(f"{_pad(topic.id, 14)}{cells}  {topic.name.get(lang)}")
    totals = "".join(
        f"{sum(r.get(col, 0) for r in counts.values()):>7}" for col in columns
    )
    click.echo(f"{_pad(t('all', '合计'), 14)}{totals}")
    click.echo("")
    open_count = len(available(loaded, Choices())) - len(
        available(loaded, Choices(open_blanks=False))
    )
    if open_count:
        click.echo(
            t(
                f"cloze: {open_count} of them are open blanks (a common word, which "
                "more than one wording fills), built only with --open-blanks or for "
                "Anki",
                f"cloze：其中 {open_count} 道是开放填空（空格处是普通词语，不止一种写法），"
                "仅在 --open-blanks 或导出 Anki 时生成",
            )
        )
    for line in _zero_lines(loaded):
        click.echo(line)
    if zero_reasons(loaded):
        click.echo("")
    click.echo(
        t(
            "--kinds takes these column names, or kind:form: fact, who, stance = "
            "multiple_choice:fact|attribution|stance; tf = true_false; cloze; "
            "disc = discussion",
            "--kinds 可用这些列名，或 kind:form：fact、who、stance 即 "
            "multiple_choice:fact|attribution|stance\uff1btf 即 true_false\uff1b"
            "cloze\uff1bdisc 即 discussion",
        )
    )


def _zero_lines(bank: Bank) -> list[str]:
    """One line per kind the bank gives no question of: its short name, why,
    and what would enable it."""
    short = {pair: name for name, pair in KIND_SHORT_NAMES.items()}
    return [
        t(
            f"{short.get(pair, pair[0].value)}: 0 questions: {why}",
            f"{short.get(pair, pair[0].value)}：0 道题：{why}",
        )
        for pair, why in zero_reasons(bank).items()
    ]


def _pad(text: str, columns: int) -> str:
    """`text` padded with spaces to `columns` display columns (a Chinese character takes two)."""
    return text + " " * max(0, columns - width(text))


def _with_epoch(quiz: Quiz) -> Quiz:
    """SOURCE_DATE_EPOCH, when set, fixes the modification time of every output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return replace(quiz, modified=int(epoch)) if epoch.isdigit() else quiz


def open_bank(name: str) -> Bank:
    """Load a bank by path, or by the name of a bundled bank ('ai_panel_2024')."""
    path = Path(name)
    if not path.exists():
        for candidate in bundled_banks():
            if name in (candidate.stem, candidate.name):
                path = candidate
                break
        else:
            known = ", ".join(p.stem for p in bundled_banks())
            raise QuizgenError(
                t(
                    f"no bank '{name}' (bundled: {known})",
                    f"找不到题库 '{name}'（内置：{known}）",
                )
            )
    return load_bank(path)


@main.command()
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--output",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder for the bank and its text. / 题库和原文的输出文件夹。",
)
@click.option(
    "--title",
    default=None,
    help="The text's title (default: the file name). / 原文标题。",
)
@click.option(
    "--force", is_flag=True, help="Replace a bank of that name. / 覆盖同名题库。"
)
def init(source: Path, out_dir: Path, title: str | None, force: bool) -> None:
    """Start a bank for a new text: SOURCE one paragraph a line, speakers from
    its labels, no claims yet.

    为新文本建立题库：把 SOURCE 整理成一段一行，从发言人标签得出发言人，暂无论断。
    Hard-wrapped lines are joined, line ends and a byte-order mark normalised;
    the paragraphs made are listed to confirm.
    """
    from quizgen.starter import bank_id_for, find_labels, starter_bank
    from quizgen.text_import import import_text

    try:
        imported = import_text(source.read_bytes(), name=str(source))
        text_path = out_dir / f"{source.stem}.txt"
        if (
            text_path.resolve() == source.resolve()
            and imported.text
            != source.read_text(encoding=imported.encoding, errors="replace")
        ):
            text_path = out_dir / f"{source.stem}.paragraphs.txt"
        bank_path = out_dir / f"{source.stem}.yaml"
        if bank_path.exists() and not force:
            raise QuizgenError(
                t(
                    f"{bank_path} already exists. Hint: --force replaces it.",
                    f"{bank_path} 已经存在。提示：加 --force 可覆盖。",
                )
            )
        bank_text = starter_bank(
            imported.paragraphs,
            bank_id=bank_id_for(source.stem),
            source_file=text_path.name,
            title=title or source.stem,
        )
        for path, content in ((text_path, imported.text), (bank_path, bank_text)):
            try:
                write_atomic(path, content)
            except OSError as exc:
                raise OutputError(
                    t(
                        f"cannot write {path}: {os_reason(exc)}",
                        f"无法写入 {path}：{os_reason(exc)}",
                    )
                ) from None
        load_bank(bank_path)  # what was written must pass `quizgen check`
    except BankError as exc:
        _echo_problems(exc)
        sys.exit(1)
    except QuizgenError as exc:
        raise UserError(str(exc)) from None
    for note in imported.notes:
        click.echo(f"- {note}")
    labels = find_labels(imported.paragraphs)
    n = len(imported.paragraphs)
    click.echo(t(f"{n} paragraphs:", f"{n} 个段落："))
    for number, para in enumerate(imported.paragraphs, start=1):
        shown = para if width(para) <= 72 else _clip(para, 70) + "…"
        click.echo(f"{number:>5}  {shown}")
    found = ", ".join(f"{x.name} ({x.count})" for x in labels) or t("none", "无")
    click.echo(t(f"speaker labels: {found}", f"发言人标签：{found}"))
    click.echo(t("wrote:", "已写出："))
    click.echo(f"  {text_path}")
    click.echo(f"  {bank_path}")


def _clip(text: str, columns: int) -> str:
    """The start of `text` that fits `columns` display columns."""
    out, used = [], 0
    for ch in text:
        used += width(ch)
        if used > columns:
            break
        out.append(ch)
    return "".join(out)


@main.command()
@click.option(
    "--host",
    default=None,
    help="Address to listen on [default: 127.0.0.1, this computer only; "
    "0.0.0.0 with --classroom]. / 监听地址。",
)
@click.option(
    "--port",
    "-p",
    type=click.IntRange(0, 65535),
    default=5000,
    show_default=True,
    help="Port to listen on. / 端口。",
)
@click.option(
    "--classroom",
    is_flag=True,
    help="Let phones on this network join a live quiz (listens on every "
    "interface) and print the address they join at. / 让同一网络中的手机加入课堂测验。",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Worker threads of the server. / 服务器工作线程数。",
)
@click.option(
    "--new-author-link",
    is_flag=True,
    help="Replace the teacher link printed at start-up; the old one stops "
    "working. / 更换启动时显示的教师链接，旧链接失效。",
)
def serve(
    host: str | None, port: int, classroom: bool, threads: int, new_author_link: bool
) -> None:
    """Run the web app (builder, preview, downloads, live quiz) on an embedded
    SQLite store, on the waitress server.

    运行网页应用（生成、预览、下载、课堂测验），数据存于内置的 SQLite。
    Set QUIZGEN_DATABASE_URL for PostgreSQL.
    """
    from quizgen.web.server import CLASSROOM_HOST, ServerSettings, run

    if host is None:
        host = CLASSROOM_HOST if classroom else "127.0.0.1"
    try:
        run(
            host,
            port,
            settings=ServerSettings(threads=threads),
            new_author_link=new_author_link,
        )
    except QuizgenError as exc:
        raise UserError(str(exc)) from None


def _add_teachers() -> None:
    from quizgen.cli_teachers import teachers

    main.add_command(teachers)


_add_teachers()

if __name__ == "__main__":  # pragma: no cover
    main()
