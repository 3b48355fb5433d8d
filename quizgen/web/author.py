"""Who may use the authoring pages: the teacher, not the class.

A live quiz puts the app on the classroom network (`quizgen serve --host
0.0.0.0`), and the authoring pages (banks, builder, preview, downloads, source
view, upload, starting a live session) show every answer. They answer only

- a request from this computer (loopback) whose Host header names this
  server (a loopback name, or one in `ALLOWED_HOSTS`: no DNS rebinding),
  unless `TRUST_LOOPBACK` is off (turn it off behind a reverse proxy, where
  every request comes from it), or
- a browser holding the author cookie, which the teacher link sets:
  `/author/<key>`, printed by `quizgen serve`.

Everyone else reaches only what a student needs: joining and playing a live
quiz, its polling API, the static files, the language switch and `/healthz`.
The teacher's live pages check the session's own teacher secret as before.

A school server (`MODE = "school"`, or any teacher account in the store) is
different by construction: behind a reverse proxy every request comes from
loopback, so loopback is never trusted and the teacher link is off; the
teacher is whoever logged in (`quizgen.web.login`), and `owner()` is that
teacher's name, which scopes every teacher's rows (`quizgen.web.scope`).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, redirect, request, url_for
from werkzeug.wrappers import Response

from quizgen.web import lang as lang_mod

__all__ = [
    "AUTHOR_COOKIE",
    "author_key",
    "bp",
    "host_is_ours",
    "init_app",
    "is_author",
    "is_loopback",
    "owner",
    "rotate_author_key",
    "school_mode",
    "scoped_owner",
]

AUTHOR_COOKIE = "qz_author"
ONE_YEAR_S = 365 * 24 * 3600

#: blueprints whose pages show answers or change the server's banks
AUTHORING = frozenset(
    {
        "home",
        "builder",
        "preview",
        "quizzes",
        "sessions",
        "source",
        "upload",
        "workspace",
    }
)
#: endpoints of those blueprints that anyone may use
OPEN = frozenset({"home.health", "home.set_lang"})
#: live endpoints that only the author may use
AUTHORING_LIVE = frozenset({"live.start"})

bp = Blueprint("author", __name__, url_prefix="/author")


#: the file in the instance folder whose content changes the derived key
ROTATION_FILE = "author_link_rotation"


def author_key(app: Flask | None = None) -> str:
    """The key of the teacher link: AUTHOR_KEY, or one derived from SECRET_KEY
    (and from the rotation file, once `rotate_author_key` has written one)."""
    app = app or current_app
    configured = app.config.get("AUTHOR_KEY")
    if configured:
        return str(configured)
    secret = app.config["SECRET_KEY"]
    raw = secret.encode() if isinstance(secret, str) else secret
    salt = str(app.config.get("AUTHOR_KEY_ROTATION") or "").encode("ascii")
    message = b"quizgen author link" + (b"\0" + salt if salt else b"")
    return hmac.new(raw, message, hashlib.sha256).hexdigest()[:32]


def rotate_author_key(app: Flask) -> str:
    """Make a new teacher link: every browser that opened the old one must open
    the new one (a key that leaked stops working). Returns the new key.

    The rotation is kept in the instance folder (every process started from it
    afterwards uses it); with AUTHOR_KEY set, change that setting instead.
    """
    token = secrets.token_hex(16)
    path = Path(app.instance_path) / ROTATION_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(token, encoding="ascii")
    os.replace(tmp, path)
    app.config["AUTHOR_KEY_ROTATION"] = token
    return author_key(app)


def is_loopback(host: str | None) -> bool:
    """Whether `host` (an address, or "localhost") is this computer only."""
    try:
        return ipaddress.ip_address((host or "").strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def host_is_ours() -> bool:
    """Whether the request's Host header names this server: a loopback name or
    address, or a name in ALLOWED_HOSTS, SERVE_HOST or LIVE_PUBLIC_URL.

    A page on another site can point its own name at 127.0.0.1 (DNS
    rebinding) and read this server's pages as its own origin; the browser
    then sends that site's name as Host, which this check refuses.
    """
    name = (urlsplit("//" + request.host).hostname or "").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost") or is_loopback(name):
        return True
    config = current_app.config
    ours = {str(h).lower() for h in config.get("ALLOWED_HOSTS") or ()}
    if config.get("SERVE_HOST"):
        ours.add(str(config["SERVE_HOST"]).lower())
    if config.get("LIVE_PUBLIC_URL"):
        ours.add((urlsplit(str(config["LIVE_PUBLIC_URL"])).hostname or "").lower())
    return name in ours


def school_mode(app: Flask | None = None) -> bool:
    """Whether this is a school server: teachers log in, loopback is not trusted."""
    return bool((app or current_app).config.get("SCHOOL_MODE"))


def owner() -> str:
    """Whose quizzes, sessions and banks this request sees: "" (the teacher of
    this computer), or on a school server the logged-in teacher's name (403
    when nobody is logged in)."""
    if not school_mode():
        return ""
    from quizgen.web.login import current_teacher

    name = current_teacher()
    if name is None:
        abort(403)
    return name


def scoped_owner() -> str | None:
    """`owner()` on a school server; None on a laptop, where everything is the teacher's."""
    return owner() if school_mode() else None


