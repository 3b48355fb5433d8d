"""Turn a Bank and the teacher's choices into quizzes.

`generate(bank, choices)` returns one Quiz per version. Selection depends on
the seed only; each version shuffles question order and option order with its
own random stream, so versions differ and each carries its own key. The
language changes only the words: a zh and an en build of the same choices
hold the same questions with the same options in the same places.
"""

from __future__ import annotations

from quizgen.generate.build import generate
from quizgen.generate.choices import (
    KIND_SHORT_NAMES,
    LANGS,
    Choices,
    parse_kinds,
    split_list,
    with_lang,
)
from quizgen.generate.quality import BLANK, quality_problems
from quizgen.generate.reasons import zero_reasons
from quizgen.generate.selection import available, available_counts, drawable
from quizgen.rules import options_comparable

__all__ = [
    "BLANK",
    "KIND_SHORT_NAMES",
    "LANGS",
    "Choices",
    "available",
    "available_counts",
    "drawable",
    "generate",
    "options_comparable",
    "parse_kinds",
    "quality_problems",
    "split_list",
    "with_lang",
    "zero_reasons",
]
