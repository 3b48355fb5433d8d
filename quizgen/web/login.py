"""Logging in and out on a school server (teachers' accounts: quizgen.web.teachers).

Only a school server has these pages (404 on a laptop). A login lives in
Flask's signed session cookie (HttpOnly, SameSite=Lax; Secure once
`SESSION_COOKIE_SECURE` is set behind HTTPS): the teacher's name and a stamp
of the password hash, checked against the store on every request, so a new
password or a removed account ends the login at once. Attempts are limited
per client address and per name in the store (every process shares them).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from quizgen.web import store, teachers
from quizgen.web.author import school_mode
from quizgen.web.lang import gettext as _

__all__ = ["LOGIN_RATE", "bp", "current_teacher"]

bp = Blueprint("login", __name__)

#: login attempts: (burst, refill per second), per client address and per name
LOGIN_RATE = (10, 1 / 30)

_UNSET = object()


def current_teacher() -> str | None:
    """The logged-in teacher's name on a school server, else None."""
    found = g.get("qz_teacher", _UNSET)
    if found is not _UNSET:
        return found  # type: ignore[return-value]
    name = session.get("teacher")
    result = None
    if school_mode() and isinstance(name, str) and name:
        account = teachers.find(store(), name)
        if account is not None and account[1] == session.get("teacher_stamp"):
            result = account[0].name
    g.qz_teacher = result
    return result


def _limited(name: str) -> bool:
    from quizgen.web.live.limits import client_key, take

    burst, per_s = LOGIN_RATE
    by_address = take(store(), "login", client_key(request.remote_addr), burst, per_s)
    by_name = take(store(), "login-name", name[:64] or "?", burst, per_s)
    return not (by_address and by_name)


def _page(status: int = 200, error: str = "", name: str = "") -> tuple[str, int]:
    from quizgen.web.home import local_target

    return render_template(
        "web/login.html",
        error=error,
        name=name,
        next=local_target(request.values.get("next")),
    ), status


@bp.get("/login")
def form() -> tuple[str, int] | Response:
    """The login form (school servers only)."""
    if not school_mode():
        abort(404)
    if current_teacher() is not None:
        from quizgen.web.home import local_target

        return redirect(local_target(request.args.get("next")), code=303)
    return _page()


@bp.post("/login")
def submit() -> tuple[str, int] | Response:
    """Check the name and password; remember the teacher in the session cookie."""
    if not school_mode():
        abort(404)
    from quizgen.web.home import local_target

    name = request.form.get("name", "").strip().lower()[:64]
    password = request.form.get("password", "")[:1024]
    if _limited(name):
        return _page(
            429, _("Too many attempts. Wait a few minutes and try again."), name
        )
    account = teachers.verify(store(), name, password)
    if account is None:
        return _page(422, _("Wrong name or password."), name)
    session.clear()  # a new session: nothing from before the login carries over
    session.permanent = True
    session["teacher"] = account[0].name
    session["teacher_stamp"] = account[1]
    g.pop("qz_teacher", None)
    return redirect(local_target(request.form.get("next")), code=303)


@bp.post("/logout")
def logout() -> Response:
    """End the login in this browser."""
    if not school_mode():
        abort(404)
    session.clear()
    flash(_("You are logged out."), "ok")
    return redirect(url_for("login.form"), code=303)
