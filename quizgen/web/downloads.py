"""Downloads: any exporter's files for a saved selection, as one response body.

Generic over `quizgen.export.FORMATS`: a format is offered once its module is
importable. One file is sent as it is; several (versions, or a handout's
student copy and key) are zipped.
"""

from __future__ import annotations

import importlib.util
import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from quizgen.export import FORMATS, ExportOptions, export
from quizgen.quiz import Quiz

__all__ = ["CONTENT_TYPES", "Download", "VARIANTS", "available_formats", "build"]

CONTENT_TYPES: dict[str, str] = {
    ".json": "application/json",
    ".apkg": "application/apkg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".gift": "text/plain; charset=utf-8",
    ".zip": "application/zip",
    ".pdf": "application/pdf",
}

#: formats written more than once with different options: (folder, options)
VARIANTS: dict[str, tuple[tuple[str, ExportOptions], ...]] = {
    "docx": (
        ("student", ExportOptions(answers="none")),
        ("key", ExportOptions(answers="end")),
    ),
}


@dataclass(frozen=True, kw_only=True)
class Download:
    """A response body: file name (may hold Chinese), content type, bytes."""

    filename: str
    content_type: str
    data: bytes


def available_formats() -> list[str]:
    """The formats whose exporter module exists, in FORMATS order."""
    out = []
    for fmt, module in FORMATS.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if found:
            out.append(fmt)
    return out


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _safe_name(text: str) -> str:
    return _UNSAFE.sub("_", text).strip(" ._") or "quiz"


def build(
    fmt: str,
    quizzes: Sequence[Quiz],
    *,
    bilingual: bool = False,
) -> Download:
    """Export `quizzes` as `fmt` and return the file (or a zip of the files).

    Raises QuizgenError for an unknown format or what the exporter rejects.
    """
    variants = VARIANTS.get(fmt, (("", ExportOptions(bilingual=bilingual)),))
    with tempfile.TemporaryDirectory(prefix="quizgen-dl-") as tmp:
        root = Path(tmp)
        files: list[tuple[str, Path]] = []
        for folder, options in variants:
            out_dir = root / (folder or "out")
            for path in export(fmt, quizzes, out_dir, options):
                files.append((folder, path))
        names = [p.name for _, p in files]
        clash = len(set(names)) != len(names)
        if len(files) == 1:
            path = files[0][1]
            return Download(
                filename=path.name,
                content_type=CONTENT_TYPES.get(
                    path.suffix.lower(), "application/octet-stream"
                ),
                data=path.read_bytes(),
            )
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for folder, path in files:
                arcname = f"{folder}/{path.name}" if clash and folder else path.name
                info = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())
    first = quizzes[0]
    lang = "zh-en" if bilingual else first.lang
    name = _safe_name(f"{first.title}-{lang}-{fmt}")
    return Download(
        filename=f"{name}.zip", content_type=CONTENT_TYPES[".zip"], data=buf.getvalue()
    )
