"""Where the bundled templates, banks and seeds are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder `name` (templates, question_banks, seeds).

    A wheel maps them into `quizgen/_data/`; a source checkout (or an editable
    install) has them at the top of the repository.
    """
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def bundled_banks() -> list[Path]:
    """Every bank file shipped with quizgen, sorted by name."""
    return sorted(data_dir("question_banks").glob("*.yaml"))
