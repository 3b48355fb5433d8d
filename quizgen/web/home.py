"""Home: the banks on this server (and how many quizzes the teacher saved), and
the language switch."""

from __future__ import annotations

import threading
import weakref
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from quizgen.bank import Bank
from quizgen.generate import Choices, available
from quizgen.web import library, store
from quizgen.web.author import owner, scoped_owner
from quizgen.web.lang import COOKIE, LANGS

bp = Blueprint("home", __name__)

ONE_YEAR_S = 365 * 24 * 3600

_COUNTS: dict[int, tuple[weakref.ref[Bank], int]] = {}
_COUNTS_LOCK = threading.Lock()


def question_count(bank: Bank) -> int:
    """How many questions `bank` allows with no choice made; worked out once per
    loaded bank, not on every visit (a server may hold hundreds of large uploads)."""
    with _COUNTS_LOCK:
        hit = _COUNTS.get(id(bank))
    if hit is not None and hit[0]() is bank:
        return hit[1]
    n = len(available(bank, Choices()))
    with _COUNTS_LOCK:
        if len(_COUNTS) > 1000:
            _COUNTS.clear()
        _COUNTS[id(bank)] = (weakref.ref(bank), n)
    return n


@bp.get("/")
def index() -> str:
    """Every bank with its counts, and links to build from it or read its source."""
    rows = []
    for entry in library().entries(scoped_owner()):
        questions = 0
        if entry.bank is not None:
            questions = question_count(entry.bank)
        rows.append({"entry": entry, "questions": questions})
    saved = len(store().saved_quizzes(owner()))
    return render_template("web/home.html", rows=rows, saved=saved)


def local_target(target: str | None) -> str:
    """`target` if it is a path on this site, else the home page (also for a
    target holding a control character: no header may carry one)."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ch < " " or ch == "\x7f" for ch in target)
    ):
        return url_for("home.index")
    return target


@bp.get("/healthz")
def health() -> tuple[dict[str, object], int]:
    """For load balancers: 200 with the schema version when the store answers, else 503."""
    try:
        version = store().version()
    except Exception:
        return {"ok": False}, 503
    return {"ok": True, "schema": version}, 200


@bp.post("/lang")
def set_lang() -> Response:
    """Switch the interface language and remember it; go back where the user was."""
    chosen = request.form.get("lang", "")
    response = redirect(local_target(request.form.get("next")), code=303)
    if chosen in LANGS:
        response.set_cookie(
            COOKIE, chosen, max_age=ONE_YEAR_S, samesite="Lax", httponly=True
        )
    return response
