"""My quizzes: the teacher's named quizzes, to open, duplicate, rename and delete.

A saved quiz is a name over a selection's short code. The preview opened
from here (`/q/<code>?quiz=<id>`) moves the quiz along with every remove,
swap or edit; short links to earlier selections keep showing what they
showed. Deleting a quiz deletes its name only: its short links still work.

No login on a laptop: these pages are the teacher's like every authoring
page (`quizgen.web.author`). Each row has an owner ("" for the laptop's one
teacher, a teacher's login on a school server): `owner()` scopes the list.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from quizgen.quiz import Quiz
from quizgen.web import library, store
from quizgen.web.author import owner
from quizgen.web.lang import current
from quizgen.web.lang import gettext as _
from quizgen.web.store import SavedQuiz

__all__ = ["MAX_NAME_CHARS", "bp", "default_name", "owner", "read_name"]

bp = Blueprint("quizzes", __name__, url_prefix="/quizzes")

MAX_NAME_CHARS = 120


def default_name(quiz: Quiz) -> str:
    """The name the save form offers: the quiz's title and today's date."""
    return f"{quiz.title} {time.strftime('%Y-%m-%d')}"[:MAX_NAME_CHARS]


def read_name(raw: str) -> tuple[str, str]:
    """A quiz name from a form: (name, "") or ("", the problem to show)."""
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if not name:
        return "", _("Give the quiz a name.")
    if len(name) > MAX_NAME_CHARS:
        return "", _(
            "A name may have at most {n} characters (this one has {m}).",
            n=MAX_NAME_CHARS,
            m=len(name),
        )
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in name):
        return "", _("The name contains control or invisible characters.")
    return name, ""


@dataclass(frozen=True, kw_only=True)
class Row:
    """One line of the list: the quiz and its bank's title (or why it is gone)."""

    quiz: SavedQuiz
    bank_title: str
    bank_gone: bool


def _when(ts: int | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts)) if ts else ""


def _quiz_or_404(quiz_id: str) -> SavedQuiz:
    saved = store().saved_quiz(owner(), quiz_id)
    if saved is None:
        abort(404)
    return saved


@bp.get("")
def index() -> str:
    """The teacher's quizzes, the last changed first."""
    rows = []
    for saved in store().saved_quizzes(owner()):
        entry = library().get(saved.bank_key)
        if entry is not None and entry.bank is not None:
            title = entry.bank.title.get(current())
            rows.append(Row(quiz=saved, bank_title=title, bank_gone=False))
        else:
            rows.append(Row(quiz=saved, bank_title=saved.bank_key, bank_gone=True))
    return render_template("web/quizzes.html", rows=rows, when=_when)


@bp.get("/<quiz_id>")
def open_quiz(quiz_id: str) -> Response:
    """Open a saved quiz: its preview, which moves the quiz along with each change."""
    saved = _quiz_or_404(quiz_id)
    return redirect(url_for("preview.show", code=saved.code, quiz=saved.id), code=303)


@bp.post("/<quiz_id>/rename")
def rename(quiz_id: str) -> Response:
    """Give a quiz a new name."""
    saved = _quiz_or_404(quiz_id)
    name, problem = read_name(request.form.get("name", ""))
    if problem:
        flash(problem, "error")
    else:
        store().rename_quiz(owner(), saved.id, name)
        flash(_("Renamed to “{name}”.", name=name), "ok")
    return redirect(url_for("quizzes.index", _anchor=f"quiz-{saved.id}"), code=303)


@bp.post("/<quiz_id>/duplicate")
def duplicate(quiz_id: str) -> Response:
    """A copy of a quiz under a new name, to change without touching the first."""
    saved = _quiz_or_404(quiz_id)
    suffix = _(" (copy)")
    name = saved.name[: MAX_NAME_CHARS - len(suffix)] + suffix
    copy = store().save_quiz(
        owner=owner(),
        name=name,
        bank_key=saved.bank_key,
        code=saved.code,
        lang=saved.lang,
        count=saved.count,
    )
    flash(_("Duplicated as “{name}”.", name=name), "ok")
    return redirect(url_for("quizzes.index", _anchor=f"quiz-{copy.id}"), code=303)


@bp.get("/<quiz_id>/delete")
def delete_form(quiz_id: str) -> str:
    """Ask before deleting a quiz."""
    return render_template("web/delete_quiz.html", quiz=_quiz_or_404(quiz_id))


@bp.post("/<quiz_id>/delete")
def delete(quiz_id: str) -> Response:
    """Delete a quiz from the list (its short links keep working)."""
    saved = _quiz_or_404(quiz_id)
    store().delete_quiz(owner(), saved.id)
    flash(_("Deleted “{name}”.", name=saved.name), "ok")
    return redirect(url_for("quizzes.index"), code=303)
