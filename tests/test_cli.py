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
            "6 claims, 1 debates, 4 speakers, 3 topics; paragraphs quoted 5/5 (100.0%)"
        )
        or "6 claims, 1 debates, 4 speakers, 2 topics; paragraphs quoted 5/5 (100.0%)"
        in result.output
    )


def test_check_bad_bank_exits_1_with_every_problem(tmp_path):
    shutil.copy(ROOT / "docs" / "example-source.txt", tmp_path)
    text = EXAMPLE_BANK.read_text(encoding="utf-8")
    text = text.replace(
        "speaker: liu\n    topic: learning", "speaker: lui\n    topic: learn"
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
    assert f"{len(data['questions'])} questions, 2 file(s):" in result.output


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
    assert "no bank 'nope' (bundled: ai_panel_2024)" in result.output


def test_help_is_bilingual():
    result = run("--help")
    assert "quizgen：把原文中" in result.output
    for command in ("build", "check"):
        assert command in result.output


def test_info_lists_topics_and_counts():
    result = run("info", str(EXAMPLE_BANK), "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "A panel on machine translation (example)  (example-translation)"
    future = next(line for line in lines if line.startswith("future "))
    # wang-replace: fact, who, tf, cloze; wang-ninety: who, cloze; liu-literature: who, tf;
    # liu-puns: who; the debate: disc
    assert future.split()[1:7] == ["1", "4", "0", "2", "2", "1"]
    assert future.endswith("The future of translation")
    assert lines[-1].startswith("--kinds:")


def test_build_takes_a_chinese_input_methods_commas_and_colon(tmp_path):
    # ， 、 and ： as a Chinese keyboard types them
    ascii_run = run(
        "build", str(EXAMPLE_BANK), "-f", "json", "--kinds",
        "multiple_choice:fact,cloze", "--difficulty", "1,2", "-o", str(tmp_path / "a"),
    )  # fmt: skip
    wide_run = run(
        "build", str(EXAMPLE_BANK), "-f", "json", "--kinds",
        "multiple_choice\uff1afact\uff0ccloze", "--difficulty", "1\u30012",
        "-o", str(tmp_path / "b"),
    )  # fmt: skip
    assert ascii_run.exit_code == wide_run.exit_code == 0, wide_run.output
    (a,) = (tmp_path / "a").iterdir()
    (b,) = (tmp_path / "b").iterdir()
    assert a.read_bytes() == b.read_bytes()
    kinds = {
        (q["kind"], q["form"]) for q in json.loads(a.read_text("utf-8"))["questions"]
    }
    assert kinds == {("multiple_choice", "fact"), ("cloze", "term")}
