"""The public API is what quizgen.__all__ says, and nothing it names is missing."""

from __future__ import annotations

import quizgen


def test_public_api_is_pinned():
    assert quizgen.__all__ == [
        "Bank",
        "BankError",
        "ChoiceError",
        "Choices",
        "ExportOptions",
        "Form",
        "Kind",
        "Question",
        "Quiz",
        "QuizgenError",
        "__version__",
        "export",
        "generate",
        "load_bank",
        "parse_bank",
        "parse_kinds",
        "quiz_from_dict",
        "quiz_to_json",
    ]
    for name in quizgen.__all__:
        assert getattr(quizgen, name) is not None, name


def test_public_api_round_trip(tmp_path):
    from conftest import EXAMPLE_BANK

    bank = quizgen.load_bank(EXAMPLE_BANK)
    quizzes = quizgen.generate(bank, quizgen.Choices(lang="en", count=4, seed=1))
    (path,) = quizgen.export("json", quizzes, tmp_path)
    assert path.name == "example-translation-en.json"
