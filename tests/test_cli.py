from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from quizgen.cli import main

from conftest import EXAMPLE_BANK, ROOT


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_check_bundled_banks_passes():
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "question_banks/ai_panel_2024.yaml:" in result.output
    assert "paragraphs quoted" in result.output


def test_check_summary_line():
    result = run("check", str(EXAMPLE_BANK))
    assert result.exit_code == 0
    assert (
        result.output.strip().endswith(
            "13 claims, 1 debates, 4 speakers, 3 topics; paragraphs quoted 12/12 (100.0%)"
        )
        or "13 claims, 1 debates, 4 speakers, 2 topics; paragraphs quoted 12/12 (100.0%)"
        in result.output
    )


def test_check_bad_bank_exits_1_with_every_problem(tmp_path):
    shutil.copy(ROOT / "docs" / "example-source.txt", tmp_path)
    text = EXAMPLE_BANK.read_text(encoding="utf-8")
    text = text.replace(
        "speaker: liu\n    topic: learning", "speaker: lui\n    topic: learn", 1
    )
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "bad.yaml")])
    assert result.exit_code == 1
    assert "unknown speaker 'lui'" in result.output
    assert "unknown topic 'learn'" in result.output
    assert "2 problem(s)" in result.output
    assert "Traceback" not in result.output


def test_check_in_chinese(tmp_path):
    (tmp_path / "x.yaml").write_text("id: [\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", str(tmp_path / "x.yaml")], env={"QUIZGEN_LANG": "zh"}
    )
    assert result.exit_code == 1
    assert "YAML 语法错误" in result.output


