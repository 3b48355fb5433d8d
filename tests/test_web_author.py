"""Only the teacher reaches the pages that show answers; students reach what they need."""

from __future__ import annotations

import pytest
from webutil import build, make_app

from quizgen.web.author import AUTHOR_COOKIE, author_key

STUDENT = {"REMOTE_ADDR": "192.168.1.23"}


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path)


@pytest.mark.parametrize(
    "path",
    ["/", "/build/example-bank", "/source/example-bank", "/upload"],
    ids=["home", "builder", "source", "upload"],
)
def test_author_pages_refuse_another_computer(app, path):
    client = app.test_client()
    response = client.get(path, environ_base=STUDENT)
    assert response.status_code == 403
    text = response.get_data(as_text=True)
    assert "This page is for the teacher" in text
    assert "/live/join" in text


def test_preview_and_downloads_refuse_another_computer(app):
    teacher = app.test_client()
    preview = build(teacher)
    student = app.test_client()
    assert student.get(preview, environ_base=STUDENT).status_code == 403
    download = student.get(f"{preview}/download/json", environ_base=STUDENT)
    assert download.status_code == 403
    assert teacher.get(preview).status_code == 200  # this computer: allowed


def test_student_pages_stay_open(app):
    student = app.test_client()
    assert student.get("/live/join", environ_base=STUDENT).status_code == 200
    assert student.get("/healthz", environ_base=STUDENT).status_code == 200
    css = student.get("/static/app.css", environ_base=STUDENT)
    assert css.status_code == 200
    css.close()


def test_teacher_link_lets_another_device_in(app):
    device = app.test_client()
    with app.app_context():
        key = author_key()
    response = device.get(f"/author/{key}", environ_base=STUDENT)
    assert response.status_code == 303
    cookie = device.get_cookie(AUTHOR_COOKIE)
    assert cookie is not None
    assert cookie.http_only
    assert device.get("/", environ_base=STUDENT).status_code == 200


def test_wrong_teacher_link_is_refused(app):
    device = app.test_client()
    assert device.get("/author/guess", environ_base=STUDENT).status_code == 403
    device.set_cookie(AUTHOR_COOKIE, "guess")
    assert device.get("/", environ_base=STUDENT).status_code == 403


def test_behind_a_proxy_loopback_is_not_trusted(tmp_path):
    app = make_app(tmp_path, TRUST_LOOPBACK=False, AUTHOR_KEY="k" * 32)
    client = app.test_client()
    assert client.get("/").status_code == 403
    assert client.get("/author/" + "k" * 32).status_code == 303
    assert client.get("/").status_code == 200


def test_the_key_depends_on_the_secret(tmp_path):
    a = make_app(tmp_path / "a", SECRET_KEY="one")
    b = make_app(tmp_path / "b", SECRET_KEY="two")
    with a.app_context():
        key_a = author_key()
    with b.app_context():
        key_b = author_key()
    assert key_a != key_b
    assert len(key_a) == 32
