"""Homework (self-paced until a deadline) through the test client, on SQLite and
PostgreSQL: the start form's date, time and zone; nothing a student can reach
before the deadline holds a right answer, for every question kind; after it
the student sees their score and each answer, the teacher sees results, and
someone who never joined sees that it is closed. The clock is the app's one
clock (`quizgen.web.live.clock`), moved forward."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from liveutil import postgres_schema
from markupsafe import escape
from test_live_web import Student, handle, join, start
from webutil import build, csrf_token, deadline_in, make_app

from quizgen.quiz import Kind
from quizgen.web import store
from quizgen.web.builder import KIND_FORMS
from quizgen.web.live import clock
from quizgen.web.live import domain as d

#: what only a revealed question carries (markers of _macros.html's revealed part)
REVEAL_MARKERS = (
    "data-revealed-question",
    "data-right",
    "right-text",
    "✓",
    'class="mark"',
)


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, tmp_path: Path):
    """The app on a fresh SQLite file, or on a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield make_app(tmp_path)
        return
    with postgres_schema() as url:
        app = make_app(tmp_path, DATABASE_URL=url)
        yield app
        store(app).dispose()


def session_of(app, sid: str) -> d.Session:
    with app.app_context():
        got = d.get_session(store(app), sid)
    assert got is not None
    return got


def move_clock(monkeypatch: pytest.MonkeyPatch, to_ms: int) -> None:
    """The server's clock reads `to_ms` from now on (every module uses it)."""
    monkeypatch.setattr(clock, "now_ms", lambda: to_ms)


