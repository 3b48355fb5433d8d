"""A school server: teachers log in, each reaches only their own rows, and
loopback is never trusted.

The scoping test walks the app's whole URL map, so a route added later is
covered or must be listed among the exemptions (student and public pages)
with a reason; it fails otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from schoolutil import add_teachers, login, make_rows
from webutil import csrf_token, make_app

from quizgen.web import author, store, teachers
from quizgen.web import workspace_store as ws
from quizgen.web.live import domain as d

#: routes anyone may use (students, the public), with why
EXEMPT = {
    "static": "stylesheet and scripts",
    "home.health": "health check for the proxy and monitoring",
    "home.set_lang": "language switch",
    "login.form": "the login page",
    "login.submit": "logging in",
    "login.logout": "logging out (ends only this browser's login)",
    "live.join_form": "students join with the code",
    "live.join_submit": "students join with the code",
    "live.play": "a student's page, by the student's own cookie",
    "live.play_panel": "a student's page, by the student's own cookie",
    "live.answer_form": "a student's answer, by the student's own cookie",
    "live.answer_json": "a student's answer, by the student's own cookie",
    "live.version": "the revision students poll (a number, nothing else)",
}


def _school_app(tmp_path: Path, **config):
    app = make_app(tmp_path, MODE="school", **config)
    add_teachers(app, "ana", "ben")
    return app


@pytest.fixture
def app(tmp_path: Path):
    return _school_app(tmp_path)


def _fill(rule, rows) -> dict[str, str]:
    """View arguments for `rule` naming the other teacher's rows."""
    values: dict[str, str] = {}
    for arg in rule.arguments:
        if arg == "key":
            values[arg] = (
                rows.workspace_key
                if rule.endpoint.startswith("workspace.")
                else rows.bank_key
            )
        elif arg == "code":
            values[arg] = rows.code
        elif arg == "quiz_id":
            values[arg] = rows.quiz_id
        elif arg == "sid":
            values[arg] = rows.sid
        elif arg == "pid":
            values[arg] = "1"
        elif arg == "action":
            values[arg] = "end"
        elif arg == "fmt":
            values[arg] = "json"
        elif arg == "page":
            values[arg] = "results"
        elif arg in ("claim_id", "debate_id"):
            values[arg] = "a-claim"
        else:
            raise AssertionError(f"{rule.endpoint}: no value for <{arg}>; add one here")
    return values


def _intact(app, rows, name: str) -> None:
    s = store(app)
    quiz = s.saved_quiz(name, rows.quiz_id)
    assert quiz is not None
    assert quiz.name == rows.quiz_name
    session = d.get_session(s, rows.sid)
    assert session is not None
    assert session.state == d.State.LOBBY
    assert s.owns_bank(name, rows.bank_key)
    assert ws.get(s, rows.workspace_key) is not None


