"""The live quiz's plain data: modes, states, options, sessions, students,
rounds and answers, and the one error the domain raises."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.engine import Row

from quizgen.errors import QuizgenError
from quizgen.quiz import Question, Quiz, quiz_from_dict
from quizgen.web.live import clock

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
    # (discussion questions have none unless the teacher gives one)
    auto_reveal: bool = False  # teacher-paced: reveal when the timer runs out
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
    auto_reveal: bool
    deadline_ms: int | None
    locked: bool
    state: State
    current: int
    revision: int
    created_ms: int
    ended_ms: int | None
    teacher_hash: str = field(repr=False)
    #: "" for a laptop's one teacher, else the school server teacher's login
    owner: str = ""

    @property
    def quiz(self) -> Quiz:
        """The quiz as it was when the session started."""
        return _quiz(self.id, self.quiz_json)

    def over(self, at_ms: int | None = None) -> bool:
        """True once the teacher ended the session or its deadline passed."""
        if self.state == State.ENDED:
            return True
        at = clock.now_ms() if at_ms is None else at_ms
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

    @classmethod
    def from_row(cls, r: Any) -> Round:
        """A round from a row of `live_rounds` (or a query naming its columns)."""
        return cls(
            question_id=r.question_id,
            position=r.position,
            opened_ms=r.opened_ms,
            closes_ms=r.closes_ms,
            revealed_ms=r.revealed_ms,
        )


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
        auto_reveal=bool(m.get("auto_reveal")),
        deadline_ms=m["deadline_ms"],
        locked=bool(m["locked"]),
        state=State(m["state"]),
        current=m["current"],
        revision=m["revision"],
        created_ms=m["created_ms"],
        ended_ms=m["ended_ms"],
        teacher_hash=m["teacher_hash"],
        owner=m.get("owner") or "",
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
