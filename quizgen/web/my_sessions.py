"""My sessions: every live session the teacher started, found again after a restart.

The sessions are in the store (`live_sessions`, with an `owner` like saved
quizzes), so the list survives the server's restarts and the browser's lost
cookies. From here the teacher opens a session's results (the live pages
accept the session's owner as well as its teacher cookie), downloads its CSV
and Excel gradebook, or deletes it with its answers after confirming.
"""

from __future__ import annotations

import time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from quizgen.web import store
from quizgen.web.author import owner
from quizgen.web.lang import gettext as _
from quizgen.web.live import domain as d
from quizgen.web.live.listing import sessions_of

__all__ = ["bp"]

bp = Blueprint("sessions", __name__, url_prefix="/sessions")


def _when(ms: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ms / 1000))


def _owned_or_404(sid: str) -> d.Session:
    session = d.get_session(store(), sid)
    if session is None or session.owner != owner():
        abort(404)
    return session


@bp.get("")
def index() -> str:
    """The teacher's sessions, the newest first."""
    return render_template(
        "web/sessions.html", rows=sessions_of(store(), owner()), when=_when
    )


#: what My sessions opens of a session: the live page's endpoint
PAGES = {
    "results": "live.results",
    "control": "live.control",
    "csv": "live.results_csv",
    "xlsx": "live.results_xlsx",
}


@bp.get("/<sid>/open/<page>")
def open_page(sid: str, page: str) -> Response:
    """Open a session's results, control page or downloads from the list.

    The live pages ask for the session's teacher cookie; a browser that lost
    it (another browser, cookies cleared) gets the owner's grant here, which
    only the teacher reaches (this blueprint is behind the teacher check).
    """
    from quizgen.web.live.pages import (
        _set_cookie,
        _teacher_cookie,
        owner_grant,
        teacher_token_ok,
    )

    endpoint = PAGES.get(page)
    if endpoint is None:
        abort(404)
    session = _owned_or_404(sid)
    response = redirect(url_for(endpoint, sid=session.id), code=303)
    if not teacher_token_ok(session, request.cookies.get(_teacher_cookie(sid))):
        _set_cookie(response, _teacher_cookie(sid), owner_grant(sid))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<sid>/delete")
def delete_form(sid: str) -> str:
    """Ask before deleting a session and its answers."""
    session = _owned_or_404(sid)
    people = d.participants(store(), sid)
    given = d.answers(store(), sid)
    return render_template(
        "web/delete_session.html",
        session=session,
        students=len(people),
        answers=len(given),
        when=_when,
    )


@bp.post("/<sid>/delete")
def delete(sid: str) -> Response:
    """Delete the session with every student and answer in it."""
    from quizgen.web.live.pages import _forget_revision

    session = _owned_or_404(sid)
    d.delete_session(store(), session.id)
    _forget_revision(session.id)
    flash(
        _("Deleted the session “{title}” and its answers.", title=session.title), "ok"
    )
    return redirect(url_for("sessions.index"), code=303)
