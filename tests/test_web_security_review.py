"""Hostile input to the web app: uploads that cost the server too much, aliases,
odd download names, redirects with control characters, server paths in errors."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from liveutil import postgres_schema
from webutil import EXAMPLE_BANK, EXAMPLE_SOURCE, build, csrf_token, make_app

from quizgen.web import store

GOOD_YAML = EXAMPLE_BANK.read_text(encoding="utf-8")
SOURCE = EXAMPLE_SOURCE.read_text(encoding="utf-8")
TITLE = (
    'title: {zh: 机器翻译对谈(示例), en: "A panel on machine translation (example)"}'
)
LAST_TURN = "  刘老师:外语是"


@pytest.fixture
def app(tmp_path: Path):
    return make_app(tmp_path, UPLOAD_MAX_FILE_KB=2048)


@pytest.fixture
def client(app):
    return app.test_client()


def _upload(client, yaml_text: str, source: str = SOURCE):
    return client.post(
        "/upload",
        data={
            "csrf_token": csrf_token(client, "/upload"),
            "bank": (io.BytesIO(yaml_text.encode()), "bank.yaml"),
            "source": (io.BytesIO(source.encode()), "source.txt"),
        },
    )


def _timed_upload(client, yaml_text: str, source: str = SOURCE):
    started = time.monotonic()
    response = _upload(client, yaml_text, source)
    return response, time.monotonic() - started


def test_upload_missing_long_quote_in_a_long_paragraph_is_checked_quickly(
    app, client
) -> None:
    """The 'nearest passage' hint must not compare a long quote with a long text at length."""
    source = SOURCE.replace(LAST_TURN, "王老师:" + "啊" * 150_000 + "\n\n" + LAST_TURN)
    bank = GOOD_YAML.replace(
        "quote: 诗歌翻译里的双关,机器几乎总是译错。", "quote: " + "啊" * 1000 + "x"
    )
    response, seconds = _timed_upload(client, bank, source)
    assert response.status_code == 422
    assert "claims[3].quote: not found in the source" in response.get_data(as_text=True)
    assert seconds < 5, f"checking took {seconds:.1f} s"
    assert store(app).banks() == []


def test_upload_many_unknown_ids_are_checked_quickly(app, client) -> None:
    """'did you mean' suggestions over thousands of known ids stay within a budget."""
    topics = "".join(
        f"  - id: topic-number-{i:05d}\n    name: {{zh: t{i}, en: t{i}}}\n"
        for i in range(1000)
    )
    claim = """  - id: extra-{i}
    speaker: wang
    topic: topic-numbxr-{i:05d}
    quote: 去年我们的系统已经能翻译90%的技术文档。
    attribution: explicit
    statement: {{zh: 说法{i}, en: claim {i}}}
"""
    claims = "".join(claim.format(i=i) for i in range(1500))
    bank = GOOD_YAML.replace("topics:\n", "topics:\n" + topics, 1).replace(
        "debates:", claims + "debates:", 1
    )
    response, seconds = _timed_upload(client, bank)
    assert response.status_code == 422
    assert "unknown topic &#39;topic-numbxr-00000&#39;" in response.get_data(
        as_text=True
    )
    assert seconds < 8, f"checking took {seconds:.1f} s"


def test_upload_unknown_ids_do_not_list_thousands_of_known_ones(client) -> None:
    """A problem's 'known: ...' hint is short, so the problems page stays small."""
    topics = "".join(
        f"  - id: topic-number-{i:05d}\n    name: {{zh: t{i}, en: t{i}}}\n"
        for i in range(2000)
    )
    claim = """  - id: extra-{i}
    speaker: wang
    topic: q
    quote: 去年我们的系统已经能翻译90%的技术文档。
    attribution: explicit
    statement: {{zh: 说法{i}, en: claim {i}}}
"""
    claims = "".join(claim.format(i=i) for i in range(2000))
    bank = GOOD_YAML.replace("topics:\n", "topics:\n" + topics, 1).replace(
        "debates:", claims + "debates:", 1
    )
    response = _upload(client, bank)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "unknown topic &#39;q&#39;" in html
    assert "topic-number-00000" in html
    # 2,000 problems: the first 200 are listed, the page says how many there are
    assert "The bank has 2000 problem(s); nothing was stored." in html
    assert "The first 200 are listed" in html
    assert html.count('<td class="num"') == 200
    assert len(html) < 300_000, f"the problems page is {len(html)} characters"


def test_upload_refuses_an_alias_to_a_text(app, client) -> None:
    """An alias to a text is refused like one to a list: it multiplies a short file."""
    bank = GOOD_YAML.replace(
        "title: {zh: 机器翻译的未来,", "title: {zh: &t 机器翻译的未来,"
    ).replace("origin: {zh: 示例文本,", "origin: {zh: *t,")
    response = _upload(client, bank)
    assert response.status_code == 422
    assert "anchors, aliases and merge keys" in response.get_data(as_text=True)
    assert store(app).banks() == []


