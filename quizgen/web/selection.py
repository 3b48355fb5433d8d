"""A teacher's saved selection: the choices made in the builder and the exact questions.

The preview and every download are built from `quizzes(bank, selection)`, which
asks the generator for exactly the saved question ids with the saved seed, so
what the teacher saw is what the files hold.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any

from quizgen.bank import Bank
from quizgen.errors import ChoiceError
from quizgen.generate import Choices, available, generate, parse_kinds
from quizgen.i18n import t
from quizgen.quiz import Quiz

__all__ = ["Selection", "new_seed"]

MAX_SEED = 999_999


def new_seed(rng: random.Random | None = None) -> int:
    """A fresh seed for a new build or a reshuffle (1 to 999999)."""
    return (rng or random.SystemRandom()).randint(1, MAX_SEED)


@dataclass(frozen=True, kw_only=True)
class Selection:
    """The builder's choices plus the chosen question ids (in bank order)."""

    lang: str = "zh"
    topics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # "kind:form"
    difficulty: tuple[int, ...] = ()
    count: int | None = None
    seed: int = 0
    versions: int = 1
    ids: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    # ------------------------------------------------------------------ choices

    def choices(self, **changes: Any) -> Choices:
        """The generator's Choices for the builder's filters (not the saved ids)."""
        base = Choices(
            lang=self.lang,
            topics=self.topics,
            kinds=parse_kinds(self.kinds),
            difficulty=self.difficulty,
            count=self.count,
            seed=self.seed,
            versions=self.versions,
            exclude=self.excluded,
        )
        return replace(base, **changes)

    def exact_choices(self) -> Choices:
        """Choices that give exactly the saved questions, in the saved layout."""
        return Choices(
            lang=self.lang,
            seed=self.seed,
            versions=self.versions,
            include=self.ids,
            count=len(self.ids),
        )

    def quizzes(self, bank: Bank, lang: str | None = None) -> tuple[Quiz, ...]:
        """One Quiz per version with exactly the saved questions (in `lang` if given).

        Raises ChoiceError if the bank no longer has one of them.
        """
        choices = self.exact_choices()
        if lang is not None:
            choices = replace(choices, lang=lang)
        return generate(bank, choices)

    # ------------------------------------------------------------------ building

    def build(self, bank: Bank) -> Selection:
        """Pick the questions for these choices; return the selection with its ids.

        Raises ChoiceError when the choices cannot be met.
        """
        quiz = generate(bank, replace(self.choices(), versions=1))[0]
        return replace(self, ids=_bank_order(bank, self, quiz))

    def without(self, qid: str) -> Selection:
        """The selection with one question removed (and kept out of later swaps).

        Raises ChoiceError when it is the last question.
        """
        if qid not in self.ids:
            raise ChoiceError(
                t(f"no question '{qid}' in this quiz", f"本测验中没有题目 '{qid}'")
            )
        if len(self.ids) == 1:
            raise ChoiceError(
                t(
                    "a quiz needs at least one question",
                    "测验至少需要一道题",
                )
            )
        return replace(
            self,
            ids=tuple(i for i in self.ids if i != qid),
            excluded=_add(self.excluded, qid),
            count=len(self.ids) - 1,
        )

    def swapped(self, bank: Bank, qid: str) -> Selection:
        """The selection with one question replaced by another the choices allow.

        Raises ChoiceError when no other question is left to swap in.
        """
        if qid not in self.ids:
            raise ChoiceError(
                t(f"no question '{qid}' in this quiz", f"本测验中没有题目 '{qid}'")
            )
        keep = tuple(i for i in self.ids if i != qid)
        excluded = _add(self.excluded, qid)
        choices = self.choices(
            include=keep, exclude=excluded, count=len(self.ids), versions=1
        )
        try:
            quiz = generate(bank, choices)[0]
        except ChoiceError:
            raise ChoiceError(
                t(
                    "no other question matches these choices: remove this one instead, "
                    "or build again with wider choices",
                    "没有其他符合条件的题目可换：可以删除这道题，或放宽条件重新生成",
                )
            ) from None
        return replace(self, ids=_bank_order(bank, self, quiz), excluded=excluded)

    def reshuffled(self, bank: Bank, seed: int) -> Selection:
        """A new pick of as many questions with a new seed (removed ones stay out).

        Raises ChoiceError when the choices cannot be met.
        """
        choices = self.choices(seed=seed, count=len(self.ids), versions=1)
        quiz = generate(bank, choices)[0]
        again = replace(self, seed=seed)
        return replace(again, ids=_bank_order(bank, again, quiz))

    # ------------------------------------------------------------------ storage

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able form stored under the short code."""
        return {
            "lang": self.lang,
            "topics": list(self.topics),
            "kinds": list(self.kinds),
            "difficulty": list(self.difficulty),
            "count": self.count,
            "seed": self.seed,
            "versions": self.versions,
            "ids": list(self.ids),
            "excluded": list(self.excluded),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Selection:
        """Read a stored selection. Raises KeyError or ValueError when it is not one."""
        count = data["count"]
        return cls(
            lang=str(data["lang"]),
            topics=tuple(str(x) for x in data["topics"]),
            kinds=tuple(str(x) for x in data["kinds"]),
            difficulty=tuple(int(x) for x in data["difficulty"]),
            count=None if count is None else int(count),
            seed=int(data["seed"]),
            versions=int(data["versions"]),
            ids=tuple(str(x) for x in data["ids"]),
            excluded=tuple(str(x) for x in data["excluded"]),
        )


def _add(items: tuple[str, ...], item: str) -> tuple[str, ...]:
    return items if item in items else (*items, item)


def _bank_order(bank: Bank, selection: Selection, quiz: Quiz) -> tuple[str, ...]:
    """The quiz's question ids in the order the bank lists them."""
    chosen = {q.id for q in quiz.questions}
    every = available(bank, Choices(lang=selection.lang))
    return tuple(i for i in every if i in chosen)
