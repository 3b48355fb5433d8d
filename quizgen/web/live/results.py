"""Results as CSV for a spreadsheet, keyed by question id."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from quizgen.web.live.model import LETTERS, Answer, Participant, Round, Session
from quizgen.web.live.scores import _points
from quizgen.web.live.views import answer_view


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


CSV_COLUMNS = (
    "question_id",
    "number",
    "kind",
    "prompt",
    "nickname",
    "answer",
    "answer_text",
    "right_answer",
    "correct",
    "points",
    "seconds",
)


def results_csv(
    session: Session,
    people: Sequence[Participant],
    given: Sequence[Answer],
    opened: dict[str, Round],
) -> str:
    """Every student's answer to every question, one row each, keyed by question id.

    UTF-8 text starting with a byte-order mark (Excel then reads the Chinese
    right); cells that start like a formula get a leading apostrophe.
    """
    index = {(a.participant_id, a.question_id): a for a in given}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for number, q in enumerate(session.quiz.questions, start=1):
        right = (
            f"{LETTERS[q.answer]}: {q.right_option}"
            if isinstance(q.answer, int)
            else (q.answer or "")
        )
        for p in people:
            a = index.get((p.id, q.id))
            view = answer_view(q, a)
            writer.writerow(
                [
                    _cell(q.id),
                    number,
                    str(q.kind),
                    _cell(q.prompt),
                    _cell(p.nickname),
                    _cell(view["letter"] if view else ""),
                    _cell(view["text"] if view else ""),
                    _cell(right),
                    "" if a is None or a.correct is None else int(a.correct),
                    _points(session, a, opened.get(q.id)) if a is not None else "",
                    ""
                    if a is None or a.elapsed_ms is None
                    else f"{a.elapsed_ms / 1000:.1f}",
                ]
            )
    return "\ufeff" + buf.getvalue()
