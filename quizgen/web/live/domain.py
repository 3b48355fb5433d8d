"""The live in-class quiz: sessions, students, answers, scores, statistics.

Plain functions over a `Store` and plain frozen data; no Flask. The web views
(`teacher`, `students`) parse requests, call these, and render.

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

from quizgen.web.live.answers import (
    accept_answer,
    answer_count,
    answers,
    is_right,
    rounds,
    set_shown,
    submit_answer,
    typed_answers,
)
from quizgen.web.live.clock import (
    now_ms,
)
from quizgen.web.live.model import (
    GRACE_MS,
    LETTERS,
    MAX_CLOZE_TEXT,
    MAX_DISCUSSION_TEXT,
    MAX_NICKNAME,
    MAX_PARTICIPANTS,
    MAX_POINTS,
    SPEED_WINDOW_MS,
    Answer,
    AnswerResult,
    Feedback,
    LiveError,
    Mode,
    Options,
    Participant,
    Round,
    Scoreboard,
    Session,
    State,
)
from quizgen.web.live.participants import (
    clean_nickname,
    join,
    nickname_key,
    participant,
    participant_by_token,
    participants,
    remove_participant,
)
from quizgen.web.live.results import (
    CSV_COLUMNS,
    results_csv,
)
from quizgen.web.live.scores import (
    Score,
    item_stats,
    scores,
)
from quizgen.web.live.sessions import (
    create_session,
    delete_session,
    end_session,
    get_session,
    open_question,
    reopen_session,
    reveal,
    revision,
    session_by_code,
    set_locked,
    teacher_ok,
)
from quizgen.web.live.views import (
    answer_view,
    distribution,
    public_question,
    question_by_handle,
    question_handle,
    revealed_question,
)

__all__ = [
    "accept_answer",
    "typed_answers",
    "Answer",
    "AnswerResult",
    "CSV_COLUMNS",
    "Feedback",
    "GRACE_MS",
    "LETTERS",
    "LiveError",
    "MAX_CLOZE_TEXT",
    "MAX_DISCUSSION_TEXT",
    "MAX_NICKNAME",
    "MAX_PARTICIPANTS",
    "MAX_POINTS",
    "Mode",
    "Options",
    "Participant",
    "Round",
    "SPEED_WINDOW_MS",
    "Score",
    "Scoreboard",
    "Session",
    "State",
    "answer_count",
    "answer_view",
    "answers",
    "clean_nickname",
    "create_session",
    "delete_session",
    "distribution",
    "end_session",
    "get_session",
    "is_right",
    "item_stats",
    "join",
    "nickname_key",
    "now_ms",
    "open_question",
    "participant",
    "participant_by_token",
    "participants",
    "public_question",
    "question_by_handle",
    "question_handle",
    "remove_participant",
    "results_csv",
    "reopen_session",
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
