"""A session's row and its rounds as they were at one stored revision, kept
in this process.

Every change to a session's row goes through `sessions._bump`, which adds one
to its revision in the same statement, and every change to its rounds
(`open_question`, `reveal`) bumps it in the same transaction. So (session id,
revision) names one state of the row and of the rounds, in every process:
a request that has read the revision (one small query) takes the rest from
here instead of reading the row (with the quiz's JSON) and the rounds again.
A teacher action in another process changes the revision, which is read
from the store on every request, so the next request here reads afresh.

Each entry is stored under the revision read in the same statement as the
data, so a snapshot is never filed under a revision it does not belong to
(on PostgreSQL each statement of a read may see a newer commit).
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, bindparam, select

from quizgen.web.live.model import Round, Session, _session
from quizgen.web.live.tables import live_rounds, live_sessions
from quizgen.web.store import Store

__all__ = ["forget", "rounds_at", "rounds_of", "session_at"]

MAX_ENTRIES = 1024

#: built once: building a statement costs more than running these
_SESSION = select(live_sessions).where(live_sessions.c.id == bindparam("sid"))
_ROUNDS = (
    select(
        live_sessions.c.revision.label("session_revision"),
        live_rounds.c.question_id,
        live_rounds.c.position,
        live_rounds.c.opened_ms,
        live_rounds.c.closes_ms,
        live_rounds.c.revealed_ms,
    )
    .select_from(
        live_sessions.outerjoin(
            live_rounds, live_rounds.c.session_id == live_sessions.c.id
        )
    )
    .where(live_sessions.c.id == bindparam("sid"))
)

_sessions: dict[tuple[str, int], Session] = {}
_rounds: dict[tuple[str, int], dict[str, Round]] = {}
_lock = threading.Lock()


def _remember(
    cache: dict[tuple[str, int], Any], key: tuple[str, int], value: Any
) -> None:
    with _lock:
        if len(cache) >= MAX_ENTRIES:
            cache.clear()
        cache[key] = value


def session_at(conn: Connection, session_id: str, revision: int) -> Session | None:
    """The session as stored at `revision` (from this process's memory when it
    read that revision before), else as stored now; None when it is gone."""
    with _lock:
        hit = _sessions.get((session_id, revision))
    if hit is not None:
        return hit
    row = conn.execute(_SESSION, {"sid": session_id}).first()
    if row is None:
        return None
    session = _session(row)
    _remember(_sessions, (session.id, session.revision), session)
    return session


def rounds_at(conn: Connection, session_id: str, revision: int) -> dict[str, Round]:
    """Every question of the session opened at `revision` (or later, when the
    session changed meanwhile), by question id."""
    with _lock:
        hit = _rounds.get((session_id, revision))
    if hit is not None:
        return hit
    rows = conn.execute(_ROUNDS, {"sid": session_id}).all()
    found = {
        r.question_id: Round.from_row(r) for r in rows if r.question_id is not None
    }
    if rows:
        _remember(_rounds, (session_id, int(rows[0].session_revision)), found)
    return found


def rounds_of(store: Store, session: Session) -> dict[str, Round]:
    """`rounds_at` for the session's own revision, reading only on a miss."""
    with _lock:
        hit = _rounds.get((session.id, session.revision))
    if hit is not None:
        return hit
    with store.read() as conn:
        return rounds_at(conn, session.id, session.revision)


def forget() -> None:
    """Empty this process's snapshots (tests)."""
    with _lock:
        _sessions.clear()
        _rounds.clear()
