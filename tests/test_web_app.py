"""The app factory, config layers, language, CSRF, escaping and error pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from webutil import EXAMPLE_BANK, EXAMPLE_KEY, build, csrf_token, make_app

from quizgen.errors import QuizgenError
from quizgen.resources import data_dir
from quizgen.web import create_app, store
from quizgen.web.lang import ZH
from quizgen.web.store import schema_version_latest


def test_create_app_defaults_to_sqlite_in_instance_folder(tmp_path: Path) -> None:
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst"), "TESTING": True})
    assert (tmp_path / "inst" / "quizgen.sqlite3").is_file()
    assert store(app).is_sqlite
    assert store(app).version() == schema_version_latest()
    # a secret is made once and kept: a restart keeps sessions and CSRF tokens valid
    key = app.config["SECRET_KEY"]
    assert len(key) == 64
    again = create_app({"INSTANCE_PATH": str(tmp_path / "inst")})
    assert again.config["SECRET_KEY"] == key


def test_create_app_config_layers_in_order(tmp_path: Path, monkeypatch) -> None:
    inst = tmp_path / "inst"
    inst.mkdir()
    (inst / "config.py").write_text(
        'UPLOAD_MAX_FILE_KB = 11\nSECRET_KEY = "from-file"\n', encoding="utf-8"
    )
    app = create_app({"INSTANCE_PATH": str(inst)})
    assert app.config["UPLOAD_MAX_FILE_KB"] == 11
    assert app.config["SECRET_KEY"] == "from-file"
    monkeypatch.setenv("QUIZGEN_UPLOAD_MAX_FILE_KB", "22")
    app = create_app({"INSTANCE_PATH": str(inst)})
    assert app.config["UPLOAD_MAX_FILE_KB"] == 22
    app = create_app({"INSTANCE_PATH": str(inst), "UPLOAD_MAX_FILE_KB": 33})
    assert app.config["UPLOAD_MAX_FILE_KB"] == 33


def test_create_app_database_url_from_environment(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "elsewhere.sqlite3"
    monkeypatch.setenv("QUIZGEN_DATABASE_URL", f"sqlite:///{db}")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst")})
    assert db.is_file()
    assert not (tmp_path / "inst" / "quizgen.sqlite3").exists()
    assert store(app).version() == schema_version_latest()


def test_create_app_unreachable_database_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(QuizgenError, match="cannot open the database") as info:
        create_app(
            {
                "INSTANCE_PATH": str(tmp_path / "inst"),
                "DATABASE_URL": "postgresql+psycopg://nobody:secret@127.0.0.1:1/none",
            }
        )
    assert "secret" not in str(info.value)
    assert "Hint" in str(info.value)


def test_templates_come_from_the_data_folder(app) -> None:
    assert Path(app.template_folder) == data_dir("templates")
    assert Path(app.static_folder) == data_dir("templates") / "web" / "static"


def test_home_lists_banks_with_counts(client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "A panel on machine translation (example)" in html
    assert "The future of machine translation" in html
    counts = dict(re.findall(r"<dt>(\w+)</dt><dd>(\d+)</dd>", html))
    assert counts == {"claims": "13", "debates": "1", "topics": "2", "questions": "26"}
    assert f'href="/build/{EXAMPLE_KEY}"' in html
    assert f'href="/source/{EXAMPLE_KEY}"' in html


def test_home_shows_a_broken_bank_without_failing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ntitle: {zh: 坏, en: <b>bad</b>}\n", encoding="utf-8")
    app = make_app(tmp_path, BANK_PATHS=[EXAMPLE_BANK, broken])
    response = app.test_client().get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This bank has problems and cannot be used" in html
    assert "broken.yaml" in html
    assert "<b>bad</b>" not in html
    assert app.test_client().get("/build/broken").status_code == 422


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("zh-TW", "zh"),
        ("en-US,en;q=0.9", "en"),
        ("fr-FR", "en"),
        ("", "en"),
    ],
    ids=["zh-cn", "zh-tw", "en-us", "other", "none"],
)
def test_language_follows_the_browser(client, header: str, lang: str) -> None:
    html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in html
    assert ("本服务器上的题库" in html) == (lang == "zh")


def test_language_switch_is_remembered(client) -> None:
    token = csrf_token(client, "/")
    response = client.post(
        "/lang", data={"csrf_token": token, "lang": "zh", "next": "/upload"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/upload"
    assert "quizgen_lang=zh" in response.headers["Set-Cookie"]
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "本服务器上的题库" in html
    client.post("/lang", data={"csrf_token": token, "lang": "en", "next": "/"})
    html = client.get("/", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "Question banks on this server" in html


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"],
    ids=["absolute", "scheme-relative", "backslash", "javascript"],
)
def test_language_switch_never_redirects_off_site(client, target: str) -> None:
    token = csrf_token(client, "/")
    response = client.post(
        "/lang", data={"csrf_token": token, "lang": "zh", "next": target}
    )
    assert response.headers["Location"] == "/"


def test_every_interface_text_has_chinese() -> None:
    """Every _("...") in the templates and web modules has a Chinese form."""
    calls = re.compile(r"""_\(\s*(["'])(.+?)\1""", re.S)
    texts = set()
    for path in (data_dir("templates") / "web").glob("*.html"):
        texts |= {m.group(2) for m in calls.finditer(path.read_text("utf-8"))}
    web = Path(__file__).resolve().parent.parent / "quizgen" / "web"
    for path in web.glob("*.py"):
        source = path.read_text("utf-8")
        if not re.search(
            r"quizgen\.web\.lang import gettext|lang_mod\.gettext", source
        ):
            continue  # the catalog itself, or a module with its own catalog
        # join implicitly concatenated literals inside _( ... ) calls
        for m in re.finditer(r"_\(\s*((?:\"[^\"]*\"\s*)+)", source):
            texts.add("".join(re.findall(r"\"([^\"]*)\"", m.group(1))))
    texts.discard("kf")
    missing = sorted(t for t in texts if t not in ZH and "{{" not in t)
    assert missing == []
    assert len(texts) > 80


def test_post_without_csrf_token_is_refused_with_a_page(client) -> None:
    response = client.post(f"/build/{EXAMPLE_KEY}", data={"lang": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The form has expired" in html
    assert "Traceback" not in html
    response = client.post("/lang", data={"lang": "zh"})
    assert response.status_code == 400


def test_json_post_needs_the_csrf_header(client) -> None:
    url = f"/build/{EXAMPLE_KEY}/available"
    refused = client.post(url, json={"lang": "en"})
    assert refused.status_code == 400
    assert refused.get_json() == {
        "error": "The form has expired",
        "message": "Reload the page and send the form again.",
    }
    token = csrf_token(client, f"/build/{EXAMPLE_KEY}")
    response = client.post(url, json={"lang": "en"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.get_json() == {
        "count": 13,
        "message": "These choices allow 13 questions.",
    }


@pytest.mark.parametrize(
    ("method", "url", "code", "words"),
    [
        ("get", "/no/such/page", 404, "Page not found"),
        ("get", "/q/zzzzzzzzzz", 404, "Page not found"),
        ("get", "/build/no-such-bank", 404, "Page not found"),
        ("get", "/source/no-such-bank", 404, "Page not found"),
        ("delete", "/", 405, "Not allowed"),
    ],
    ids=["page", "selection", "builder", "source", "method"],
)
def test_errors_are_friendly_pages(client, method, url, code, words) -> None:
    response = getattr(client, method)(url)
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert words in html
    assert "Back to the start" in html
    assert response.content_type.startswith("text/html")


def test_errors_are_friendly_in_chinese(client) -> None:
    html = client.get("/nowhere", headers={"Accept-Language": "zh"}).get_data(
        as_text=True
    )
    assert "找不到页面" in html


def test_server_error_page_shows_no_traceback(tmp_path: Path) -> None:
    app = make_app(tmp_path, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals /etc/passwd")

    response = app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "secret internals" not in html
    assert "Traceback" not in html


def test_too_large_request_is_a_friendly_413(tmp_path: Path) -> None:
    app = make_app(tmp_path, MAX_CONTENT_LENGTH=1000)
    client = app.test_client()
    token = csrf_token(client, "/upload")
    response = client.post(
        "/upload",
        data={
            "csrf_token": token,
            "bank": (__import__("io").BytesIO(b"x" * 5000), "b.yaml"),
        },
    )
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)


def test_security_headers(client) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_script_or_style() -> None:
    for path in (data_dir("templates") / "web").glob("*.html"):
        text = path.read_text("utf-8")
        assert "<script>" not in text, path
        assert " style=" not in text, path
        assert "|safe" not in text, path
        assert " onclick" not in text.lower(), path


def test_pages_use_labels_for_every_input(client) -> None:
    for url in ("/", f"/build/{EXAMPLE_KEY}", "/upload"):
        html = client.get(url).get_data(as_text=True)
        for m in re.finditer(r"<input ([^>]*)>", html):
            attrs = m.group(1)
            if (
                'type="hidden"' in attrs
                or 'type="checkbox"' in attrs
                or 'type="radio"' in attrs
            ):
                continue  # checkboxes and radios sit inside their <label>
            input_id = re.search(r'id="([^"]+)"', attrs)
            assert input_id, f"{url}: input without id: {attrs}"
            assert f'for="{input_id.group(1)}"' in html, f"{url}: no label for {attrs}"


def test_health_reports_the_schema(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "schema": schema_version_latest()}


def test_docs_name_every_setting_and_page() -> None:
    from quizgen.web import DEFAULTS

    docs = (Path(__file__).resolve().parent.parent / "docs" / "web.md").read_text(
        encoding="utf-8"
    )
    flask_own = ("WTF_", "SESSION_", "TEMPLATES_", "MAX_FORM_")
    own = [k for k in DEFAULTS if not k.startswith(flask_own)]
    assert [k for k in own if f"`{k}`" not in docs] == []
    for page in (
        "`/`",
        "`/build/<bank>`",
        "`/q/<code>`",
        "`/source/<bank>`",
        "`/upload`",
    ):
        assert page in docs


def test_secret_key_from_environment_that_reads_as_a_number(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("QUIZGEN_SECRET_KEY", "12345")
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst")})
    assert app.config["SECRET_KEY"] == "12345"
    assert app.test_client().get("/upload").status_code == 200


def test_chinese_pages_put_chinese_marks_after_labels(client) -> None:
    """A label and what follows it: '主题：就业', not '主题: 就业'."""
    zh = {"Accept-Language": "zh"}
    home = client.get("/", headers=zh).get_data(as_text=True)
    assert "原文\uff1a" in home
    assert "原文:" not in home
    preview = client.get(build(client, count="4", lang="zh"), headers=zh)
    page = preview.get_data(as_text=True)
    for label in ("主题", "难度", "预览"):
        assert f"{label}\uff1a" in page, label
        assert f"{label}: " not in page, label
    en = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Source: " in en
