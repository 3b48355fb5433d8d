"""Answers: one per student and question, checked on the server's clock."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, and_, bindparam, func, select, update
from sqlalchemy.engine import Row

from quizgen.answers import accepts, normalize_answer
from quizgen.i18n import t
from quizgen.quiz import Kind, Question
from quizgen.web.live import clock
from quizgen.web.live.model import (
    GRACE_MS,
    MAX_CLOZE_TEXT,
    MAX_DISCUSSION_TEXT,
    Answer,
    AnswerResult,
    LiveError,
    Mode,
    Round,
    State,
    _answer,
)
from quizgen.web.live.sessions import _bump, _locked_session
from quizgen.web.live.snapshots import session_at
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

# ---------------------------------------------------------------------- answers


def is_right(q: Question, choice: int | None, text: str | None) -> bool | None:
    """Whether an answer is right (None for discussion and skipped questions)."""
    if q.kind == Kind.DISCUSSION:
        return None
    if q.kind == Kind.CLOZE:
        if text is None:
            return None
        return accepts(text, q.accepted_answers)
    if choice is None:
        return None
    return choice == q.answer


def submit_answer(
    store: Store,
    session_id: str,
    participant_id: int,
    question_id: str,
    *,
    choice: int | None = None,
    text: str | None = None,
    skip: bool = False,
    at_ms: int | None = None,
) -> AnswerResult:
    """Store a student's answer to one question; return whether it was new.

    Teacher-paced: only the open question, before its timer ran out (plus
    GRACE_MS). Self-paced: any question of the quiz, until the deadline.
    `skip` stores an empty answer (self-paced, to move on). Raises LiveError for
    a question that is not open, a bad choice or text, or a session that is over.
    """
    at = clock.now_ms() if at_ms is None else at_ms
    with write(store) as conn:
        # one statement: where the session is, whether the student is still
        # in it, and the question's round; the rest of the session's row
        # comes from its revision's snapshot
        now = _answer_context(conn, session_id, participant_id, question_id)
        if now is None:
            raise LiveError(t("no such session", "没有这场测验"), status=404)
        session = session_at(conn, session_id, int(now.revision))
        if session is None:  # pragma: no cover - the row is locked
            raise LiveError(t("no such session", "没有这场测验"), status=404)
        if session.over(at):
            raise LiveError(
                t("the session has ended", "测验已结束"), status=409, reason="ended"
            )
        if now.p_id is None:
            raise LiveError(  # removed by the teacher since the request began
                t("join the session first", "请先加入测验"),
                status=403,
                reason="not-joined",
            )
        position = next(
            (i for i, q in enumerate(session.quiz.questions) if q.id == question_id),
            None,
        )
        closed = LiveError(
            t("this question is closed", "这道题已关闭"), status=409, reason="closed"
        )
        if session.mode == Mode.TEACHER and (
            session.state != State.QUESTION or session.current != position
        ):
            # the same answer for a question not open and for an id not in the
            # quiz: a student cannot probe which questions are coming
            raise closed
        if position is None:
            raise LiveError(t("no such question", "没有这道题"), status=404)
        q = session.quiz.questions[position]
        elapsed: int | None = None
        if session.mode == Mode.TEACHER:
            if now.opened_ms is None:  # pragma: no cover - open_question writes it
                raise LiveError(
                    t("this question is closed", "这道题已关闭"), status=409
                )
            if now.closes_ms is not None and at > now.closes_ms + GRACE_MS:
                raise LiveError(
                    t("time is up for this question", "这道题的时间到了"),
                    status=409,
                    reason="time-up",
                )
            elapsed = max(0, at - now.opened_ms)
        choice, text = _validate(q, choice, text, skip=skip)
        right = is_right(q, choice, text)
        if right is False and text is not None and q.kind == Kind.CLOZE:
            right = normalize_answer(text) in _accepted_keys(conn, session_id, q.id)
        values = {
            "participant_id": participant_id,
            "question_id": question_id,
            "choice": choice,
            "text": text,
            "correct": right,
            "answered_ms": at,
            "elapsed_ms": elapsed,
            "shown": False,
        }
        new_id = conn.execute(
            _insert_answer(conn), {"session_id": session_id, **values}
        ).scalar()
        if new_id is not None:
            return AnswerResult(status="accepted", answer=Answer(id=new_id, **values))
        row = conn.execute(
            select(live_answers).where(
                live_answers.c.session_id == session_id,
                live_answers.c.participant_id == participant_id,
                live_answers.c.question_id == question_id,
            )
        ).one()
    return AnswerResult(status="duplicate", answer=_answer(row))


def _answer_context(
    conn: Connection, session_id: str, participant_id: int, question_id: str
) -> Row[Any] | None:
    """The session's revision, the participant's id (None: not in the session)
    and the question's round (None: not opened), read inside the answer's
    write transaction; on PostgreSQL the session's row is share-locked, so a
    teacher action (which locks it exclusively) waits for the answer."""
    query = _CONTEXT_PG if conn.dialect.name == "postgresql" else _CONTEXT
    return conn.execute(
        query, {"sid": session_id, "pid": participant_id, "qid": question_id}
    ).first()


def _context_query() -> Select[Any]:
    s, p, r = live_sessions, live_participants, live_rounds
    return (
        select(s.c.revision, p.c.id.label("p_id"), r.c.opened_ms, r.c.closes_ms)
        .select_from(
            s.outerjoin(
                p, and_(p.c.session_id == s.c.id, p.c.id == bindparam("pid"))
            ).outerjoin(
                r,
                and_(r.c.session_id == s.c.id, r.c.question_id == bindparam("qid")),
            )
        )
        .where(s.c.id == bindparam("sid"))
    )


def _insert_answer(conn: Connection) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id on live_answers, built
    once per database kind (the values come as parameters)."""
    name = conn.dialect.name
    found = _INSERTS.get(name)
    if found is None:
        found = _INSERTS[name] = insert_new(conn, live_answers).returning(
            live_answers.c.id
        )
    return found


