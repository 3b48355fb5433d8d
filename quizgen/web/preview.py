"""Preview of a saved selection: questions with answers, explanations and quotes;
reshuffle, remove, swap or edit single questions; save it to "My quizzes";
download every format.

Selections are never changed in place: each change saves a new selection under
its own short code, so a link the teacher kept still shows what it showed. A
page opened from "My quizzes" (`?quiz=<id>`) moves that quiz along with each
change. After a remove, swap or edit the page opens where the teacher was
(`#at-<n>`, the question's place).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

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
from quizgen.quiz import Quiz, version_label
from quizgen.web import downloads, library, store
from quizgen.web.banks import BankEntry
from quizgen.web.edits import EditError, QuestionEdit, read_edit
from quizgen.web.lang import gettext as _
from quizgen.web.my_quizzes import default_name, owner
from quizgen.web.selection import Selection, new_seed
from quizgen.web.store import SavedQuiz

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


def _saved_quiz(code: str, quiz_id: str | None) -> SavedQuiz | None:
    """The teacher's saved quiz `quiz_id` if it shows this selection now."""
    if not quiz_id:
        return None
    saved = store().saved_quiz(owner(), quiz_id)
    return saved if saved is not None and saved.code == code else None


def _version(quizzes: tuple[Quiz, ...], raw: str | None) -> int:
    try:
        version = int(raw or "1")
    except ValueError:
        version = 1
    return min(max(version, 1), len(quizzes))


