"""The banks a server offers: bundled ones (files) and uploads (in the store).

Each bank has a key for URLs: the file's stem for a bundled bank
(`ai_panel_2024`), `u-<hash>` for an upload. Loaded banks are kept in memory
(per process) until their file or stored text changes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path

from quizgen.bank import Bank, load_bank, parse_bank
from quizgen.errors import BankError
from quizgen.web.store import Store

__all__ = ["BankEntry", "Library"]


@dataclass(frozen=True, kw_only=True)
class BankEntry:
    """One bank on this server: its key, whether uploaded, and the bank or its errors."""

    key: str
    uploaded: bool
    bank: Bank | None
    error: BankError | None = None
    name: str = ""  # the file name, for a bank that failed to load


class Library:
    """Finds and caches the banks of one app: `paths` (bundled) plus the store's uploads."""

    def __init__(self, paths: list[Path], store: Store) -> None:
        self.paths = [Path(p) for p in paths]
        self.store = store
        self._lock = threading.Lock()
        self._files: dict[Path, tuple[float, BankEntry]] = {}
        self._uploads: dict[str, BankEntry] = {}

    def _bundled(self, path: Path) -> BankEntry:
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = -1.0
        with self._lock:
            hit = self._files.get(path)
        if hit is not None and hit[0] == mtime:
            return hit[1]
        try:
            entry = BankEntry(key=path.stem, uploaded=False, bank=load_bank(path))
        except BankError as exc:
            # the pages show the problems: file names, not where the server keeps them
            shown = BankError(
                [replace(p, file=Path(p.file).name) for p in exc.problems]
            )
            entry = BankEntry(
                key=path.stem, uploaded=False, bank=None, error=shown, name=path.name
            )
        with self._lock:
            self._files[path] = (mtime, entry)
        return entry

    def _uploaded(self, key: str) -> BankEntry | None:
        with self._lock:
            hit = self._uploads.get(key)
        if hit is not None:
            return hit
        stored = self.store.bank(key)
        if stored is None:
            return None
        try:
            bank = parse_bank(
                stored.yaml_text,
                file=stored.yaml_name,
                source_text=stored.source_text,
                modified=stored.created_at,
            )
            entry = BankEntry(key=key, uploaded=True, bank=bank)
        except BankError as exc:  # checked on upload; only a changed checker gets here
            entry = BankEntry(
                key=key, uploaded=True, bank=None, error=exc, name=stored.yaml_name
            )
        with self._lock:
            self._uploads[key] = entry
        return entry

    def entries(self, owner: str | None = None) -> list[BankEntry]:
        """Every bank: bundled ones by file name, then uploads oldest first
        (with `owner`, only the uploads that teacher sent)."""
        out = [self._bundled(p) for p in self.paths]
        mine = self.store.bank_keys(owner) if owner is not None else None
        for stored in self.store.banks():
            if mine is not None and stored.key not in mine:
                continue
            entry = self._uploaded(stored.key)
            if entry is not None:
                out.append(entry)
        return out

    def get(self, key: str) -> BankEntry | None:
        """The bank with this key, or None if there is none."""
        for path in self.paths:
            if path.stem == key:
                return self._bundled(path)
        if key.startswith("u-"):
            if not self.store.has_bank(key):
                self.forget(key)  # deleted, maybe by another process
                return None
            return self._uploaded(key)
        return None

    def forget(self, key: str) -> None:
        """Drop an uploaded bank from this process's memory (after it was deleted)."""
        with self._lock:
            self._uploads.pop(key, None)
