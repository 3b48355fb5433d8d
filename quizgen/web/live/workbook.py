"""Results as an Excel workbook (.xlsx) for a gradebook, written with openpyxl.

Sheets: an overview (one row per student: total, percent right, points), a
sheet per student (every question with their answer, the right answer,
right or not, points and seconds) and a sheet per question (every student's
answer, and how often each option was picked). Headers come in the language
the caller passes texts in; every text cell is stored as text, so a nickname
or an answer that starts with `=` is never run as a formula.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from quizgen.quiz import Kind
from quizgen.web.live.model import LETTERS, Answer, Participant, Round, Session
from quizgen.web.live.scores import _points, scores
from quizgen.web.live.views import answer_view, distribution

__all__ = ["results_xlsx"]

#: characters Excel does not allow in a sheet name
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(wanted: str, taken: set[str]) -> str:
    base = _BAD_SHEET.sub("_", wanted).strip("'") or "_"
    name, n = base[:31], 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def _row(sheet: Any, values: Sequence[Any], *, bold: bool = False) -> None:
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, never a formula
        if bold:
            cell.font = Font(bold=True)


def _widths(sheet: Any, widths: Sequence[int]) -> None:
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def _right_answer(q: Any) -> str:
    if isinstance(q.answer, int):
        return f"{LETTERS[q.answer]}. {q.right_option}"
    return q.answer or ""


def results_xlsx(
    session: Session,
    people: Sequence[Participant],
    given: Sequence[Answer],
    opened: dict[str, Round],
    _: Callable[..., str],
) -> bytes:
    """The workbook as bytes; `_` translates the headers (the interface's texts)."""
    quiz = session.quiz
    index = {(a.participant_id, a.question_id): a for a in given}
    board = {row.participant_id: row for row in scores(session, people, given, opened)}
    scored = [q for q in quiz.questions if q.kind != Kind.DISCUSSION]
    book = Workbook()
    taken: set[str] = set()

    overview = book.active
    overview.title = _sheet_name(_("Students"), taken)
    _row(overview, [quiz.title], bold=True)
    _row(
        overview,
        [
            _("Nickname"),
            _("Place"),
            _("Right answers"),
            _("Scored questions"),
            _("Percent right"),
            _("Points"),
            _("Questions answered"),
        ],
        bold=True,
    )
    for p in people:
        row = board[p.id]
        percent = round(100 * row.right / len(scored), 1) if scored else None
        _row(
            overview,
            [
                p.nickname,
                row.rank,
                row.right,
                len(scored),
                percent,
                row.points,
                row.answered,
            ],
        )
    _widths(overview, [24, 8, 14, 16, 14, 10, 10])

    answer_headers = [
        _("Number"),
        _("Question"),
        _("Answer"),
        _("Right answer"),
        _("Right (1 = yes)"),
        _("Points"),
        _("Seconds"),
    ]
    for p in people:
        sheet = book.create_sheet(_sheet_name(p.nickname, taken))
        row = board[p.id]
        _row(sheet, [p.nickname], bold=True)
        _row(
            sheet,
            [
                _("Total"),
                row.right,
                _("Percent right"),
                round(100 * row.right / len(scored), 1) if scored else None,
                _("Points"),
                row.points,
            ],
        )
        _row(sheet, answer_headers, bold=True)
        for number, q in enumerate(quiz.questions, start=1):
            a = index.get((p.id, q.id))
            view = answer_view(q, a)
            shown = ""
            if view is not None:
                shown = _("(skipped)") if view["skipped"] else view["text"]
                if view["letter"]:
                    shown = f"{view['letter']}. {shown}"
            _row(
                sheet,
                [
                    number,
                    q.prompt,
                    shown,
                    _right_answer(q),
                    None if a is None or a.correct is None else int(a.correct),
                    _points(session, a, opened.get(q.id)) if a is not None else None,
                    None
                    if a is None or a.elapsed_ms is None
                    else round(a.elapsed_ms / 1000, 1),
                ],
            )
        _widths(sheet, [8, 50, 30, 30, 8, 8, 8])

    for number, q in enumerate(quiz.questions, start=1):
        sheet = book.create_sheet(_sheet_name(_("Q{n}", n=number), taken))
        _row(sheet, [f"{number}. {q.prompt}"], bold=True)
        _row(sheet, [_("Right answer"), _right_answer(q)])
        _row(sheet, [_("Question id"), q.id])
        mine = [a for a in given if a.question_id == q.id]
        spread = distribution(q, mine)
        if spread["options"]:
            _row(sheet, [_("Option"), _("Text"), _("Picked by")], bold=True)
            for o in spread["options"]:
                _row(sheet, [o["letter"], o["text"], o["count"]])
        _row(sheet, [])
        _row(
            sheet,
            [
                _("Nickname"),
                _("Answer"),
                _("Right (1 = yes)"),
                _("Points"),
                _("Seconds"),
            ],
            bold=True,
        )
        for p in people:
            a = index.get((p.id, q.id))
            view = answer_view(q, a)
            shown = ""
            if view is not None:
                shown = _("(skipped)") if view["skipped"] else view["text"]
                if view["letter"]:
                    shown = f"{view['letter']}. {shown}"
            _row(
                sheet,
                [
                    p.nickname,
                    shown,
                    None if a is None or a.correct is None else int(a.correct),
                    _points(session, a, opened.get(q.id)) if a is not None else None,
                    None
                    if a is None or a.elapsed_ms is None
                    else round(a.elapsed_ms / 1000, 1),
                ],
            )
        _widths(sheet, [24, 40, 10, 10, 10])

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
