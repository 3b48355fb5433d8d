"""The live quiz's pages and API, through Flask's test client on a real SQLite file.

The security rules are checked here by recording every response a student's
client receives during whole sessions (teacher-paced and self-paced) and
searching them for what the student must not see yet.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from liveutil import postgres_schema
from webutil import EXAMPLE_BANK, build, csrf_token, deadline_in, make_app

from quizgen.quiz import Kind, Question, Quiz, quiz_from_dict
from quizgen.web import store
from quizgen.web.live import domain as d


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


@dataclass
class Student:
    """A student's browser: its own cookies, and every response it received."""

    client: FlaskClient
    name: str
    sid: str = ""
    token: str = ""
    log: list[tuple[str, int, str]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)

    def _keep(self, method: str, url: str, response: Any) -> Any:
        self.log.append(
            (f"{method} {url}", response.status_code, response.get_data(as_text=True))
        )
        self.headers.append(str(response.headers))
        return response

    def get(self, url: str, **kw: Any) -> Any:
        return self._keep("GET", url, self.client.get(url, **kw))

    def post(self, url: str, **kw: Any) -> Any:
        return self._keep("POST", url, self.client.post(url, **kw))

    def answer(self, qid: Any, **body: Any) -> Any:
        """Answer question `qid` as the page does: a bank id is sent as the
        question's handle (all a phone knows); anything else as it is."""
        app = self.client.application
        with app.app_context():
            session = d.get_session(store(app), self.sid)
        if session is not None and any(q.id == qid for q in session.quiz.questions):
            qid = d.question_handle(session, qid)
        return self.post(
            f"/live/api/{self.sid}/answer",
            json={"question_id": qid, **body},
            headers={"X-CSRFToken": self.token},
        )

    def look(self) -> str:
        """What the page's script does: poll the version, fetch the panel."""
        self.get(f"/live/api/{self.sid}/version")
        return self.get(f"/live/{self.sid}/play/panel").get_data(as_text=True)


