"""Banks written in one language (`languages: [en]`): plain strings instead of
{zh, en} pairs, builds only in that language, a clear error for the other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from webutil import csrf_token, make_app

from quizgen.bank import load_bank
from quizgen.bank_languages import in_one_language
from quizgen.cli import main
from quizgen.errors import BankError, ChoiceError
from quizgen.generate import Choices, available_counts, generate

from conftest import DIALOGUE_BANK, ROOT


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    monkeypatch.setenv("QUIZGEN_LANG", "en")


def write_one_language_bank(tmp_path: Path, lang: str) -> Path:
    """The Euthyphro bank, every learner-facing text in `lang` only."""
    data = yaml.safe_load(DIALOGUE_BANK.read_text(encoding="utf-8"))
    data = in_one_language(data, lang)
    data["id"] = f"euthyphro-{lang}"
    data["source"]["file"] = str(ROOT / "seeds" / "001_euthyphro_jowett.txt")
    if lang == "zh":  # the names that label the English source's turns
        for speaker in data["speakers"]:
            speaker["aliases"] = [speaker["id"].capitalize()]
    path = tmp_path / f"euthyphro_{lang}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_language_bank_gives_what_the_bilingual_one_gives(
    tmp_path, dialogue_bank, lang
):
    path = write_one_language_bank(tmp_path, lang)
    assert "{zh:" not in path.read_text(encoding="utf-8")
    bank = load_bank(path)
    assert bank.languages == (lang,)
    assert available_counts(bank, Choices(lang=lang)) == available_counts(
        dialogue_bank, Choices(lang=lang)
    )
    every = Choices(lang=lang, seed=4, siblings=True)
    (one,) = generate(bank, every)
    (two,) = generate(dialogue_bank, every)
    assert {q.id: (q.prompt, q.options, q.answer) for q in one.questions} == {
        q.id: (q.prompt, q.options, q.answer) for q in two.questions
    }


def test_one_language_bank_refuses_the_other_language(tmp_path):
    bank = load_bank(write_one_language_bank(tmp_path, "en"))
    with pytest.raises(ChoiceError) as caught:
        generate(bank, Choices(lang="zh"))
    message = str(caught.value)
    assert "euthyphro_en.yaml" in message
    assert "'euthyphro-en' is written in en only" in message
    assert "cannot build questions in 'zh'" in message


def test_cli_build_one_language_bank(tmp_path):
    path = write_one_language_bank(tmp_path, "en")
    runner = CliRunner()
    # no --lang: the bank's one language
    got = runner.invoke(
        main, ["build", str(path), "-f", "json", "-n", "5", "-o", str(tmp_path / "o")]
    )
    assert got.exit_code == 0, got.output
    assert (tmp_path / "o" / "euthyphro-en-en.json").exists()
    for lang in ("zh", "bilingual"):
        args = ["build", str(path), "-f", "anki", "--lang", lang]
        got = runner.invoke(main, [*args, "-o", str(tmp_path / lang)])
        assert got.exit_code == 1
        assert "Error: " in got.output
        assert "'euthyphro-en' is written in en only" in got.output
        assert "Traceback" not in got.output
        assert not (tmp_path / lang).exists() or not any((tmp_path / lang).iterdir())


def test_plain_string_in_a_bilingual_bank_says_how_to_declare_one_language(
    tmp_path,
):
    text = DIALOGUE_BANK.read_text(encoding="utf-8").replace(
        "title: {zh: 柏拉图《游叙弗伦篇》（乔伊特英译）, en: 'Plato, Euthyphro (Jowett''s translation)'}",
        "title: Plato, Euthyphro",
    )
    text = text.replace("file: ../seeds/", f"file: {ROOT}/seeds/")
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(path)
    (problem,) = caught.value.problems
    assert problem.line == 4
    assert "title: expected {zh: ..., en: ...}, got the text 'Plato, Euthyphro'" in str(
        problem
    )
    assert "languages: [en]" in str(problem)


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ("languages: [fr]", "languages: 'fr' is not a language quizgen writes"),
        ("languages: [en, en]", "languages: 'en' is listed twice"),
        ("languages: {en: 1}", "languages: expected a list of languages"),
    ],
    ids=["not-a-learner-language", "twice", "not-a-list"],
)
def test_bad_languages_declaration(tmp_path, declared, message):
    text = DIALOGUE_BANK.read_text(encoding="utf-8").replace(
        "id: euthyphro\n", f"id: euthyphro\n{declared}\n", 1
    )
    text = text.replace("file: ../seeds/", f"file: {ROOT}/seeds/")
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(path)
    problems = [p for p in caught.value.problems if p.line == 4]
    assert any(message in str(p) for p in problems), caught.value.problems


def test_other_language_key_in_a_one_language_bank(tmp_path):
    path = write_one_language_bank(tmp_path, "en")
    text = path.read_text(encoding="utf-8").replace(
        "name: The charge against Socrates",
        "name: {en: The charge against Socrates, zh: 对苏格拉底的指控}",
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(path)
    assert any("unknown key 'zh'" in str(p) for p in caught.value.problems)


def test_web_builder_offers_only_the_bank_language(tmp_path):
    path = write_one_language_bank(tmp_path, "en")
    app = make_app(tmp_path, BANK_PATHS=[path])
    client = app.test_client()
    client.set_cookie("quizgen_lang", "zh")
    page = client.get(f"/build/{path.stem}").get_data(as_text=True)
    assert 'name="lang" value="en" checked' in page
    assert 'name="lang" value="zh"' not in page
    # asked anyway (a hand-made request), the build stops with the reason
    response = client.post(
        f"/build/{path.stem}",
        data={
            "csrf_token": csrf_token(client, f"/build/{path.stem}"),
            "lang": "zh",
            "seed": "1",
            "versions": "1",
            "action": "build",
        },
    )
    assert response.status_code in (400, 422)
    assert "euthyphro-en" in response.get_data(as_text=True)


def test_bank_format_one_language_example_loads_and_refuses_zh(tmp_path, monkeypatch):
    """The one-language example of docs/bank-format.md is a working bank, and
    the error it shows is the one quizgen prints."""
    doc = (ROOT / "docs" / "bank-format.md").read_text(encoding="utf-8")
    (example,) = [
        b
        for b in re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)
        if "languages: [en]" in b
    ]
    path = tmp_path / "euthyphro_en.yaml"
    path.write_text(
        example.replace("file: ../seeds/", f"file: {ROOT}/seeds/"), encoding="utf-8"
    )
    bank = load_bank(path)
    assert bank.languages == ("en",)
    assert bank.claims[0].statement.en.startswith("The indictment says")
    monkeypatch.chdir(tmp_path)
    got = CliRunner().invoke(
        main, ["build", path.name, "-f", "anki", "--lang", "zh", "-o", "o"]
    )
    assert got.exit_code == 1
    (shown,) = re.findall(r"\n(Error: euthyphro_en\.yaml: .*)\n", doc)
    assert got.output.strip() == shown
