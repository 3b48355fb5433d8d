"""The canonical JSON quiz file (docs/quiz.schema.json), one per version."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from quizgen.export import ExportOptions
from quizgen.export.files import base_name, write_atomic
from quizgen.quiz import Quiz, quiz_to_json


def write(quizzes: Sequence[Quiz], out_dir: Path, options: ExportOptions) -> list[Path]:
    """Write `<bank>-<lang>[-A].json` per version; return the paths."""
    return [
        write_atomic(out_dir / f"{base_name(q)}.json", quiz_to_json(q)) for q in quizzes
    ]
