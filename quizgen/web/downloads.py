"""Downloads: any exporter's files for a saved selection, as one response body.

Generic over `quizgen.export.FORMATS`: a format is offered once its module is
importable. One file is sent as it is; several (versions, or a handout's
student copy and key) are zipped, under the quiz's title (UTF-8, RFC 6266)
with an ASCII name for old clients.
"""

from __future__ import annotations

import importlib.util
import io
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from quizgen.errors import OutputError
from quizgen.export import FORMATS, ExportOptions, export
from quizgen.export.files import base_name
from quizgen.quiz import Quiz

__all__ = [
    "CONTENT_TYPES",
    "Download",
    "available_formats",
    "build",
    "content_disposition",
]

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


@dataclass(frozen=True, kw_only=True)
class Download:
    """A response body: file name (may hold Chinese), its ASCII stand-in, type, bytes."""

    filename: str
    ascii_filename: str
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
#: a title longer than this is cut in file names (headers and file systems have limits)
MAX_NAME_CHARS = 80


def _safe_name(text: str) -> str:
    """`text` fit for a file name: no path or control characters, no invisible
    formatting (a right-to-left override would show `exe.zip` as `piz.exe`), short."""
    text = "".join(
        ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )
    return _UNSAFE.sub("_", text).strip(" ._")[:MAX_NAME_CHARS].rstrip(" ._") or "quiz"


def build(
    fmt: str,
    quizzes: Sequence[Quiz],
    *,
    bilingual: bool = False,
) -> Download:
    """Export `quizzes` as `fmt` and return the file (or a zip of the files).

    Raises QuizgenError for an unknown format or what the exporter rejects.
    """
    with tempfile.TemporaryDirectory(prefix="quizgen-dl-") as tmp:
        try:
            files = export(fmt, quizzes, Path(tmp), ExportOptions(bilingual=bilingual))
        except OutputError as exc:
            # the server's own disk, not the teacher's choice: a server error
            raise RuntimeError(f"cannot build a download: {exc}") from exc
        if len(files) == 1:
            path = files[0]
            return Download(
                filename=path.name,
                ascii_filename=path.name,
                content_type=CONTENT_TYPES.get(
                    path.suffix.lower(), "application/octet-stream"
                ),
                data=path.read_bytes(),
            )
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in files:
                info = zipfile.ZipInfo(path.name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())
    first = quizzes[0]
    lang = "zh-en" if bilingual else first.lang
    name = f"{_safe_name(first.title)}-{lang}-{fmt}"
    stem = base_name(first, with_version=False)
    if bilingual:
        stem = stem.removesuffix(f"-{first.lang}") + "-bilingual"
    return Download(
        filename=f"{name}.zip",
        ascii_filename=f"{stem}-{fmt}.zip",
        content_type=CONTENT_TYPES[".zip"],
        data=buf.getvalue(),
    )


def content_disposition(download: Download) -> str:
    """`attachment` with the ASCII name and, when it differs, the UTF-8 name (RFC 5987)."""
    from urllib.parse import quote

    fallback = download.ascii_filename.encode("ascii", "replace").decode("ascii")
    fallback = re.sub(r'[?"\\\x00-\x1f]', "_", fallback)
    header = f'attachment; filename="{fallback}"'
    if download.filename != download.ascii_filename:
        header += f"; filename*=UTF-8''{quote(download.filename, safe='')}"
    return header
