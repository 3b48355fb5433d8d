"""One exception base for every user-facing problem, rendered once at the edge."""

from __future__ import annotations

import errno
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


class OutputError(QuizgenError):
    """The output cannot be written (a folder that cannot be made, a full disk, ...)."""


_OS_REASONS = {
    errno.ENOENT: ("no such file or folder", "没有这个文件或文件夹"),
    errno.EACCES: ("permission denied", "没有权限"),
    errno.EPERM: ("permission denied", "没有权限"),
    errno.ENOTDIR: (
        "part of the path is a file, not a folder",
        "路径中有一部分是文件，不是文件夹",
    ),
    errno.EISDIR: ("it is a folder", "这是一个文件夹"),
    errno.ENOSPC: ("the disk is full", "磁盘已满"),
    errno.EROFS: ("the file system is read-only", "文件系统是只读的"),
    errno.EEXIST: ("it already exists", "已经存在"),
    errno.ENAMETOOLONG: ("the name is too long", "名称太长"),
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in the user's language."""
    known = _OS_REASONS.get(exc.errno or 0)
    if known is not None:
        return t(*known)
    raw = exc.strerror or str(exc)
    return t(raw, f"系统错误：{raw}")
