"""Points for a printed paper: per question by kind, per section, and in total.

A handout prints each section's points (2 each, 20 in all) and the paper's
total; the keys and the answer sheet print the same numbers. The
defaults are a Chinese school paper's: a choice question 2 points, a true or
false question 1, a blank 2, a discussion question 10. `parse_points` reads
the `--points` option (`choice:3,tf:1,cloze:2,disc:10`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quizgen.errors import ChoiceError
from quizgen.i18n import t
from quizgen.quiz import Kind, Question

__all__ = ["DEFAULT_POINTS", "POINT_NAMES", "Points", "parse_points"]

#: the names `--points` takes for each kind (the kind itself, and short names)
POINT_NAMES: dict[str, Kind] = {
    "multiple_choice": Kind.MULTIPLE_CHOICE,
    "choice": Kind.MULTIPLE_CHOICE,
    "mc": Kind.MULTIPLE_CHOICE,
    "true_false": Kind.TRUE_FALSE,
    "tf": Kind.TRUE_FALSE,
    "cloze": Kind.CLOZE,
    "discussion": Kind.DISCUSSION,
    "disc": Kind.DISCUSSION,
}
#: the most points one question may carry
MAX_POINTS = 100


@dataclass(frozen=True, kw_only=True)
class Points:
    """Points per question of each kind (whole numbers, 1 to 100)."""

    multiple_choice: int = 2
    true_false: int = 1
    cloze: int = 2
    discussion: int = 10

    def of(self, q: Question) -> int:
        """The points question `q` carries."""
        return self.for_kind(q.kind)

    def for_kind(self, kind: Kind) -> int:
        """The points a question of `kind` carries."""
        return int(getattr(self, str(kind)))

    def total(self, questions: Sequence[Question]) -> int:
        """The points of `questions` together."""
        return sum(self.of(q) for q in questions)


DEFAULT_POINTS = Points()


def parse_points(values: Iterable[str], base: Points = DEFAULT_POINTS) -> Points:
    """Read `choice:3,tf:1` (the split items of `--points`) over `base`.

    Takes kind:points pairs, a kind named as in POINT_NAMES; a kind not named
    keeps its points in `base`. The items come through `split_list`, so a
    Chinese input method's ， 、 and ： work too. Raises ChoiceError naming
    every bad entry at once.
    """
    chosen: dict[str, int] = {}
    bad: list[str] = []
    for item in values:
        name, colon, number = (part.strip() for part in item.partition(":"))
        kind = POINT_NAMES.get(name.lower())
        if kind is None:
            bad.append(t(f"unknown kind '{name}'", f"未知的题型 '{name}'"))
            continue
        if not colon or not number.isdigit() or not 1 <= int(number) <= MAX_POINTS:
            bad.append(
                t(
                    f"'{item}': the points must be a whole number from 1 to "
                    f"{MAX_POINTS}, as in {name}:2",
                    f"'{item}'：分值必须是 1 到 {MAX_POINTS} 的整数，如 {name}:2",
                )
            )
            continue
        chosen[str(kind)] = int(number)
    if bad:
        names = ", ".join(POINT_NAMES)
        raise ChoiceError(
            t(
                f"--points: {'; '.join(bad)}. Write kind:points, comma-separated, "
                f"e.g. choice:2,tf:1,cloze:2,disc:10 (kinds: {names}).",
                f"--points：{'；'.join(bad)}。请写 题型：分值，逗号分隔，"
                f"如 choice:2,tf:1,cloze:2,disc:10（题型：{names}）。",
            )
        )
    return Points(**{**base.__dict__, **chosen})
