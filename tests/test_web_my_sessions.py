"""My sessions: the teacher's live sessions, listed from the store.

Each session is listed with its quiz (the saved quiz's name when there is
one), mode, start, number of students and state; its results, CSV and
gradebook open from the list even in a browser without the session's cookie;
deleting asks first, needs the CSRF token and removes every answer. The
list survives a restart of the app on the same SQLite file (the browser test
restarts a real `quizgen serve`).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from test_live_web import act, join, start
from webutil import csrf_token, deadline_in, make_app

from quizgen.web import store
from quizgen.web.live import domain as d
from quizgen.web.live.tables import live_answers, live_participants

CLASSROOM = {"REMOTE_ADDR": "192.168.1.50"}


def _rows(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'id="session-([\w-]+)" data-session="[\w-]+" data-status="(\w+)"', html
        )
    )


def test_sessions_are_listed_with_their_facts(app, client) -> None:
    sid, code, quiz = start(app, client, count=4)
    page = client.get("/sessions").get_data(as_text=True)
    assert _rows(page) == {sid: "lobby"}
    assert "Teacher-paced" in page
    assert quiz.title in page
    ann = join(app, "Ann", code)
    join(app, "Bo", code)
    act(client, sid, "open", index="0")
    q = quiz.questions[0]
    assert ann.answer(q.id, choice=0).status_code == 200
    page = client.get("/sessions").get_data(as_text=True)
    assert _rows(page) == {sid: "running"}
    row = page[page.index(f'id="session-{sid}"') :]
    assert re.search(r'class="students">2<', row)
    act(client, sid, "end")
    assert _rows(client.get("/sessions").get_data(as_text=True)) == {sid: "ended"}


def test_a_saved_quiz_names_its_sessions_and_a_deadline_passes(app, client) -> None:
    from webutil import build

    preview = build(client, count="3")
    code = preview.rsplit("/", 1)[1]
    token = csrf_token(client, preview)
    saved = client.post(
        f"/q/{code}/save", data={"csrf_token": token, "name": "Week 3 quiz"}
    )
    assert saved.status_code == 303
    started = client.post(
        f"/live/start/{code}",
        data={"csrf_token": token, "mode": "self", **deadline_in(60)},
    )
    assert started.status_code == 303
    sid = started.headers["Location"].split("/")[2]
    page = client.get("/sessions").get_data(as_text=True)
    assert "Week 3 quiz" in page
    assert "Self-paced" in page
    assert _rows(page) == {sid: "running"}
    with app.app_context():
        session = d.get_session(store(app), sid)
    from quizgen.web.live.listing import sessions_of

    (row,) = sessions_of(store(app), "", at_ms=session.deadline_ms + 1)
    assert row.status == "deadline"
    assert row.quiz_name == "Week 3 quiz"


def test_results_and_downloads_open_from_the_list_without_the_cookie(
    app, client
) -> None:
    sid, code, quiz = start(app, client, count=3)
    ann = join(app, "Ann", code)
    act(client, sid, "open", index="0")
    ann.answer(quiz.questions[0].id, choice=0)
    other = app.test_client()  # the teacher's other browser: no session cookie
    assert other.get(f"/live/{sid}/results").status_code == 403
    got = other.get(f"/sessions/{sid}/open/results", follow_redirects=True)
    assert got.status_code == 200
    assert "Ann" in got.get_data(as_text=True)
    csv = other.get(f"/sessions/{sid}/open/csv", follow_redirects=True)
    assert csv.status_code == 200
    assert "Ann" in csv.get_data(as_text=True)
    xlsx = other.get(f"/sessions/{sid}/open/xlsx", follow_redirects=True)
    book = load_workbook(io.BytesIO(xlsx.data))
    assert len(book.sheetnames) >= 2
    # the grant is the teacher's only: a student on the classroom network gets none
    student = app.test_client()
    for url in (
        "/sessions",
        f"/sessions/{sid}/open/results",
        f"/sessions/{sid}/delete",
    ):
        assert student.get(url, environ_base=CLASSROOM).status_code == 403, url
    assert (
        student.get(f"/live/{sid}/results", environ_base=CLASSROOM).status_code == 403
    )
    assert ann.get(f"/sessions/{sid}/open/unknown").status_code == 404


def test_delete_asks_first_needs_the_token_and_removes_the_answers(app, client) -> None:
    sid, code, quiz = start(app, client, count=3)
    ann = join(app, "Ann", code)
    act(client, sid, "open", index="0")
    ann.answer(quiz.questions[0].id, choice=0)
    form = client.get(f"/sessions/{sid}/delete").get_data(as_text=True)
    assert "1 student(s) and 1 answer(s)" in form
    assert client.post(f"/sessions/{sid}/delete").status_code == 400  # no CSRF token
    assert d.get_session(store(app), sid) is not None
    token = csrf_token(client, f"/sessions/{sid}/delete")
    gone = client.post(f"/sessions/{sid}/delete", data={"csrf_token": token})
    assert gone.status_code == 303
    assert gone.headers["Location"].endswith("/sessions")
    assert d.get_session(store(app), sid) is None
    with store(app).read() as conn:
        for table in (live_answers, live_participants):
            left = conn.execute(
                select(func.count()).select_from(table).where(table.c.session_id == sid)
            ).scalar()
            assert left == 0
    page = client.get("/sessions").get_data(as_text=True)
    assert "Deleted the session" in page
    assert 'id="no-sessions"' in page
    assert (
        client.post(f"/sessions/{sid}/delete", data={"csrf_token": token}).status_code
        == 404
    )


def test_sessions_survive_a_restart_on_the_same_file(tmp_path: Path) -> None:
    first = make_app(tmp_path)
    teacher = first.test_client()
    sid, _code, _quiz = start(first, teacher, count=3)
    store(first).dispose()
    again = make_app(tmp_path)
    page = again.test_client().get("/sessions").get_data(as_text=True)
    assert _rows(page) == {sid: "lobby"}


def test_my_sessions_in_chinese(app, client) -> None:
    start(app, client, count=3)
    client.set_cookie("quizgen_lang", "zh")
    page = client.get("/sessions").get_data(as_text=True)
    for text in ("我的课堂测验", "老师控制进度", "等待加入", "成绩表（.xlsx）", "删除"):
        assert text in page


@pytest.mark.parametrize("page", ["/", "/quizzes", "/sessions"])
def test_the_navigation_links_my_sessions(client, page: str) -> None:
    html = client.get(page).get_data(as_text=True)
    nav = html[html.index('aria-label="Main"') :]
    assert nav.index("/quizzes") < nav.index('href="/sessions"')


def test_a_teacher_secret_that_looks_like_a_grant_still_works(app, client) -> None:
    import dataclasses
    import hashlib

    from quizgen.web.live.pages import owner_grant, teacher_token_ok

    sid, _code, _quiz = start(app, client, count=3)
    with app.app_context():
        session = d.get_session(store(app), sid)
        # token_urlsafe may begin with "g-" (1 in 4096): it is still the secret
        lookalike = dataclasses.replace(
            session, teacher_hash=hashlib.sha256(b"g-abcdef").hexdigest()
        )
        assert teacher_token_ok(lookalike, "g-abcdef")
        assert teacher_token_ok(session, owner_grant(sid))
        assert not teacher_token_ok(session, "g-" + "0" * 40)
        assert not teacher_token_ok(session, owner_grant(sid + "x"))