@pytest.mark.parametrize(
    "target",
    ["/a\r\nSet-Cookie: x=1", "/a\nb", "/a\x00b", "/\x7f"],
    ids=["crlf", "lf", "nul", "del"],
)
def test_language_switch_with_control_characters_goes_home(client, target) -> None:
    token = csrf_token(client, "/")
    response = client.post(
        "/lang", data={"csrf_token": token, "lang": "zh", "next": target}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert "x=1" not in response.headers.get("Set-Cookie", "")


def test_download_name_drops_direction_controls_and_stays_short(client) -> None:
    """A title with a right-to-left override or thousands of characters gives a sane name."""
    title = "\u202eexe.txt 机器翻译" + "长" * 3000
    bank = GOOD_YAML.replace(TITLE, f'title: {{zh: "{title}", en: "{title}"}}')
    response = _upload(client, bank)
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    key = response.headers["Location"].rsplit("/", 1)[1]
    location = build(client, key=key, versions="2")
    got = client.get(f"{location}/download/json")
    assert got.status_code == 200
    header = got.headers["Content-Disposition"]
    assert "%E2%80%AE" not in header
    assert "exe.txt" in header
    assert header.endswith("-en-json.zip")
    assert len(header) < 1200, len(header)


def test_broken_bundled_bank_shows_no_server_path(tmp_path: Path) -> None:
    folder = tmp_path / "secret-place"
    folder.mkdir()
    broken = folder / "broken.yaml"
    broken.write_text("id: x\n", encoding="utf-8")
    app = make_app(tmp_path, BANK_PATHS=[EXAMPLE_BANK, broken])
    client = app.test_client()
    for url in ("/", "/build/broken", "/source/broken"):
        html = client.get(url).get_data(as_text=True)
        assert "broken.yaml" in html, url
        assert "secret-place" not in html, url


def test_upload_refuses_control_characters_in_texts(app, client) -> None:
    """An escape such as \\x1b or \\0 in a double-quoted text would break the Word
    and XML downloads; the check refuses it with its line."""
    bank = GOOD_YAML.replace(TITLE, 'title: {zh: 机器翻译, en: "bad \\x1b[31m title"}')
    response = _upload(client, bank)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "bank.yaml:3" in html
    assert "a text holds the control character U+001B" in html
    assert store(app).banks() == []
    tabs_and_breaks = GOOD_YAML.replace(TITLE, 'title: {zh: 机器翻译, en: "a\\tb\\nc"}')
    assert _upload(client, tabs_and_breaks).status_code == 303


def test_home_counts_each_banks_questions_once(app, client, monkeypatch) -> None:
    """With many large uploads the home page must not work out every count per visit."""
    from quizgen.web import home

    calls: list[object] = []
    real = home.available

    def counting(bank, choices):
        calls.append(bank)
        return real(bank, choices)

    monkeypatch.setattr(home, "available", counting)
    first = client.get("/").get_data(as_text=True)
    again = client.get("/").get_data(as_text=True)
    assert len(calls) == 1
    assert first == again
    assert "<dd>26</dd>" in again


@pytest.fixture
def postgres(tmp_path: Path):
    """A database URL on a fresh PostgreSQL schema, dropped afterwards."""
    with postgres_schema("quizgen_sec") as url:
        yield url


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_upload_refused_when_the_stored_text_reaches_its_limit(
    tmp_path: Path, request, database: str
) -> None:
    """Every uploaded bank is kept in memory: the total size is bounded, not only the count."""
    config = {"UPLOAD_MAX_TOTAL_KB": 10}
    if database == "postgresql":
        config["DATABASE_URL"] = request.getfixturevalue("postgres")
    app = make_app(tmp_path, **config)
    client = app.test_client()
    size = len(GOOD_YAML.encode()) + len(SOURCE.encode())
    assert 5 * 1024 < size < 10 * 1024
    assert store(app).bank_bytes() == 0
    assert _upload(client, GOOD_YAML).status_code == 303
    assert store(app).bank_bytes() == size
    other = GOOD_YAML.replace("id: example-translation", "id: another-one")
    response = _upload(client, other)
    assert response.status_code == 422
    assert "This server holds as much uploaded text as it accepts (10 KB)." in (
        response.get_data(as_text=True)
    )
    assert len(store(app).banks()) == 1
    store(app).dispose()


def test_builder_bounds_the_questions_of_all_versions_together(
    client, monkeypatch
) -> None:
    """500 questions in 26 versions took 20 s for each Word download, which anyone
    may ask for again and again: the builder bounds count times versions."""
    from quizgen.web import builder

    assert 26 * 100 <= builder.MAX_QUESTIONS_IN_ALL <= 3000
    monkeypatch.setattr(builder, "MAX_QUESTIONS_IN_ALL", 30)
    token = csrf_token(client, "/build/example-bank")
    fields = {"csrf_token": token, "lang": "en", "seed": "4", "action": "build"}
    refused = client.post(
        "/build/example-bank", data={**fields, "versions": "3", "count": "12"}
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert (
        "12 questions in 3 versions make 36 in all; at most 30: "
        "choose fewer questions or fewer versions."
    ) in html
    zh = client.post(
        "/build/example-bank",
        data={**fields, "versions": "7", "count": "5"},
        headers={"Accept-Language": "zh"},
    )
    assert zh.status_code == 422
    assert "5 道题、7 个版本共 35 道；最多 30 道" in zh.get_data(as_text=True)
    for versions, count in (("1", ""), ("6", "5")):
        ok = client.post(
            "/build/example-bank",
            data={**fields, "versions": versions, "count": count},
        )
        assert ok.status_code == 303