def test_build_json(tmp_path):
    result = run(
        "build",
        str(EXAMPLE_BANK),
        "-f",
        "json",
        "--lang",
        "en",
        "--versions",
        "2",
        "-o",
        str(tmp_path),
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["example-translation-en-A.json", "example-translation-en-B.json"]
    data = json.loads((tmp_path / files[0]).read_text(encoding="utf-8"))
    assert data["lang"] == "en"
    assert f"{len(data['questions'])} questions, 2 files:" in result.output


def test_build_is_byte_identical(tmp_path):
    for out in ("a", "b"):
        assert (
            run(
                "build",
                str(EXAMPLE_BANK),
                "-f",
                "json",
                "--seed",
                "3",
                "-o",
                str(tmp_path / out),
            ).exit_code
            == 0
        )
    a = (tmp_path / "a" / "example-translation-zh.json").read_bytes()
    assert a == (tmp_path / "b" / "example-translation-zh.json").read_bytes()


def test_build_too_many_is_a_clean_error(tmp_path):
    result = CliRunner().invoke(
        main,
        ["build", str(EXAMPLE_BANK), "-f", "json", "-n", "99", "-o", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert "but 99 were asked for" in result.output
    assert "--allow-fewer" in result.output
    assert not list(tmp_path.iterdir())


def test_build_unknown_bank(tmp_path):
    result = CliRunner().invoke(
        main, ["build", "nope", "-f", "json", "-o", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "no bank 'nope' (bundled: ai_panel_2024, euthyphro_jowett)" in result.output


def test_help_is_bilingual():
    result = run("--help")
    assert "quizgen：把原文中" in result.output
    for command in ("build", "check"):
        assert command in result.output


def test_info_lists_topics_and_counts(tmp_path):
    result = run("info", str(EXAMPLE_BANK), "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "A panel on machine translation (example)  (example-translation)"
    future = next(line for line in lines if line.startswith("future "))
    # wang-replace: fact, who, stance, tf, cloze; wang-ninety: who, cloze;
    # liu-literature: who, tf;
    # liu-puns: who; wang-postedit: who; wang-termbase: fact, who; liu-flat: who,
    # tf; wang-bleu: who, cloze; wang-editor: who, cloze; the debate: disc
    assert future.split()[1:7] == ["2", "9", "1", "3", "4", "1"]
    assert future.endswith("The future of translation")
    assert lines[-1].startswith("--kinds takes these column names")
    # every column name is one --kinds takes
    heads = next(line for line in lines if line.startswith("topic ")).split()[1:-1]
    built = run(
        "build", str(EXAMPLE_BANK), "-f", "json", "--kinds", ",".join(heads),
        "-o", str(tmp_path),
    )  # fmt: skip
    assert built.exit_code == 0, built.output


def test_info_columns_line_up_in_chinese():
    from quizgen.rules import width

    result = run("info", str(EXAMPLE_BANK), env={"QUIZGEN_LANG": "zh"})
    lines = result.output.splitlines()
    table = lines[lines.index("") + 1 : lines.index("", lines.index("") + 1)]
    assert table[0].startswith("主题 ")
    assert table[-1].startswith("合计 ")
    stops = set()
    for line in table:  # where the last count column ends, in display columns
        at = 0
        for token in line.split()[:7]:
            at = line.index(token, at) + len(token)
        stops.add(width(line[:at]))
    assert len(stops) == 1, table


def test_build_into_a_folder_that_cannot_be_made_is_a_clean_error(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    for lang, expected in (
        ("en", "Error: cannot write to "),
        ("zh", "错误：无法写入 "),
    ):
        result = CliRunner().invoke(
            main,
            ["build", str(EXAMPLE_BANK), "-f", "docx", "-o", str(blocker / "out")],
            env={"QUIZGEN_LANG": lang},
        )
        assert result.exit_code == 1
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
        assert expected in result.output
        assert str(blocker) in result.output
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"


def test_check_of_a_missing_bank_says_why_in_chinese(tmp_path):
    result = run("check", str(tmp_path / "nosuch.yaml"), env={"QUIZGEN_LANG": "zh"})
    assert result.exit_code == 1
    assert "无法读取题库：没有这个文件或文件夹" in result.output
    assert "：共 1 个问题" in result.output


def test_build_answers_is_for_word_handouts_only(tmp_path):
    result = run(
        "build", str(EXAMPLE_BANK), "-f", "json", "--answers", "end", "-o", str(tmp_path)
    )  # fmt: skip
    assert result.exit_code == 1
    assert "--answers is for --format docx only" in result.output
    assert not list(tmp_path.iterdir())


def test_build_holds_one_question_per_claim_unless_siblings(tmp_path):
    def ids(*extra: str) -> list[str]:
        out = tmp_path / str(len(list(tmp_path.iterdir())))
        result = run("build", str(EXAMPLE_BANK), "-f", "json", *extra, "-o", str(out))
        assert result.exit_code == 0, result.output
        data = json.loads(next(out.iterdir()).read_text(encoding="utf-8"))
        return [q["id"] for q in data["questions"]]

    quiz = ids()
    claims = [qid.rsplit(".", 1)[0] for qid in quiz]
    assert len(claims) == len(set(claims))
    drill = ids("--siblings")
    assert len(drill) > len(quiz)
    assert {"wang-replace.fact", "wang-replace.tf", "wang-replace.cloze"} <= set(drill)


def test_build_anki_is_a_drill_with_every_form_of_a_claim(tmp_path):
    import sqlite3
    import zipfile

    from quizgen.bank import load_bank
    from quizgen.generate import Choices, available, drawable

    result = run("build", str(EXAMPLE_BANK), "-f", "anki", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    (deck,) = tmp_path.glob("*.apkg")
    with zipfile.ZipFile(deck) as z:
        (tmp_path / "c.anki2").write_bytes(z.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "c.anki2")
    try:
        (notes,) = db.execute("select count(*) from notes").fetchone()
        (cards,) = db.execute("select count(*) from cards").fetchone()
    finally:
        db.close()
    bank = load_bank(EXAMPLE_BANK)
    # every form of every claim: a card each, on one note per claim or debate
    assert cards == len(available(bank, Choices(siblings=True)))
    assert cards > drawable(bank, Choices())
    assert notes == len(bank.claims) + len(bank.debates)
