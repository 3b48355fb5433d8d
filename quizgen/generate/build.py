"""generate(): a Bank and Choices become one Quiz per version."""

from __future__ import annotations

from quizgen.bank import Bank
from quizgen.errors import ChoiceError
from quizgen.generate.choices import Choices
from quizgen.generate.layout import _layout, _truths, _wrong_choices
from quizgen.generate.quality import quality_problems
from quizgen.generate.questions import _punct, _question
from quizgen.generate.selection import _select
from quizgen.i18n import t
from quizgen.quiz import Quiz


def generate(bank: Bank, choices: Choices) -> tuple[Quiz, ...]:
    """Build one Quiz per version from `bank` as `choices` ask.

    Same bank and choices give the same quizzes. Raises ChoiceError when the
    choices cannot be met (unless `allow_fewer`), naming what is short, or when
    a question would break a quality rule (quality_problems), naming it.
    """
    chosen = _select(bank, choices)
    wrong_choice = _wrong_choices(bank, chosen, choices.seed)
    truth = _truths(chosen, choices.seed)
    quizzes = []
    for version in range(1, choices.versions + 1):
        layout = _layout(chosen, choices.seed, version, wrong_choice, truth)
        questions = tuple(
            _question(bank, chosen[i], choices.lang, layout, wrong_choice)
            for i in layout.order
        )
        quizzes.append(
            Quiz(
                bank=bank.id,
                title=bank.title.get(choices.lang),
                source_title=bank.source_info.title.get(choices.lang),
                source_origin=_punct(
                    choices.lang, bank.source_info.origin.get(choices.lang)
                ),
                lang=choices.lang,
                seed=choices.seed,
                version=version,
                versions=choices.versions,
                questions=questions,
                modified=bank.modified,
                source_language=bank.source_info.language,
                genre=str(bank.source_info.genre),
            )
        )
        problems = quality_problems(quizzes[-1])
        if problems:
            raise ChoiceError(
                t(
                    f"{bank.path}: this bank gives a flawed question: "
                    f"{'; '.join(problems[:5])}. Hint: fix the claim in the bank, "
                    "or leave its question out.",
                    f"{bank.path}：此题库生成了有缺陷的题目：{'；'.join(problems[:5])}。"
                    "提示：修改题库中的该论断，或不选这道题。",
                )
            )
    return tuple(quizzes)