_INSERTS: dict[str, Any] = {}

#: built once (building costs more than running it); share-locked on PostgreSQL
_CONTEXT = _context_query()
_CONTEXT_PG = _CONTEXT.with_for_update(read=True, of=live_sessions)


def _validate(
    q: Question, choice: int | None, text: str | None, *, skip: bool
) -> tuple[int | None, str | None]:
    if skip:
        return None, None
    if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        if not isinstance(choice, int) or isinstance(choice, bool):
            raise LiveError(t("choose an option", "请选择一个选项"), reason="choice")
        if not 0 <= choice < len(q.options):
            raise LiveError(t("no such option", "没有这个选项"), reason="choice")
        return choice, None
    limit = MAX_CLOZE_TEXT if q.kind == Kind.CLOZE else MAX_DISCUSSION_TEXT
    value = unicodedata.normalize("NFC", text or "").strip()
    value = "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C"
    )
    if not value:
        raise LiveError(t("write an answer", "请填写答案"), reason="text")
    if len(value) > limit:
        raise LiveError(
            t(
                f"the answer is too long (at most {limit} characters)",
                f"答案太长（最多 {limit} 个字符）",
            ),
            reason="text",
        )
    return None, value


def answers(
    store: Store,
    session_id: str,
    *,
    question_id: str | None = None,
    participant_id: int | None = None,
) -> list[Answer]:
    """Stored answers of the session (optionally of one question or student), oldest first."""
    query = select(live_answers).where(live_answers.c.session_id == session_id)
    if question_id is not None:
        query = query.where(live_answers.c.question_id == question_id)
    if participant_id is not None:
        query = query.where(live_answers.c.participant_id == participant_id)
    with store.read() as conn:
        rows = conn.execute(
            query.order_by(live_answers.c.answered_ms, live_answers.c.id)
        ).all()
    return [_answer(r) for r in rows]


