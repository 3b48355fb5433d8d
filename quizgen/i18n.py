"""Messages the user reads, in English or Chinese.

The language comes from QUIZGEN_LANG, else LANGUAGE / LC_ALL / LANG (zh_* means
Chinese), else English. Every user-facing message is written in both.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_FORCED: ContextVar[str | None] = ContextVar("quizgen_lang", default=None)


@contextmanager
def use_lang(lang: str) -> Iterator[None]:
    """Within the block, messages are in `lang` ('zh' or 'en'), whatever the environment
    says (the web app sets each request's language this way)."""
    token = _FORCED.set("zh" if lang == "zh" else "en")
    try:
        yield
    finally:
        _FORCED.reset(token)


def user_lang() -> str:
    """Return 'zh' or 'en' for messages printed to this user."""
    forced = _FORCED.get()
    if forced:
        return forced
    for var in ("QUIZGEN_LANG", "LANGUAGE", "LC_ALL", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def t(en: str, zh: str) -> str:
    """Pick the English or the Chinese form of one message."""
    return zh if user_lang() == "zh" else en
