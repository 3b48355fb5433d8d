"""My quizzes: saving a selection under a name, the list, open, duplicate,
rename and delete; the store's table on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from liveutil import postgres_schema
from webutil import EXAMPLE_BANK, EXAMPLE_SOURCE, build, csrf_token, make_app

from quizgen.web import store
from quizgen.web.store import Store


def _code(location: str) -> str:
    return location.split("?")[0].split("#")[0].rsplit("/", 1)[1]


def _save(client, location: str, name: str) -> str:
    response = client.post(
        f"{location}/save",
        data={"csrf_token": csrf_token(client, location), "name": name},
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def _rows(html: str) -> list[str]:
    """The names on the list, in order."""
    return re.findall(r'class="quiz-name" href="[^"]+">([^<]*)</a>', html)


def test_save_lists_the_quiz_with_its_facts(app, client) -> None:
    location = build(client, count="5", seed="3")
    assert "No saved quizzes yet." in client.get("/quizzes").get_data(as_text=True)
    page = client.get(location).get_data(as_text=True)
    assert 'id="save-name"' in page
    saved = _save(client, location, "  Week 3   <b>check</b> ")
    quiz_id = saved.split("quiz=")[1]
    assert saved == f"{location}?quiz={quiz_id}"
    html = client.get(saved).get_data(as_text=True)
    assert "Saved to My quizzes as “Week 3 &lt;b&gt;check&lt;/b&gt;”." in html
    assert 'id="saved-as"' in html
    listing = client.get("/quizzes").get_data(as_text=True)
    assert _rows(listing) == ["Week 3 &lt;b&gt;check&lt;/b&gt;"]
    row = listing[listing.index(f'id="quiz-{quiz_id}"') :]
    row = row[: row.index("</tr>")]
    assert "A panel on machine translation (example)" in row
    assert '<td data-label="Questions">5</td>' in row
    assert "English" in row
    assert "not yet" in row  # never downloaded nor played
    # the nav links the list from every page; the home page says how many
    home = client.get("/").get_data(as_text=True)
    assert 'href="/quizzes">My quizzes</a>' in home
    assert "You have 1 saved quiz." in home


def test_save_refuses_a_bad_name(client) -> None:
    location = build(client, count="2", seed="3")
    for name, message in (
        ("   ", "Give the quiz a name."),
        ("x" * 121, "A name may have at most 120 characters (this one has 121)."),
        ("a\u202eb", "The name contains control or invisible characters."),
    ):
        back = client.post(
            f"{location}/save",
            data={"csrf_token": csrf_token(client, location), "name": name},
        )
        assert back.headers["Location"] == location
        assert message in client.get(location).get_data(as_text=True)
    assert _rows(client.get("/quizzes").get_data(as_text=True)) == []


def test_open_then_change_moves_the_saved_quiz(app, client) -> None:
    location = build(client, count="5", seed="3")
    saved = _save(client, location, "Monday")
    quiz_id = saved.split("quiz=")[1]
    opened = client.get(f"/quizzes/{quiz_id}")
    assert opened.status_code == 303
    assert opened.headers["Location"] == saved
    html = client.get(saved).get_data(as_text=True)
    qid = re.findall(r'data-qid="([^"]+)"', html)[1]
    token = csrf_token(client, saved)
    # the page carries the quiz in every form; a remove moves the quiz along
    assert f'name="quiz" value="{quiz_id}"' in html
    removed = client.post(
        f"{location}/remove",
        data={"csrf_token": token, "qid": qid, "n": "2", "quiz": quiz_id},
    ).headers["Location"]
    assert removed.endswith(f"?quiz={quiz_id}#at-2")
    row = store(app).saved_quiz("", quiz_id)
    assert row.code == _code(removed) != _code(location)
    assert row.count == 4
    assert '<td data-label="Questions">4</td>' in client.get("/quizzes").get_data(
        as_text=True
    )
    # the short link kept from before still shows the five questions
    assert client.get(location).get_data(as_text=True).count("data-qid=") == 5
    # a change made from the old page does not move the quiz back
    stale = client.post(
        f"{location}/swap",
        data={"csrf_token": token, "qid": qid, "n": "2", "quiz": quiz_id},
    )
    assert stale.status_code == 303
    assert store(app).saved_quiz("", quiz_id).code == _code(removed)


def test_rename_duplicate_and_delete(app, client) -> None:
    location = build(client, count="3", seed="5")
    quiz_id = _save(client, location, "First").split("quiz=")[1]
    token = csrf_token(client, "/quizzes")
    renamed = client.post(
        f"/quizzes/{quiz_id}/rename", data={"csrf_token": token, "name": "Renamed"}
    )
    assert renamed.headers["Location"] == f"/quizzes#quiz-{quiz_id}"
    html = client.get("/quizzes").get_data(as_text=True)
    assert "Renamed to “Renamed”." in html
    assert _rows(html) == ["Renamed"]
    bad = client.post(
        f"/quizzes/{quiz_id}/rename", data={"csrf_token": token, "name": ""}
    )
    assert bad.status_code == 303
    assert "Give the quiz a name." in client.get("/quizzes").get_data(as_text=True)
    copy = client.post(f"/quizzes/{quiz_id}/duplicate", data={"csrf_token": token})
    copy_id = copy.headers["Location"].split("#quiz-")[1]
    assert copy_id != quiz_id
    assert sorted(_rows(client.get("/quizzes").get_data(as_text=True))) == [
        "Renamed",
        "Renamed (copy)",
    ]
    first, second = (
        store(app).saved_quiz("", quiz_id),
        store(app).saved_quiz("", copy_id),
    )
    assert first.code == second.code
    # changing the copy leaves the first alone
    saved = f"{location}?quiz={copy_id}"
    qid = re.findall(r'data-qid="([^"]+)"', client.get(saved).get_data(as_text=True))[0]
    client.post(
        f"{location}/remove",
        data={"csrf_token": token, "qid": qid, "n": "1", "quiz": copy_id},
    )
    assert store(app).saved_quiz("", copy_id).count == 2
    assert store(app).saved_quiz("", quiz_id).code == _code(location)
    # delete asks first, then deletes the name only: the short link still works
    ask = client.get(f"/quizzes/{quiz_id}/delete").get_data(as_text=True)
    assert "Delete Renamed?" in ask
    assert 'id="delete-quiz"' in ask
    gone = client.post(f"/quizzes/{quiz_id}/delete", data={"csrf_token": token})
    assert gone.headers["Location"] == "/quizzes"
    html = client.get("/quizzes").get_data(as_text=True)
    assert "Deleted “Renamed”." in html
    assert _rows(html) == ["Renamed (copy)"]
    assert client.get(location).status_code == 200
    for url in (f"/quizzes/{quiz_id}", f"/quizzes/{quiz_id}/delete"):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            f"/quizzes/{quiz_id}/rename", data={"csrf_token": token, "name": "x"}
        ).status_code
        == 404
    )


def test_last_used_follows_downloads_and_live_sessions(app, client) -> None:
    location = build(client, count="3", seed="5")
    quiz_id = _save(client, location, "Used").split("quiz=")[1]
    assert store(app).saved_quizzes("")[0].used_at is None
    assert client.get(f"{location}/download/json").status_code == 200
    used = store(app).saved_quizzes("")[0].used_at
    assert used is not None
    # a live session started from the quiz counts too (read from its table)
    other = build(client, count="4", seed="5")
    other_id = _save(client, other, "Played").split("quiz=")[1]
    response = client.post(
        f"/live/start/{_code(other)}",
        data={
            "csrf_token": csrf_token(client, other),
            "mode": "teacher",
            "scoreboard": "correct",
        },
    )
    assert response.status_code == 303
    played = {q.id: q for q in store(app).saved_quizzes("")}
    assert played[other_id].used_at is not None
    assert played[quiz_id].used_at == used
    html = client.get("/quizzes").get_data(as_text=True)
    assert "not yet" not in html


def test_my_quizzes_are_the_teachers_only(tmp_path: Path) -> None:
    """From another computer without the teacher link: 403, for every page and form."""
    app = make_app(tmp_path)
    teacher = app.test_client()
    location = build(teacher, count="2", seed="5")
    quiz_id = _save(teacher, location, "Secret").split("quiz=")[1]
    student = app.test_client()
    student.environ_base["REMOTE_ADDR"] = "192.168.1.23"
    for url in ("/quizzes", f"/quizzes/{quiz_id}", f"/quizzes/{quiz_id}/delete"):
        response = student.get(url)
        assert response.status_code == 403, url
        assert "Secret" not in response.get_data(as_text=True)
    for action in ("rename", "duplicate", "delete"):
        assert student.post(f"/quizzes/{quiz_id}/{action}").status_code in (400, 403)
    assert student.post(f"{location}/save", data={"name": "x"}).status_code in (
        400,
        403,
    )
    assert len(store(app).saved_quizzes("")) == 1


def test_my_quizzes_in_chinese(client) -> None:
    location = build(client, count="2", seed="5")
    _save(client, location, "第一周")
    html = client.get("/quizzes", headers={"Accept-Language": "zh-CN"}).get_data(
        as_text=True
    )
    assert "<h1>我的测验</h1>" in html
    assert "第一周" in html
    assert "尚未使用" in html


def test_deleting_an_uploaded_bank_deletes_its_quizzes(app, client) -> None:
    token = csrf_token(client, "/upload")
    response = client.post(
        "/upload",
        data={
            "csrf_token": token,
            "bank": (EXAMPLE_BANK.open("rb"), "mine.yaml"),
            "source": (EXAMPLE_SOURCE.open("rb"), "mine.txt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    key = next(b.key for b in store(app).banks())
    location = build(client, key=key, count="2", seed="5")
    _save(client, location, "Uploaded")
    assert len(store(app).saved_quizzes("")) == 1
    assert store(app).delete_bank(key)
    assert store(app).saved_quizzes("") == []


# --------------------------------------------------------------------------- the store


def _exercise(s: Store) -> None:
    a = s.save_quiz(owner="", name="A", bank_key="b", code="c1", lang="zh", count=3)
    b = s.save_quiz(
        owner="ms-li", name="B", bank_key="b", code="c1", lang="en", count=3
    )
    assert [q.name for q in s.saved_quizzes("")] == ["A"]
    assert [q.name for q in s.saved_quizzes("ms-li")] == ["B"]
    # an owner reaches only their own quizzes
    assert s.saved_quiz("ms-li", a.id) is None
    assert not s.rename_quiz("ms-li", a.id, "taken")
    assert not s.delete_quiz("", b.id)
    assert s.rename_quiz("", a.id, "A2")
    # moving is compare-and-set on the code it showed
    assert s.move_quiz("", a.id, old_code="c1", new_code="c2", count=2)
    assert not s.move_quiz("", a.id, old_code="c1", new_code="c3", count=1)
    got = s.saved_quiz("", a.id)
    assert (got.name, got.code, got.count) == ("A2", "c2", 2)
    s.mark_used("c2")
    assert s.saved_quiz("", a.id).used_at is not None
    assert s.saved_quiz("ms-li", b.id).used_at is None
    assert s.delete_quiz("", a.id)
    assert s.saved_quizzes("") == []


def test_store_saved_quizzes_on_sqlite(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'q.sqlite3'}")
    s.migrate()
    _exercise(s)
    s.dispose()


@pytest.mark.parametrize("with_live", [True, False], ids=["app", "store-only"])
def test_store_saved_quizzes_on_postgresql(tmp_path: Path, with_live: bool) -> None:
    with postgres_schema("quizgen_lib") as url:
        if with_live:  # the whole app's schema, live tables and all
            app = make_app(tmp_path, DATABASE_URL=url)
            s = store(app)
        else:
            s = Store(url)
            s.migrate()
        try:
            _exercise(s)
        finally:
            s.dispose()
