"""Builder: pick topics, kinds, count, difficulty, language, seed and versions.

The page shows how many questions the choices allow (a button without
JavaScript, live with it through a JSON POST), then builds the selection,
saves it under a short code and sends the teacher to its preview.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from quizgen.bank import Bank
from quizgen.errors import ChoiceError, QuizgenError
from quizgen.generate import drawable, zero_reasons
from quizgen.quiz import FORMS
from quizgen.web import library, store
from quizgen.web.author import scoped_owner
from quizgen.web.banks import BankEntry
from quizgen.web.lang import colon, current
from quizgen.web.lang import gettext as _
from quizgen.web.selection import MAX_SEED, Selection, new_seed

bp = Blueprint("builder", __name__, url_prefix="/build")

MAX_COUNT = 500
#: questions in a new quiz when the teacher gives no number (or fewer, when
#: the choices allow fewer): a lesson's worth, not the whole bank
DEFAULT_COUNT = 10
MAX_VERSIONS = 26
#: questions of all versions together (100 in 26 versions, 500 in 5): each
#: download builds them all again, and Word takes about a millisecond for each
MAX_QUESTIONS_IN_ALL = 2600

#: every kind:form the builder offers, in display order
KIND_FORMS: tuple[str, ...] = tuple(
    f"{k}:{f}" for k, forms in FORMS.items() for f in forms
)


def entry_or_404(key: str) -> BankEntry:
    """The bank with this key; 404 when there is none, an error page when it is broken."""
    entry = library().get(key)
    if entry is None:
        abort(404)
    if entry.bank is None:
        raise QuizgenError(str(entry.error))
    return entry


def read_selection(
    get: Callable[[str], Any], getlist: Callable[[str], list[Any]]
) -> tuple[Selection, list[str]]:
    """The builder's choices from a form or JSON body; (selection, error messages)."""
    errors: list[str] = []

    def number(name: str, low: int, high: int, default: int | None) -> int | None:
        raw = get(name)
        if raw is None or str(raw).strip() == "":
            return default
        try:
            value = int(str(raw).strip())
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            errors.append(
                _(
                    "{name} must be a whole number from {low} to {high}.",
                    name=_(LABELS[name]),
                    low=low,
                    high=high,
                )
            )
            return default
        return value

    lang = str(get("lang") or "zh")
    if lang not in ("zh", "en"):
        errors.append(_("Choose Chinese or English for the questions."))
        lang = "zh"
    kinds = tuple(str(k) for k in getlist("kinds") if str(k) in KIND_FORMS)
    levels = []
    for raw in getlist("difficulty"):
        if str(raw) in ("1", "2", "3"):
            levels.append(int(raw))
    selection = Selection(
        lang=lang,
        topics=tuple(str(t) for t in getlist("topics")),
        kinds=kinds,
        difficulty=tuple(sorted(set(levels))),
        count=number("count", 1, MAX_COUNT, None),
        seed=number("seed", 0, MAX_SEED, 0) or 0,
        versions=number("versions", 1, MAX_VERSIONS, 1) or 1,
        open_blanks=get("open_blanks") in (True, "1", "true", "on"),
    )
    return selection, errors


LABELS = {
    "count": "Number of questions",
    "seed": "Seed",
    "versions": "Versions",
}


def allowed(bank: Bank, selection: Selection) -> int:
    """How many questions a quiz under the choices can hold (before the count):
    one per claim, none giving another's answer away. Raises ChoiceError."""
    return drawable(bank, selection.choices(count=None))


