"""Who may use the authoring pages: the teacher, not the class.

A live quiz puts the app on the classroom network (`quizgen serve --host
0.0.0.0`), and the authoring pages (banks, builder, preview, downloads, source
view, upload, starting a live session) show every answer. They answer only

- a request from this computer (loopback), unless `TRUST_LOOPBACK` is off
  (turn it off behind a reverse proxy, where every request comes from it), or
- a browser holding the author cookie, which the teacher link sets:
  `/author/<key>`, printed by `quizgen serve`.

Everyone else reaches only what a student needs: joining and playing a live
quiz, its polling API, the static files, the language switch and `/healthz`.
The teacher's live pages check the session's own teacher secret as before.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from flask import Blueprint, Flask, abort, current_app, redirect, request, url_for
from werkzeug.wrappers import Response

from quizgen.web import lang as lang_mod

__all__ = ["AUTHOR_COOKIE", "author_key", "bp", "init_app", "is_author", "is_loopback"]

AUTHOR_COOKIE = "qz_author"
ONE_YEAR_S = 365 * 24 * 3600

#: blueprints whose pages show answers or change the server's banks
AUTHORING = frozenset({"home", "builder", "preview", "quizzes", "source", "upload"})
#: endpoints of those blueprints that anyone may use
OPEN = frozenset({"home.health", "home.set_lang"})
#: live endpoints that only the author may use
AUTHORING_LIVE = frozenset({"live.start"})

bp = Blueprint("author", __name__, url_prefix="/author")


def author_key(app: Flask | None = None) -> str:
    """The key of the teacher link: AUTHOR_KEY, or one derived from SECRET_KEY."""
    app = app or current_app
    configured = app.config.get("AUTHOR_KEY")
    if configured:
        return str(configured)
    secret = app.config["SECRET_KEY"]
    raw = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(raw, b"quizgen author link", hashlib.sha256).hexdigest()[:32]


def is_loopback(host: str | None) -> bool:
    """Whether `host` (an address, or "localhost") is this computer only."""
    try:
        return ipaddress.ip_address((host or "").strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def is_author() -> bool:
    """Whether the current request comes from the teacher (see the module docstring)."""
    if current_app.config.get("TRUST_LOOPBACK", True) and is_loopback(
        request.remote_addr
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


def init_app(app: Flask) -> None:
    """Register the teacher link and the check in front of every authoring page."""
    app.config.setdefault("TRUST_LOOPBACK", True)
    app.config.setdefault("AUTHOR_KEY", None)
    app.register_blueprint(bp)

    @app.before_request
    def _authors_only() -> Response | None:
        if _needs_author() and not is_author():
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
