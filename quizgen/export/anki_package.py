"""Writing an .apkg: genanki's schema and rows, with the notes and cards inserted in bulk.

The rows are the ones genanki writes (a test compares the two databases row by
row); the collection is built in memory and zipped with fixed entry times.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import genanki

from quizgen.export.files import atomic_path

__all__ = ["DeckNote", "Previous", "read_previous", "write_package"]

#: the zip format cannot store a time before 1980; earlier times are clamped
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(slots=True)
class DeckNote:
    """One note of a deck, with the attribute names genanki.Note uses.

    The plan holds these instead of genanki.Note objects, which validate their
    tags and fields again on every write; `write_package` inserts them with
    the rows genanki would write. `tags` are Anki tags already (no spaces).
    `mod` is the note's own modification time (its cards get it too); the
    note's k-th card gets the new-card position `due + k * stride`.
    """

    model: genanki.Model
    fields: list[str]
    tags: list[str]
    guid: str
    due: int
    mod: int
    stride: int = 0


def _card_ords(model: genanki.Model, fields: Sequence[str]) -> list[int]:
    """The ords of the cards genanki makes for a note (Note.cards, without a Note)."""
    return [
        card_ord
        for card_ord, any_or_all, required in model._req
        if (any if any_or_all == "any" else all)(fields[i] for i in required)
    ]


class _BulkDeck(genanki.Deck):
    """A genanki deck whose notes (DeckNote) go in with one executemany per table.

    genanki's Deck.write_to_db runs two INSERTs per note and checks every field
    for malformed HTML (the fields built here are escaped by construction, and
    a test runs genanki's check on them). The rows are the ones genanki writes,
    in the same order and with the same ids, except for each note's own
    modification time and each card's position: a test compares the two
    databases row by row.
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
        note_rows, card_rows = [], []
        for note in notes:
            model = note.model
            if len(model.fields) != len(note.fields):
                raise ValueError(f"{note.guid}: fields do not match the note type")
            nid = next(id_gen)
            mod = note.mod
            note_rows.append(
                (nid, note.guid, model.model_id, mod, -1, f" {' '.join(note.tags)} ",
                 "\x1f".join(note.fields), note.fields[model.sort_field_index], 0, 0, "")
            )  # fmt: skip
            for k, card_ord in enumerate(_card_ords(model, note.fields)):
                card_rows.append(
                    (next(id_gen), nid, self.deck_id, card_ord, mod, -1, 0, 0,
                     note.due + k * note.stride, 0, 0, 0, 0, 0, 0, 0, 0, "")
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


def _add_preset(cursor: sqlite3.Cursor, preset: dict[str, object]) -> None:
    """Add deck options `preset` (Anki's deck-config JSON, over genanki's
    Default) to the collection and give it to every deck but Default."""
    dconf_text, decks_text = cursor.execute("SELECT dconf, decks FROM col").fetchone()
    dconf, decks = json.loads(dconf_text), json.loads(decks_text)
    conf = json.loads(json.dumps(dconf["1"]))  # a deep copy
    for key, value in preset.items():
        if isinstance(value, dict):
            conf[key].update(value)
        else:
            conf[key] = value
    dconf[str(conf["id"])] = conf
    for did, deck in decks.items():
        if did != "1":
            deck["conf"] = conf["id"]
    cursor.execute(
        "UPDATE col SET dconf = ?, decks = ?", (json.dumps(dconf), json.dumps(decks))
    )


def write_package(
    decks: Sequence[genanki.Deck],
    path: Path,
    timestamp: int,
    preset: dict[str, object] | None = None,
) -> Path:
    """Write `decks` as an .apkg at `path`, byte for byte the same for the same input.

    genanki stamps the collection, decks and note types with `timestamp`;
    notes and cards carry their own `mod`; the zip entries get `timestamp`
    too (not the time of writing). `preset`, when given, is a deck-options
    preset every deck uses. The collection is built in memory and written
    atomically; returns `path`.
    """
    package = genanki.Package([_bulk(d) for d in decks])
    conn = sqlite3.connect(":memory:")
    try:
        # large pages: a note's fields (about 4 KB of HTML in a bilingual deck)
        # fit in one page instead of spilling into overflow pages; a third
        # less to write and to deflate, and any SQLite (so any Anki) reads them
        conn.execute("PRAGMA page_size = 65536")
        cursor = conn.cursor()
        package.write_to_db(cursor, timestamp, itertools.count(int(timestamp) * 1000))
        if preset is not None:
            _add_preset(cursor, preset)
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


@dataclass(frozen=True, kw_only=True)
class Previous:
    """What an earlier build of the same package holds: per note GUID its
    (modification time, note type id, fields, tags as stored), and per note
    type id its (modification time, templates and CSS as JSON)."""

    notes: dict[str, tuple[int, int, str, str]]
    models: dict[int, tuple[int, str]]


def model_shape(model: dict[str, object]) -> str:
    """A note type's templates and CSS as one comparable string."""
    return json.dumps([model.get("tmpls"), model.get("css")], sort_keys=True)


def read_previous(path: Path) -> Previous | None:
    """The notes and note types of the .apkg at `path`; None when there is no
    readable one (a missing or damaged file is simply not a previous build)."""
    try:
        with zipfile.ZipFile(path) as zf:
            data = zf.read("collection.anki2")
        conn = sqlite3.connect(":memory:")
        try:
            conn.deserialize(data)
            notes = {
                guid: (mod, mid, flds, tags)
                for guid, mod, mid, flds, tags in conn.execute(
                    "SELECT guid, mod, mid, flds, tags FROM notes"
                )
            }
            (models_text,) = conn.execute("SELECT models FROM col").fetchone()
        finally:
            conn.close()
        models = {
            int(mid): (int(m.get("mod", 0)), model_shape(m))
            for mid, m in json.loads(models_text).items()
        }
    except (
        OSError,
        KeyError,
        ValueError,
        TypeError,
        zipfile.BadZipFile,
        sqlite3.Error,
    ):
        return None
    return Previous(notes=notes, models=models)