def _page(
    code: str,
    selection: Selection,
    entry: BankEntry,
    *,
    version_arg: str | None,
    quiz_id: str | None,
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    assert entry.bank is not None
    quizzes = selection.quizzes(entry.bank)
    version = _version(quizzes, version_arg)
    quiz = quizzes[version - 1]
    return render_template(
        "web/preview.html",
        code=code,
        entry=entry,
        bank=entry.bank,
        selection=selection,
        quiz=quiz,
        edited={e.qid for e in selection.edits if e.lang == quiz.lang},
        versions=[(i + 1, version_label(i + 1)) for i in range(len(quizzes))],
        version=version,
        formats=downloads.available_formats(),
        short_link=url_for("preview.show", code=code, _external=True),
        saved=_saved_quiz(code, quiz_id),
        default_name=default_name(quiz),
        failed=failed,
    ), status


@bp.get("/<code>")
def show(code: str) -> tuple[str, int]:
    """The questions of one version (?v=2 for B), as a teacher reads them."""
    code, selection, entry = load(code)
    return _page(
        code,
        selection,
        entry,
        version_arg=request.args.get("v"),
        quiz_id=request.args.get("quiz"),
    )


def _back(code: str, *, at: int | None = None) -> Response:
    """Redirect to the preview of `code`, with the page's version, saved quiz
    and place (the question number `at`)."""
    args: dict[str, Any] = {}
    version = request.form.get("v", "")
    if version.isdigit() and version != "1":
        args["v"] = version
    saved = request.form.get("quiz", "")
    if saved:
        args["quiz"] = saved
    if at is not None and at >= 1:
        args["_anchor"] = f"at-{at}"
    return redirect(url_for("preview.show", code=code, **args), code=303)


def _place() -> int | None:
    raw = request.form.get("n", "")
    return int(raw) if raw.isdigit() else None


def _save_changed(code: str, entry: BankEntry, edited: Selection) -> str:
    """Save the changed selection; move the saved quiz of the page along."""
    new_code = store().save_selection(entry.key, edited.to_dict())
    quiz_id = request.form.get("quiz", "")
    if quiz_id and new_code != code:
        store().move_quiz(
            owner(), quiz_id, old_code=code, new_code=new_code, count=len(edited.ids)
        )
    return new_code


def _edit(
    code: str,
    change: Callable[[Selection, Bank], Selection],
    message: str,
    *,
    at: Callable[[Selection], int | None] = lambda _sel: _place(),
) -> Response:
    """Apply `change` to the saved selection, save the result under its own
    code and show it; a ChoiceError goes back to the old one as a message."""
    code, selection, entry = load(code)
    assert entry.bank is not None
    try:
        edited = change(selection, entry.bank)
    except ChoiceError as exc:
        flash(str(exc), "error")
        return _back(code, at=_place())
    new_code = _save_changed(code, entry, edited)
    flash(message, "ok")
    return _back(new_code, at=at(edited))


@bp.post("/<code>/remove")
def remove(code: str) -> Response:
    """Remove one question; the rest stay exactly as they were, in their places."""
    qid = request.form.get("qid", "")

    def place(edited: Selection) -> int | None:
        n = _place()
        return None if n is None else min(n, len(edited.ids))

    return _edit(
        code,
        lambda sel, bank: sel.without(bank, qid),
        _("Question removed."),
        at=place,
    )


@bp.post("/<code>/swap")
def swap(code: str) -> Response:
    """Replace one question, in its place, with another the builder's choices allow."""
    qid = request.form.get("qid", "")
    return _edit(code, lambda sel, bank: sel.swapped(bank, qid), _("Question swapped."))


@bp.post("/<code>/reshuffle")
def reshuffle(code: str) -> Response:
    """Pick as many questions again with a new seed."""
    return _edit(
        code,
        lambda sel, bank: sel.reshuffled(bank, new_seed()),
        _("New questions picked."),
        at=lambda _sel: None,
    )


@bp.post("/<code>/edit")
def edit(code: str) -> Response | tuple[str, int]:
    """Change one question's words, options, right answer, accepted answers or
    notes (action=revert: back to the bank's text). Saved with the quiz, never
    in the bank; the question keeps its id. A mistake shows the page again
    with what the teacher typed and every problem."""
    code, selection, entry = load(code)
    assert entry.bank is not None
    qid = request.form.get("qid", "")
    plain = selection.quizzes(entry.bank, edited=False)
    version = _version(plain, request.form.get("v"))
    question = next((q for q in plain[version - 1].questions if q.id == qid), None)
    if question is None:
        flash(
            _("There is no such question in this quiz."),
            "error",
        )
        return _back(code)
    try:
        if request.form.get("action") == "revert":
            changed = selection.with_edit(QuestionEdit(qid=qid, lang=selection.lang))
        else:
            changed = selection.with_edit(
                read_edit(
                    question,
                    selection.lang,
                    request.form.get,
                    request.form.getlist,
                    now=int(time.time()),
                )
            )
    except EditError as exc:
        for problem in exc.problems:
            flash(problem, "error")
        return _page(
            code,
            selection,
            entry,
            version_arg=str(version),
            quiz_id=request.form.get("quiz"),
            failed={
                "qid": qid,
                "prompt": request.form.get("prompt", ""),
                "options": request.form.getlist("option"),
                "right": request.form.get("right", ""),
                "accepted": request.form.get("accepted", ""),
                "teacher_notes": request.form.get("teacher_notes", ""),
            },
            status=422,
        )
    except ChoiceError as exc:
        flash(str(exc), "error")
        return _back(code)
    new_code = _save_changed(code, entry, changed)
    reverted = changed.edit_for(qid) is None
    flash(
        _("The question is back to the bank's text.")
        if reverted
        else _("Question edited."),
        "ok",
    )
    return _back(new_code, at=_place())


@bp.post("/<code>/save")
def save(code: str) -> Response | tuple[str, int]:
    """Save the selection to "My quizzes" under the name the teacher gives."""
    from quizgen.web.my_quizzes import read_name

    code, selection, entry = load(code)
    assert entry.bank is not None
    name, problem = read_name(request.form.get("name", ""))
    if problem:
        flash(problem, "error")
        return _back(code)
    saved = store().save_quiz(
        owner=owner(),
        name=name,
        bank_key=entry.key,
        code=code,
        lang=selection.lang,
        count=len(selection.ids),
    )
    flash(_("Saved to My quizzes as “{name}”.", name=name), "ok")
    return redirect(url_for("preview.show", code=code, quiz=saved.id), code=303)


@bp.get("/<code>/download/<fmt>")
def download(code: str, fmt: str) -> Response:
    """The selection's files in `fmt` (?bilingual=1: an Anki deck in both languages)."""
    code, selection, entry = load(code)
    assert entry.bank is not None
    if fmt not in downloads.available_formats():
        abort(404)
    bilingual = (
        fmt == "anki"
        and request.args.get("bilingual") == "1"
        and len(entry.bank.languages) > 1
    )
    if bilingual:
        quizzes = selection.quizzes(entry.bank, "zh") + selection.quizzes(
            entry.bank, "en"
        )
    else:
        quizzes = selection.quizzes(entry.bank)
    got = downloads.build(fmt, quizzes, bilingual=bilingual)
    store().mark_used(code)
    response = Response(got.data, mimetype=got.content_type)
    response.headers["Content-Disposition"] = downloads.content_disposition(got)
    response.headers["Cache-Control"] = "no-store"
    return response
