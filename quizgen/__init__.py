"""quizgen: curated claims from a source text become quizzes.

The public API is plain functions on frozen dataclasses:

    from quizgen import Choices, export, generate, load_bank

    bank = load_bank("question_banks/ai_panel_2024.yaml")
    quizzes = generate(bank, Choices(lang="en", count=10, seed=1, versions=2))
    export("docx", quizzes, Path("out"))
"""

from __future__ import annotations

from quizgen.bank import Bank, load_bank, parse_bank
from quizgen.errors import BankError, ChoiceError, QuizgenError
from quizgen.export import ExportOptions, export
from quizgen.generate import Choices, generate, parse_kinds
from quizgen.quiz import Form, Kind, Question, Quiz, quiz_from_dict, quiz_to_json

__all__ = [
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
__version__ = "0.1.0"
