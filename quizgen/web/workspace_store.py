"""Banks being written in the authoring workspace, kept in the web store.

One table, `workspaces`: the teacher's text (one paragraph a line, as the bank
quotes it) and the bank as plain data (JSON of what the bank's YAML holds),
with a revision that every save increments. A save reads and writes the row in
one write transaction (the row locked on PostgreSQL, the database on SQLite),
so two tabs saving at once both land, one after the other.

Created by migration 3 (registered when this module is imported).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from quizgen.web.store import Store, metadata, migration

__all__ = ["Workspace", "create", "get", "listing", "remove", "save", "workspaces"]

workspaces = Table(
    "workspaces",
    metadata,
    Column("key", String(32), primary_key=True),  # "w-" + random hex
    Column("title", String(500), nullable=False),
    Column("source_name", String(200), nullable=False),
    Column("source_text", Text, nullable=False),
    Column("data", Text, nullable=False),  # JSON: the bank as plain data
    Column("revision", Integer, nullable=False),
    Column("created_at", Integer, nullable=False),
    Column("updated_at", Integer, nullable=False),
    # whose bank in progress: "" for a laptop's teacher (migration 7)
    Column("owner", String(200), nullable=False, server_default=""),
)


@migration(4)
def create_tables(conn: Connection) -> None:
    """The authoring workspace's banks in progress."""
    workspaces.create(conn)


@dataclass(frozen=True, kw_only=True)
class Workspace:
    """A bank in progress: its text, its data (a dict shaped like the YAML)."""

    key: str
    title: str
    source_name: str
    source_text: str
    data: dict[str, Any]
    revision: int
    created_at: int
    updated_at: int
    owner: str = ""


def _row(row: Any) -> Workspace:
    values = dict(row._mapping)
    values["data"] = json.loads(values["data"])
    return Workspace(**values)


def create(
    store: Store,
    *,
    title: str,
    source_name: str,
    source_text: str,
    data: dict[str, Any],
    owner: str = "",
) -> str:
    """Store a new bank in progress for `owner`; return its key."""
    key = f"w-{secrets.token_hex(8)}"
    now = int(time.time())
    with store.write() as conn:
        conn.execute(
            insert(workspaces).values(
                key=key,
                title=title[:500],
                source_name=source_name,
                source_text=source_text,
                data=json.dumps(data, ensure_ascii=False),
                revision=1,
                owner=owner,
                created_at=now,
                updated_at=now,
            )
        )
    return key


def get(store: Store, key: str) -> Workspace | None:
    """The bank in progress with this key, or None."""
    with store.read() as conn:
        row = conn.execute(select(workspaces).where(workspaces.c.key == key)).first()
    return _row(row) if row is not None else None


def listing(store: Store, owner: str = "") -> list[Workspace]:
    """The owner's banks in progress, the last changed first."""
    with store.read() as conn:
        rows = conn.execute(
            select(workspaces)
            .where(workspaces.c.owner == owner)
            .order_by(workspaces.c.updated_at.desc(), workspaces.c.key)
        ).all()
    return [_row(r) for r in rows]


def save(
    store: Store,
    key: str,
    change: Callable[[dict[str, Any]], dict[str, Any] | None],
) -> int | None:
    """Apply `change` to the stored data and store what it returns.

    `change` gets the current data (a fresh copy) and returns the new data, or
    None to store nothing. Returns the new revision (None when nothing was
    stored, or there is no such bank).
    """
    with store.write() as conn:
        query = select(workspaces.c.data, workspaces.c.revision).where(
            workspaces.c.key == key
        )
        if not store.is_sqlite:
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            return None
        new = change(json.loads(row.data))
        if new is None:
            return None
        conn.execute(
            update(workspaces)
            .where(workspaces.c.key == key)
            .values(
                data=json.dumps(new, ensure_ascii=False),
                title=_title(new.get("title"))[:500],
                revision=row.revision + 1,
                updated_at=int(time.time()),
            )
        )
    return int(row.revision) + 1


def _title(value: Any) -> str:
    """The bank's title for the list: its English, else its Chinese (a pair),
    or the one text of a bank in one language."""
    if isinstance(value, dict):
        return str(value.get("en") or value.get("zh") or "")
    return "" if value is None else str(value)


def remove(store: Store, key: str) -> bool:
    """Delete a bank in progress; True if it existed."""
    with store.write() as conn:
        gone = conn.execute(delete(workspaces).where(workspaces.c.key == key)).rowcount
    return gone == 1
