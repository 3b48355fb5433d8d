"""Helpers for school-server tests: teacher accounts, logging in, a teacher's rows."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from webutil import EXAMPLE_BANK, EXAMPLE_SOURCE, csrf_token

from quizgen.web import store, teachers

PASSWORD = "correct horse battery"


def add_teachers(app: Flask, *names: str) -> None:
    for name in names:
        teachers.add(store(app), name, PASSWORD + name)


def login(app: Flask, name: str, **environ: str) -> FlaskClient:
    """A browser logged in as `name`."""
    client = app.test_client()
    if environ:
        client.environ_base.update(environ)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"csrf_token": token, "name": name, "password": PASSWORD + name}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    return client


@dataclass
class Rows:
    """What one teacher made: an uploaded bank, a selection of it saved as a
    quiz, a live session started from it, and a bank in progress."""

    bank_key: str
    code: str
    quiz_id: str
    quiz_name: str
    sid: str
    join_code: str
    workspace_key: str


def make_rows(client: FlaskClient, name: str) -> Rows:
    """Upload a bank (its title made the teacher's own), build, save, start, write."""
    yaml_text = EXAMPLE_BANK.read_text(encoding="utf-8").replace(
        "A panel on machine translation (example)",
        f"Machine translation for {name}",
    )
    assert f"Machine translation for {name}" in yaml_text
    upload = client.post(
        "/upload",
        data={
            "csrf_token": csrf_token(client, "/upload"),
            "bank": (io.BytesIO(yaml_text.encode()), "bank.yaml"),
            "source": (io.BytesIO(EXAMPLE_SOURCE.read_bytes()), "source.txt"),
        },
    )
    assert upload.status_code == 303, upload.get_data(as_text=True)[:1500]
    bank_key = upload.headers["Location"].rsplit("/", 1)[1]
    token = csrf_token(client, f"/build/{bank_key}")
    built = client.post(
        f"/build/{bank_key}",
        data={
            "csrf_token": token,
            "lang": "en",
            "seed": "3",
            "count": "3",
            "versions": "1",
            "action": "build",
        },
    )
    assert built.status_code == 303, built.get_data(as_text=True)[:1500]
    code = built.headers["Location"].rsplit("/", 1)[1]
    quiz_name = f"Quiz of {name}"
    saved = client.post(
        f"/q/{code}/save", data={"csrf_token": token, "name": quiz_name}
    )
    assert saved.status_code == 303
    quiz_id = re.search(r"quiz=([\w-]+)", saved.headers["Location"]).group(1)
    started = client.post(
        f"/live/start/{code}", data={"csrf_token": token, "mode": "teacher"}
    )
    assert started.status_code == 303, started.get_data(as_text=True)[:1500]
    sid = started.headers["Location"].split("/")[2]
    assert client.get(f"/live/{sid}/host").status_code == 200
    written = client.post(
        "/workspace",
        data={
            "csrf_token": token,
            "title": f"Notes of {name}",
            "text": "A: one two three.\nB: four five six.\n",
        },
    )
    assert written.status_code == 303, written.get_data(as_text=True)[:1500]
    workspace_key = written.headers["Location"].split("/")[2]
    with client.application.app_context():
        from quizgen.web.live import domain as d

        session = d.get_session(store(), sid)
    assert session is not None
    assert session.owner == name
    return Rows(
        bank_key=bank_key,
        code=code,
        quiz_id=quiz_id,
        quiz_name=quiz_name,
        sid=sid,
        join_code=session.code or "",
        workspace_key=workspace_key,
    )
