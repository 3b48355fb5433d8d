"""Bank upload: checked like `quizgen check`, stored only when valid, limited in size."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from webutil import EXAMPLE_BANK, EXAMPLE_SOURCE, build, csrf_token, make_app

from quizgen.bank import parse_bank
from quizgen.errors import BankError
from quizgen.web import store

GOOD_YAML = EXAMPLE_BANK.read_text(encoding="utf-8")
SOURCE = EXAMPLE_SOURCE.read_text(encoding="utf-8")


@pytest.fixture
def app(tmp_path: Path):
    return make_app(tmp_path, UPLOAD_MAX_FILE_KB=64)


@pytest.fixture
def client(app):
    return app.test_client()


def _upload(client, yaml_text: str | bytes | None, source: str | bytes | None, **kw):
    data = {"csrf_token": csrf_token(client, "/upload")}
    if yaml_text is not None:
        raw = yaml_text.encode() if isinstance(yaml_text, str) else yaml_text
        data["bank"] = (io.BytesIO(raw), kw.get("yaml_name", "my-bank.yaml"))
    if source is not None:
        raw = source.encode() if isinstance(source, str) else source
        data["source"] = (io.BytesIO(raw), "source.txt")
    return client.post("/upload", data=data, headers=kw.get("headers", {}))


def test_upload_valid_bank_is_stored_and_buildable(app, client) -> None:
    response = _upload(client, GOOD_YAML, SOURCE)
    assert response.status_code == 303
    key = response.headers["Location"].rsplit("/", 1)[1]
    assert key.startswith("u-")
    stored = store(app).bank(key)
    assert stored.yaml_text == GOOD_YAML
    assert stored.source_text == SOURCE
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bank uploaded: A panel on machine translation (example)." in html
    home = client.get("/").get_data(as_text=True)
    assert home.count("A panel on machine translation (example)") == 2
    assert "uploaded" in home
    location = build(client, key=key, count="3")
    assert client.get(location).status_code == 200
    assert client.get(f"/source/{key}").status_code == 200
    # the same files again: the same bank, stored once
    again = _upload(client, GOOD_YAML, SOURCE)
    assert again.headers["Location"] == response.headers["Location"]
    assert len(store(app).banks()) == 1


def test_upload_bad_bank_shows_every_problem_with_lines(app, client) -> None:
    bad = GOOD_YAML.replace(
        "quote: 我认为机器翻译十年内会取代大部分笔译工作。",
        "quote: 我认为机器翻译五年内会取代大部分笔译工作。",
    ).replace(
        "speaker: liu\n    topic: future", "speaker: nobody\n    topic: future", 1
    )
    with pytest.raises(BankError) as info:
        parse_bank(bad, file="my-bank.yaml", source_text=SOURCE)
    expected = info.value.problems
    assert len(expected) >= 2
    response = _upload(client, bad, SOURCE)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"The bank has {len(expected)} problem(s); nothing was stored." in html
    rows = re.findall(r'<td class="num"[^>]*>([^<]+)</td>', html)
    assert rows == [f"{p.file}:{p.line}" for p in expected]
    assert store(app).banks() == []


def test_upload_problems_in_chinese(client) -> None:
    response = _upload(
        client, "id: [unclosed\n", SOURCE, headers={"Accept-Language": "zh-CN"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "题库有 1 个问题；未保存任何内容。" in html
    assert "my-bank.yaml:1" in html or "my-bank.yaml:2" in html


@pytest.mark.parametrize(
    ("yaml_text", "source", "message"),
    [
        (None, SOURCE, "Choose a bank file."),
        (GOOD_YAML, None, "Choose a source text file."),
        (GOOD_YAML, b"\xff\xfe\x00bad", "source.txt is not UTF-8 text."),
        (GOOD_YAML + "#" * 70_000, SOURCE, "my-bank.yaml is larger than 64 KB."),
    ],
    ids=["no-bank", "no-source", "not-utf8", "too-large"],
)
def test_upload_rejects_missing_or_bad_files(app, client, yaml_text, source, message):
    response = _upload(client, yaml_text, source)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert store(app).banks() == []


def test_upload_unsafe_yaml_is_refused(app, client) -> None:
    evil = "!!python/object/apply:os.system ['echo hacked']\n"
    response = _upload(client, evil, SOURCE)
    assert response.status_code == 422
    assert store(app).banks() == []
    anchors = "a: &x [1]\nb: *x\n"
    assert _upload(client, anchors, SOURCE).status_code == 422


def test_upload_file_name_is_cleaned(app, client) -> None:
    response = _upload(client, GOOD_YAML, SOURCE, yaml_name="../../etc/<b>x.yaml")
    key = response.headers["Location"].rsplit("/", 1)[1]
    assert store(app).bank(key).yaml_name == "b_x.yaml"


def test_upload_markup_in_a_bank_shows_as_text(app, client) -> None:
    evil = GOOD_YAML.replace(
        'en: "A panel on machine translation (example)"',
        'en: "<script>alert(1)</script> panel"',
    ).replace(
        "en: A year before the panel, their system could already translate 90% of technical documents.",
        'en: "<img src=x onerror=alert(2)> A year before the panel, their system could already '
        'translate 90% of technical documents."',
    )
    response = _upload(client, evil, SOURCE)
    assert response.status_code == 303, response.get_data(as_text=True)[-3000:]
    key = response.headers["Location"].rsplit("/", 1)[1]
    pages = [
        client.get("/").get_data(as_text=True),
        client.get(f"/build/{key}").get_data(as_text=True),
        client.get(f"/source/{key}?lang=en").get_data(as_text=True),
        client.get(build(client, key=key)).get_data(as_text=True),
    ]
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; panel" in pages[0]
    assert "&lt;img src=x onerror=alert(2)&gt;" in pages[2]


def test_upload_refused_when_the_server_holds_enough_banks(tmp_path: Path) -> None:
    app = make_app(tmp_path, UPLOAD_MAX_BANKS=1)
    client = app.test_client()
    assert _upload(client, GOOD_YAML, SOURCE).status_code == 303
    other = GOOD_YAML.replace("id: example-translation", "id: another-one")
    response = _upload(client, other, SOURCE)
    assert response.status_code == 422
    assert "This server holds 1 uploaded banks, as many as it accepts." in (
        response.get_data(as_text=True)
    )
    assert len(store(app).banks()) == 1


def test_upload_deleted_bank_is_gone_with_its_links(app, client) -> None:
    key = _upload(client, GOOD_YAML, SOURCE).headers["Location"].rsplit("/", 1)[1]
    preview = build(client, key=key, count="3")
    home = client.get("/").get_data(as_text=True)
    assert f'href="/upload/{key}/delete"' in home
    assert 'href="/upload/ai_panel_2024/delete"' not in home  # bundled: no delete
    page = client.get(f"/upload/{key}/delete").get_data(as_text=True)
    assert "Delete A panel on machine translation (example)?" in page
    assert client.get("/upload/ai_panel_2024/delete").status_code == 404
    assert client.get("/upload/u-000000000000/delete").status_code == 404

    token = csrf_token(client, f"/upload/{key}/delete")
    assert client.post(f"/upload/{key}/delete").status_code == 400  # no CSRF token
    assert store(app).has_bank(key)
    response = client.post(f"/upload/{key}/delete", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Bank deleted: A panel on machine translation (example)." in home
    assert (
        home.count("A panel on machine translation (example)") == 2
    )  # bundled + flash
    assert not store(app).has_bank(key)
    for url in (f"/build/{key}", f"/source/{key}", preview, f"/upload/{key}/delete"):
        assert client.get(url).status_code == 404, url
    again = client.post(f"/upload/{key}/delete", data={"csrf_token": token})
    assert again.status_code == 404
    # the same files can be uploaded again
    assert _upload(client, GOOD_YAML, SOURCE).status_code == 303


def test_upload_deleted_in_another_process_is_gone_here_too(tmp_path: Path) -> None:
    first = make_app(tmp_path)
    second = make_app(tmp_path)  # another worker on the same store
    a, b = first.test_client(), second.test_client()
    key = _upload(a, GOOD_YAML, SOURCE).headers["Location"].rsplit("/", 1)[1]
    assert b.get(f"/build/{key}").status_code == 200  # now held in b's memory
    token = csrf_token(a, f"/upload/{key}/delete")
    assert (
        a.post(f"/upload/{key}/delete", data={"csrf_token": token}).status_code == 303
    )
    assert b.get(f"/build/{key}").status_code == 404
    assert key not in b.get("/").get_data(as_text=True)


def test_upload_delete_is_for_the_teacher(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    teacher = app.test_client()
    key = _upload(teacher, GOOD_YAML, SOURCE).headers["Location"].rsplit("/", 1)[1]
    phone = app.test_client()
    env = {"REMOTE_ADDR": "192.168.1.23"}
    assert phone.get(f"/upload/{key}/delete", environ_base=env).status_code == 403
    token = csrf_token(teacher, f"/upload/{key}/delete")
    refused = phone.post(
        f"/upload/{key}/delete", data={"csrf_token": token}, environ_base=env
    )
    assert refused.status_code in (400, 403)
    assert store(app).has_bank(key)