def start(
    app, teacher: FlaskClient, count: int = 12, **form: str
) -> tuple[str, str, Quiz]:
    """Build a selection, start a session from its preview; (sid, code, quiz)."""
    preview = build(teacher, count=str(count))
    token = csrf_token(teacher, preview)
    data = {"csrf_token": token, "mode": "teacher", "scoreboard": "correct"}
    data.update(form)
    response = teacher.post(f"/live/start/{preview.rsplit('/', 1)[1]}", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    sid = response.headers["Location"].split("/")[2]
    with app.app_context():
        session = d.get_session(store(app), sid)
    assert session is not None
    return sid, session.code or "", session.quiz


def join(app, name: str, code: str) -> Student:
    s = Student(app.test_client(), name)
    page = s.get(f"/live/join?code={code}").get_data(as_text=True)
    s.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = s.post(
        "/live/join", data={"csrf_token": s.token, "code": code, "nickname": name}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    s.sid = response.headers["Location"].split("/")[2]
    s.get(response.headers["Location"])
    return s


def act(teacher: FlaskClient, sid: str, action: str, **data: str) -> Any:
    """A teacher action; `end` comes confirmed (as from its confirmation page)."""
    if action == "end":
        data.setdefault("confirm", "1")
    token = csrf_token(teacher, f"/live/{sid}/control")
    response = teacher.post(
        f"/live/{sid}/host/{action}", data={"csrf_token": token, **data}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    return response


def handle(app, sid: str, qid: str) -> str:
    """The handle students get for question `qid` of session `sid`."""
    with app.app_context():
        return d.question_handle(d.get_session(store(app), sid), qid)


def secrets_of(q: Question, handle: str) -> list[str]:
    """Texts a student must not receive before `q` (named `handle` in the
    session) is revealed to them."""
    out = [q.source.quote, f'data-revealed-question="{handle}"']
    if q.kind != Kind.DISCUSSION:
        out.append(q.explanation)
    out += [s.quote for s in q.sides] + [s.position for s in q.sides]
    if q.teacher_notes:
        out.append(q.teacher_notes)
    return [t for t in out if t]


def check_log(student: Student, quiz: Quiz, revealed_at: dict[str, int]) -> int:
    """Every response before a question's reveal holds none of its secrets.

    `revealed_at[qid]` is the log position from which the question was revealed
    to this student. A secret shared with a question revealed earlier (two
    questions from one claim share a quote) is allowed from then on. Returns
    the number of responses checked.
    """
    app = student.client.application
    handles = {q.id: handle(app, student.sid, q.id) for q in quiz.questions}
    by_handle = {h: qid for qid, h in handles.items()}
    for n, (what, _status, raw) in enumerate(student.log):
        body = raw
        if raw.startswith("{"):  # JSON: no answer as data; check the panel in it
            data = json.loads(raw)
            assert not {"answer", "correct", "explanation", "answer_index"} & set(
                data
            ), what
            body = data.get("html", "")
        allowed = {
            text
            for q in quiz.questions
            if revealed_at.get(q.id, 10**9) <= n
            for text in secrets_of(q, handles[q.id])
        }
        for q in quiz.questions:
            if revealed_at.get(q.id, 10**9) <= n:
                continue
            for text in secrets_of(q, handles[q.id]):
                if text in allowed:
                    continue
                assert text not in body, (
                    f"{student.name} got a secret of {q.id} in response {n} ({what})"
                )
        if "data-right" in body:
            ids = re.findall(r'data-revealed-question="([^"]+)"', body)
            assert ids, what
            assert all(revealed_at.get(by_handle[i], 10**9) <= n for i in ids), what
    return len(student.log)


def test_live_teacher_paced_session_never_leaks_before_reveal(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann, bo = join(app, "Ann", code), join(app, "Bo", code)
    revealed: dict[str, dict[str, int]] = {"Ann": {}, "Bo": {}}
    for i, q in enumerate(quiz.questions):
        act(teacher, sid, "open", index=str(i))
        for s in (ann, bo):
            panel = s.look()
            assert f'data-question="{handle(app, sid, q.id)}"' in panel
            s.get(f"/live/{sid}/play")
        if q.options:
            got = ann.answer(q.id, choice=0)
        else:
            got = ann.answer(q.id, text=f"Ann private view on {q.id}")
        assert got.status_code == 200
        assert got.get_json()["status"] == "accepted"
        again = ann.answer(q.id, choice=1, text="second")
        assert again.status_code == 409
        assert again.get_json()["status"] == "duplicate"
        assert "first answer counts" in again.get_json()["message"]
        # Bo never sees Ann's discussion text, nor her name
        assert "private view" not in bo.look()
        act(teacher, sid, "reveal")
        for s in (ann, bo):
            revealed[s.name][q.id] = len(s.log)
            panel = s.look()
            assert f'data-revealed-question="{handle(app, sid, q.id)}"' in panel
            assert q.source.quote in panel or q.kind == Kind.DISCUSSION
        if q.kind == Kind.DISCUSSION:
            with app.app_context():
                mine = d.answers(store(app), sid, question_id=q.id)
            act(teacher, sid, "show", answer=str(mine[0].id), back="control")
            shown = bo.look()
            assert f"Ann private view on {q.id}" in shown
            assert "Ann" not in shown.replace(f"Ann private view on {q.id}", "")
    act(teacher, sid, "end")
    final = ann.look()
    assert "The quiz is over" in final
    assert check_log(ann, quiz, revealed["Ann"]) > 50
    assert check_log(bo, quiz, revealed["Bo"]) > 50
    for s in (ann, bo):  # no student ever received the other's nickname
        other = "Bo" if s.name == "Ann" else "Ann"
        for what, _status, body in s.log:
            assert f">{other}<" not in body, what


def test_live_self_paced_feedback_only_for_answered_questions(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(
        app, teacher, count=6, mode="self", **deadline_in(30), feedback="each"
    )
    ann = join(app, "Ann", code)
    revealed: dict[str, int] = {}
    for q in quiz.questions:
        panel = ann.look()
        assert f'data-question="{handle(app, sid, q.id)}"' in panel
        got = ann.answer(q.id, choice=1) if q.options else ann.answer(q.id, skip=True)
        assert got.status_code == 200
        revealed[q.id] = len(ann.log) - 1  # the answer's response carries feedback
        assert (
            f'data-revealed-question="{handle(app, sid, q.id)}"'
            in got.get_json()["html"]
        )
    assert "All questions answered" in ann.look()
    assert check_log(ann, quiz, revealed) > 12


def test_live_self_paced_feedback_at_the_end_shows_nothing_before(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(
        app, teacher, count=4, mode="self", **deadline_in(30), feedback="end"
    )
    ann = join(app, "Ann", code)
    for q in quiz.questions:
        ann.answer(q.id, skip=True)
    assert "appear when the session ends" in ann.look()
    assert check_log(ann, quiz, {}) > 5
    act(teacher, sid, "end")
    final = ann.look()
    for q in quiz.questions:
        assert f'data-revealed-question="{handle(app, sid, q.id)}"' in final


def test_live_student_cannot_act_as_teacher(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    for url in (
        f"/live/{sid}/host",
        f"/live/{sid}/control",
        f"/live/{sid}/host/stats",
        f"/live/{sid}/results",
        f"/live/{sid}/results.csv",
        f"/live/{sid}/teacher?token=guess",
        f"/live/{sid}/students/1/remove",
    ):
        assert ann.get(url).status_code == 403, url
    for action in ("open", "next", "reveal", "end", "lock", "show", "remove"):
        response = ann.post(
            f"/live/{sid}/host/{action}",
            data={
                "csrf_token": ann.token,
                "index": "0",
                "answer": "1",
                "participant": "1",
            },
        )
        assert response.status_code == 403, action
    assert (
        ann.post(f"/live/{sid}/delete", data={"csrf_token": ann.token}).status_code
        == 403
    )
    with app.app_context():
        session = d.get_session(store(app), sid)
    assert session.state == d.State.LOBBY
    assert session.revision == 1
    # a teacher of another session is no teacher here
    other_sid, _code, _quiz = start(app, teacher)
    stranger = app.test_client()
    link = teacher.get(f"/live/{other_sid}/control").get_data(as_text=True)
    token = re.search(r'value="(http[^"]*/teacher\?token=[^"]+)"', link).group(1)
    stolen = _path_of(token.replace(other_sid, sid))
    assert stranger.get(stolen).status_code == 403


def _path_of(url: str) -> str:
    """The path and query of an absolute URL (a test client has no host)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def test_live_teacher_link_opens_the_controls_on_another_device(
    app, monkeypatch
) -> None:
    from quizgen.web.live import addresses

    monkeypatch.setattr(addresses, "_lan_address", lambda: "192.0.2.7")  # a LAN, always
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    page = teacher.get(f"/live/{sid}/control").get_data(as_text=True)
    link = re.search(
        r'id="teacher-url"[^>]*value="([^"]+)"|value="([^"]+)" id="teacher-url"', page
    )
    url = (link.group(1) or link.group(2)).replace("&amp;", "&")
    # the phone reaches the server where the students do, not at localhost
    join = re.search(r'id="join-url">([^<]+)<', page).group(1)
    assert urlsplit(url).netloc == urlsplit(join).netloc == "192.0.2.7"
    phone = app.test_client()
    assert phone.get(f"/live/{sid}/control").status_code == 403
    response = phone.get(_path_of(url))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/live/{sid}/control"
    assert phone.get(f"/live/{sid}/control").status_code == 200
    act(phone, sid, "open", index="0")
    # the projector page never shows the teacher link
    assert "token=" not in teacher.get(f"/live/{sid}/host").get_data(as_text=True)


def test_live_answers_go_only_to_the_students_own_name(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann, bo = join(app, "Ann", code), join(app, "Bo", code)
    i = next(i for i, q in enumerate(quiz.questions) if q.options)
    act(teacher, sid, "open", index=str(i))
    with app.app_context():
        people = {p.nickname: p.id for p in d.participants(store(app), sid)}
    got = ann.answer(quiz.questions[i].id, choice=0, participant_id=people["Bo"])
    assert got.status_code == 200
    with app.app_context():
        given = d.answers(store(app), sid)
    assert [a.participant_id for a in given] == [people["Ann"]]
    # Bo's panel does not show Ann's answer as his
    assert "Answer received" not in bo.look()
    # a browser without a student cookie can do nothing
    nobody = app.test_client()
    token = csrf_token(nobody, "/live/join")
    refused = nobody.post(
        f"/live/api/{sid}/answer",
        json={"question_id": quiz.questions[i].id, "choice": 0},
        headers={"X-CSRFToken": token},
    )
    assert refused.status_code == 403
    assert refused.get_json()["reason"] == "not-joined"
    assert nobody.get(f"/live/{sid}/play/panel").status_code == 403


def test_live_refresh_and_rejoin_keep_the_same_participant(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    again = ann.get(f"/live/join?code={code}")
    assert again.status_code == 303
    assert again.headers["Location"] == f"/live/{sid}/play"
    response = ann.post(
        "/live/join", data={"csrf_token": ann.token, "code": code, "nickname": "Other"}
    )
    assert response.headers["Location"] == f"/live/{sid}/play"
    with app.app_context():
        assert [p.nickname for p in d.participants(store(app), sid)] == ["Ann"]
    # another browser may not take the name
    taken = join_fails(app, code, "ann")
    assert taken.status_code == 409
    assert "is taken" in taken.get_data(as_text=True)


def join_fails(app, code: str, name: str) -> Any:
    client = app.test_client()
    token = csrf_token(client, "/live/join")
    return client.post(
        "/live/join", data={"csrf_token": token, "code": code, "nickname": name}
    )


def test_live_csrf_on_forms_and_json(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    client = app.test_client()
    client.get("/live/join")
    refused = client.post("/live/join", data={"code": code, "nickname": "Eve"})
    assert refused.status_code == 400
    assert "expired" in refused.get_data(as_text=True)
    act(teacher, sid, "open", index="0")
    no_header = ann.post(
        f"/live/api/{sid}/answer",
        json={"question_id": quiz.questions[0].id, "text": "x"},
    )
    assert no_header.status_code == 400
    assert no_header.get_json()["reason"] == "csrf"
    assert teacher.post(f"/live/{sid}/host/reveal").status_code == 400
    with app.app_context():
        assert d.answers(store(app), sid) == []
        assert d.get_session(store(app), sid).state == d.State.QUESTION


def test_live_join_is_rate_limited(tmp_path: Path) -> None:
    app = make_app(tmp_path, LIVE_BAD_CODE_RATE=(3, 0.001), LIVE_JOIN_RATE=(6, 0.001))
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    wrong = "000000" if code != "000000" else "111111"
    statuses = [join_fails(app, wrong, f"x{n}").status_code for n in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert "Too many wrong codes" in join_fails(app, wrong, "y").get_data(as_text=True)
    # joins with the right code have their own, larger allowance
    statuses = [join_fails(app, code, f"s{n}").status_code for n in range(2)]
    assert statuses == [303, 429]  # 6 attempts in all, then refused
    with app.app_context():
        assert len(d.participants(store(app), sid)) == 1


def test_live_request_sizes_are_limited(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    k = next(i for i, q in enumerate(quiz.questions) if q.kind == Kind.DISCUSSION)
    act(teacher, sid, "open", index=str(k))
    huge = ann.answer(quiz.questions[k].id, text="x" * 40_000)
    assert huge.status_code == 413
    assert huge.get_json()["reason"] == "too-large"
    long = ann.answer(quiz.questions[k].id, text="x" * 1001)
    assert long.status_code == 422
    assert "too long" in long.get_json()["error"]
    too_long_name = join_fails(app, code, "n" * 25)
    assert too_long_name.status_code == 422
    assert "too long" in too_long_name.get_data(as_text=True)
    with app.app_context():
        assert d.answers(store(app), sid) == []


def test_live_text_is_escaped_everywhere(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    evil = '<b onclick="x()">E</b>'
    mallory = join(app, evil, code)
    for url in (f"/live/{sid}/host", f"/live/{sid}/host/stats", f"/live/{sid}/control"):
        html = teacher.get(url).get_data(as_text=True)
        assert evil not in html
        assert "&lt;b onclick=&#34;x()&#34;&gt;E&lt;/b&gt;" in html
    assert evil not in mallory.get(f"/live/{sid}/play").get_data(as_text=True)
    k = next(i for i, q in enumerate(quiz.questions) if q.kind == Kind.DISCUSSION)
    act(teacher, sid, "open", index=str(k))
    mallory.answer(quiz.questions[k].id, text="<script>alert(2)</script>")
    control = teacher.get(f"/live/{sid}/control").get_data(as_text=True)
    assert "<script>alert(2)" not in control
    assert "&lt;script&gt;alert(2)" in control
    act(teacher, sid, "end")
    results = teacher.get(f"/live/{sid}/results").get_data(as_text=True)
    assert evil not in results
    assert "<script>alert(2)" not in results


def test_live_version_poll_is_cheap_and_changes_with_teacher_actions(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    first = ann.get(f"/live/api/{sid}/version").get_json()["v"]
    same = ann.get(f"/live/api/{sid}/version?since={first}")
    assert same.status_code == 204
    assert same.data == b""
    act(teacher, sid, "open", index="0")
    changed = ann.get(f"/live/api/{sid}/version?since={first}")
    assert changed.status_code == 200
    assert changed.get_json()["v"] > first
    assert ann.get("/live/api/nope/version").status_code == 404


def test_live_lobby_shows_code_qr_and_lan_join_url(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    html = teacher.get(f"/live/{sid}/host").get_data(as_text=True)
    assert f"{code[:3]} {code[3:]}" in html
    url = re.search(r'id="join-url">([^<]+)<', html).group(1).replace("&amp;", "&")
    assert url.endswith(f"/live/join?code={code}")
    from quizgen.web.live.addresses import _lan_address

    lan = _lan_address()
    if lan is not None:  # a phone cannot open the teacher's localhost
        assert url.startswith(f"http://{lan}")
    qr = re.search(r'class="qr" src="data:image/svg\+xml;base64,([^"]+)"', html).group(
        1
    )
    svg = base64.b64decode(qr).decode("utf-8")
    assert svg.startswith("<svg") or svg.startswith("<?xml")
    assert "<path" in svg
    app.config["LIVE_PUBLIC_URL"] = "https://quiz.example.org/"
    html = teacher.get(f"/live/{sid}/host").get_data(as_text=True)
    assert f'id="join-url">https://quiz.example.org/live/join?code={code}<' in html


def test_live_results_csv_download(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "李雷", code)
    i = next(i for i, q in enumerate(quiz.questions) if q.options)
    act(teacher, sid, "open", index=str(i))
    ann.answer(quiz.questions[i].id, choice=quiz.questions[i].answer)
    act(teacher, sid, "end")
    response = teacher.get(f"/live/{sid}/results.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbfquestion_id,")
    text = response.data.decode("utf-8-sig")
    row = [r for r in text.splitlines() if r.startswith(quiz.questions[i].id + ",")][0]
    assert ",李雷," in row
    assert row.endswith(",1,1000,") or ",1,1000," in row
    results = teacher.get(f"/live/{sid}/results").get_data(as_text=True)
    assert "100%" in results


def test_live_start_needs_a_valid_form(app) -> None:
    teacher = app.test_client()
    preview = build(teacher, count="3")
    token = csrf_token(teacher, preview)
    code = preview.rsplit("/", 1)[1]
    bad = teacher.post(
        f"/live/start/{code}", data={"csrf_token": token, "time_limit_s": "2"}
    )
    assert bad.status_code == 422
    assert "5 to 600" in bad.get_data(as_text=True)
    bad = teacher.post(
        f"/live/start/{code}",
        data={"csrf_token": token, "mode": "self", "deadline": ""},
    )
    assert bad.status_code == 422
    assert (
        teacher.post("/live/start/nope", data={"csrf_token": token}).status_code == 404
    )
    page = teacher.get(preview).get_data(as_text=True)
    assert f'action="/live/start/{code}"' in page


def test_live_delete_removes_the_session(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    join(app, "Ann", code)
    token = csrf_token(teacher, f"/live/{sid}/results")
    unconfirmed = teacher.post(f"/live/{sid}/delete", data={"csrf_token": token})
    assert unconfirmed.headers["Location"] == f"/live/{sid}/results"
    assert teacher.get(f"/live/{sid}/results").status_code == 200
    response = teacher.post(
        f"/live/{sid}/delete", data={"csrf_token": token, "confirm": "1"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert teacher.get(f"/live/{sid}/results").status_code == 404
    with app.app_context():
        assert d.participants(store(app), sid) == []


def test_live_quiz_snapshot_is_canonical_json(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher, count=3)
    with app.app_context():
        session = d.get_session(store(app), sid)
    assert quiz_from_dict(json.loads(session.quiz_json)).questions == quiz.questions


def test_every_live_text_has_chinese() -> None:
    from quizgen.resources import data_dir
    from quizgen.web.lang import ZH as SITE
    from quizgen.web.live.texts import ZH

    calls = re.compile(r"""_\(\s*(["'])(.+?)\1""", re.S)
    texts: set[str] = set()
    for path in (data_dir("templates") / "web" / "live").glob("*.html"):
        texts |= {m.group(2) for m in calls.finditer(path.read_text("utf-8"))}
    package = Path(__file__).parent.parent / "quizgen" / "web" / "live"
    for path in package.glob("*.py"):
        if path.name != "texts.py":  # the table itself
            texts |= {m.group(2) for m in calls.finditer(path.read_text("utf-8"))}
    missing = sorted(t for t in texts if t not in ZH and t not in SITE)
    assert missing == []
    assert len(texts) > 60


def test_live_docs_name_every_route_and_setting(tmp_path: Path) -> None:
    from quizgen.web.live import LIVE_DEFAULTS

    doc = (Path(__file__).parent.parent / "docs" / "live-quiz.md").read_text("utf-8")
    app = make_app(tmp_path)
    rules = [r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("live.")]
    assert len(rules) >= 14
    for rule in rules:
        assert f"`{rule}`" in doc or f"`{rule}?" in doc, rule
    for key in LIVE_DEFAULTS:
        assert f"`{key}`" in doc, key


def test_live_locked_room_refuses_new_students_but_keeps_joined_ones(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    act(teacher, sid, "lock")
    refused = join_fails(app, code, "Late")
    assert refused.status_code == 409
    assert "locked" in refused.get_data(as_text=True)
    assert ann.get(f"/live/{sid}/play").status_code == 200  # Ann stays in
    act(teacher, sid, "unlock")
    assert join_fails(app, code, "Late").status_code == 303
    act(teacher, sid, "end")
    ended = join_fails(app, code, "Later")
    assert ended.status_code == 404  # the code is free again: no such session


def test_live_teacher_sets_the_timer_when_opening_a_question(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    act(teacher, sid, "open", index="0", time_limit_s="30")
    with app.app_context():
        rnd = d.rounds(store(app), sid)[quiz.questions[0].id]
    assert rnd.closes_ms - rnd.opened_ms == 30_000
    panel = ann.look()
    left = int(re.search(r'data-remaining-ms="(\d+)"', panel).group(1))
    assert 25_000 < left <= 30_000
    act(teacher, sid, "next")  # no timer this time
    with app.app_context():
        assert d.rounds(store(app), sid)[quiz.questions[1].id].closes_ms is None
    token = csrf_token(teacher, f"/live/{sid}/control")
    bad = teacher.post(
        f"/live/{sid}/host/next", data={"csrf_token": token, "time_limit_s": "2"}
    )
    assert bad.status_code == 422


def test_live_teacher_removes_a_student(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    evil = '<b onclick="x()">E</b>'
    mallory = join(app, evil, code)
    bob = join(app, "Bob", code)
    with app.app_context():
        people = {p.nickname: p.id for p in d.participants(store(app), sid)}
    form = f"/live/{sid}/students/{people[evil]}/remove"
    # the control page links every student to the confirmation; the projector does not
    assert f'href="{form}"' in teacher.get(f"/live/{sid}/control").get_data(
        as_text=True
    )
    assert "/remove" not in teacher.get(f"/live/{sid}/host").get_data(as_text=True)
    act(teacher, sid, "open", index="0")
    q = quiz.questions[0]
    mallory.answer(q.id, choice=0, text="x")
    bob.answer(q.id, choice=0, text="x")
    control = teacher.get(f"/live/{sid}/control").get_data(as_text=True)
    assert f'href="{form}"' in control  # also while a question is open

    page = teacher.get(form).get_data(as_text=True)
    assert "remove-after-end" not in page
    assert evil not in page
    assert "&lt;b onclick=" in page
    assert "Answers so far: 1." in page
    assert f'name="participant" value="{people[evil]}"' in page
    assert teacher.get(f"/live/{sid}/students/999999/remove").status_code == 404
    assert teacher.get(f"/live/{sid}/students/x/remove").status_code == 404

    response = act(
        teacher, sid, "remove", participant=str(people[evil]), back="control"
    )
    assert response.headers["Location"] == f"/live/{sid}/control"
    with app.app_context():
        assert [p.nickname for p in d.participants(store(app), sid)] == ["Bob"]
        assert {a.participant_id for a in d.answers(store(app), sid)} == {people["Bob"]}
    # their phone: no panel, the page leads to the join form, answers are refused
    assert mallory.get(f"/live/{sid}/play/panel").status_code == 403
    back = mallory.get(f"/live/{sid}/play")
    assert back.headers["Location"].startswith("/live/join")
    joined = mallory.get(back.headers["Location"]).get_data(as_text=True)
    assert "You are no longer in this session" in joined
    assert mallory.get(f"/live/{sid}/play").status_code == 303  # cookie gone: no repeat
    assert "no longer" not in mallory.get("/live/join").get_data(as_text=True)
    assert mallory.answer(q.id, choice=0).status_code == 403
    assert bob.get(f"/live/{sid}/play/panel").status_code == 200

    token = csrf_token(teacher, f"/live/{sid}/control")
    again = teacher.post(
        f"/live/{sid}/host/remove",
        data={"csrf_token": token, "participant": str(people[evil])},
    )
    assert again.status_code == 404
    # a student of another session cannot be removed through this one
    other_sid, other_code, _quiz = start(app, teacher)
    carl = join(app, "Carl", other_code)
    with app.app_context():
        (carl_id,) = [p.id for p in d.participants(store(app), other_sid)]
    stray = teacher.post(
        f"/live/{sid}/host/remove",
        data={"csrf_token": token, "participant": str(carl_id)},
    )
    assert stray.status_code == 404
    assert carl.get(f"/live/{other_sid}/play/panel").status_code == 200

    # after the end the page says the results will change
    act(teacher, sid, "end")
    page = teacher.get(f"/live/{sid}/students/{people['Bob']}/remove")
    assert "will no longer count this student" in page.get_data(as_text=True)


def test_live_end_asks_first_and_a_teacher_can_reopen(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    act(teacher, sid, "open", index="0")
    q = quiz.questions[0]
    handle = re.search(
        r'data-question="([^"]+)"', ann.get(f"/live/{sid}/play").get_data(as_text=True)
    ).group(1)
    sent = ann.post(
        f"/live/api/{sid}/answer",
        json={"question_id": handle, "choice": 0},
        headers={"X-CSRFToken": csrf_token(ann, f"/live/{sid}/play")},
    )
    assert sent.status_code == 200
    page = teacher.get(f"/live/{sid}/host").get_data(as_text=True)
    assert page.count('id="end"') == 1
    assert 'id="finish"' not in page
    # one click on "end" only asks
    unconfirmed = act(teacher, sid, "end", confirm="")
    assert unconfirmed.headers["Location"].endswith(f"/live/{sid}/end?back=host")
    with app.app_context():
        assert d.get_session(store(app), sid).state == d.State.QUESTION
    ask = teacher.get(f"/live/{sid}/end").get_data(as_text=True)
    assert 'id="end-confirm"' in ask
    assert "reopen" in ask
    assert ann.get(f"/live/{sid}/end").status_code == 403
    act(teacher, sid, "end")
    with app.app_context():
        ended = d.get_session(store(app), sid)
    assert ended.state == d.State.ENDED
    assert ended.code is None
    page = teacher.get(f"/live/{sid}/control").get_data(as_text=True)
    assert 'id="reopen"' in page
    assert ann.post(f"/live/{sid}/host/reopen").status_code in (400, 403)
    act(teacher, sid, "reopen")
    with app.app_context():
        again = d.get_session(store(app), sid)
        given = d.answers(store(app), sid)
    assert again.state == d.State.QUESTION
    assert again.current == 0
    assert len(again.code or "") == 6
    assert [(a.question_id, a.choice) for a in given] == [(q.id, 0)]
    assert "stage-answered" in ann.get(f"/live/{sid}/play").get_data(as_text=True)
    # the last question's button is the end button, and it asks too
    for _ in range(1, len(quiz.questions)):
        act(teacher, sid, "reveal")
        act(teacher, sid, "next")
    act(teacher, sid, "reveal")
    page = teacher.get(f"/live/{sid}/host").get_data(as_text=True)
    assert 'id="finish"' in page
    assert 'id="end"' not in page
    assert 'id="next"' not in page
    assert (
        act(teacher, sid, "next")
        .headers["Location"]
        .endswith(f"/live/{sid}/end?back=host")
    )


def _bank_ids() -> set[str]:
    """Every id of the example bank a question id is made of, and every
    question id it can give."""
    from quizgen.bank import load_bank
    from quizgen.generate import Choices, generate

    bank = load_bank(EXAMPLE_BANK)
    ids = {c.id for c in bank.claims} | {x.id for x in bank.debates}
    for lang in ("zh", "en"):
        every = Choices(lang=lang, siblings=True)
        ids |= {q.id for q in generate(bank, every)[0].questions}
    return ids


@pytest.mark.parametrize("mode", ["teacher", "self"])
def test_live_students_never_receive_a_bank_id(app, mode: str) -> None:
    """Over a whole session (join, every question of every kind, answers,
    duplicates, reveals, the end and its summary), no page, panel, API
    response, attribute or header a student receives holds a claim, debate
    or question id of the bank: "who said it?" ids name the speaker."""
    teacher = app.test_client()
    extra = {**deadline_in(30), "feedback": "each"} if mode == "self" else {}
    sid, code, quiz = start(app, teacher, count=12, mode=mode, **extra)
    assert {q.kind for q in quiz.questions} >= {Kind.MULTIPLE_CHOICE, Kind.CLOZE}
    assert any(q.form == "attribution" for q in quiz.questions)
    ann, bo = join(app, "Ann", code), join(app, "Bo", code)
    for i, q in enumerate(quiz.questions):
        if mode == "teacher":
            act(teacher, sid, "open", index=str(i))
        for s in (ann, bo):
            panel = s.look()
            name = re.search(r'data-question="([^"]+)"', panel).group(1)
            body = {"choice": 0} if q.options else {"text": "an answer"}
            s.answer(name, **body)
            s.answer(name, **body)  # a duplicate
            s.get(f"/live/{sid}/play")
        if mode == "teacher":
            act(teacher, sid, "reveal")
            for s in (ann, bo):
                s.look()
    act(teacher, sid, "end")
    for s in (ann, bo):
        s.look()
        s.get(f"/live/{sid}/play")
        s.get(f"/live/join?code={code}")
    ids = _bank_ids()
    assert {q.id for q in quiz.questions} <= ids
    pattern = re.compile(
        r"(?<![\w.-])("
        + "|".join(map(re.escape, sorted(ids, key=len)[::-1]))
        + r")(?![\w-])"
    )
    for s in (ann, bo):
        assert len(s.log) > 4 * len(quiz.questions)
        for (what, _status, body), head in zip(s.log, s.headers, strict=True):
            found = pattern.findall(body) + pattern.findall(head)
            assert not found, f"{s.name} received {found[:3]} in {what}"
    with app.app_context():
        given = d.answers(store(app), sid)
    assert len(given) == 2 * len(quiz.questions)  # the handles reached the answers


def test_live_phone_says_answer_received_neutrally_until_the_reveal(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    i = next(i for i, q in enumerate(quiz.questions) if q.options)
    q = quiz.questions[i]
    act(teacher, sid, "open", index=str(i))
    wrong = (q.answer + 1) % len(q.options)
    ann.answer(q.id, choice=wrong)
    panel = ann.look()
    assert "Answer received" in panel
    assert "✓" not in panel
    assert "✗" not in panel
    assert 'class="mine' not in panel
    act(teacher, sid, "reveal")
    assert "✗" in ann.look()


def test_live_discussion_has_no_timer_unless_the_teacher_gives_one(app) -> None:
    teacher = app.test_client()
    sid, _code, quiz = start(app, teacher, time_limit_s="30")
    k = next(i for i, q in enumerate(quiz.questions) if q.kind == Kind.DISCUSSION)
    c = next(i for i, q in enumerate(quiz.questions) if q.options)
    act(teacher, sid, "open", index=str(c))
    act(teacher, sid, "open", index=str(k))
    with app.app_context():
        opened = d.rounds(store(app), sid)
    assert opened[quiz.questions[c].id].closes_ms is not None
    assert opened[quiz.questions[k].id].closes_ms is None
    page = teacher.get(f"/live/{sid}/host").get_data(as_text=True)
    assert 'class="timer' not in page.split('id="stats"')[1].split("</aside>")[0]


@pytest.mark.parametrize("scoreboard", ["speed", "hidden"])
def test_live_projector_top_five_between_questions_and_a_podium(
    app, scoreboard: str
) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher, scoreboard=scoreboard)
    people = [join(app, f"S{n}", code) for n in range(10)]
    i = next(i for i, q in enumerate(quiz.questions) if q.options)
    q = quiz.questions[i]
    act(teacher, sid, "open", index=str(i))
    for n, s in enumerate(people):
        s.answer(q.id, choice=q.answer if n % 2 == 0 else (q.answer + 1) % 2)
    during = teacher.get(f"/live/{sid}/host").get_data(as_text=True)
    assert 'id="top5"' not in during  # not while the question is open
    act(teacher, sid, "reveal")
    projector = teacher.get(f"/live/{sid}/host").get_data(as_text=True)
    act(teacher, sid, "end")
    final = teacher.get(f"/live/{sid}/host").get_data(as_text=True)
    phone = people[0].look()
    if scoreboard == "hidden":
        assert 'id="top5"' not in projector
        assert 'id="podium"' not in final
        assert ">S0<" not in final
        return
    top = projector.split('id="top5"')[1].split("</ol>")[0]
    assert top.count("<li>") == 5
    assert ">S0<" in top  # right and first
    assert ">S1<" not in top  # wrong
    podium = final.split('id="podium"')[1].split("</ol>")[0]
    assert podium.count("<li") == 3
    assert "S0" in podium
    assert "1000 points" in final  # the rule, explained
    assert "falling to 500" in phone


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_live_results_workbook_for_a_gradebook(app, lang: str) -> None:
    import io

    from openpyxl import load_workbook

    teacher = app.test_client()
    sid, code, quiz = start(app, teacher, count=4)
    ann, evil = join(app, "Ann", code), join(app, "=SUM(A1)", code)
    for i, q in enumerate(quiz.questions):
        act(teacher, sid, "open", index=str(i))
        if q.options:
            ann.answer(q.id, choice=q.answer)
            evil.answer(q.id, choice=(q.answer + 1) % len(q.options))
        else:
            ann.answer(q.id, text="=1+1")
        act(teacher, sid, "reveal")
    act(teacher, sid, "end")
    teacher.set_cookie("lang", lang)
    got = teacher.get(f"/live/{sid}/results.xlsx", headers={"Accept-Language": lang})
    assert got.status_code == 200
    assert got.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert ann.get(f"/live/{sid}/results.xlsx").status_code == 403
    book = load_workbook(io.BytesIO(got.data))
    names = book.sheetnames
    assert len(names) == 1 + 2 + len(quiz.questions)
    overview = book[names[0]]
    header = [c.value for c in overview[2]]
    if lang == "zh":
        assert names[0] == "学生"
        assert header[:3] == ["昵称", "名次", "答对题数"]
        assert names[-1] == f"第{len(quiz.questions)}题"
    else:
        assert header[:3] == ["Nickname", "Place", "Right answers"]
    rows = {r[0]: r for r in overview.iter_rows(min_row=3, values_only=True)}
    scored = sum(1 for q in quiz.questions if q.kind != Kind.DISCUSSION)
    choice = sum(1 for q in quiz.questions if q.options)
    assert rows["Ann"][2] >= choice
    assert rows["=SUM(A1)"][2] == 0
    assert rows["=SUM(A1)"][4] == 0
    assert rows["Ann"][3] == scored
    # the formula-like nickname and answer stay text in the file
    evil_sheet = book["=SUM(A1)"]
    assert evil_sheet["A1"].value == "=SUM(A1)"
    assert evil_sheet["A1"].data_type == "s"
    ann_sheet = book["Ann"]
    answers = [r[2] for r in ann_sheet.iter_rows(min_row=4, values_only=True)]
    assert len(answers) == len(quiz.questions)
    for cell in ann_sheet["C"]:
        if cell.value == "=1+1":
            assert cell.data_type == "s"
    page = teacher.get(f"/live/{sid}/results").get_data(as_text=True)
    assert 'id="xlsx-link"' in page


def test_live_teacher_accepts_a_typed_cloze_answer_for_everyone(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    k = next(i for i, q in enumerate(quiz.questions) if q.kind == Kind.CLOZE)
    q = quiz.questions[k]
    ann, bo, cy, dee = (join(app, n, code) for n in ("Ann", "Bo", "Cy", "Dee"))
    act(teacher, sid, "open", index=str(k))
    ann.answer(q.id, text="Near Miss")
    bo.answer(q.id, text=" near-miss。")  # the same under normalize_answer
    cy.answer(q.id, text="something else")
    control = teacher.get(f"/live/{sid}/control").get_data(as_text=True)
    typed = control.split('data-typed="')[1].split("</ul>")[0]
    assert "2×" in typed  # Ann's and Bo's answers are one group
    assert typed.count('class="accept"') == 2
    assert "Accept this answer" not in ann.look()  # never on a phone
    act(teacher, sid, "accept", question=q.id, text="Near Miss", back="control")
    with app.app_context():
        given = {a.participant_id: a for a in d.answers(store(app), sid)}
        names = {p.nickname: p.id for p in d.participants(store(app), sid)}
    assert given[names["Ann"]].correct is True
    assert given[names["Bo"]].correct is True
    assert given[names["Cy"]].correct is False
    dee.answer(q.id, text="NEAR MISS")  # a later answer counts too
    with app.app_context():
        late = [
            a for a in d.answers(store(app), sid) if a.participant_id == names["Dee"]
        ]
    assert late[0].correct is True
    act(teacher, sid, "reveal")
    page = teacher.get(f"/live/{sid}/results").get_data(as_text=True)
    assert 'data-typed="' in page
    # a student cannot do it, and only a cloze of the session can be accepted
    assert ann.post(f"/live/{sid}/host/accept").status_code in (400, 403)
    token = csrf_token(teacher, f"/live/{sid}/control")
    other = next(x for x in quiz.questions if x.kind != Kind.CLOZE)
    refused = teacher.post(
        f"/live/{sid}/host/accept",
        data={"csrf_token": token, "question": other.id, "text": "x"},
    )
    assert refused.status_code == 404
