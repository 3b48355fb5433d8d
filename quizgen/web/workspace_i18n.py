"""Chinese for the authoring workspace's pages; other texts fall back to the site's table.

The workspace's templates get this module's `gettext` as `_` (render
arguments shadow the site's global). A test checks that every `_("...")` in
its templates and views has a Chinese form here or in quizgen.web.lang.
"""

from __future__ import annotations

from quizgen.web import lang as site

__all__ = ["ZH", "gettext"]

ZH: dict[str, str] = {}


def gettext(text: str, **values: object) -> str:
    """`text` in the current request's language, with `values` filled in."""
    if site.current() == "zh" and text in ZH:
        out = ZH[text]
        return out.format(**values) if values else out
    return site.gettext(text, **values)
