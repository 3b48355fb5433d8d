"""Sessions: start, find, open a question, reveal, end, lock, delete."""

from __future__ import annotations

import hmac
import json
import secrets
from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.exc import IntegrityError

from quizgen.i18n import t
from quizgen.quiz import Kind, Quiz, quiz_to_dict
from quizgen.web.live import clock
from quizgen.web.live.model import (
    LiveError,
    Mode,
    Options,
    Session,
    State,
    _hash,
    _session,
)
from quizgen.web.live.tables import (
    insert_new,
    live_accepted,
    live_answers,
    live_participants,
    live_rounds,
    live_sessions,
)
from quizgen.web.live.writes import write
from quizgen.web.store import Store

# ---------------------------------------------------------------------- sessions


def create_session(
    store: Store,
    *,
    quiz: Quiz,
    selection_code: str,
    bank_key: str,
    version: int,
    options: Options,
    owner: str = "",
    at_ms: int | None = None,
) -> tuple[Session, str]:
    """Start a session in the lobby; return it and the teacher's secret token.

    The token is shown once (the teacher's cookie and teacher link); only its
    hash is stored. `owner` is whose session it is ("" on a laptop). Raises LiveError when the quiz has no question.
    """
    if not quiz.questions:
        raise LiveError(t("the quiz has no question", "测验中没有题目"))
    at = clock.now_ms() if at_ms is None else at_ms
    token = secrets.token_urlsafe(24)
    text = json.dumps(quiz_to_dict(quiz), ensure_ascii=False)
    for _ in range(50):
        sid = secrets.token_urlsafe(9)
        code = f"{secrets.randbelow(10**6):06d}"
        with write(store) as conn:
            done = conn.execute(
                insert_new(conn, live_sessions)
                .values(
                    id=sid,
                    code=code,
                    teacher_hash=_hash(token),
                    selection_code=selection_code,
                    bank_key=bank_key,
                    version=version,
                    title=quiz.title[:500],
                    lang=quiz.lang,
                    quiz_json=text,
                    mode=str(options.mode),
                    feedback=str(options.feedback),
                    scoreboard=str(options.scoreboard),
                    time_limit_s=options.time_limit_s,
                    auto_reveal=options.auto_reveal,
                    deadline_ms=options.deadline_ms,
                    locked=False,
                    state=str(State.LOBBY),
                    current=-1,
                    revision=1,
                    created_ms=at,
                    ended_ms=None,
                    owner=owner,
                )
                .returning(live_sessions.c.id)
            ).first()
        if done is not None:
            session = get_session(store, sid)
            assert session is not None
            return session, token
    raise LiveError(  # pragma: no cover - a million codes in use
        t("no free session code; end old sessions", "没有空闲的测验码；请结束旧的测验"),
        status=503,
    )


def get_session(store: Store, session_id: str) -> Session | None:
    """The session with this id, or None."""
    with store.read() as conn:
        return _get(conn, session_id)


def _get(conn: Connection, session_id: str) -> Session | None:
    row = conn.execute(
        select(live_sessions).where(live_sessions.c.id == session_id)
    ).first()
    return _session(row) if row is not None else None


def session_by_code(store: Store, code: str) -> Session | None:
    """The session students join with this 6-digit code (not ended), or None."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    with store.read() as conn:
        row = conn.execute(
            select(live_sessions).where(live_sessions.c.code == code)
        ).first()
    return _session(row) if row is not None else None


def revision(store: Store, session_id: str) -> int | None:
    """The session's revision (changes with every teacher action), or None if gone."""
    with store.read() as conn:
        value = conn.execute(
            select(live_sessions.c.revision).where(live_sessions.c.id == session_id)
        ).scalar()
    return None if value is None else int(value)


def teacher_ok(session: Session, token: str | None) -> bool:
    """True if `token` is this session's teacher secret (constant-time compare)."""
    if not token:
        return False
    return hmac.compare_digest(_hash(token), session.teacher_hash)


def _bump(conn: Connection, session_id: str, **values: Any) -> None:
    conn.execute(
        update(live_sessions)
        .where(live_sessions.c.id == session_id)
        .values(revision=live_sessions.c.revision + 1, **values)
    )


def _locked_session(
    conn: Connection, session_id: str, *, shared: bool = False
) -> Session:
    """Read the session inside a write transaction, row-locked on PostgreSQL
    (SQLite's BEGIN IMMEDIATE already holds the database's write lock).

    `shared`: many answers and joins may hold it at once; a teacher action
    (exclusive) waits for them, so no answer slips in after a reveal.
    """
    query = select(live_sessions).where(live_sessions.c.id == session_id)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(read=shared)
    row = conn.execute(query).first()
    if row is None:
        raise LiveError(t("no such session", "没有这场测验"), status=404)
    return _session(row)


