"""What every live page shares: the blueprint, its settings, cookies, who is
asking, the cached revision, size limits and error pages."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
)
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from quizgen.web import store
from quizgen.web.live import domain as d
from quizgen.web.live.lookups import StudentState, student_state
from quizgen.web.live.texts import gettext as _

bp = Blueprint("live", __name__, url_prefix="/live")

#: configuration keys of the live quiz, with their defaults
LIVE_DEFAULTS: dict[str, Any] = {
    # join attempts per client address: (burst, refill per second). A class
    # behind one NAT address joins in one burst, hence the large burst.
    "LIVE_JOIN_RATE": (300, 10.0),
    # students one client address may add to one session (a class behind one
    # NAT address shares it: raise it there)
    "LIVE_MAX_PER_ADDRESS": 60,
    # joins with a code that names no session: (burst, refill per second)
    "LIVE_BAD_CODE_RATE": (10, 0.2),
    # largest request body the live pages accept (answers, forms)
    "LIVE_MAX_REQUEST_BYTES": 16 * 1024,
    # students poll the version this often (ms); the page shows changes within 2 s
    "LIVE_POLL_MS": 1000,
    # each process answers version polls from memory for this long
    "LIVE_VERSION_CACHE_S": 0.25,
    # reuse the parts of the student panel every student shares, and the
    # end-of-quiz ranking, per stored revision (False: render every request)
    "LIVE_PANEL_CACHE": True,
    # the join URL's scheme://host:port; None: this request's, with the LAN address
    # instead of localhost
    "LIVE_PUBLIC_URL": None,
    # the IANA zone a homework deadline is read in when the teacher's browser
    # sends none (no JavaScript); None: this machine's zone
    "LIVE_TIME_ZONE": None,
}

COOKIE_DAYS = 30

# ---------------------------------------------------------------------- helpers


def _render(template: str, status: int = 200, **context: Any) -> Response:
    response = make_response(render_template(template, _=_, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _session_or_404(sid: str) -> d.Session:
    session = d.get_session(store(), sid)
    if session is None:
        abort(404)
    return session


def _teacher_cookie(sid: str) -> str:
    return f"qz_t_{sid}"


def _student_cookie(sid: str) -> str:
    return f"qz_p_{sid}"


def _set_cookie(response: Response, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=COOKIE_DAYS * 24 * 3600,
        path="/live/",
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


def owner_grant(sid: str) -> str:
    """The teacher cookie My sessions gives the session's owner (whose browser
    may have lost the cookie set at the start): an HMAC of the session id
    under the server's secret, so nobody else can make one."""
    secret = current_app.config["SECRET_KEY"]
    raw = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(raw, b"quizgen session owner\0" + sid.encode(), hashlib.sha256)
    return "g-" + digest.hexdigest()[:40]


def teacher_token_ok(session: d.Session, token: str | None) -> bool:
    """Whether `token` is the session's teacher secret or its owner grant."""
    if not token:
        return False
    if d.teacher_ok(session, token):  # a random secret may begin with "g-" too
        return True
    return token.startswith("g-") and hmac.compare_digest(
        token, owner_grant(session.id)
    )


def _teacher_or_403(sid: str) -> d.Session:
    """The session, for its teacher: on a laptop whoever holds its teacher
    cookie (set when it started, by the teacher link, or by My sessions); on a
    school server only its owner, logged in (a cookie left in a shared browser
    is not enough; another teacher's session answers 404)."""
    from quizgen.web.author import school_mode

    session = _session_or_404(sid)
    if school_mode():
        from quizgen.web.login import current_teacher

        teacher = current_teacher()
        if teacher is None:
            if request.method == "GET":
                from flask import redirect, url_for

                abort(
                    redirect(
                        url_for("login.form", next=request.full_path.rstrip("?")), 303
                    )
                )
            abort(403)
        if session.owner != teacher:
            abort(404)
        return session
    if not teacher_token_ok(session, request.cookies.get(_teacher_cookie(sid))):
        abort(403)
    return session


def _student_state(sid: str) -> StudentState:
    """The session, the student this browser is (if any) and their answers,
    in one query; 404 when there is no such session."""
    found = student_state(store(), sid, request.cookies.get(_student_cookie(sid)))
    if found is None:
        abort(404)
    return found


def _student(sid: str) -> tuple[d.Session, d.Participant | None]:
    found = _student_state(sid)
    return found.session, found.person


_versions: dict[str, tuple[float, int | None]] = {}
_versions_lock = threading.Lock()


def _cached_revision(sid: str) -> int | None:
    ttl = float(current_app.config["LIVE_VERSION_CACHE_S"])
    now = time.monotonic()
    with _versions_lock:
        hit = _versions.get(sid)
    if hit is not None and now - hit[0] < ttl:
        return hit[1]
    value = d.revision(store(), sid)
    with _versions_lock:
        if len(_versions) > 10_000:
            _versions.clear()
        _versions[sid] = (now, value)
    return value


def _forget_revision(sid: str) -> None:
    with _versions_lock:
        _versions.pop(sid, None)


def _is_api() -> bool:
    return request.path.startswith("/live/api/")


def _limit_size() -> None:
    """Live requests are small: refuse a larger one before anything reads its body
    (init_app puts this first, ahead of the app-wide CSRF check that parses forms)."""
    if request.blueprint != "live":
        return
    limit = int(current_app.config["LIVE_MAX_REQUEST_BYTES"])
    request.max_content_length = limit
    request.max_form_memory_size = limit
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()


@bp.errorhandler(d.LiveError)
def _live_error(exc: d.LiveError) -> Any:
    if _is_api():
        return jsonify(error=str(exc), reason=exc.reason), exc.status
    return _render(
        "web/live/message.html",
        exc.status,
        title=_("That did not work"),
        message=str(exc),
    )


@bp.errorhandler(CSRFError)
def _csrf_error(_exc: CSRFError) -> Any:
    message = _("The page has expired. Reload it and try again.")
    if _is_api():
        return jsonify(error=message, reason="csrf"), 400
    return _render(
        "web/live/message.html", 400, title=_("The form has expired"), message=message
    )


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: RequestEntityTooLarge) -> Any:
    message = _("That is more than this page accepts.")
    if _is_api():
        return jsonify(error=message, reason="too-large"), 413
    return _render("web/live/message.html", 413, title=_("Too large"), message=message)


def _int(value: Any, low: int, high: int) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


@bp.app_template_global("live_remaining")
def live_remaining(ms: int | None) -> str:
    """m:ss for a countdown."""
    if ms is None:
        return ""
    seconds = max(0, int(ms // 1000))
    return f"{seconds // 60}:{seconds % 60:02d}"
