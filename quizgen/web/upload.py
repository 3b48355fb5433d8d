"""Bank upload: a YAML bank plus its source text, checked, stored only when valid."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from quizgen.bank import parse_bank
from quizgen.errors import BankError, Problem
from quizgen.web import author, library, store
from quizgen.web.banks import BankEntry
from quizgen.web.lang import current
from quizgen.web.lang import gettext as _

bp = Blueprint("upload", __name__, url_prefix="/upload")

_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)

#: problems listed on the page: a bank with thousands of them gets a page a
#: browser shows at once, and `quizgen check` lists them all
MAX_PROBLEMS_SHOWN = 200


def _clean_name(name: str | None, default: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _NAME.sub("_", base).strip("._")[:100]
    return cleaned or default


def _read(field: str, default: str, missing: str) -> tuple[str, str | None, str | None]:
    """(file name, text, error) for one uploaded file."""
    limit_kb = int(current_app.config["UPLOAD_MAX_FILE_KB"])
    upload: FileStorage | None = request.files.get(field)
    if upload is None or not upload.filename:
        return default, None, missing
    name = _clean_name(upload.filename, default)
    raw = upload.stream.read(limit_kb * 1024 + 1)
    if len(raw) > limit_kb * 1024:
        return name, None, _("{name} is larger than {kb} KB.", name=name, kb=limit_kb)
    try:
        return name, raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return name, None, _("{name} is not UTF-8 text.", name=name)


def _page(
    errors: list[str] | None = None,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "web/upload.html",
        errors=errors or [],
        problems=(problems or [])[:MAX_PROBLEMS_SHOWN],
        problem_count=len(problems or []),
        limit_kb=int(current_app.config["UPLOAD_MAX_FILE_KB"]),
    ), status


@bp.get("")
def form() -> tuple[str, int]:
    """The upload form."""
    return _page()


@bp.post("")
def submit() -> Response | tuple[str, int]:
    """Check the bank against its source; store both when valid, else show every problem."""
    yaml_name, yaml_text, yaml_error = _read(
        "bank", "bank.yaml", _("Choose a bank file.")
    )
    source_name, source_text, source_error = _read(
        "source", "source.txt", _("Choose a source text file.")
    )
    errors = [e for e in (yaml_error, source_error) if e]
    limit = int(current_app.config["UPLOAD_MAX_BANKS"])
    if store().bank_count() >= limit:
        errors.append(
            _("This server holds {n} uploaded banks, as many as it accepts.", n=limit)
        )
    elif yaml_text is not None and source_text is not None:
        total_kb = int(current_app.config["UPLOAD_MAX_TOTAL_KB"])
        adding = len(yaml_text.encode()) + len(source_text.encode())
        if store().bank_bytes() + adding > total_kb * 1024:
            errors.append(
                _(
                    "This server holds as much uploaded text as it accepts ({kb} KB).",
                    kb=total_kb,
                )
            )
    if errors:
        return _page(errors=errors, status=422)
    assert yaml_text is not None
    assert source_text is not None
    try:
        bank = parse_bank(yaml_text, file=yaml_name, source_text=source_text)
    except BankError as exc:
        return _page(problems=exc.problems, status=422)
    key = store().add_bank(
        bank_id=bank.id,
        yaml_name=yaml_name,
        yaml_text=yaml_text,
        source_name=source_name,
        source_text=source_text,
        owner=author.owner(),
    )
    flash(_("Bank uploaded: {title}.", title=bank.title.get(current())), "ok")
    return redirect(url_for("builder.form", key=key), code=303)


def _uploaded_or_404(key: str) -> BankEntry:
    entry = library().get(key)
    if entry is None or not entry.uploaded:
        abort(404)
    return entry


@bp.get("/<key>/delete")
def delete_form(key: str) -> str:
    """Ask to confirm deleting an uploaded bank."""
    entry = _uploaded_or_404(key)
    return render_template("web/delete_bank.html", entry=entry, title=_title(entry))


@bp.post("/<key>/delete")
def delete(key: str) -> Response:
    """Delete an uploaded bank and the selections (short links) saved from it."""
    entry = _uploaded_or_404(key)
    if store().delete_bank(key, author.scoped_owner()):
        library().forget(key)
        flash(_("Bank deleted: {title}.", title=_title(entry)), "ok")
    return redirect(url_for("home.index"), code=303)


def _title(entry: BankEntry) -> str:
    return entry.bank.title.get(current()) if entry.bank is not None else entry.name