def open_question(
    store: Store,
    session_id: str,
    index: int,
    *,
    time_limit_s: int | None = None,
    at_ms: int | None = None,
) -> Session:
    """Teacher-paced: show question `index` to every student; return the session.

    A question opened before keeps its first opening time (and its answers);
    if it was revealed it shows revealed again. `time_limit_s` (default: the
    session's) starts its timer. Raises LiveError when the session is over or
    the index is out of range.
    """
    at = clock.now_ms() if at_ms is None else at_ms
    limit = time_limit_s
    with write(store) as conn:
        session = _locked_session(conn, session_id)
        if session.state == State.ENDED:
            raise LiveError(t("the session has ended", "测验已结束"), status=409)
        if session.mode != Mode.TEACHER:
            raise LiveError(
                t("this session is self-paced", "这是自定进度的测验"), status=409
            )
        q = session.question(index)
        if q is None:
            raise LiveError(t("no such question", "没有这道题"), status=404)
        if limit is None and q.kind != Kind.DISCUSSION:
            limit = session.time_limit_s  # a discussion has no timer by default
        conn.execute(
            insert_new(conn, live_rounds).values(
                session_id=session_id,
                question_id=q.id,
                position=index,
                opened_ms=at,
                closes_ms=at + limit * 1000 if limit else None,
                revealed_ms=None,
            )
        )
        revealed = conn.execute(
            select(live_rounds.c.revealed_ms).where(
                live_rounds.c.session_id == session_id,
                live_rounds.c.question_id == q.id,
            )
        ).scalar()
        _bump(
            conn,
            session_id,
            current=index,
            state=str(State.REVEAL if revealed is not None else State.QUESTION),
        )
    got = get_session(store, session_id)
    assert got is not None
    return got


def reveal(store: Store, session_id: str, *, at_ms: int | None = None) -> Session:
    """Teacher-paced: close the current question and show its answer; return the session.

    Raises LiveError when no question is open.
    """
    at = clock.now_ms() if at_ms is None else at_ms
    with write(store) as conn:
        session = _locked_session(conn, session_id)
        q = session.question()
        if session.state not in (State.QUESTION, State.REVEAL) or q is None:
            raise LiveError(t("no question is open", "没有打开的题目"), status=409)
        conn.execute(
            update(live_rounds)
            .where(
                live_rounds.c.session_id == session_id,
                live_rounds.c.question_id == q.id,
                live_rounds.c.revealed_ms.is_(None),
            )
            .values(revealed_ms=at)
        )
        _bump(conn, session_id, state=str(State.REVEAL))
    got = get_session(store, session_id)
    assert got is not None
    return got


def end_session(store: Store, session_id: str, *, at_ms: int | None = None) -> Session:
    """End the session: no more joins or answers; results stay until deleted.

    The join code is freed for other sessions. Returns the session.
    """
    at = clock.now_ms() if at_ms is None else at_ms
    with write(store) as conn:
        session = _locked_session(conn, session_id)
        if session.state != State.ENDED:
            _bump(conn, session_id, state=str(State.ENDED), ended_ms=at, code=None)
    got = get_session(store, session_id)
    assert got is not None
    return got


def reopen_session(store: Store, session_id: str) -> Session:
    """Undo `end_session`: the session goes on where it stopped, with a new
    join code (the old one may be another session's by now).

    Teacher-paced: the question it ended on shows revealed if it was, else
    open again (its timer, if any, has run out); in the lobby, the lobby.
    Self-paced: answers are taken again until the deadline. Students keep
    their answers and their phones (the cookie), and need no code. Returns
    the session; raises LiveError when no free code is found.
    """
    for _ in range(50):
        code = f"{secrets.randbelow(10**6):06d}"
        try:
            with write(store) as conn:
                session = _locked_session(conn, session_id)
                if session.state != State.ENDED:
                    break
                state = State.LOBBY
                q = session.question()
                if session.mode == Mode.TEACHER and q is not None:
                    revealed = conn.execute(
                        select(live_rounds.c.revealed_ms).where(
                            live_rounds.c.session_id == session_id,
                            live_rounds.c.question_id == q.id,
                        )
                    ).scalar()
                    state = State.REVEAL if revealed is not None else State.QUESTION
                _bump(conn, session_id, state=str(state), ended_ms=None, code=code)
            break
        except IntegrityError:  # the code is taken: another one
            continue
    else:  # pragma: no cover - a million codes in use
        raise LiveError(
            t(
                "no free join code; end old sessions",
                "没有空闲的加入码；请结束旧的测验",
            ),
            status=503,
        )
    got = get_session(store, session_id)
    assert got is not None
    return got


def set_locked(store: Store, session_id: str, locked: bool) -> None:
    """Lock the room (no new students) or open it again."""
    with write(store) as conn:
        _bump(conn, session_id, locked=locked)


def delete_session(store: Store, session_id: str) -> bool:
    """Delete a session with all its students and answers; True if it existed."""
    with write(store) as conn:
        for table in (live_answers, live_participants, live_rounds, live_accepted):
            conn.execute(delete(table).where(table.c.session_id == session_id))
        gone = conn.execute(
            delete(live_sessions).where(live_sessions.c.id == session_id)
        ).rowcount
    return gone == 1
