"""The web app: quiz builder, preview, downloads, source view and bank upload.

`create_app(config=None)` is the one entry point. Configuration is layered:

1. the defaults below;
2. `config.py` in the instance folder, if there is one;
3. environment variables `QUIZGEN_<KEY>` (`QUIZGEN_DATABASE_URL`,
   `QUIZGEN_SECRET_KEY`, ...; values that read as JSON are parsed);
4. the `config` mapping passed in (tests).

The instance folder is Flask's default unless `QUIZGEN_INSTANCE_PATH` or
`config["INSTANCE_PATH"]` names another.

The store is SQLite in the instance folder unless DATABASE_URL names another
database (PostgreSQL: `postgresql+psycopg://user@host/db`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import jinja2
from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, InternalServerError

from quizgen.bank.genre import html_lang
from quizgen.errors import QuizgenError
from quizgen.i18n import use_lang
from quizgen.resources import bundled_banks, data_dir
from quizgen.web import lang as lang_mod
from quizgen.web.banks import Library
from quizgen.web.headers import SECURITY_HEADERS
from quizgen.web.store import Store

__all__ = ["DEFAULTS", "create_app", "library", "render_error", "store"]

KB = 1024

DEFAULTS: dict[str, Any] = {
    # None: sqlite:///<instance>/quizgen.sqlite3
    "DATABASE_URL": None,
    "DATABASE_BUSY_TIMEOUT_MS": 10_000,
    # None: a random key kept in <instance>/secret_key (set one per deployment
    # when several machines serve the same site)
    "SECRET_KEY": None,
    # None: the bundled banks
    "BANK_PATHS": None,
    "UPLOAD_MAX_FILE_KB": 2048,
    "UPLOAD_MAX_BANKS": 200,
    # every uploaded bank is kept in memory once used (about 16 times its size)
    "UPLOAD_MAX_TOTAL_KB": 50 * 1024,
    "MAX_CONTENT_LENGTH": 5 * 1024 * KB,
    "MAX_FORM_MEMORY_SIZE": 5 * 1024 * KB,
    "WTF_CSRF_TIME_LIMIT": None,  # valid as long as the session
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_HTTPONLY": True,
    "TEMPLATES_AUTO_RELOAD": False,
    # "laptop": one teacher, no login; "school": teachers log in, loopback is
    # never trusted (also chosen when the store has a teacher account)
    "MODE": "laptop",
    # addresses of the reverse proxies whose X-Forwarded-For/-Proto/-Host to
    # believe (the proxy on the same host: ["127.0.0.1"]); nobody else's
    "TRUSTED_PROXIES": [],
}

csrf = CSRFProtect()


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app; return it.

    `config` overrides every other layer (see the module docstring). Raises
    QuizgenError when the store cannot be opened.
    """
    instance = (config or {}).get("INSTANCE_PATH") or os.environ.get(
        "QUIZGEN_INSTANCE_PATH"
    )
    app = Flask(
        __name__,
        instance_path=str(Path(instance).resolve()) if instance else None,
        instance_relative_config=True,
        template_folder=str(data_dir("templates")),
        static_folder=str(data_dir("templates") / "web" / "static"),
        static_url_path="/static",
    )
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("QUIZGEN")
    if config is not None:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    elif not isinstance(app.config["SECRET_KEY"], str | bytes):
        app.config["SECRET_KEY"] = str(
            app.config["SECRET_KEY"]
        )  # env: "12345" reads as JSON

    app.jinja_env.undefined = jinja2.StrictUndefined
    app.jinja_env.globals.update(
        _=lang_mod.gettext,
        current_lang=lang_mod.current,
        colon=lang_mod.colon,
        comma=lang_mod.comma,
        paren=lang_mod.paren,
        html_lang=html_lang,
        school_teacher=_school_teacher,
    )

    # blueprints first: a module may register a schema migration when imported
    from quizgen.web import (
        author,
        builder,
        home,
        live,
        login,
        my_quizzes,
        my_sessions,
        preview,
        scope,
        source_view,
        upload,
        workspace,
    )

    url = app.config["DATABASE_URL"] or (
        f"sqlite:///{Path(app.instance_path) / 'quizgen.sqlite3'}"
    )
    the_store = None
    try:
        secret = app.config["SECRET_KEY"]
        the_store = Store(
            url,
            busy_timeout_ms=app.config["DATABASE_BUSY_TIMEOUT_MS"],
            code_key=secret.encode() if isinstance(secret, str) else secret,
        )
        the_store.migrate()
    except Exception as exc:  # the database is not there, or not reachable
        if the_store is not None:
            the_store.dispose()
        raise QuizgenError(
            f"cannot open the database {_safe_url(url)}: {exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else ''}. Hint: check "
            "QUIZGEN_DATABASE_URL, or leave it unset for SQLite in the instance folder."
        ) from None
    paths = app.config["BANK_PATHS"]
    app.extensions["quizgen.store"] = the_store
    app.extensions["quizgen.library"] = Library(
        [Path(p) for p in (bundled_banks() if paths is None else paths)], the_store
    )

    csrf.init_app(app)
    author.init_app(app)
    scope.init_app(app)
    _request_hooks(app)
    _error_pages(app)

    app.register_blueprint(home.bp)
    app.register_blueprint(builder.bp)
    app.register_blueprint(preview.bp)
    app.register_blueprint(my_quizzes.bp)
    app.register_blueprint(my_sessions.bp)
    app.register_blueprint(login.bp)
    app.register_blueprint(source_view.bp)
    app.register_blueprint(upload.bp)
    app.register_blueprint(workspace.bp)

    live.init_app(app)
    from quizgen.web.proxy import TrustedProxy, proxies_from

    app.wsgi_app = TrustedProxy(  # type: ignore[method-assign]
        app.wsgi_app, proxies_from(app.config["TRUSTED_PROXIES"])
    )
    return app


