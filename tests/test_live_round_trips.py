"""What one student's request costs the database: the statements and
transactions behind a panel GET, an answer POST and the end-of-quiz panel
are few and the same whether 50 or 500 students are in the room (every phone
makes these requests at once when a question opens or the quiz ends). And a
change made by another process is on the next panel, though the session's
row is kept per revision."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, insert
from test_live_web import act, app, handle, join, start  # noqa: F401 (app: the fixture)

from quizgen.web import store
from quizgen.web.live import domain as d
from quizgen.web.live import panels
from quizgen.web.live.model import _hash
from quizgen.web.live.tables import live_answers, live_participants

#: statements (BEGIN not counted) and transactions at most, per request
PANEL = (1, 1)
ANSWER = (3, 2)  # the student's state; then the answer's SELECT and INSERT
DUPLICATE = (4, 2)  # and the first answer, read back
END_PANEL = (1, 1)


class Counter:
    """Statements sent and connections taken from the pool, on one engine."""

    def __init__(self, engine: Any) -> None:
        self.statements: list[str] = []
        self.checkouts = 0
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine.pool, "checkout", self._checkout)

    def _statement(self, _conn: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        if not sql.lstrip().upper().startswith("BEGIN"):
            self.statements.append(" ".join(sql.split()))

    def _checkout(self, *_args: Any) -> None:
        self.checkouts += 1

    @contextmanager
    def one(self) -> Iterator[list[tuple[int, int]]]:
        """Count what the block sends; the block's list gets (statements, transactions)."""
        self.statements.clear()
        self.checkouts = 0
        got: list[tuple[int, int]] = []
        yield got
        got.append((len(self.statements), self.checkouts))


def crowd(app, sid: str, size: int, qid: str | None = None) -> None:  # noqa: F811
    """`size` more students in the session (and each one's answer to `qid`)."""
    with app.app_context():
        s = store(app)
        with s.write() as conn:
            rows = conn.execute(
                insert(live_participants).returning(live_participants.c.id),
                [
                    {
                        "session_id": sid,
                        "nickname": f"crowd {n}",
                        "nickname_key": f"crowd {n}",
                        "token_hash": _hash(f"{sid}-crowd-{n}"),
                        "joined_ms": 1,
                        "client_key": None,
                    }
                    for n in range(size)
                ],
            ).all()
            if qid is not None:
                conn.execute(
                    insert(live_answers),
                    [
                        {
                            "session_id": sid,
                            "participant_id": r.id,
                            "question_id": qid,
                            "choice": 0,
                            "text": None,
                            "correct": False,
                            "answered_ms": 2,
                            "elapsed_ms": 1,
                            "shown": False,
                        }
                        for r in rows
                    ],
                )


def costs(app, size: int) -> dict[str, tuple[int, int]]:  # noqa: F811
    """(statements, transactions) of each request of one student, in a room of
    `size` students who all answered."""
    panels.forget()
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher, count=3)
    ann = join(app, "Ann Lee", code)
    q = next(x for x in quiz.questions if x.options)
    act(teacher, sid, "open", index=str(quiz.questions.index(q)))
    crowd(app, sid, size - 1, q.id)
    with app.app_context():
        counter = Counter(store(app).engine)
    url = f"/live/{sid}/play/panel"
    out: dict[str, tuple[int, int]] = {}
    ann.get(url)  # this process learns the revision's session and rounds
    with counter.one() as got:
        assert 'data-stage="question"' in ann.get(url).get_data(as_text=True)
    out["panel, question"] = got[0]
    answer = f"/live/api/{sid}/answer"
    body = {"question_id": handle(app, sid, q.id)}
    sent = {"headers": {"X-CSRFToken": ann.token}}
    with counter.one() as got:
        reply = ann.post(answer, json={**body, "choice": 0}, **sent)
    assert reply.status_code == 200
    out["answer"] = got[0]
    with counter.one() as got:
        assert ann.post(answer, json={**body, "choice": 1}, **sent).status_code == 409
    out["answer, duplicate"] = got[0]
    with counter.one() as got:
        assert 'data-stage="answered"' in ann.get(url).get_data(as_text=True)
    out["panel, answered"] = got[0]
    act(teacher, sid, "reveal")
    ann.get(url)
    with counter.one() as got:
        assert 'data-stage="reveal"' in ann.get(url).get_data(as_text=True)
    out["panel, revealed"] = got[0]
    act(teacher, sid, "end")
    ann.get(url)  # the first end panel computes the ranking
    with counter.one() as got:
        page = ann.get(url).get_data(as_text=True)
    assert 'data-stage="ended"' in page
    assert f"of {size}" in page
    out["end panel"] = got[0]
    return out


def test_live_round_trips_per_request_do_not_grow_with_the_room(app) -> None:  # noqa: F811
    small, large = costs(app, 50), costs(app, 500)
    assert small == large
    bounds = {
        "panel, question": PANEL,
        "answer": ANSWER,
        "answer, duplicate": DUPLICATE,
        "panel, answered": PANEL,
        "panel, revealed": PANEL,
        "end panel": END_PANEL,
    }
    for name, (statements, transactions) in large.items():
        most = bounds[name]
        assert statements <= most[0], (name, statements)
        assert transactions <= most[1], (name, transactions)


def test_live_panel_follows_a_change_made_by_another_process(app) -> None:  # noqa: F811
    """The session's row is kept per stored revision: a teacher action made by
    another process (a new revision in the store) is on this process's next
    panel, and so is a student removed there."""
    panels.forget()
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher, count=2)
    ann = join(app, "Ann Lee", code)
    url = f"/live/{sid}/play/panel"
    assert 'data-stage="lobby"' in ann.get(url).get_data(as_text=True)
    with app.app_context():
        database = store(app).url.render_as_string(hide_password=False)

    def elsewhere(code_text: str) -> None:
        script = textwrap.dedent(
            f"""
            from quizgen.web.store import Store
            from quizgen.web.live import domain as d
            s = Store({database!r})
            {code_text}
            """
        )
        subprocess.run([sys.executable, "-c", script], check=True, timeout=60)

    elsewhere(f"d.open_question(s, {sid!r}, 1)")
    panel = ann.get(url).get_data(as_text=True)
    assert 'data-stage="question"' in panel
    assert f'data-question="{handle(app, sid, quiz.questions[1].id)}"' in panel
    elsewhere(f"d.reveal(s, {sid!r})")
    assert 'data-stage="reveal"' in ann.get(url).get_data(as_text=True)
    with app.app_context():
        person = d.participants(store(app), sid)[0]
    elsewhere(f"d.remove_participant(s, {sid!r}, {person.id})")
    assert ann.get(url).status_code == 403