def test_every_teacher_route_is_scoped_to_its_owner(app) -> None:
    ana = login(app, "ana")
    ben = login(app, "ben")
    rows = {"ana": make_rows(ana, "ana"), "ben": make_rows(ben, "ben")}
    clients = {"ana": ana, "ben": ben}
    token = {n: csrf_token(c, "/") for n, c in clients.items()}
    covered: list[str] = []
    listings: list[str] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in EXEMPT:
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for me, other in (("ana", "ben"), ("ben", "ana")):
            theirs = rows[other]
            secrets_of_other = (
                theirs.quiz_name,
                f"Machine translation for {other}",
                f"Notes of {other}",
                theirs.quiz_id,
                theirs.sid,
                theirs.workspace_key,
                theirs.bank_key,
                theirs.code,
            )
            for method in methods:
                if rule.arguments:
                    with app.test_request_context():
                        from flask import url_for

                        url = url_for(rule.endpoint, **_fill(rule, theirs))
                else:
                    url = rule.rule
                data = {
                    "csrf_token": token[me],
                    "confirm": "1",
                    "name": "taken over",
                    "index": "0",
                    "participant": "1",
                    "answer": "1",
                }
                response = clients[me].open(
                    url, method=method, data=data if method == "POST" else None
                )
                body = response.get_data()
                text = body.decode("utf-8", "replace")
                label = (
                    f"{me} {method} {url} ({rule.endpoint}) -> {response.status_code}"
                )
                if rule.arguments:
                    assert response.status_code in (403, 404), label
                    covered.append(f"{method} {rule.endpoint}")
                else:
                    assert response.status_code < 500, label
                    listings.append(f"{method} {rule.endpoint}")
                # a page may repeat its own address (the language switch's
                # "next"): only what the URL did not already say counts
                for secret in secrets_of_other:
                    if secret not in url:
                        assert secret not in text, f"{label} shows {secret!r}"
                location = response.headers.get("Location", "")
                for secret in secrets_of_other:
                    if secret not in url:
                        assert secret not in location, f"{label} leads to {secret!r}"
            with app.app_context():
                _intact(app, theirs, other)
    # the two teachers' own rows are still theirs and still work for them
    for name, client in clients.items():
        mine = rows[name]
        page = client.get("/quizzes").get_data(as_text=True)
        assert mine.quiz_name in page
        assert client.get(f"/live/{mine.sid}/results").status_code == 200
        assert (
            client.get(
                f"/sessions/{mine.sid}/open/csv", follow_redirects=True
            ).status_code
            == 200
        )
        assert client.get(f"/workspace/{mine.workspace_key}").status_code == 200
        assert client.get(f"/source/{mine.bank_key}").status_code == 200
    with_args = {c.split(" ", 1)[1] for c in covered}
    every = {r.endpoint for r in app.url_map.iter_rules()}
    unclassified = (
        every - with_args - {ls.split(" ", 1)[1] for ls in listings} - set(EXEMPT)
    )
    assert unclassified == set()
    print(
        f"\nscoping: {len(with_args)} teacher routes with ids, {len(set(listings))} "
        f"listing/form routes, {len(EXEMPT)} exempt; {len(covered) + len(listings)} "
        "requests per teacher pair"
    )
    assert len(with_args) >= 40


def test_loopback_without_login_is_not_the_teacher(app) -> None:
    anon = app.test_client()  # 127.0.0.1, Host: localhost: the teacher on a laptop
    ana = login(app, "ana")
    rows = make_rows(ana, "ana")
    home = anon.get("/")
    assert home.status_code == 303
    assert "/login" in home.headers["Location"]
    for url in (
        "/quizzes",
        "/sessions",
        f"/live/{rows.sid}/results",
        f"/q/{rows.code}",
    ):
        response = anon.get(url)
        assert response.status_code in (303, 403), url
        assert "/login" in response.headers.get("Location", "/login"), url
    token = csrf_token(anon, "/login")
    assert anon.post("/upload", data={"csrf_token": token}).status_code == 403
    assert (
        anon.post(
            f"/live/{rows.sid}/delete", data={"csrf_token": token, "confirm": "1"}
        ).status_code
        == 403
    )
    # the author link of a laptop does not exist on a school server
    with app.app_context():
        key = author.author_key()
    assert anon.get(f"/author/{key}").status_code == 404
    assert anon.get(f"/author/{key}", headers={"Host": "localhost"}).status_code == 404
    # a session's teacher cookie left in a shared browser is not enough either
    cookie = ana.get_cookie(f"qz_t_{rows.sid}", path="/live/")
    assert cookie is not None
    anon.set_cookie(f"qz_t_{rows.sid}", cookie.value, path="/live/")
    assert anon.get(f"/live/{rows.sid}/control").status_code == 303
    ben = login(app, "ben")
    ben.set_cookie(f"qz_t_{rows.sid}", cookie.value, path="/live/")
    assert ben.get(f"/live/{rows.sid}/control").status_code == 404


