"""Messages the user reads, in English or Chinese.

The language comes from QUIZGEN_LANG, else LANGUAGE / LC_ALL / LANG (zh_* means
Chinese), else English. Every user-facing message is written in both.
"""

from __future__ import annotations

import os


def user_lang() -> str:
    """Return 'zh' or 'en' for messages printed to this user."""
    for var in ("QUIZGEN_LANG", "LANGUAGE", "LC_ALL", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def t(en: str, zh: str) -> str:
    """Pick the English or the Chinese form of one message."""
    return zh if user_lang() == "zh" else en