def test_start_form_takes_a_date_time_and_the_browsers_zone(app) -> None:
    app.config["LIVE_TIME_ZONE"] = "Asia/Shanghai"
    teacher = app.test_client()
    preview = build(teacher, count="4")
    page = teacher.get(preview).get_data(as_text=True)
    assert 'type="datetime-local"' in page
    assert 'name="deadline"' in page
    assert 'name="tz" id="live-tz"' in page
    # without JavaScript the server's zone is used, and named
    assert '<strong id="live-tz-name">Asia/Shanghai</strong>' in page
    assert "live-start.js" in page
    assert 'name="deadline_min"' not in page  # one deadline field, not two
    # the quick buttons need the script: hidden until it runs
    assert re.search(r'<button type="button" data-deadline-in="20" hidden>', page)
    code = preview.rsplit("/", 1)[1]
    token = csrf_token(teacher, preview)

    def begin(**form: str) -> d.Session:
        data = {"csrf_token": token, "mode": "self", "scoreboard": "correct"}
        response = teacher.post(f"/live/start/{code}", data={**data, **form})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return session_of(app, response.headers["Location"].split("/")[2])

    when = deadline_in(3 * 24 * 60, "Europe/Berlin")["deadline"]
    typed = datetime.fromisoformat(when)
    berlin = begin(deadline=when, tz="Europe/Berlin")
    expect = typed.replace(tzinfo=ZoneInfo("Europe/Berlin")).timestamp() * 1000
    assert berlin.deadline_ms == int(expect)
    assert berlin.feedback == d.Feedback.END  # homework: answers only at the end
    # no zone sent (no JavaScript), or one the server does not know: the server's
    for tz in ({}, {"tz": "Mars/Base"}):
        other = begin(deadline=when, **tz)
        assert other.deadline_ms == int(
            typed.replace(tzinfo=ZoneInfo("Asia/Shanghai")).timestamp() * 1000
        )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_start_form_errors_name_the_field_all_at_once(app, lang: str) -> None:
    teacher = app.test_client()
    teacher.set_cookie("quizgen_lang", lang)
    preview = build(teacher, count="4")
    code = preview.rsplit("/", 1)[1]
    token = csrf_token(teacher, preview)
    later = datetime.now(UTC)

    def refused(**form: str) -> str:
        data = {"csrf_token": token, "mode": "self", **form}
        response = teacher.post(f"/live/start/{code}", data=data)
        assert response.status_code == 422
        return response.get_data(as_text=True)

    past = refused(deadline=f"{later.year - 1}-01-01T10:00", tz="UTC")
    far = refused(deadline=f"{later.year + 1}-06-01T10:00", tz="UTC")
    empty = refused(deadline="", tz="UTC", time_limit_s="2")
    if lang == "en":
        assert "Deadline: that time has passed" in past
        assert "Deadline: at most 60 days ahead." in far
        assert "Deadline: give a date and time" in empty
        assert "5 to 600 seconds" in empty  # both problems at once
    else:
        assert "截止时间：这个时间已经过去" in past
        assert "截止时间：最多只能设在 60 天之后。" in far
        assert "截止时间：请填写日期和时间" in empty
        assert "限时必须在 5 到 600 秒之间" in empty


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_skipped_time_is_refused_with_the_zone_named(app, monkeypatch, lang) -> None:
    # a week before the clocks go forward in Berlin (29 March 2026)
    move_clock(monkeypatch, int(datetime(2026, 3, 22, tzinfo=UTC).timestamp() * 1000))
    teacher = app.test_client()
    teacher.set_cookie("quizgen_lang", lang)
    preview = build(teacher, count="4")
    token = csrf_token(teacher, preview)
    response = teacher.post(
        f"/live/start/{preview.rsplit('/', 1)[1]}",
        data={
            "csrf_token": token,
            "mode": "self",
            "deadline": "2026-03-29T02:30",
            "tz": "Europe/Berlin",
        },
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    if lang == "en":
        assert "Deadline: 2026-03-29 02:30 does not exist in Europe/Berlin" in text
    else:
        assert "截止时间：Europe/Berlin 时区没有 2026-03-29 02:30 这个时刻" in text


def no_answer_in(student: Student) -> int:
    """No response this student received holds a right answer (any kind)."""
    for what, _status, raw in student.log:
        body = raw
        if raw.lstrip().startswith("{"):
            data = json.loads(raw)
            assert not {"answer", "correct", "explanation", "answer_index"} & set(
                data
            ), what
            body = data.get("html", "") or ""
        for marker in REVEAL_MARKERS:
            assert marker not in body, f"{marker!r} in {what}"
    return len(student.log)


def test_homework_never_shows_an_answer_before_the_deadline(app, monkeypatch) -> None:
    """Every kind of question; a student goes through everything a phone can
    reach (join, play, panel, every answer by the API and by the plain form,
    the version, the teacher's pages); no right answer, explanation or quote
    until the deadline; after it, each question with its answer."""
    teacher = app.test_client()
    sid, code, quiz = start(
        app, teacher, count=12, mode="self", kinds=list(KIND_FORMS), **deadline_in(90)
    )
    assert {q.kind for q in quiz.questions} == set(Kind)
    secrets = {}
    for q in quiz.questions:
        texts = [q.source.quote] + [s.quote for s in q.sides]
        if q.kind != Kind.DISCUSSION:
            texts.append(q.explanation)
        if q.teacher_notes:
            texts.append(q.teacher_notes)
        secrets[q.id] = [t for t in texts if t]
    ann = join(app, "Ann", code)
    ann.get(f"/live/join?code={code}")
    for i, q in enumerate(quiz.questions):
        ann.look()
        ann.get(f"/live/{sid}/play")
        if i % 2:  # the page without JavaScript: the plain form
            body = {"csrf_token": ann.token, "question_id": handle(app, sid, q.id)}
            if q.options:
                body["choice"] = str(q.answer if i % 4 == 1 else 0)
            else:
                body["text"] = "a guess"
            ann.post(f"/live/{sid}/play/answer", data=body)
        elif q.options:
            ann.answer(q.id, choice=q.answer)
        elif q.kind == Kind.CLOZE:
            ann.answer(q.id, text=str(q.answer))
        else:
            ann.answer(q.id, text="my view")
        ann.answer(q.id, choice=0)  # a second answer: refused, tells nothing
    done = ann.look()
    assert "All questions answered" in done
    assert "appear when the session ends" in done
    for url in (
        f"/live/{sid}/host",
        f"/live/{sid}/control",
        f"/live/{sid}/results",
        f"/live/{sid}/results.csv",
        f"/live/{sid}/host/stats",
    ):
        assert ann.get(url).status_code == 403
    assert no_answer_in(ann) > 40
    for what, _status, raw in ann.log:
        for q in quiz.questions:
            for text in secrets[q.id]:
                assert text not in raw, f"a secret of {q.id} in {what}"
    # a cloze answer is in nothing Ann received (unless the quiz shows the
    # same words in some question's prompt or options)
    public = " ".join(q.prompt + " " + " ".join(q.options) for q in quiz.questions)
    for q in quiz.questions:
        if q.kind == Kind.CLOZE and str(q.answer) not in public:
            for what, _status, raw in ann.log:
                assert str(q.answer) not in raw, f"the answer of {q.id} in {what}"
    # the deadline passes
    deadline = session_of(app, sid).deadline_ms
    assert deadline is not None
    move_clock(monkeypatch, deadline)
    after = ann.look()
    assert "This homework is closed" in after
    for q in quiz.questions:
        assert f'data-revealed-question="{handle(app, sid, q.id)}"' in after
        for text in secrets[q.id][:1]:
            assert str(escape(text)) in after
    own = re.search(r'id="own-score">Your score: (\d+) of (\d+) right<', after)
    assert own, after[:2000]
    with app.app_context():
        right = sum(1 for a in d.answers(store(app), sid) if a.correct)
    scored = sum(1 for q in quiz.questions if q.kind != Kind.DISCUSSION)
    assert (int(own.group(1)), int(own.group(2))) == (right, scored)
    assert right >= 2
    # answers after the deadline are refused
    late = ann.answer(quiz.questions[0].id, choice=0)
    assert late.status_code == 409


def test_after_the_deadline_teacher_sees_results_and_a_stranger_a_closed_homework(
    app, monkeypatch
) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher, count=4, mode="self", **deadline_in(90))
    ann = join(app, "Ann", code)
    for q in quiz.questions:
        ann.answer(q.id, choice=q.answer) if q.options else ann.answer(q.id, skip=True)
    before = teacher.get(f"/live/{sid}/control").get_data(as_text=True)
    assert 'id="end"' in before
    assert 'id="lock"' in before
    assert "data-reload-ms=" in before  # the page turns into results at the deadline
    assert 'id="results-summary"' not in before
    session = session_of(app, sid)
    assert session.deadline_ms is not None
    # the deadline, as an instant, in UTC with the zone named until a script localises it
    iso = datetime.fromtimestamp(session.deadline_ms / 1000, UTC)
    stamp = f'<time datetime="{iso:%Y-%m-%dT%H:%M:%SZ}" data-local'
    assert stamp in before
    panel = ann.look()
    assert stamp in panel
    assert f"{iso:%Y-%m-%d %H:%M} UTC</time>" in panel
    move_clock(monkeypatch, session.deadline_ms + 1)
    for page in ("control", "host"):
        after = teacher.get(f"/live/{sid}/{page}").get_data(as_text=True)
        assert 'id="results-summary"' in after, page
        assert f'href="/live/{sid}/results.csv"' in after
        assert f'href="/live/{sid}/results.xlsx"' in after
        assert f'href="/live/{sid}/results"' in after
        assert "1</strong> took part" in after
        assert 'id="summary-finished">1<' in after
        assert "joined<" not in after  # not the lobby's counts
        for control in ('id="end"', 'id="lock"', 'id="reopen"', "data-reload-ms"):
            assert control not in after, (page, control)
        assert 'id="session-code"' not in after
    results = teacher.get(f"/live/{sid}/results").get_data(as_text=True)
    assert "still running" not in results
    assert "Ann" in results
    # someone who never joined: the join link and the play link say it is closed
    stranger = Student(app.test_client(), "Cy")
    for url in (f"/live/join?code={code}", f"/live/{sid}/play"):
        page = stranger.get(url)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "This homework is closed" in text
        assert stamp in text
        assert 'name="nickname"' not in text
    no_answer_in(stranger)
    # and in Chinese
    stranger.client.set_cookie("quizgen_lang", "zh")
    assert "这份作业已截止" in stranger.get(f"/live/{sid}/play").get_data(as_text=True)
    # joining by the form is refused too
    token = csrf_token(stranger.client, "/live/join")
    refused = stranger.post(
        "/live/join", data={"csrf_token": token, "code": code, "nickname": "Cy"}
    )
    assert refused.status_code == 409
    with app.app_context():
        assert len(d.participants(store(app), sid)) == 1


def test_countdown_only_when_the_deadline_is_near(app, monkeypatch) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(
        app, teacher, count=4, mode="self", **deadline_in(3 * 24 * 60)
    )
    ann = join(app, "Ann", code)
    far = ann.look()
    assert 'class="deadline"' in far
    assert "data-remaining-ms" not in far
    refresh = int(re.search(r'data-refresh-ms="(\d+)"', far).group(1))
    assert refresh > 2 * 24 * 3600 * 1000  # looks again when the deadline is near
    deadline = session_of(app, sid).deadline_ms
    assert deadline is not None
    move_clock(monkeypatch, deadline - 10 * 60_000)
    near = ann.look()
    left = int(re.search(r'data-remaining-ms="(\d+)"', near).group(1))
    assert left == 10 * 60_000
    assert "Time left" in near
    assert ">10:00<" in near
