"""What a student's request needs to know, in one query.

Every phone fetches its panel when the teacher opens a question, so the
reads behind one panel are multiplied by the class. One statement reads the
session's revision, the student whose cookie holds the token and that
student's answers; the session's row (with the quiz) comes from the
revision's snapshot (quizgen.web.live.snapshots), read once per revision and
process. The revision is read from the store on every request, so a change
made by another process is seen at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, bindparam, select

from quizgen.web.live.model import Answer, Participant, Session, _hash
from quizgen.web.live.snapshots import session_at
from quizgen.web.live.tables import live_answers, live_participants, live_sessions
from quizgen.web.store import Store

__all__ = ["StudentState", "student_state"]


def _state_query() -> Select[Any]:
    s, p, a = live_sessions, live_participants, live_answers
    return (
        select(
            s.c.revision,
            p.c.id.label("p_id"),
            p.c.nickname,
            p.c.joined_ms,
            a.c.id.label("a_id"),
            a.c.question_id,
            a.c.choice,
            a.c.text,
            a.c.correct,
            a.c.answered_ms,
            a.c.elapsed_ms,
            a.c.shown,
        )
        .select_from(
            s.outerjoin(
                p,
                and_(
                    p.c.session_id == s.c.id,
                    p.c.token_hash == bindparam("token_hash"),
                ),
            ).outerjoin(a, and_(a.c.session_id == s.c.id, a.c.participant_id == p.c.id))
        )
        .where(s.c.id == bindparam("sid"))
        .order_by(a.c.answered_ms, a.c.id)
    )


#: built once: building a statement costs ten times what running this one does
_STATE = _state_query()


@dataclass(frozen=True, kw_only=True)
class StudentState:
    """A session as stored, the student asking (None: no such student), and
    that student's answers, oldest first."""

    session: Session
    person: Participant | None
    answers: list[Answer]


def student_state(
    store: Store, session_id: str, token: str | None
) -> StudentState | None:
    """The session, the student whose cookie holds `token` and their answers;
    None when the session does not exist."""
    token_hash = _hash(token) if token and len(token) <= 100 else ""
    with store.read() as conn:
        rows = conn.execute(_STATE, {"sid": session_id, "token_hash": token_hash}).all()
        if not rows:
            return None
        session = session_at(conn, session_id, int(rows[0].revision))
    if session is None:  # pragma: no cover - deleted between two statements
        return None
    first = rows[0]
    person = (
        None
        if first.p_id is None
        else Participant(
            id=int(first.p_id),
            session_id=session_id,
            nickname=first.nickname,
            joined_ms=first.joined_ms,
        )
    )
    answers = [
        Answer(
            id=int(r.a_id),
            participant_id=int(first.p_id),
            question_id=r.question_id,
            choice=r.choice,
            text=r.text,
            correct=None if r.correct is None else bool(r.correct),
            answered_ms=r.answered_ms,
            elapsed_ms=r.elapsed_ms,
            shown=bool(r.shown),
        )
        for r in rows
        if r.a_id is not None
    ]
    return StudentState(session=session, person=person, answers=answers)
