"""What each teacher of a school server reaches: their own rows only.

Saved quizzes and live sessions are looked up with `owner()` where they are
read (`my_quizzes`, `my_sessions`, `live.pages`). This module adds the check
for the keys in other teachers' URLs, in one place, before any view runs:

- `<key>` of an uploaded bank (builder, source view, upload): the teacher
  must have uploaded it (a bundled bank is everyone's);
- `<key>` of a bank in progress (the authoring workspace): the teacher's own;
- `<code>` of a saved selection (preview, its downloads and edits, starting a
  live session): a selection from an uploaded bank opens only for a teacher
  who uploaded that bank. A selection of a bundled bank is a short link that
  anyone holding it may open, as on a laptop: its code is an HMAC of the
  content under the server's secret, so nobody works it out.

Another teacher's key answers 404, as a key that does not exist.
On a laptop (no logins) this does nothing.
"""

from __future__ import annotations

from flask import Flask, abort, request

from quizgen.web import store
from quizgen.web.author import owner, school_mode

__all__ = ["BANK_KEY_BLUEPRINTS", "init_app"]

#: blueprints whose `<key>` names a bank
BANK_KEY_BLUEPRINTS = frozenset({"builder", "source", "upload"})
#: blueprints and endpoints whose `<code>` names a saved selection
CODE_BLUEPRINTS = frozenset({"preview"})
CODE_ENDPOINTS = frozenset({"live.start"})


def _bank_is_theirs(key: str) -> bool:
    return not key.startswith("u-") or store().owns_bank(owner(), key)


def _check() -> None:
    args = request.view_args or {}
    blueprint = request.blueprint or ""
    key = args.get("key")
    if isinstance(key, str):
        if blueprint in BANK_KEY_BLUEPRINTS and not _bank_is_theirs(key):
            abort(404)
        if blueprint == "workspace":
            from quizgen.web import workspace_store

            found = workspace_store.get(store(), key)
            if found is None or found.owner != owner():
                abort(404)
    code = args.get("code")
    if isinstance(code, str) and (
        blueprint in CODE_BLUEPRINTS or request.endpoint in CODE_ENDPOINTS
    ):
        selection = store().selection(code)
        if selection is not None and not _bank_is_theirs(str(selection["bank"])):
            abort(404)


def init_app(app: Flask) -> None:
    """Check every teacher request's keys on a school server (after the login check)."""

    @app.before_request
    def _scoped() -> None:
        if school_mode() and request.view_args:
            # only requests that passed the teacher check reach the views
            # named above; a student's request never carries these keys
            from quizgen.web.author import _needs_author, is_author

            if _needs_author() and is_author():
                _check()
