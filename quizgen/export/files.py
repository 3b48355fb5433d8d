"""Atomic file output: a reader never sees a half-written file."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quizgen.quiz import Quiz


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`.

    On an exception the temporary file is removed and `path` is untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write `data` (text is UTF-8) to `path` atomically; return `path`."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path) as tmp:
        tmp.write_bytes(raw)
    return path


_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def base_name(quiz: Quiz, *, with_version: bool | None = None) -> str:
    """A file name stem for a quiz: `<bank>-<lang>` plus `-A`, `-B` when there are versions."""
    stem = _UNSAFE.sub("_", f"{quiz.bank}-{quiz.lang}")
    if with_version is None:
        with_version = quiz.versions > 1
    return f"{stem}-{quiz.version_label}" if with_version else stem
