"""What every student's panel shares, rendered once and reused.

When the teacher opens a question every phone fetches its panel within a
second. The parts of it that are the same for every student (the prompt, the
options, the revealed answer with its explanation and quote) are rendered
once per (session, stored revision, question, public or revealed, interface
language) and kept in a small per-process cache; the student's own part (their
answer, right or not, their score and place) is rendered per request and is
small. The key holds the stored revision, so a teacher action made in another
process is followed as soon as this process reads the new revision.

Nothing student-specific goes into a cached part: each is rendered from the
question's view alone (the public view until reveal, the revealed view after,
and the two never share a key). The end-of-quiz ranking is computed once per
(session, revision, number of students, number of answers), or once per
(session, revision) after the end, not per request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import func, select

from quizgen.web.lang import current as interface_lang
from quizgen.web.live import snapshots
from quizgen.web.live.answers import answers, rounds
from quizgen.web.live.model import Session, State
from quizgen.web.live.participants import participants
from quizgen.web.live.scores import Score, scores
from quizgen.web.live.tables import live_answers, live_participants
from quizgen.web.live.texts import gettext as _
from quizgen.web.store import Store

#: the parts of a student's panel that are the same for every student
PARTS = ("prompt", "choices", "revealed_head", "revealed_tail")
MAX_ENTRIES = 4096

_parts: dict[tuple[Any, ...], Markup] = {}
_rankings: dict[tuple[Any, ...], Ranking] = {}
_lock = threading.Lock()
_ranking_once = threading.Lock()


def _enabled() -> bool:
    return bool(current_app.config.get("LIVE_PANEL_CACHE", True))


def _remember(
    cache: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any
) -> None:
    with _lock:
        if len(cache) >= MAX_ENTRIES:
            cache.clear()
        cache[key] = value


def shared_part(view: dict[str, Any], q: dict[str, Any], part: str) -> Markup:
    """One shared part of a student's panel for question view `q`, from the cache
    when this process rendered it for the same stored revision before."""
    if part not in PARTS:
        raise ValueError(f"no such panel part: {part}")
    revealed = bool(q.get("revealed"))
    if part.startswith("revealed") and not revealed:
        raise ValueError("a revealed part needs the revealed view")
    key = (
        view["session_id"],
        view["revision"],
        q["id"],
        revealed,
        part,
        view["mode"],
        view["quiz_lang"],
        interface_lang(),
    )
    if _enabled():
        with _lock:
            hit = _parts.get(key)
        if hit is not None:
            return hit
    html = Markup(
        render_template(
            "web/live/_play_part.html",
            _=_,
            part=part,
            q=q,
            lang=view["quiz_lang"],
            mode=view["mode"],
        )
    )
    if _enabled():
        _remember(_parts, key, html)
    return html


@dataclass(frozen=True, kw_only=True)
class Ranking:
    """The scoreboard of a session at one revision, by participant id."""

    by_participant: dict[int, Score]
    of: int


def _counts(store: Store, session_id: str) -> tuple[int, int]:
    with store.read() as conn:
        people = conn.execute(
            select(func.count())
            .select_from(live_participants)
            .where(live_participants.c.session_id == session_id)
        ).scalar_one()
        given = conn.execute(
            select(func.count())
            .select_from(live_answers)
            .where(live_answers.c.session_id == session_id)
        ).scalar_one()
    return int(people), int(given)


def ranking(store: Store, session: Session) -> Ranking:
    """The scoreboard, computed once per (session, revision, students, answers).

    Once the teacher ended the session the revision alone names it: no answer
    or student is added after the end, and every later change (a removed
    student, an accepted answer, a reopened session) changes the revision, so
    the end panel needs no count of its own."""
    if session.state == State.ENDED:
        key: tuple[Any, ...] = (session.id, session.revision, "ended")
    else:
        key = (session.id, session.revision, *_counts(store, session.id))
    if not _enabled():
        return _rank(store, session)
    with _lock:
        hit = _rankings.get(key)
    if hit is not None:
        return hit
    # every phone asks at once when the quiz ends: one computes, the others wait
    with _ranking_once:
        with _lock:
            hit = _rankings.get(key)
        if hit is None:
            hit = _rank(store, session)
            _remember(_rankings, key, hit)
    return hit


def _rank(store: Store, session: Session) -> Ranking:
    board = scores(
        session,
        participants(store, session.id),
        answers(store, session.id),
        rounds(store, session.id),
    )
    return Ranking(by_participant={b.participant_id: b for b in board}, of=len(board))


def forget() -> None:
    """Empty this process's caches and snapshots (tests)."""
    with _lock:
        _parts.clear()
        _rankings.clear()
    snapshots.forget()
