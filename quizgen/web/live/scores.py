"""Scores and item statistics, computed from stored answers and server time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from quizgen.quiz import Kind, Quiz
from quizgen.web.live.model import (
    MAX_POINTS,
    SPEED_WINDOW_MS,
    Answer,
    Participant,
    Round,
    Scoreboard,
    Session,
)
from quizgen.web.live.views import distribution


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
