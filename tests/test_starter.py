"""`quizgen init`: a starting bank for a new text that `quizgen check` accepts."""

from __future__ import annotations

import shutil

import yaml
from click.testing import CliRunner
from test_text_import import WRAPPED

from quizgen.bank import load_bank
from quizgen.cli import main
from quizgen.starter import find_labels, starter_bank

from conftest import ROOT

SEED = ROOT / "seeds" / "000_55bb846aed3be5ea.txt"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_labels_of_the_shipped_panel() -> None:
    paragraphs = [line.strip() for line in SEED.read_text("utf-8").splitlines()]
    labels = find_labels([p for p in paragraphs if p])
    assert [x.name for x in labels] == [
        "周忠和", "薛澜", "张宏江", "李航", "观众1", "观众2", "观众3", "观众4", "观众5",
    ]  # fmt: skip
    # sentences that end in a colon ("我注意到几个亮点：") are not speakers
    assert all(len(x.name) <= 6 for x in labels)


def test_starter_bank_of_the_shipped_panel_is_a_chinese_panel() -> None:
    paragraphs = [line.strip() for line in SEED.read_text("utf-8").splitlines()]
    text = starter_bank(
        [p for p in paragraphs if p], bank_id="x", source_file="x.txt", title="x"
    )
    assert "  language: zh\n  genre: panel\n" in text


def test_labels_ignore_case_and_width_and_read_classical_ones() -> None:
    labels = find_labels(
        [
            "SOCRATES: Well?",
            "Euthyphro: Yes.",
            "Socrates: And?",
            "ＥＵＴＨＹＰＨＲＯ：No.",
        ]
    )
    assert [(x.name, x.count) for x in labels] == [("Socrates", 2), ("Euthyphro", 2)]
    assert set(labels[1].spellings) == {"Euthyphro", "ＥＵＴＨＹＰＨＲＯ"}
    classical = find_labels(
        [
            "子曰：学而时习之。",
            "有子曰：其为人也孝弟。",
            "子曰：巧言令色。",
            "曾子曰：吾日三省吾身。",
        ]
    )
    assert [(x.name, x.spellings) for x in classical] == [
        ("子", ("子曰",)), ("有子", ("有子曰",)), ("曾子", ("曾子曰",)),
    ]  # fmt: skip


def test_starter_bank_quotes_what_yaml_would_misread(tmp_path) -> None:
    """Titles and labels with YAML's special marks are written so they read back."""
    paragraphs = [
        "'Q': a test? yes: no",
        "Dr. O'Brien: [x] {y}: first",
        "Dr. O'Brien: #2",
    ]
    (tmp_path / "t.txt").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    text = starter_bank(
        paragraphs, bank_id="t", source_file="t.txt", title='"Why?": a, b: c #1'
    )
    data = yaml.safe_load(text)
    assert data["title"]["en"] == '"Why?": a, b: c #1'
    (tmp_path / "t.yaml").write_text(text, encoding="utf-8")
    bank = load_bank(tmp_path / "t.yaml")
    assert [s.name.get("en") for s in bank.speakers] == ["Dr. O'Brien"]


def test_init_writes_a_bank_that_check_accepts(tmp_path) -> None:
    src = tmp_path / "in" / "Euthyphro (Plato).txt"
    src.parent.mkdir()
    src.write_bytes(
        (WRAPPED + "\r\nEuthyphro: I think that I understand.\r\n").encode()
    )
    out = tmp_path / "bank"
    result = run("init", str(src), "-o", str(out), "--title", "Euthyphro")
    assert result.exit_code == 0, result.output
    assert "4 wrapped line(s) joined" in result.output
    assert "speaker labels: Socrates (2), Euthyphro (2)" in result.output
    text = (out / "Euthyphro (Plato).txt").read_text("utf-8")
    assert (
        text.splitlines()[3] == "EUTHYPHRO: I do not understand your meaning, Socrates."
    )
    bank = load_bank(out / "Euthyphro (Plato).yaml")
    assert bank.id == "euthyphro-plato"
    assert [s.id for s in bank.speakers] == ["socrates", "euthyphro"]
    # guessed from the script and the labels: an English two-person dialogue
    assert (bank.source_info.language, bank.source_info.genre) == ("en", "dialogue")
    labelled = [p.label for p in bank.source.paragraphs if p.label]
    assert labelled == ["socrates", "euthyphro", "socrates", "euthyphro"]
    check = run("check", str(out / "Euthyphro (Plato).yaml"))
    assert check.exit_code == 0, check.output
    assert "0 claims" in check.output
    assert "note: who: 0 questions: the bank has no claims yet." in check.output


def test_init_keeps_a_clean_source_and_refuses_to_overwrite(tmp_path) -> None:
    shutil.copy(ROOT / "docs" / "example-source.txt", tmp_path / "mt.txt")
    first = run("init", str(tmp_path / "mt.txt"), "-o", str(tmp_path))
    assert first.exit_code == 0, first.output
    # the original had indented lines: it is left alone, the paragraphs go beside it
    assert (tmp_path / "mt.txt").read_bytes() == (
        ROOT / "docs" / "example-source.txt"
    ).read_bytes()
    assert (
        yaml.safe_load((tmp_path / "mt.yaml").read_text("utf-8"))["source"]["file"]
        == "mt.paragraphs.txt"
    )
    again = run(
        "init",
        str(tmp_path / "mt.txt"),
        "-o",
        str(tmp_path),
        env={"QUIZGEN_LANG": "zh"},
    )
    assert again.exit_code == 1
    assert "已经存在" in again.output
    assert "--force" in again.output
    forced = run("init", str(tmp_path / "mt.txt"), "-o", str(tmp_path), "--force")
    assert forced.exit_code == 0, forced.output
