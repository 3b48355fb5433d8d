"""The live in-class quiz: sessions, students, answers, scores, statistics.

Plain functions over a `Store` and plain frozen data; no Flask. The web views
(live.py) parse requests, call these, and render.

Rules kept here, not in the views:

- A session keeps the quiz as it was when it started (canonical JSON).
- The teacher's secret and each student's token are random; only their
  SHA-256 is stored.
- One answer per student and question: the unique key on live_answers, written
  with INSERT ... ON CONFLICT DO NOTHING. A second answer changes nothing and is
  reported as a duplicate together with the first.
- Whether an answer is right, how long it took and every score come from the
  stored quiz, the stored answers and the server's clock; the client sends only
  its choice.
- Students see questions through `public_question` (no answer, no right flag,
  no explanation, no quote) until the teacher reveals them (`revealed_question`).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import re
import secrets
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.engine import Row

from quizgen.answers import accepts
from quizgen.errors import QuizgenError
from quizgen.i18n import t
from quizgen.quiz import Kind, Question, Quiz, quiz_from_dict, quiz_to_dict
from quizgen.web.live_store import (
    insert_new,
    live_answers,
    live_participants,
    live_rounds,
    live_sessions,
)
from quizgen.web.store import Store

__all__ = [
    "Answer",
    "AnswerResult",
    "Feedback",
    "LiveError",
    "Mode",
    "Options",
    "Participant",
    "Round",
    "Scoreboard",
    "Session",
    "State",
    "answers",
    "clean_nickname",
    "create_session",
    "delete_session",
    "distribution",
    "end_session",
    "get_session",
    "item_stats",
    "join",
    "now_ms",
    "open_question",
    "participant",
    "participant_by_token",
    "participants",
    "public_question",
    "remove_participant",
    "results_csv",
    "reveal",
    "revealed_question",
    "revision",
    "rounds",
    "scores",
    "session_by_code",
    "set_locked",
    "set_shown",
    "submit_answer",
    "teacher_ok",
]

MAX_NICKNAME = 24
MAX_CLOZE_TEXT = 200
MAX_DISCUSSION_TEXT = 1000
MAX_PARTICIPANTS = 1000
#: an answer sent this long after the timer ran out still counts (network delay)
GRACE_MS = 500
#: speed bonus without a timer: full points at once, half points after this long
SPEED_WINDOW_MS = 20_000
MAX_POINTS = 1000
LETTERS = "ABCDEFGHIJ"


class Mode(StrEnum):
    TEACHER = "teacher"  # the teacher opens each question
    SELF = "self"  # each student goes through the quiz until the deadline


class Feedback(StrEnum):
    EACH = "each"  # self-paced: right answer and explanation after each answer
    END = "end"  # self-paced: only once the session is over


class Scoreboard(StrEnum):
    HIDDEN = "hidden"
    CORRECT = "correct"  # number of right answers
    SPEED = "speed"  # points: right answers, more for fast ones


class State(StrEnum):
    LOBBY = "lobby"
    QUESTION = "question"
    REVEAL = "reveal"
    ENDED = "ended"


class LiveError(QuizgenError):
    """A student's or teacher's request that cannot be done; `status` is the HTTP code."""

    def __init__(self, message: str, *, status: int = 422, reason: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


def now_ms() -> int:
    """The server's clock in Unix milliseconds (the only clock scores use)."""
    return int(time.time() * 1000)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------- data


@dataclass(frozen=True, kw_only=True)
class Options:
    """What the teacher chose when starting a session."""

    mode: Mode = Mode.TEACHER
    feedback: Feedback = Feedback.EACH
    scoreboard: Scoreboard = Scoreboard.CORRECT
    time_limit_s: int | None = None  # teacher-paced: the timer of each question
    deadline_ms: int | None = None  # self-paced: answers accepted until then


