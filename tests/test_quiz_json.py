from __future__ import annotations

import json
from dataclasses import replace

import jsonschema
import pytest

from quizgen.export import ExportOptions, export
from quizgen.generate import Choices, generate, parse_kinds
from quizgen.quiz import quiz_from_dict, quiz_to_dict

from conftest import ROOT

SCHEMA = json.loads((ROOT / "docs" / "quiz.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_build_validates(all_banks, example_bank, lang, seed):
    for bank in [example_bank, *all_banks]:
        if not bank.claims:
            continue
        for quiz in generate(bank, Choices(lang=lang, seed=seed, versions=2)):
            VALIDATOR.validate(quiz_to_dict(quiz))


def test_json_file_round_trips(tmp_path, example_bank):
    quizzes = generate(example_bank, Choices(lang="zh", seed=9, versions=2))
    paths = export("json", quizzes, tmp_path, ExportOptions())
    assert [p.name for p in paths] == [
        "example-translation-zh-A.json",
        "example-translation-zh-B.json",
    ]
    for path, quiz in zip(paths, quizzes, strict=True):
        text = path.read_text(encoding="utf-8")
        assert "机器翻译" in text  # Chinese stays readable, not \\u-escaped
        data = json.loads(text)
        VALIDATOR.validate(data)
        assert quiz_from_dict(data) == replace(quiz, modified=0)  # not part of the file
        assert list(data)[:7] == [
            "format",
            "bank",
            "title",
            "source_title",
            "source_origin",
            "lang",
            "seed",
        ]
        for q in data["questions"]:
            assert list(q)[:4] == ["id", "kind", "form", "prompt"]


def test_schema_rejects_a_broken_quiz(example_bank):
    choices = Choices(lang="en", kinds=parse_kinds(["fact"]))
    data = quiz_to_dict(generate(example_bank, choices)[0])
    mc = data["questions"][0]
    mc["options"] = mc["options"][:2]
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)


def test_schema_takes_two_speakers_attribution_but_not_one(dialogue_bank):
    """A two-person dialogue's "who said this?" has two options; one is broken."""
    choices = Choices(lang="en", kinds=parse_kinds(["who"]), count=5)
    data = quiz_to_dict(generate(dialogue_bank, choices)[0])
    assert data["source_language"] == "en"
    assert data["genre"] == "dialogue"
    assert {len(q["options"]) for q in data["questions"]} == {2}
    VALIDATOR.validate(data)
    data["questions"][0]["options"] = data["questions"][0]["options"][:1]
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)


def test_no_leftover_temporary_files(tmp_path, example_bank):
    export("json", generate(example_bank, Choices()), tmp_path, ExportOptions())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