def answer_count(store: Store, session_id: str, question_id: str) -> int:
    """How many students answered this question."""
    with store.read() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(live_answers)
                .where(
                    live_answers.c.session_id == session_id,
                    live_answers.c.question_id == question_id,
                )
            ).scalar_one()
        )


def set_shown(store: Store, session_id: str, answer_id: int, shown: bool) -> bool:
    """Show a discussion answer on the projector (without its author), or hide it.

    Returns False when the session has no such answer.
    """
    with write(store) as conn:
        done = conn.execute(
            update(live_answers)
            .where(
                live_answers.c.session_id == session_id,
                live_answers.c.id == answer_id,
            )
            .values(shown=shown)
        ).rowcount
        if done:
            _bump(conn, session_id)
    return done == 1


def rounds(store: Store, session_id: str) -> dict[str, Round]:
    """Every question opened so far, by question id."""
    with store.read() as conn:
        rows = conn.execute(
            select(live_rounds).where(live_rounds.c.session_id == session_id)
        ).all()
    return {r.question_id: Round.from_row(r) for r in rows}


def _accepted_keys(conn: Connection, session_id: str, question_id: str) -> set[str]:
    """The normal forms of the answers the teacher accepted, from their text
    under today's rule (a key stored under an older rule may differ)."""
    return {
        normalize_answer(text)
        for text in conn.execute(
            select(live_accepted.c.text).where(
                live_accepted.c.session_id == session_id,
                live_accepted.c.question_id == question_id,
            )
        ).scalars()
    }


def accept_answer(store: Store, session_id: str, question_id: str, text: str) -> int:
    """The teacher accepts a typed cloze answer: every stored answer to the
    question that reads the same under quizgen.answers.normalize_answer counts
    as right, and so does every later one. Returns how many answers changed.

    Raises LiveError for a question that is not a cloze of the session, or an
    empty text.
    """
    key = normalize_answer(text or "")
    with write(store) as conn:
        session = _locked_session(conn, session_id)  # exclusive: no answer races it
        q = next((x for x in session.quiz.questions if x.id == question_id), None)
        if q is None or q.kind != Kind.CLOZE:
            raise LiveError(t("no such question", "没有这道题"), status=404)
        if not key or len(key) > 200:
            raise LiveError(t("write an answer", "请填写答案"), reason="text")
        conn.execute(
            insert_new(conn, live_accepted).values(
                session_id=session_id,
                question_id=question_id,
                answer_key=key,
                text=text.strip()[:200],
            )
        )
        rows = conn.execute(
            select(live_answers.c.id, live_answers.c.text).where(
                live_answers.c.session_id == session_id,
                live_answers.c.question_id == question_id,
                live_answers.c.correct.is_(False),
            )
        ).all()
        ids = [r.id for r in rows if r.text and normalize_answer(r.text) == key]
        if ids:
            conn.execute(
                update(live_answers)
                .where(live_answers.c.id.in_(ids))
                .values(correct=True)
            )
        _bump(conn, session_id)
    return len(ids)


def typed_answers(question: Question, given: Sequence[Answer]) -> list[dict[str, Any]]:
    """A cloze question's typed answers grouped by quizgen.answers.normalize_answer,
    most frequent first: the text as most typed it, how many, whether right."""
    groups: dict[str, list[Answer]] = {}
    for a in given:
        if a.question_id == question.id and a.text:
            groups.setdefault(normalize_answer(a.text), []).append(a)
    out = []
    for key, members in groups.items():
        shown = Counter(a.text for a in members).most_common(1)[0][0]
        out.append(
            {
                "key": key,
                "text": shown,
                "count": len(members),
                "right": all(a.correct for a in members),
            }
        )
    out.sort(key=lambda g: (-g["count"], g["text"]))
    return out