def is_author() -> bool:
    """Whether the current request comes from the teacher (see the module docstring)."""
    if school_mode():
        from quizgen.web.login import current_teacher

        return current_teacher() is not None
    if (
        current_app.config.get("TRUST_LOOPBACK", True)
        and is_loopback(request.remote_addr)
        and host_is_ours()
    ):
        return True
    cookie = request.cookies.get(AUTHOR_COOKIE, "")
    return bool(cookie) and hmac.compare_digest(cookie, author_key())


def _needs_author() -> bool:
    endpoint = request.endpoint or ""
    if endpoint in OPEN:
        return False
    return request.blueprint in AUTHORING or endpoint in AUTHORING_LIVE


@bp.get("/<key>")
def sign_in(key: str) -> Response:
    """The teacher link: remember this browser as the author's, then go home."""
    if school_mode():
        abort(404)  # a school server's teachers log in
    if not hmac.compare_digest(key, author_key()):
        abort(403)
    response = redirect(url_for("home.index"), code=303)
    response.set_cookie(
        AUTHOR_COOKIE,
        key,
        max_age=ONE_YEAR_S,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _school(app: Flask) -> bool:
    """Whether `app` is a school server: MODE says so, or the store has a
    teacher account (so adding one can never leave loopback trusted)."""
    from quizgen.errors import QuizgenError
    from quizgen.web import store, teachers

    mode = str(app.config.get("MODE") or "laptop").strip().lower()
    if mode not in ("laptop", "school"):
        raise QuizgenError(
            f"MODE must be 'laptop' or 'school', not {mode!r}. Hint: set "
            "QUIZGEN_MODE=school for a server with teacher logins."
        )
    return mode == "school" or teachers.count(store(app)) > 0


def init_app(app: Flask) -> None:
    """Register the teacher link and the check in front of every authoring page.

    Call once the store is open: it decides whether this is a school server.
    """
    app.config["SCHOOL_MODE"] = _school(app)
    if app.config["SCHOOL_MODE"]:
        app.config["TRUST_LOOPBACK"] = False
    app.config.setdefault("TRUST_LOOPBACK", True)
    app.config.setdefault("AUTHOR_KEY", None)
    app.config.setdefault("ALLOWED_HOSTS", ())
    rotation = Path(app.instance_path) / ROTATION_FILE
    if rotation.is_file():
        app.config.setdefault(
            "AUTHOR_KEY_ROTATION", rotation.read_text(encoding="ascii").strip()
        )
    app.register_blueprint(bp)

    @app.before_request
    def _authors_only() -> Response | None:
        if _needs_author() and not is_author():
            if school_mode() and request.method == "GET":
                return redirect(  # type: ignore[return-value]
                    url_for("login.form", next=request.full_path.rstrip("?")), code=303
                )
            _ = lang_mod.gettext
            from quizgen.web import render_error

            return render_error(  # type: ignore[return-value]
                403,
                _("This page is for the teacher"),
                _(
                    "Students: to join a quiz, open {join} and type the code on "
                    "the projector.",
                    join=url_for("live.join_form"),
                ),
            )
        return None
