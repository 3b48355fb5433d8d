"""One exception base for every user-facing problem, rendered once at the edge."""

from __future__ import annotations

from dataclasses import dataclass

from quizgen.i18n import t


class QuizgenError(Exception):
    """A problem the user can fix. The CLI prints it and exits 1; the web app shows it."""


@dataclass(frozen=True, kw_only=True, order=True)
class Problem:
    """One thing wrong in a file: where, which item, what, and how to fix it."""

    file: str
    line: int
    item: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:"
        item = f" [{self.item}]" if self.item else ""
        hint = t(f" Hint: {self.hint}", f" 提示：{self.hint}") if self.hint else ""
        return f"{where}{item} {self.message}{hint}"


class BankError(QuizgenError):
    """A bank file is invalid. `problems` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ChoiceError(QuizgenError):
    """The teacher's choices cannot be met (too many questions, unknown topic, ...)."""