def test_an_account_makes_a_school_server_even_without_the_setting(
    tmp_path: Path,
) -> None:
    laptop = make_app(tmp_path)
    assert laptop.test_client().get("/").status_code == 200  # loopback is the teacher
    teachers.add(store(laptop), "ana", "long enough password")
    store(laptop).dispose()
    again = make_app(tmp_path)
    assert again.config["SCHOOL_MODE"] is True
    assert again.config["TRUST_LOOPBACK"] is False
    assert again.test_client().get("/").status_code == 303


def test_a_laptop_is_unchanged(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/login").status_code == 404
    assert "Log out" not in client.get("/").get_data(as_text=True)


def test_login_refuses_wrong_passwords_and_limits_attempts(app) -> None:
    client = app.test_client()
    token = csrf_token(client, "/login")
    wrong = client.post(
        "/login", data={"csrf_token": token, "name": "ana", "password": "nope"}
    )
    assert wrong.status_code == 422
    assert "Wrong name or password." in wrong.get_data(as_text=True)
    unknown = client.post(
        "/login", data={"csrf_token": token, "name": "zed", "password": "nope"}
    )
    assert unknown.status_code == 422
    codes = [
        client.post(
            "/login", data={"csrf_token": token, "name": "ana", "password": "x"}
        ).status_code
        for _ in range(12)
    ]
    assert 429 in codes
    assert "<script>" not in client.post(
        "/login", data={"csrf_token": token, "name": "<script>", "password": "x"}
    ).get_data(as_text=True)


def test_a_new_password_or_a_removed_account_ends_the_login(app) -> None:
    ana = login(app, "ana")
    assert ana.get("/quizzes").status_code == 200
    page = ana.get("/").get_data(as_text=True)
    assert "Logged in as ana" in page
    teachers.set_password(store(app), "ana", "another long password")
    assert ana.get("/quizzes").status_code == 303
    ben = login(app, "ben")
    teachers.remove(store(app), "ben")
    assert ben.get("/quizzes").status_code == 303


def test_logout_needs_the_token_and_ends_the_login(app) -> None:
    ana = login(app, "ana")
    assert ana.post("/logout").status_code == 400
    token = csrf_token(ana, "/")
    assert ana.post("/logout", data={"csrf_token": token}).status_code == 303
    assert ana.get("/quizzes").status_code == 303


def test_login_page_in_chinese(app) -> None:
    client = app.test_client()
    client.set_cookie("quizgen_lang", "zh")
    page = client.get("/login").get_data(as_text=True)
    for text in ("登录", "登录名", "密码"):
        assert text in page


def test_the_same_bank_uploaded_by_two_teachers_is_deleted_for_one(app) -> None:
    ana = login(app, "ana")
    ben = login(app, "ben")
    a = make_rows(ana, "ana")
    # ben uploads the very same files as ana: one stored bank, two owners
    import io

    from webutil import EXAMPLE_BANK, EXAMPLE_SOURCE

    yaml_text = EXAMPLE_BANK.read_text(encoding="utf-8").replace(
        "A panel on machine translation (example)", "Machine translation for ana"
    )
    upload = ben.post(
        "/upload",
        data={
            "csrf_token": csrf_token(ben, "/upload"),
            "bank": (io.BytesIO(yaml_text.encode()), "bank.yaml"),
            "source": (io.BytesIO(EXAMPLE_SOURCE.read_bytes()), "source.txt"),
        },
    )
    assert upload.headers["Location"].endswith(a.bank_key)
    token = csrf_token(ben, "/")
    assert (
        ben.post(f"/upload/{a.bank_key}/delete", data={"csrf_token": token}).status_code
        == 303
    )
    assert ben.get(f"/build/{a.bank_key}").status_code == 404
    assert ana.get(f"/build/{a.bank_key}").status_code == 200
    assert store(app).saved_quiz("ana", a.quiz_id) is not None


def test_mode_must_be_known(tmp_path: Path) -> None:
    from quizgen.errors import QuizgenError

    with pytest.raises(QuizgenError, match="MODE must be"):
        make_app(tmp_path, MODE="schol")
