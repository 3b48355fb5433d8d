"""The builder: choices, the count they allow, building and saving a selection."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from liveutil import postgres_schema
from webutil import EXAMPLE_KEY, build, csrf_token, make_app

from quizgen.generate import Choices, available, drawable
from quizgen.quiz import quiz_to_dict
from quizgen.web import store
from quizgen.web.selection import Selection

from conftest import require


@pytest.fixture
def pg_url():
    """A database URL on a fresh PostgreSQL schema, dropped afterwards."""
    with postgres_schema("quizgen_web") as url:
        yield url


def test_builder_choose_opens_the_first_or_picked_bank(client) -> None:
    assert client.get("/build").headers["Location"] == f"/build/{EXAMPLE_KEY}"
    response = client.get(f"/build?bank={EXAMPLE_KEY}")
    assert response.headers["Location"] == f"/build/{EXAMPLE_KEY}"


def test_builder_form_offers_the_banks_choices(client, example_bank) -> None:
    html = client.get(f"/build/{EXAMPLE_KEY}").get_data(as_text=True)
    assert 'value="future"' in html
    assert 'value="learning"' in html
    assert 'value="multiple_choice:attribution"' in html
    assert 'value="cloze:term"' in html
    seed = re.search(r'id="seed"[^>]*value="(\d+)"', html)
    assert seed is not None
    assert 1 <= int(seed.group(1)) <= 999_999
    # one question per claim, none giving another away: what a quiz can hold
    # (the box for open blanks starts unticked)
    assert 'name="open_blanks"' in html
    assert "checked> Open blanks too" not in html
    closed = Choices(lang="en", seed=int(seed.group(1)), open_blanks=False)
    n = drawable(example_bank, closed)
    assert 8 <= n < len(available(example_bank, Choices()))
    assert f"These choices allow {n} questions." in html


def test_builder_counts_what_the_choices_allow(client, example_bank) -> None:
    token = csrf_token(client, f"/build/{EXAMPLE_KEY}")
    response = client.post(
        f"/build/{EXAMPLE_KEY}",
        data={
            "csrf_token": token,
            "action": "count",
            "lang": "en",
            "topics": "future",
            "kinds": ["cloze:term", "true_false:statement"],
            "seed": "1",
            "versions": "1",
            "open_blanks": "1",
        },
    )
    expected = drawable(
        example_bank,
        Choices(
            lang="en", topics=("future",), kinds=_kinds("cloze", "true_false"), seed=1
        ),
    )
    assert response.status_code == 200
    assert f"These choices allow {expected} questions." in response.get_data(
        as_text=True
    )
    assert 0 < expected < 12


def _kinds(*names: str):
    from quizgen.generate import parse_kinds

    return parse_kinds(names)


def test_builder_json_count_matches_the_generator(client, example_bank) -> None:
    token = csrf_token(client, f"/build/{EXAMPLE_KEY}")
    for difficulty in ([1], [2], [1, 2, 3]):
        response = client.post(
            f"/build/{EXAMPLE_KEY}/available",
            json={"difficulty": difficulty, "lang": "zh"},
            headers={"X-CSRFToken": token, "Accept-Language": "zh"},
        )
        n = drawable(example_bank, Choices(lang="zh", difficulty=tuple(difficulty)))
        assert response.get_json()["count"] == n
        assert response.get_json()["message"] in (
            f"这些条件下共有 {n} 道题可选。",
            "这些条件下没有可选的题目。",
        )


def test_builder_builds_saves_and_redirects(app, client, example_bank) -> None:
    location = build(client, count="4", seed="11", versions="2", lang="zh")
    code = location.rsplit("/", 1)[1]
    saved = store(app).selection(code)
    assert saved["bank"] == EXAMPLE_KEY
    assert saved["seed"] == 11
    assert saved["versions"] == 2
    assert len(saved["ids"]) == 4
    assert set(saved["ids"]) <= set(available(example_bank, Choices()))
    # the same choices give the same selection and so the same link
    assert build(client, count="4", seed="11", versions="2", lang="zh") == location


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"count": "0"}, "Number of questions must be a whole number from 1 to 500."),
        ({"count": "many"}, "Number of questions must be a whole number"),
        ({"versions": "27"}, "Versions must be a whole number from 1 to 26."),
        ({"seed": "-1"}, "Seed must be a whole number from 0 to 999999."),
        ({"lang": "fr"}, "Choose Chinese or English for the questions."),
        ({"topics": "nope"}, "unknown topic 'nope'"),
        (
            {"count": "99"},
            "only 13 questions match these choices, but 99 were asked for",
        ),
    ],
    ids=["zero", "word", "versions", "seed", "lang", "topic", "too-many"],
)
def test_builder_rejects_bad_choices_with_a_message(client, fields, message) -> None:
    data = {
        "csrf_token": csrf_token(client, f"/build/{EXAMPLE_KEY}"),
        "lang": "en",
        "seed": "1",
        "versions": "1",
        "open_blanks": "1",
        "action": "build",
    }
    data.update(fields)
    response = client.post(f"/build/{EXAMPLE_KEY}", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message.replace("'", "&#39;") in html
    assert 'role="alert"' in html


def test_builder_error_messages_follow_the_interface_language(client) -> None:
    data = {
        "csrf_token": csrf_token(client, f"/build/{EXAMPLE_KEY}"),
        "lang": "zh",
        "seed": "1",
        "versions": "1",
        "count": "99",
        "open_blanks": "1",
        "action": "build",
    }
    response = client.post(
        f"/build/{EXAMPLE_KEY}", data=data, headers={"Accept-Language": "zh-CN"}
    )
    assert "符合条件的题目只有 13 道，但要求 99 道" in response.get_data(as_text=True)


def test_builder_on_the_shipped_bank(tmp_path: Path, shipped_bank) -> None:
    from conftest import SHIPPED_BANK

    require(len(shipped_bank.claims) > 20, "the shipped bank has no claims yet")
    app = make_app(tmp_path, BANK_PATHS=[SHIPPED_BANK])
    client = app.test_client()
    key = SHIPPED_BANK.stem
    location = build(client, key=key, count="20", versions="2", lang="zh", seed="3")
    html = client.get(location, headers={"Accept-Language": "zh"}).get_data(
        as_text=True
    )
    assert html.count('class="question"') == 20
    assert "正确答案" in html
    selection = Selection.from_dict(store(app).selection(location.rsplit("/", 1)[1]))
    data = client.get(f"{location}/download/json").data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        first = json.loads(zf.read(sorted(zf.namelist())[0]))
    assert first == quiz_to_dict(selection.quizzes(shipped_bank)[0])


def test_app_on_postgresql_builds_and_previews(tmp_path: Path, pg_url: str) -> None:
    app = make_app(tmp_path, DATABASE_URL=pg_url)
    assert not store(app).is_sqlite
    client = app.test_client()
    location = build(client, count="4", seed="8")
    assert client.get(location).get_data(as_text=True).count('class="question"') == 4
    assert client.get("/healthz").get_json()["ok"] is True
    assert not (Path(app.instance_path) / "quizgen.sqlite3").exists()
    store(app).dispose()


def test_builder_reopens_with_a_saved_selections_choices(client) -> None:
    location = build(
        client,
        count="2",
        seed="4242",
        versions="3",
        lang="zh",
        topics="learning",
        kinds=["multiple_choice:attribution", "cloze:term"],
        difficulty=["1"],
    )
    preview = client.get(location).get_data(as_text=True)
    link = re.search(r'href="(/build/[^"]+)">Change the choices', preview).group(1)
    assert link == f"/build/{EXAMPLE_KEY}?from={location.rsplit('/', 1)[1]}"
    html = client.get(link).get_data(as_text=True)
    assert re.search(r'id="seed"[^>]*value="4242"', html)
    assert re.search(r'id="versions"[^>]*value="3"', html)
    assert re.search(r'id="count"[^>]*value="2"', html)
    assert re.search(r'value="learning" [^>]*checked', html)
    assert not re.search(r'value="future" [^>]*checked', html)
    assert re.search(r'value="cloze:term" [^>]*checked', html)
    assert re.search(r'name="lang" value="zh" checked', html)
    # an unknown code opens a fresh form
    fresh = client.get(f"/build/{EXAMPLE_KEY}?from=nope").get_data(as_text=True)
    assert not re.search(r'value="learning" [^>]*checked', fresh)


def test_builder_proposes_ten_questions_not_the_whole_bank(app, client) -> None:
    """A new quiz holds 10 questions unless the teacher asks for another number
    (or the choices allow fewer); an empty number no longer means every one."""
    html = client.get(f"/build/{EXAMPLE_KEY}").get_data(as_text=True)
    assert re.search(r'id="count"[^>]* value="10"', html)
    location = build(client, count="", seed="3")
    assert len(store(app).selection(location.rsplit("/", 1)[1])["ids"]) == 10
    # fewer allowed than 10: as many as there are, and the form proposes that
    few = build(client, count="", seed="3", kinds=["cloze:term"])
    n = len(store(app).selection(few.rsplit("/", 1)[1])["ids"])
    assert 0 < n < 10
    reopened = client.get(f"/build/{EXAMPLE_KEY}?from={few.rsplit('/', 1)[1]}")
    assert re.search(rf'id="count"[^>]* value="{n}"', reopened.get_data(as_text=True))


def test_builder_proposed_count_gives_way_to_narrower_choices(app, client) -> None:
    """The 10 the page proposed shrinks to what narrower choices allow; a number
    the teacher typed is kept, and refused when the choices allow fewer."""
    form = client.get(f"/build/{EXAMPLE_KEY}").get_data(as_text=True)
    assert 'name="proposed" value="10"' in form
    token = csrf_token(client, f"/build/{EXAMPLE_KEY}")
    fields = {
        "csrf_token": token,
        "lang": "en",
        "seed": "2",
        "versions": "1",
        "kinds": ["cloze:term"],
        "action": "build",
    }
    built = client.post(
        f"/build/{EXAMPLE_KEY}", data={**fields, "count": "10", "proposed": "10"}
    )
    assert built.status_code == 303
    code = built.headers["Location"].rsplit("/", 1)[1]
    assert 0 < len(store(app).selection(code)["ids"]) < 10
    typed = client.post(
        f"/build/{EXAMPLE_KEY}", data={**fields, "count": "11", "proposed": "10"}
    )
    assert typed.status_code == 422
    assert "but 11 were asked for" in typed.get_data(as_text=True)