def _school_teacher() -> str:
    """The logged-in teacher's name on a school server, for the header; else ""."""
    from quizgen.web.login import current_teacher

    return current_teacher() or ""


def store(app: Flask | None = None) -> Store:
    """The store of `app` (default: the current app)."""
    from flask import current_app

    return (app or current_app).extensions["quizgen.store"]  # type: ignore[no-any-return]


def library(app: Flask | None = None) -> Library:
    """The banks of `app` (default: the current app)."""
    from flask import current_app

    return (app or current_app).extensions["quizgen.library"]  # type: ignore[no-any-return]


def _instance_secret(folder: Path) -> str:
    """A random secret kept in the instance folder, created on first start."""
    path = folder / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        key = secrets.token_hex(32)
        fh.write(key)
    return key


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unreadable URL)"


def _request_hooks(app: Flask) -> None:
    @app.before_request
    def _language() -> None:
        g.lang = lang_mod.negotiate(request)
        stack = ExitStack()
        stack.enter_context(use_lang(g.lang))
        g.lang_stack = stack

    @app.teardown_request
    def _language_done(_exc: BaseException | None) -> None:
        stack = g.pop("lang_stack", None)
        if stack is not None:
            stack.close()

    @app.after_request
    def _headers(response: Any) -> Any:
        for name, value in SECURITY_HEADERS:
            response.headers.setdefault(name, value)
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
        return response


def render_error(code: int, title: str, message: str) -> tuple[Any, int]:
    """The error as a page, or as JSON for a JSON request (`{"error", "message"}`)."""
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(error=title, message=message), code
    return render_template(
        "web/error.html", code=code, title=title, message=message
    ), code


def _error_pages(app: Flask) -> None:
    page = render_error

    @app.errorhandler(CSRFError)
    def _csrf(_exc: CSRFError) -> tuple[Any, int]:
        _ = lang_mod.gettext
        return page(
            400,
            _("The form has expired"),
            _("Reload the page and send the form again."),
        )

    @app.errorhandler(QuizgenError)
    def _user_error(exc: QuizgenError) -> tuple[Any, int]:
        return page(422, lang_mod.gettext("That did not work"), str(exc))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        _ = lang_mod.gettext
        code = exc.code or 500
        if code < 400:
            return exc
        known = {
            400: (_("Bad request"), _("The request could not be understood.")),
            404: (
                _("Page not found"),
                _(
                    "There is nothing at this address. The link may be mistyped, or "
                    "the quiz or bank is not on this server."
                ),
            ),
            405: (
                _("Not allowed"),
                _("This address does not accept that kind of request."),
            ),
            413: (
                _("Too large"),
                _(
                    "The upload is larger than this server accepts ({kb} KB in all).",
                    kb=(app.config["MAX_CONTENT_LENGTH"] or 0) // KB,
                ),
            ),
        }
        title, message = known.get(
            code, (_("Error {code}", code=code), exc.description or "")
        )
        if code >= 500:
            title, message = _server_error_text()
        return page(code, title, message)

    @app.errorhandler(InternalServerError)
    def _server_error(_exc: InternalServerError) -> tuple[Any, int]:
        title, message = _server_error_text()
        return page(500, title, message)


def _server_error_text() -> tuple[str, str]:
    _ = lang_mod.gettext
    return (
        _("Something went wrong"),
        _(
            "The server could not finish this request. Nothing you did caused it; "
            "try again, and if it keeps happening, tell the person who runs this server."
        ),
    )