def _render(
    entry: BankEntry,
    selection: Selection,
    *,
    errors: list[str] | tuple[str, ...] = (),
    count: int | None = None,
    proposed: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    bank = entry.bank
    assert bank is not None
    return render_template(
        "web/builder.html",
        entry=entry,
        bank=bank,
        entries=[e for e in library().entries(scoped_owner()) if e.bank is not None],
        selection=selection,
        kind_forms=KIND_FORMS,
        # why a kind gives this bank no question, and what would enable it
        zero=_zero(bank),
        available_text=(
            count_message(count, _zero_ticked(bank, selection))
            if count is not None
            else ""
        ),
        errors=list(errors),
        count=count,
        max_count=MAX_COUNT,
        default_count=DEFAULT_COUNT,
        proposed=proposed,
        max_seed=MAX_SEED,
        max_versions=MAX_VERSIONS,
    ), status


@bp.get("")
def choose() -> Response:
    """Open the builder for the bank picked (or the first bank)."""
    key = request.args.get("bank", "")
    if not key:
        usable = [e for e in library().entries(scoped_owner()) if e.bank is not None]
        if not usable:
            return redirect(url_for("home.index"))
        key = usable[0].key
    return redirect(url_for("builder.form", key=key))


@bp.get("/<key>")
def form(key: str) -> tuple[str, int]:
    """The builder form: a fresh seed and the interface language as quiz language,
    or the choices of a saved selection (`?from=<code>`) to change them."""
    entry = entry_or_404(key)
    assert entry.bank is not None
    lang = current() if current() in entry.bank.languages else entry.bank.languages[0]
    selection = Selection(lang=lang, seed=new_seed(), count=DEFAULT_COUNT)
    saved = store().selection(request.args.get("from", ""))
    if saved is not None and saved.get("bank") == key:
        try:
            kept = Selection.from_dict(saved)
        except (KeyError, ValueError, TypeError):
            kept = None
        if kept is not None:
            selection = replace(kept, ids=(), excluded=())
    try:
        count = allowed(entry.bank, selection)
    except ChoiceError as exc:  # the bank changed since the selection was saved
        return _render(entry, selection, errors=str(exc).splitlines())
    if selection.count is not None and selection.count > count > 0:
        selection = replace(selection, count=count)
    return _render(entry, selection, count=count)


@bp.post("/<key>")
def submit(key: str) -> Response | tuple[str, int]:
    """Count the questions (action=count) or build and save the selection."""
    entry = entry_or_404(key)
    bank = entry.bank
    assert bank is not None
    selection, errors = read_selection(request.form.get, request.form.getlist)
    # the number the page proposed (not typed by the teacher) gives way to
    # narrower choices; a number the teacher typed is kept, or refused
    proposed = request.form.get("proposed", "")
    if errors:
        return _render(entry, selection, errors=errors, proposed=proposed, status=422)
    try:
        count = allowed(bank, selection)
    except ChoiceError as exc:
        return _render(
            entry,
            selection,
            errors=str(exc).splitlines(),
            proposed=proposed,
            status=422,
        )
    if selection.count is None:  # no number given: the default, or all there are
        selection = replace(selection, count=min(DEFAULT_COUNT, count) or None)
    elif str(selection.count) == proposed and selection.count > count > 0:
        selection = replace(selection, count=count)
        proposed = str(count)
    questions = count if selection.count is None else min(selection.count, count)
    if questions * selection.versions > MAX_QUESTIONS_IN_ALL:
        too_many = _(
            "{n} questions in {v} versions make {total} in all; at most {most}: "
            "choose fewer questions or fewer versions.",
            n=questions,
            v=selection.versions,
            total=questions * selection.versions,
            most=MAX_QUESTIONS_IN_ALL,
        )
        return _render(
            entry,
            selection,
            errors=[too_many],
            count=count,
            proposed=proposed,
            status=422,
        )
    if request.form.get("action") == "count":
        return _render(entry, selection, count=count, proposed=proposed)
    try:
        built = selection.build(bank)
    except ChoiceError as exc:
        return _render(
            entry,
            selection,
            errors=str(exc).splitlines(),
            count=count,
            proposed=proposed,
            status=422,
        )
    code = store().save_selection(entry.key, built.to_dict())
    return redirect(url_for("preview.show", code=code), code=303)


@bp.post("/<key>/available")
def count_json(key: str) -> tuple[Response, int]:
    """JSON: how many questions the posted choices allow, and the sentence to show."""
    entry = library().get(key)
    if entry is None or entry.bank is None:
        return jsonify(error=_("Page not found")), 404
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(error=_("The request could not be understood.")), 400

    def getlist(name: str) -> list[Any]:
        value = data.get(name, [])
        return value if isinstance(value, list) else [value]

    selection, errors = read_selection(data.get, getlist)
    if errors:
        return jsonify(error=" ".join(errors)), 422
    try:
        n = allowed(entry.bank, selection)
    except ChoiceError as exc:
        return jsonify(error=str(exc)), 422
    why = _zero_ticked(entry.bank, selection)
    return jsonify(count=n, message=count_message(n, why)), 200


def _zero(bank: Bank) -> dict[str, str]:
    """ "kind:form" -> why the bank gives none of it and what would enable it."""
    return {f"{k}:{f}": why for (k, f), why in zero_reasons(bank).items()}


def _zero_ticked(bank: Bank, selection: Selection) -> list[str]:
    """For each kind ticked that the bank gives none of: its name and why."""
    zero = _zero(bank)
    return [f"{_(kf)}{colon()}{zero[kf]}" for kf in selection.kinds if kf in zero]


def count_message(n: int, why: list[str] | tuple[str, ...] = ()) -> str:
    """The sentence under the form: how many questions the choices allow, and
    why a kind ticked gives none (`why`)."""
    if n == 0:
        out = _("These choices allow no question.")
    elif n == 1:
        out = _("These choices allow 1 question.")
    else:
        out = _("These choices allow {n} questions.", n=n)
    return " ".join([out, *why])
