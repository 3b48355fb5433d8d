"""Migrations 6 and 7 on a store made before them, on SQLite and PostgreSQL.

A store at version 5 (live sessions, uploaded banks and banks in progress,
none with an owner) is brought to the latest version: every existing row
becomes the laptop teacher's (""), so a laptop sees all it saw before, and
the teacher accounts' table appears.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from liveutil import postgres_schema
from test_live_web import start
from webutil import make_app

from quizgen.web import store, teachers
from quizgen.web import workspace_store as ws
from quizgen.web.live.listing import sessions_of


def _back_to_version_5(app) -> None:
    """Undo migrations 6 and 7 as a store made by the previous release lacks them."""
    s = store(app)
    with s.write() as conn:
        conn.exec_driver_sql("DROP INDEX live_sessions_by_owner")
        conn.exec_driver_sql("ALTER TABLE live_sessions DROP COLUMN owner")
        conn.exec_driver_sql("ALTER TABLE workspaces DROP COLUMN owner")
        conn.exec_driver_sql("DROP TABLE teachers")
        conn.exec_driver_sql("DROP TABLE bank_owners")
        conn.exec_driver_sql("DELETE FROM schema_version WHERE version >= 6")
    assert s.version() == 5


def _exercise(tmp_path: Path, **config) -> None:
    app = make_app(tmp_path, **config)
    client = app.test_client()
    sid, _code, _quiz = start(app, client, count=3)
    key = store(app).add_bank(
        bank_id="b",
        yaml_name="b.yaml",
        yaml_text="x",
        source_name="s.txt",
        source_text="y",
    )
    workspace = ws.create(
        store(app), title="T", source_name="s.txt", source_text="A: b", data={}
    )
    _back_to_version_5(app)
    store(app).dispose()

    again = make_app(tmp_path, **config)
    s = store(again)
    assert s.version() >= 7
    found = sa.inspect(s.engine)
    assert "owner" in {c["name"] for c in found.get_columns("live_sessions")}
    assert "live_sessions_by_owner" in {
        i["name"] for i in found.get_indexes("live_sessions")
    }
    assert [r.id for r in sessions_of(s, "")] == [sid]
    assert s.owns_bank("", key)
    assert [w.key for w in ws.listing(s, "")] == [workspace]
    assert teachers.count(s) == 0
    assert again.config["SCHOOL_MODE"] is False
    assert again.test_client().get("/sessions").status_code == 200
    s.dispose()


def test_owner_migrations_on_sqlite(tmp_path: Path) -> None:
    _exercise(tmp_path)


def test_owner_migrations_on_postgresql(tmp_path: Path) -> None:
    with postgres_schema("quizgen_owner_mig") as url:
        _exercise(tmp_path, DATABASE_URL=url)
