"""quizgen: curated claims from a source text become quizzes.

The public API is plain functions on frozen dataclasses:

    bank = load_bank("question_banks/ai_panel_2024.yaml")
    quiz = generate(bank, Choices(lang="en", count=10, seed=1))
"""

from __future__ import annotations

from quizgen.errors import BankError, ChoiceError, QuizgenError

__all__ = ["BankError", "ChoiceError", "QuizgenError", "__version__"]
__version__ = "0.1.0"
