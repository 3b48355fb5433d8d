"""Exporters: one module per file format, each named for what it writes.

Every exporter has the same shape:

    write(quizzes: Sequence[Quiz], out_dir: Path, options: ExportOptions) -> list[Path]

`quizzes` holds one Quiz per version (for a bilingual Anki deck, the zh
versions then the en ones). Files are written atomically (see files.py): a
failed build leaves no half-written file behind.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from quizgen.errors import OutputError, QuizgenError, os_reason
from quizgen.export.handout_points import DEFAULT_POINTS, Points
from quizgen.i18n import t
from quizgen.quiz import Quiz

__all__ = ["FORMATS", "ExportOptions", "export"]

#: format name -> module that writes it
FORMATS: dict[str, str] = {
    "json": "quizgen.export.quiz_json",
    "anki": "quizgen.export.anki_deck",
    "docx": "quizgen.export.word_handout",
    "moodle": "quizgen.export.moodle_xml",
    "gift": "quizgen.export.gift",
    "qti": "quizgen.export.qti12",  # QTI 1.2 as Canvas imports it (docs/lms.md)
    "qti21": "quizgen.export.qti21",
}


@dataclass(frozen=True, kw_only=True)
class ExportOptions:
    """Format-specific choices. `answers`: for handouts, 'none' (student copy),
    'after' (after each question) or 'end' (at the end); `bilingual`: Anki
    cards with Chinese first and English under it; `points`: handouts' points
    per kind; `answer_sheet`: handouts come with an answer sheet."""

    answers: str = "none"
    bilingual: bool = False
    points: Points = DEFAULT_POINTS
    answer_sheet: bool = False


Writer = Callable[[Sequence[Quiz], Path, ExportOptions], list[Path]]


def writer(fmt: str) -> Writer:
    """The write function for `fmt`. Raises QuizgenError for an unknown format."""
    if fmt not in FORMATS:
        raise QuizgenError(
            t(
                f"unknown format '{fmt}' (formats: {', '.join(FORMATS)})",
                f"未知的格式 '{fmt}'（可选：{'、'.join(FORMATS)}）",
            )
        )
    module = importlib.import_module(FORMATS[fmt])
    return module.write  # type: ignore[no-any-return]


def export(
    fmt: str,
    quizzes: Sequence[Quiz],
    out_dir: Path,
    options: ExportOptions | None = None,
) -> list[Path]:
    """Write `quizzes` as `fmt` into `out_dir` (created if missing); return the files written.

    Raises OutputError, naming the folder and the reason, when the files cannot
    be written; each file is written whole or not at all.
    """
    write = writer(fmt)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        return write(quizzes, out_dir, options or ExportOptions())
    except OSError as exc:
        where = out_dir  # not the hidden temporary file a write may have failed on
        raise OutputError(
            t(
                f"cannot write to {where}: {os_reason(exc)}. "
                "Hint: choose another folder with -o.",
                f"无法写入 {where}：{os_reason(exc)}。提示：用 -o 选择别的文件夹。",
            )
        ) from None
