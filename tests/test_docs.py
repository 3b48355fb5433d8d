"""The docs stay honest: the example in the format doc is the one the tests load,
and the README names every command and format."""

from __future__ import annotations

import re

from click.testing import CliRunner

from quizgen.cli import main
from quizgen.export import FORMATS

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_bank_format_example_is_the_example_file():
    doc = (ROOT / "docs" / "bank-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)
    assert (ROOT / "docs" / "example-bank.yaml").read_text(encoding="utf-8") in blocks


def test_bank_format_documents_every_key():
    doc = (ROOT / "docs" / "bank-format.md").read_text(encoding="utf-8")
    for key in (
        "attribution_note",
        "reported",
        "shared_with",
        "false_statement",
        "cloze",
        "erratum",
        "guiding",
        "teacher_notes",
        "context",
        "body",
        "aliases",
        "kind",
        "difficulty",
        "tags",
        "glossary",
        "languages",
        "language",
        "genre",
    ):
        assert f"`{key}`" in doc, key


def test_readme_names_every_command():
    for name in main.commands:
        assert f"quizgen {name}" in README, name


def test_readme_names_every_format():
    for fmt in FORMATS:
        assert f"`{fmt}`" in README, fmt


def test_readme_check_output_is_current():
    result = CliRunner().invoke(main, ["check"])
    assert result.output.strip() in README, "update the README's `quizgen check` output"
