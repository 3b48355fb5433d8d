"""Writing an .apkg: genanki's schema and rows, with the notes and cards inserted in bulk.

The rows are the ones genanki writes (a test compares the two databases row by
row); the collection is built in memory and zipped with fixed entry times.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import genanki

from quizgen.export.files import atomic_path

__all__ = ["DeckNote", "write_package"]

#: the zip format cannot store a time before 1980; earlier times are clamped
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(slots=True)
class DeckNote:
    """One note of a deck, with the attribute names genanki.Note uses.

    The plan holds these instead of genanki.Note objects, which validate their
    tags and fields again on every write; `write_package` inserts them with
    the rows genanki would write. `tags` are Anki tags already (no spaces).
    """

    model: genanki.Model
    fields: list[str]
    tags: list[str]
    guid: str
    due: int


_CLOZE_REF = re.compile(r"{{[^}]*?cloze:(?:[^}]?:)*(.+?)}}")
_CLOZE_NUMBER = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)


@lru_cache(maxsize=64)
def _cloze_sources(qfmt: str, names: tuple[str, ...]) -> tuple[int | None, ...]:
    """Which fields a cloze template's {{cloze:...}} references read (None: no such field)."""
    return tuple(
        names.index(name) if name in names else None
        for name in set(_CLOZE_REF.findall(qfmt))
    )


def _card_ords(model: genanki.Model, fields: Sequence[str]) -> list[int]:
    """The ords of the cards genanki makes for a note (Note.cards, without a Note)."""
    if model.model_type == model.CLOZE:
        names = tuple(f["name"] for f in model.fields)
        ords: set[int] = set()
        for i in _cloze_sources(model.templates[0]["qfmt"], names):
            value = fields[i] if i is not None else ""
            ords.update(int(m) - 1 for m in _CLOZE_NUMBER.findall(value) if int(m) > 0)
        return list(ords)  # genanki's set order: a note has one cloze, c1
    return [
        card_ord
        for card_ord, any_or_all, required in model._req
        if (any if any_or_all == "any" else all)(fields[i] for i in required)
    ]


_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


class _BulkDeck(genanki.Deck):
    """A genanki deck whose notes (DeckNote) go in with one executemany per table.

    genanki's Deck.write_to_db runs two INSERTs per note and checks every field
    for malformed HTML (the fields built here are escaped by construction, and
    a test runs genanki's check on them). The rows are the ones genanki writes,
    in the same order and with the same ids: a test compares the two databases
    row by row.
    """

    def write_to_db(self, cursor, timestamp, id_gen):  # type: ignore[no-untyped-def]
        notes: list[DeckNote] = self.notes
        self.notes = []
        for note in notes:
            self.add_model(note.model)
        try:
            super().write_to_db(cursor, timestamp, id_gen)  # the deck and note types
        finally:
            self.notes = notes
        mod = int(timestamp)
        note_rows, card_rows = [], []
        for note in notes:
            model = note.model
            if len(model.fields) != len(note.fields):
                raise ValueError(f"{note.guid}: fields do not match the note type")
            nid = next(id_gen)
            note_rows.append(
                (nid, note.guid, model.model_id, mod, -1, f" {' '.join(note.tags)} ",
                 "\x1f".join(note.fields), note.fields[model.sort_field_index], 0, 0, "")
            )  # fmt: skip
            for card_ord in _card_ords(model, note.fields):
                card_rows.append(
                    (next(id_gen), nid, self.deck_id, card_ord, mod, -1, 0, 0,
                     note.due, 0, 0, 0, 0, 0, 0, 0, 0, "")
                )  # fmt: skip
        cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", note_rows)
        cursor.executemany(
            "INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows
        )


def _bulk(deck: genanki.Deck) -> _BulkDeck:
    out = _BulkDeck(deck.deck_id, deck.name, description=deck.description)
    out.notes = deck.notes
    out.models = dict(deck.models)
    return out


def write_package(decks: Sequence[genanki.Deck], path: Path, timestamp: int) -> Path:
    """Write `decks` as an .apkg at `path`, byte for byte the same for the same input.

    genanki stamps notes, cards and note types with `timestamp`; the zip
    entries get it too (not the time of writing). The collection is built in
    memory and written atomically; returns `path`.
    """
    package = genanki.Package([_bulk(d) for d in decks])
    conn = sqlite3.connect(":memory:")
    try:
        # large pages: a note's fields (about 4 KB of HTML in a bilingual deck)
        # fit in one page instead of spilling into overflow pages; a third
        # less to write and to deflate, and any SQLite (so any Anki) reads them
        conn.execute("PRAGMA page_size = 65536")
        package.write_to_db(
            conn.cursor(), timestamp, itertools.count(int(timestamp) * 1000)
        )
        conn.commit()
        collection = conn.serialize()
    finally:
        conn.close()
    stamp = max(_ZIP_EPOCH, time.gmtime(timestamp)[:6])
    with atomic_path(path) as part, zipfile.ZipFile(part, "w") as zf:
        for arcname, data in (("collection.anki2", collection), ("media", b"{}")):
            info = zipfile.ZipInfo(arcname, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=3)
    return path