@dataclass(frozen=True, kw_only=True)
class Session:
    """A live session as stored (the quiz is parsed from its snapshot on demand)."""

    id: str
    code: str | None
    selection_code: str
    bank_key: str
    version: int
    title: str
    lang: str
    quiz_json: str = field(repr=False)
    mode: Mode
    feedback: Feedback
    scoreboard: Scoreboard
    time_limit_s: int | None
    deadline_ms: int | None
    locked: bool
    state: State
    current: int
    revision: int
    created_ms: int
    ended_ms: int | None
    teacher_hash: str = field(repr=False)

    @property
    def quiz(self) -> Quiz:
        """The quiz as it was when the session started."""
        return _quiz(self.id, self.quiz_json)

    def over(self, at_ms: int | None = None) -> bool:
        """True once the teacher ended the session or its deadline passed."""
        if self.state == State.ENDED:
            return True
        at = now_ms() if at_ms is None else at_ms
        return (
            self.mode == Mode.SELF
            and self.deadline_ms is not None
            and at >= self.deadline_ms
        )

    def question(self, index: int | None = None) -> Question | None:
        """The question at `index` (default: the current one), or None."""
        i = self.current if index is None else index
        qs = self.quiz.questions
        return qs[i] if 0 <= i < len(qs) else None


_QUIZ_CACHE: dict[str, tuple[str, Quiz]] = {}
_QUIZ_LOCK = threading.Lock()


def _quiz(session_id: str, text: str) -> Quiz:
    with _QUIZ_LOCK:
        hit = _QUIZ_CACHE.get(session_id)
    if hit is not None and hit[0] == text:
        return hit[1]
    quiz = quiz_from_dict(json.loads(text))
    with _QUIZ_LOCK:
        if len(_QUIZ_CACHE) > 64:
            _QUIZ_CACHE.clear()
        _QUIZ_CACHE[session_id] = (text, quiz)
    return quiz


@dataclass(frozen=True, kw_only=True)
class Participant:
    """A student in a session."""

    id: int
    session_id: str
    nickname: str
    joined_ms: int


@dataclass(frozen=True, kw_only=True)
class Round:
    """When one question was opened, closes, and was revealed (server ms)."""

    question_id: str
    position: int
    opened_ms: int
    closes_ms: int | None
    revealed_ms: int | None


@dataclass(frozen=True, kw_only=True)
class Answer:
    """One stored answer."""

    id: int
    participant_id: int
    question_id: str
    choice: int | None
    text: str | None
    correct: bool | None
    answered_ms: int
    elapsed_ms: int | None
    shown: bool


@dataclass(frozen=True, kw_only=True)
class AnswerResult:
    """What happened to an answer: `accepted`, or `duplicate` (the first one kept)."""

    status: str
    answer: Answer


def _session(row: Row[Any]) -> Session:
    m = dict(row._mapping)
    return Session(
        id=m["id"],
        code=m["code"],
        selection_code=m["selection_code"],
        bank_key=m["bank_key"],
        version=m["version"],
        title=m["title"],
        lang=m["lang"],
        quiz_json=m["quiz_json"],
        mode=Mode(m["mode"]),
        feedback=Feedback(m["feedback"]),
        scoreboard=Scoreboard(m["scoreboard"]),
        time_limit_s=m["time_limit_s"],
        deadline_ms=m["deadline_ms"],
        locked=bool(m["locked"]),
        state=State(m["state"]),
        current=m["current"],
        revision=m["revision"],
        created_ms=m["created_ms"],
        ended_ms=m["ended_ms"],
        teacher_hash=m["teacher_hash"],
    )


def _answer(row: Row[Any]) -> Answer:
    m = row._mapping
    return Answer(
        id=m["id"],
        participant_id=m["participant_id"],
        question_id=m["question_id"],
        choice=m["choice"],
        text=m["text"],
        correct=None if m["correct"] is None else bool(m["correct"]),
        answered_ms=m["answered_ms"],
        elapsed_ms=m["elapsed_ms"],
        shown=bool(m["shown"]),
    )


# ---------------------------------------------------------------------- sessions


