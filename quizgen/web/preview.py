"""Preview of a saved selection: questions with answers, explanations and quotes;
reshuffle, remove or swap single questions; download every format.

Selections are never changed in place: each edit saves a new selection under
its own short code, so a link the teacher kept still shows what it showed.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response

from quizgen.bank import Bank
from quizgen.errors import ChoiceError, QuizgenError
from quizgen.quiz import version_label
from quizgen.web import downloads, library, store
from quizgen.web.banks import BankEntry
from quizgen.web.lang import gettext as _
from quizgen.web.selection import Selection, new_seed

bp = Blueprint("preview", __name__, url_prefix="/q")


def load(code: str) -> tuple[str, Selection, BankEntry]:
    """The saved selection and its bank; 404 when either is gone."""
    data = store().selection(code)
    if data is None:
        abort(404)
    entry = library().get(str(data.get("bank", "")))
    if entry is None:
        abort(404)
    if entry.bank is None:
        raise QuizgenError(str(entry.error))
    try:
        selection = Selection.from_dict(data)
    except (KeyError, ValueError, TypeError):
        abort(404)
    return code, selection, entry


@bp.get("/<code>")
def show(code: str) -> str:
    """The questions of one version (?v=2 for B), as a teacher reads them."""
    code, selection, entry = load(code)
    assert entry.bank is not None
    quizzes = selection.quizzes(entry.bank)
    try:
        version = int(request.args.get("v", "1"))
    except ValueError:
        version = 1
    version = min(max(version, 1), len(quizzes))
    formats = downloads.available_formats()
    return render_template(
        "web/preview.html",
        code=code,
        entry=entry,
        bank=entry.bank,
        selection=selection,
        quiz=quizzes[version - 1],
        versions=[(i + 1, version_label(i + 1)) for i in range(len(quizzes))],
        version=version,
        formats=formats,
        short_link=url_for("preview.show", code=code, _external=True),
    )


def _edit(
    code: str, change: Callable[[Selection, Bank], Selection], message: str
) -> Response:
    """Apply `change` to the saved selection, save the result under its own
    code and show it; a ChoiceError goes back to the old one as a message."""
    code, selection, entry = load(code)
    assert entry.bank is not None
    try:
        edited = change(selection, entry.bank)
    except ChoiceError as exc:
        flash(str(exc), "error")
        return redirect(url_for("preview.show", code=code), code=303)
    new_code = store().save_selection(entry.key, edited.to_dict())
    flash(message, "ok")
    return redirect(url_for("preview.show", code=new_code), code=303)


@bp.post("/<code>/remove")
def remove(code: str) -> Response:
    """Remove one question; the rest stay exactly as they were."""
    qid = request.form.get("qid", "")
    return _edit(code, lambda sel, _bank: sel.without(qid), _("Question removed."))


@bp.post("/<code>/swap")
def swap(code: str) -> Response:
    """Replace one question with another the builder's choices allow."""
    qid = request.form.get("qid", "")
    return _edit(code, lambda sel, bank: sel.swapped(bank, qid), _("Question swapped."))


@bp.post("/<code>/reshuffle")
def reshuffle(code: str) -> Response:
    """Pick as many questions again with a new seed."""
    return _edit(
        code,
        lambda sel, bank: sel.reshuffled(bank, new_seed()),
        _("New questions picked."),
    )


@bp.get("/<code>/download/<fmt>")
def download(code: str, fmt: str) -> Response:
    """The selection's files in `fmt` (?bilingual=1: an Anki deck in both languages)."""
    code, selection, entry = load(code)
    assert entry.bank is not None
    if fmt not in downloads.available_formats():
        abort(404)
    bilingual = fmt == "anki" and request.args.get("bilingual") == "1"
    if bilingual:
        quizzes = selection.quizzes(entry.bank, "zh") + selection.quizzes(
            entry.bank, "en"
        )
    else:
        quizzes = selection.quizzes(entry.bank)
    got = downloads.build(fmt, quizzes, bilingual=bilingual)
    response = Response(got.data, mimetype=got.content_type)
    response.headers["Content-Disposition"] = downloads.content_disposition(got)
    response.headers["Cache-Control"] = "no-store"
    return response
