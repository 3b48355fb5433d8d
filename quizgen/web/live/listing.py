"""A teacher's live sessions, for "My sessions": one summary row each, newest first.

Read without the quiz snapshot (it can be large): the title, mode, when it
started, how many students joined, where it is, and the name of the saved
quiz it came from when the teacher has one over the same selection.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from quizgen.web.live import clock
from quizgen.web.live.model import Mode, State
from quizgen.web.live.tables import live_participants, live_sessions
from quizgen.web.store import Store, saved_quizzes

__all__ = ["SessionRow", "sessions_of"]


@dataclass(frozen=True, kw_only=True)
class SessionRow:
    """One session in the teacher's list."""

    id: str
    title: str
    quiz_name: str  # the saved quiz's name, or "" when none shows this selection
    mode: Mode
    lang: str
    created_ms: int
    students: int
    #: lobby | running | ended | deadline (a self-paced session past its deadline)
    status: str
    code: str | None


def _status(state: State, mode: Mode, deadline_ms: int | None, now: int) -> str:
    if state == State.ENDED:
        return "ended"
    if mode == Mode.SELF:  # students answer from joining until the deadline
        return (
            "deadline" if deadline_ms is not None and now >= deadline_ms else "running"
        )
    if state == State.LOBBY:
        return "lobby"
    return "running"


def sessions_of(
    store: Store, owner: str, *, at_ms: int | None = None
) -> list[SessionRow]:
    """Every session `owner` started, the newest first."""
    now = clock.now_ms() if at_ms is None else at_ms
    students = (
        select(
            live_participants.c.session_id.label("sid"),
            func.count().label("n"),
        )
        .group_by(live_participants.c.session_id)
        .subquery()
    )
    names = (
        select(
            saved_quizzes.c.code.label("code"),
            func.min(saved_quizzes.c.name).label("name"),
        )
        .where(saved_quizzes.c.owner == owner)
        .group_by(saved_quizzes.c.code)
        .subquery()
    )
    s = live_sessions.c
    query = (
        select(
            s.id,
            s.title,
            s.mode,
            s.lang,
            s.created_ms,
            s.state,
            s.deadline_ms,
            s.code,
            students.c.n,
            names.c.name,
        )
        .select_from(
            live_sessions.outerjoin(students, students.c.sid == s.id).outerjoin(
                names, names.c.code == s.selection_code
            )
        )
        .where(s.owner == owner)
        .order_by(s.created_ms.desc(), s.id)
    )
    with store.read() as conn:
        rows = conn.execute(query).all()
    out = []
    for r in rows:
        mode, state = Mode(r.mode), State(r.state)
        out.append(
            SessionRow(
                id=r.id,
                title=r.title,
                quiz_name=r.name or "",
                mode=mode,
                lang=r.lang,
                created_ms=int(r.created_ms),
                students=int(r.n or 0),
                status=_status(state, mode, r.deadline_ms, now),
                code=r.code,
            )
        )
    return out