def create_session(
    store: Store,
    *,
    quiz: Quiz,
    selection_code: str,
    bank_key: str,
    version: int,
    options: Options,
    at_ms: int | None = None,
) -> tuple[Session, str]:
    """Start a session in the lobby; return it and the teacher's secret token.

    The token is shown once (the teacher's cookie and teacher link); only its
    hash is stored. Raises LiveError when the quiz has no question.
    """
    if not quiz.questions:
        raise LiveError(t("the quiz has no question", "测验中没有题目"))
    at = now_ms() if at_ms is None else at_ms
    token = secrets.token_urlsafe(24)
    text = json.dumps(quiz_to_dict(quiz), ensure_ascii=False)
    for _ in range(50):
        sid = secrets.token_urlsafe(9)
        code = f"{secrets.randbelow(10**6):06d}"
        with store.write() as conn:
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
                    deadline_ms=options.deadline_ms,
                    locked=False,
                    state=str(State.LOBBY),
                    current=-1,
                    revision=1,
                    created_ms=at,
                    ended_ms=None,
                )
                .returning(live_sessions.c.id)
            ).first()
        if done is not None:
            session = get_session(store, sid)
            assert session is not None
            return session, token
    raise LiveError(  # pragma: no cover - a million codes in use
        t("no free session code; end old sessions", "没有空闲的会话码；请结束旧会话"),
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
        raise LiveError(t("no such session", "没有这个会话"), status=404)
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
    at = now_ms() if at_ms is None else at_ms
    limit = time_limit_s
    with store.write() as conn:
        session = _locked_session(conn, session_id)
        if session.state == State.ENDED:
            raise LiveError(t("the session has ended", "会话已结束"), status=409)
        if session.mode != Mode.TEACHER:
            raise LiveError(
                t("this session is self-paced", "这是自定进度的会话"), status=409
            )
        q = session.question(index)
        if q is None:
            raise LiveError(t("no such question", "没有这道题"), status=404)
        if limit is None:
            limit = session.time_limit_s
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
    at = now_ms() if at_ms is None else at_ms
    with store.write() as conn:
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
    at = now_ms() if at_ms is None else at_ms
    with store.write() as conn:
        session = _locked_session(conn, session_id)
        if session.state != State.ENDED:
            _bump(conn, session_id, state=str(State.ENDED), ended_ms=at, code=None)
    got = get_session(store, session_id)
    assert got is not None
    return got


def set_locked(store: Store, session_id: str, locked: bool) -> None:
    """Lock the room (no new students) or open it again."""
    with store.write() as conn:
        _bump(conn, session_id, locked=locked)


def delete_session(store: Store, session_id: str) -> bool:
    """Delete a session with all its students and answers; True if it existed."""
    with store.write() as conn:
        for table in (live_answers, live_participants, live_rounds):
            conn.execute(delete(table).where(table.c.session_id == session_id))
        gone = conn.execute(
            delete(live_sessions).where(live_sessions.c.id == session_id)
        ).rowcount
    return gone == 1


# ---------------------------------------------------------------------- students


#: characters that show nothing (Unicode's default-ignorable code points, and
#: blanks such as the Hangul fillers and the empty Braille pattern): "Ann" with
#: one of them would look like another student's "Ann"
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0"
    "\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def clean_nickname(raw: str) -> str:
    """The nickname as stored: NFKC, no control characters, spaces collapsed.

    Raises LiveError when it is empty or longer than MAX_NICKNAME characters.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(
        ch
        for ch in text
        if unicodedata.category(ch)[0] != "C" and not _INVISIBLE.match(ch)
    )
    text = " ".join(text.split())
    if not text:
        raise LiveError(t("choose a nickname", "请输入昵称"), reason="nickname-empty")
    if len(text) > MAX_NICKNAME:
        raise LiveError(
            t(
                f"the nickname is too long (at most {MAX_NICKNAME} characters)",
                f"昵称太长（最多 {MAX_NICKNAME} 个字符）",
            ),
            reason="nickname-long",
        )
    return text


def join(
    store: Store, session: Session, nickname: str, *, at_ms: int | None = None
) -> tuple[Participant, str]:
    """Add a student; return the participant and the token for their cookie.

    Raises LiveError when the session is over or locked, the room is full, or
    the nickname is invalid or taken (compared without case or width).
    """
    nick = clean_nickname(nickname)
    key = nick.casefold()
    at = now_ms() if at_ms is None else at_ms
    token = secrets.token_urlsafe(24)
    with store.write() as conn:
        current = _locked_session(conn, session.id, shared=True)
        if current.over(at):
            raise LiveError(
                t("this session has ended", "这个会话已结束"),
                status=409,
                reason="ended",
            )
        if current.locked:
            raise LiveError(
                t(
                    "the teacher has locked this session; ask them to open it",
                    "老师已锁定这个会话；请老师重新开放",
                ),
                status=409,
                reason="locked",
            )
        count = conn.execute(
            select(func.count())
            .select_from(live_participants)
            .where(live_participants.c.session_id == session.id)
        ).scalar_one()
        if count >= MAX_PARTICIPANTS:
            raise LiveError(
                t("this session is full", "这个会话人数已满"), status=409, reason="full"
            )
        inserted = conn.execute(
            insert_new(conn, live_participants)
            .values(
                session_id=session.id,
                nickname=nick,
                nickname_key=key,
                token_hash=_hash(token),
                joined_ms=at,
            )
            .returning(live_participants.c.id)
        ).first()
    if inserted is None:
        raise LiveError(
            t(
                f"the nickname '{nick}' is taken in this session; choose another",
                f"昵称“{nick}”已被使用；请换一个",
            ),
            status=409,
            reason="nickname-taken",
        )
    return (
        Participant(
            id=int(inserted[0]), session_id=session.id, nickname=nick, joined_ms=at
        ),
        token,
    )


def participant_by_token(
    store: Store, session_id: str, token: str | None
) -> Participant | None:
    """The student whose cookie holds `token` in this session, or None."""
    if not token or len(token) > 100:
        return None
    with store.read() as conn:
        row = conn.execute(
            select(live_participants).where(
                live_participants.c.token_hash == _hash(token),
                live_participants.c.session_id == session_id,
            )
        ).first()
    return None if row is None else _participant(row)


def _participant(row: Row[Any]) -> Participant:
    return Participant(
        id=row.id,
        session_id=row.session_id,
        nickname=row.nickname,
        joined_ms=row.joined_ms,
    )


def participants(store: Store, session_id: str) -> list[Participant]:
    """Every student of the session, in the order they joined."""
    with store.read() as conn:
        rows = conn.execute(
            select(live_participants)
            .where(live_participants.c.session_id == session_id)
            .order_by(live_participants.c.joined_ms, live_participants.c.id)
        ).all()
    return [_participant(r) for r in rows]


def _participant_row(
    conn: Connection, session_id: str, participant_id: int
) -> Row[Any] | None:
    return conn.execute(
        select(live_participants).where(
            live_participants.c.id == participant_id,
            live_participants.c.session_id == session_id,
        )
    ).first()


def participant(
    store: Store, session_id: str, participant_id: int
) -> Participant | None:
    """One student of the session by id, or None."""
    with store.read() as conn:
        row = _participant_row(conn, session_id, participant_id)
    return None if row is None else _participant(row)


def remove_participant(
    store: Store, session_id: str, participant_id: int
) -> Participant | None:
    """Take a student out of the session, with their answers: the teacher's call.

    Their cookie stops working at once (an answer already on its way is
    refused, not stored); they may join again under a free nickname unless the
    room is locked. Every screen updates (the revision changes). Returns the
    removed student, or None when the session has no student with that id.
    """
    with store.write() as conn:
        _locked_session(conn, session_id)  # exclusive: waits for answers in flight
        row = _participant_row(conn, session_id, participant_id)
        if row is None:
            return None
        conn.execute(
            delete(live_answers).where(
                live_answers.c.session_id == session_id,
                live_answers.c.participant_id == participant_id,
            )
        )
        conn.execute(
            delete(live_participants).where(live_participants.c.id == participant_id)
        )
        _bump(conn, session_id)
    return _participant(row)


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
    at = now_ms() if at_ms is None else at_ms
    with store.write() as conn:
        session = _locked_session(conn, session_id, shared=True)
        if session.over(at):
            raise LiveError(
                t("the session has ended", "会话已结束"), status=409, reason="ended"
            )
        if _participant_row(conn, session_id, participant_id) is None:
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
            rnd = conn.execute(
                select(live_rounds).where(
                    live_rounds.c.session_id == session_id,
                    live_rounds.c.question_id == question_id,
                )
            ).first()
            if rnd is None:  # pragma: no cover - open_question writes it
                raise LiveError(
                    t("this question is closed", "这道题已关闭"), status=409
                )
            if rnd.closes_ms is not None and at > rnd.closes_ms + GRACE_MS:
                raise LiveError(
                    t("time is up for this question", "这道题的时间到了"),
                    status=409,
                    reason="time-up",
                )
            elapsed = max(0, at - rnd.opened_ms)
        choice, text = _validate(q, choice, text, skip=skip)
        result = conn.execute(
            insert_new(conn, live_answers)
            .values(
                session_id=session_id,
                participant_id=participant_id,
                question_id=question_id,
                choice=choice,
                text=text,
                correct=is_right(q, choice, text),
                answered_ms=at,
                elapsed_ms=elapsed,
                shown=False,
            )
            .returning(live_answers.c.id)
        ).first()
        status = "accepted" if result is not None else "duplicate"
        row = conn.execute(
            select(live_answers).where(
                live_answers.c.session_id == session_id,
                live_answers.c.participant_id == participant_id,
                live_answers.c.question_id == question_id,
            )
        ).one()
    return AnswerResult(status=status, answer=_answer(row))


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
    with store.write() as conn:
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
    return {
        r.question_id: Round(
            question_id=r.question_id,
            position=r.position,
            opened_ms=r.opened_ms,
            closes_ms=r.closes_ms,
            revealed_ms=r.revealed_ms,
        )
        for r in rows
    }


# ---------------------------------------------------------------------- views


def public_question(q: Question, position: int, total: int) -> dict[str, Any]:
    """What a student may see of a question before it is revealed.

    An explicit list of fields: id, kind, prompt, options (choice kinds),
    guiding questions (discussion), position and total. Never the answer, a
    right flag, the explanation, the quote or the teacher's notes.
    """
    out: dict[str, Any] = {
        "id": q.id,
        "kind": str(q.kind),
        "prompt": q.prompt,
        "position": position,
        "number": position + 1,
        "total": total,
        "options": [],
        "guiding": [],
    }
    if q.kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
        out["options"] = [
            {"index": i, "letter": LETTERS[i], "text": text}
            for i, text in enumerate(q.options)
        ]
    if q.kind == Kind.DISCUSSION:
        out["guiding"] = list(q.guiding)
    return out


def revealed_question(q: Question, position: int, total: int) -> dict[str, Any]:
    """A question after reveal: the public view plus the right answer, the
    explanation, the verbatim quote and its speaker (discussion: each side's
    position and quote). Teacher's notes stay out."""
    out = public_question(q, position, total)
    out["revealed"] = True
    out["answer_index"] = q.answer if isinstance(q.answer, int) else None
    out["answer_text"] = (
        q.right_option if isinstance(q.answer, int) else (q.answer or "")
    )
    # the quote and its source show as a figure of their own: the source line
    # (「quote」) goes, not the statement, which may repeat the quote's words
    quoted = f"\u300c{q.source.quote}\u300d"
    out["explanation"] = (
        ""
        if q.kind == Kind.DISCUSSION
        else "\n".join(
            line
            for i, line in enumerate(q.explanation.splitlines())
            if i == 0 or not (q.source.quote and quoted in line)
        )
    )
    out["quote"] = q.source.quote
    out["speaker_name"] = q.source.speaker_name
    out["paragraph"] = q.source.paragraph
    out["sides"] = [
        {
            "speaker_name": s.speaker_name,
            "position": s.position,
            "quote": s.quote,
            "paragraph": s.paragraph,
        }
        for s in q.sides
    ]
    return out


def answer_view(q: Question, a: Answer | None) -> dict[str, Any] | None:
    """A student's own answer as they see it (never whether it is right)."""
    if a is None:
        return None
    if a.choice is not None and 0 <= a.choice < len(q.options):
        return {
            "letter": LETTERS[a.choice],
            "text": q.options[a.choice],
            "skipped": False,
        }
    if a.text is not None:
        return {"letter": "", "text": a.text, "skipped": False}
    return {"letter": "", "text": "", "skipped": True}


def distribution(q: Question, given: Iterable[Answer]) -> dict[str, Any]:
    """How the answers to one question spread: per option, or right/wrong for cloze."""
    given = list(given)
    counts = Counter(a.choice for a in given if a.choice is not None)
    out: dict[str, Any] = {"answered": len(given), "options": []}
    if q.options:
        out["options"] = [
            {
                "index": i,
                "letter": LETTERS[i],
                "text": text,
                "count": counts.get(i, 0),
                "share": counts.get(i, 0) / len(given) if given else 0.0,
            }
            for i, text in enumerate(q.options)
        ]
    out["right"] = sum(1 for a in given if a.correct)
    return out


def _points(session: Session, a: Answer, rnd: Round | None) -> int:
    if not a.correct:
        return 0
    if session.scoreboard != Scoreboard.SPEED or a.elapsed_ms is None:
        return MAX_POINTS
    window = SPEED_WINDOW_MS
    if rnd is not None and rnd.closes_ms is not None:
        window = max(1, rnd.closes_ms - rnd.opened_ms)
    late = min(1.0, a.elapsed_ms / window)
    return round(MAX_POINTS * (1 - 0.5 * late))


@dataclass(frozen=True, kw_only=True)
class Score:
    """One student's line on the scoreboard."""

    rank: int
    participant_id: int
    nickname: str
    right: int
    answered: int
    points: int
    time_ms: int


def scores(
    session: Session,
    people: Sequence[Participant],
    given: Sequence[Answer],
    opened: dict[str, Round],
) -> list[Score]:
    """The scoreboard from stored answers: most points (speed) or right answers
    first, then the least total time, then the nickname."""
    by_person: dict[int, list[Answer]] = {p.id: [] for p in people}
    for a in given:
        by_person.setdefault(a.participant_id, []).append(a)
    rows = []
    for p in people:
        mine = by_person.get(p.id, [])
        rows.append(
            {
                "participant_id": p.id,
                "nickname": p.nickname,
                "right": sum(1 for a in mine if a.correct),
                "answered": len(mine),
                "points": sum(
                    _points(session, a, opened.get(a.question_id)) for a in mine
                ),
                "time_ms": sum(a.elapsed_ms or 0 for a in mine if a.correct),
            }
        )
    key = "points" if session.scoreboard == Scoreboard.SPEED else "right"
    rows.sort(key=lambda r: (-r[key], r["time_ms"], r["nickname"].casefold()))
    out = []
    for i, r in enumerate(rows):
        same = i > 0 and rows[i - 1][key] == r[key] and key == "right"
        rank = out[-1].rank if same else i + 1
        out.append(Score(rank=rank, **r))
    return out


def item_stats(
    quiz: Quiz, given: Sequence[Answer], students: int
) -> list[dict[str, Any]]:
    """Per question: how many answered, the share right, and how often each wrong
    option (or wrong text, for cloze) was picked."""
    by_q: dict[str, list[Answer]] = {}
    for a in given:
        by_q.setdefault(a.question_id, []).append(a)
    out = []
    for i, q in enumerate(quiz.questions):
        mine = by_q.get(q.id, [])
        scored = [a for a in mine if a.correct is not None]
        right = sum(1 for a in scored if a.correct)
        wrong_texts = Counter(
            a.text
            for a in mine
            if q.kind == Kind.CLOZE and a.correct is False and a.text
        )
        out.append(
            {
                "id": q.id,
                "number": i + 1,
                "kind": str(q.kind),
                "prompt": q.prompt,
                "students": students,
                "answered": len(mine),
                "right": right,
                "share_right": right / len(scored) if scored else None,
                "options": distribution(q, mine)["options"],
                "answer_index": q.answer if isinstance(q.answer, int) else None,
                "wrong_texts": wrong_texts.most_common(5),
            }
        )
    return out


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
