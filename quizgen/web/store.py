"""The web app's store: SQL through SQLAlchemy Core, with a versioned schema.

One `Store` per app process. SQLite (a file in the instance folder) by default:
WAL, a busy timeout, and `BEGIN IMMEDIATE` for every transaction that writes,
so that two writers wait for each other instead of failing with "database is
locked". PostgreSQL when the URL says so (several processes or machines share
it).

Use `store.read()` for a transaction that only reads and `store.write()` for
one that writes; both yield a Connection and commit on success.

The schema is a list of migrations (`MIGRATIONS`), applied in order on start;
`schema_version` records the last one applied. To change the schema, append a
migration (never edit an applied one).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    cast,
    column,
    create_engine,
    delete,
    event,
    func,
    insert,
    literal,
    select,
    table,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url

__all__ = [
    "MIGRATIONS",
    "SavedQuiz",
    "Store",
    "StoredBank",
    "metadata",
    "migration",
    "schema_version_latest",
]

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", Integer, nullable=False),
)

#: banks uploaded to this server: the YAML and its source text, as sent
uploaded_banks = Table(
    "uploaded_banks",
    metadata,
    Column("key", String(32), primary_key=True),  # "u-" + start of the sha256
    Column("bank_id", String(200), nullable=False),
    Column("yaml_name", String(200), nullable=False),
    Column("yaml_text", Text, nullable=False),
    Column("source_name", String(200), nullable=False),
    Column("source_text", Text, nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("created_at", Integer, nullable=False),
)

#: saved question selections, under a short code (content-addressed)
selections = Table(
    "selections",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("bank_key", String(200), nullable=False),
    Column("data", Text, nullable=False),  # JSON: choices and the exact question ids
    Column("created_at", Integer, nullable=False),
)

#: a teacher's named quizzes ("My quizzes"): a name over a selection's code.
#: `owner` is "" for the one teacher of a laptop; a school server's login scopes it.
saved_quizzes = Table(
    "saved_quizzes",
    metadata,
    Column("id", String(24), primary_key=True),  # random; in every URL
    Column("owner", String(200), nullable=False),
    Column("name", String(200), nullable=False),
    Column("bank_key", String(200), nullable=False),
    Column("code", String(32), nullable=False),  # the selection it shows now
    Column("lang", String(8), nullable=False),
    Column("count", Integer, nullable=False),
    Column("created_at", Integer, nullable=False),
    Column("updated_at", Integer, nullable=False),
    Column("used_at", Integer, nullable=True),  # last download
    Index("ix_saved_quizzes_owner", "owner", "updated_at"),
)

#: who uploaded each bank (migration 7): an upload is stored once by content,
#: and each teacher who sent it owns it; "" is a laptop's one teacher
bank_owners = Table(
    "bank_owners",
    metadata,
    Column("bank_key", String(32), primary_key=True),
    Column("owner", String(200), primary_key=True),
    Index("ix_bank_owners_owner", "owner"),
)

#: the live quiz's sessions, read only for "last used" (the live quiz owns the table)
_live_sessions = table(
    "live_sessions", column("selection_code", String), column("created_ms", Integer)
)


#: version -> apply(conn); filled by @migration, applied in order by Store.migrate
MIGRATIONS: dict[int, Callable[[Connection], None]] = {}


def migration(
    version: int,
) -> Callable[[Callable[[Connection], None]], Callable[[Connection], None]]:
    """Register `apply(conn)` as schema migration `version` (1, 2, ...).

    A module that adds tables registers its migration when imported, before
    `create_app` calls `Store.migrate()`. Raises ValueError for a version
    already taken.
    """

    def register(apply: Callable[[Connection], None]) -> Callable[[Connection], None]:
        if version in MIGRATIONS and MIGRATIONS[version] is not apply:
            raise ValueError(f"schema migration {version} is already registered")
        MIGRATIONS[version] = apply
        return apply

    return register


@migration(1)
def _v1(conn: Connection) -> None:
    """Uploaded banks and saved selections."""
    uploaded_banks.create(conn)
    selections.create(conn)


@migration(3)
def _v3(conn: Connection) -> None:
    """The teacher's named quizzes."""
    saved_quizzes.create(conn)


@migration(7)
def _v7(conn: Connection) -> None:
    """Owners for a school server: who uploaded each bank (every bank stored so
    far is the laptop teacher's, ""), the teacher accounts' table (defined in
    quizgen.web.teachers) and the owner of each bank in progress (when the
    workspace's table is there)."""
    bank_owners.create(conn, checkfirst=True)
    conn.execute(
        insert(bank_owners).from_select(
            ["bank_key", "owner"],
            select(uploaded_banks.c.key, literal("", String(200))),
        )
    )
    from sqlalchemy import inspect

    from quizgen.web.teachers import teachers

    teachers.create(conn, checkfirst=True)
    found = inspect(conn)
    if found.has_table("workspaces") and "owner" not in {
        c["name"] for c in found.get_columns("workspaces")
    }:
        conn.exec_driver_sql(
            "ALTER TABLE workspaces ADD COLUMN owner VARCHAR(200) NOT NULL DEFAULT ''"
        )


def schema_version_latest() -> int:
    """The highest registered migration: the version `migrate()` brings a database to."""
    return max(MIGRATIONS)


@dataclass(frozen=True, kw_only=True)
class StoredBank:
    """An uploaded bank as stored."""

    key: str
    bank_id: str
    yaml_name: str
    yaml_text: str
    source_name: str
    source_text: str
    sha256: str
    created_at: int


@dataclass(frozen=True, kw_only=True)
class SavedQuiz:
    """A quiz in "My quizzes": its name, bank and the selection it shows."""

    id: str
    owner: str
    name: str
    bank_key: str
    code: str
    lang: str
    count: int
    created_at: int
    updated_at: int
    used_at: int | None


def _sqlite_setup(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, busy timeout, and transactions begun by us: BEGIN, or BEGIN IMMEDIATE to write."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # the driver must not begin on its own
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("quizgen_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Store:
    """The database behind one app process. Create it, then call `migrate()`."""

    def __init__(
        self, url: str, *, busy_timeout_ms: int = 10_000, code_key: bytes = b""
    ) -> None:
        """Open the store at `url`. `code_key` keys the selection codes: with the
        app's secret, nobody can work a code out from a selection's content."""
        self.code_key = code_key
        self.url = make_url(url)
        if self.url.drivername in ("postgresql", "postgres"):
            # a plain postgresql:// URL means psycopg 3 (the `postgres` extra)
            self.url = self.url.set(drivername="postgresql+psycopg")
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            kwargs["connect_args"] = {
                "timeout": busy_timeout_ms / 1000,
                "check_same_thread": False,
            }
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            _sqlite_setup(self.engine, busy_timeout_ms)
        # a forked worker must not reuse the parent's connections
        ref = weakref.ref(self.engine)

        def _after_fork() -> None:
            engine = ref()
            if engine is not None:
                engine.dispose(close=False)

        os.register_at_fork(after_in_child=_after_fork)

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A transaction that only reads; yields its Connection."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction that writes, holding the write lock from its start (SQLite).

        Commits when the block ends, rolls back if it raises.
        """
        with self.engine.connect() as conn:
            conn.execution_options(quizgen_write=True)
            with conn.begin():
                yield conn

    def insert_new(self, table: Table) -> Any:
        """INSERT that does nothing when the row's key exists (ON CONFLICT DO NOTHING).

        Check-then-insert races between processes; this does not.
        """
        if self.is_sqlite:
            return sqlite_insert(table).on_conflict_do_nothing()
        if self.engine.dialect.name == "postgresql":
            return pg_insert(table).on_conflict_do_nothing()
        raise NotImplementedError(
            f"no conflict-free insert for {self.engine.dialect.name}"
        )

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    # ------------------------------------------------------------------ schema

    def version(self) -> int:
        """The schema version of the database (0 when empty)."""
        with self.read() as conn:
            if not self.engine.dialect.has_table(conn, "schema_version"):
                return 0
            found = conn.execute(
                select(schema_version.c.version)
                .order_by(schema_version.c.version.desc())
                .limit(1)
            ).scalar()
            return int(found or 0)

    def migrate(self) -> int:
        """Apply every migration not yet applied; return the schema version.

        Safe to call from several processes at once: each step runs in a write
        transaction that holds the database's write lock (SQLite) or a
        transaction-level advisory lock (PostgreSQL) and checks the version first.
        """
        with self.write() as conn:
            self._migration_lock(conn)
            schema_version.create(conn, checkfirst=True)
        for number, apply in sorted(MIGRATIONS.items()):
            with self.write() as conn:
                self._migration_lock(conn)
                done = conn.execute(
                    select(schema_version.c.version).where(
                        schema_version.c.version == number
                    )
                ).first()
                if done is None:
                    apply(conn)
                    conn.execute(
                        insert(schema_version).values(
                            version=number, applied_at=int(time.time())
                        )
                    )
        return self.version()

    def _migration_lock(self, conn: Connection) -> None:
        if self.engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")

    # ------------------------------------------------------------------ uploaded banks

    def add_bank(
        self,
        *,
        bank_id: str,
        yaml_name: str,
        yaml_text: str,
        source_name: str,
        source_text: str,
        owner: str = "",
    ) -> str:
        """Store an uploaded (already checked) bank for `owner`; return its key.

        The same YAML and source uploaded again return the key stored before
        (and the bank is then also the second uploader's).
        """
        digest = hashlib.sha256(
            json.dumps([yaml_text, source_text], ensure_ascii=False).encode("utf-8")
        ).hexdigest()
        key = f"u-{digest[:12]}"
        with self.write() as conn:
            conn.execute(
                self.insert_new(uploaded_banks).values(
                    key=key,
                    bank_id=bank_id,
                    yaml_name=yaml_name,
                    yaml_text=yaml_text,
                    source_name=source_name,
                    source_text=source_text,
                    sha256=digest,
                    created_at=int(time.time()),
                )
            )
            key = conn.execute(
                select(uploaded_banks.c.key).where(uploaded_banks.c.sha256 == digest)
            ).scalar_one()
            conn.execute(self.insert_new(bank_owners).values(bank_key=key, owner=owner))
        return key

    def owns_bank(self, owner: str, key: str) -> bool:
        """Whether `owner` uploaded the bank with this key."""
        with self.read() as conn:
            return (
                conn.execute(
                    select(bank_owners.c.bank_key).where(
                        bank_owners.c.bank_key == key, bank_owners.c.owner == owner
                    )
                ).first()
                is not None
            )

    def bank_keys(self, owner: str) -> set[str]:
        """The keys of the banks `owner` uploaded."""
        with self.read() as conn:
            return set(
                conn.execute(
                    select(bank_owners.c.bank_key).where(bank_owners.c.owner == owner)
                ).scalars()
            )

    def bank_count(self) -> int:
        """How many uploaded banks are stored."""
        with self.read() as conn:
            return int(
                conn.execute(select(func.count()).select_from(uploaded_banks)).scalar()
                or 0
            )

    def bank_bytes(self) -> int:
        """How many bytes (UTF-8) of YAML and source text the uploaded banks hold."""

        def size(column: Any) -> Any:
            if self.is_sqlite:
                return func.length(cast(column, LargeBinary))
            return func.octet_length(column)

        total = func.sum(
            size(uploaded_banks.c.yaml_text) + size(uploaded_banks.c.source_text)
        )
        with self.read() as conn:
            return int(conn.execute(select(total)).scalar() or 0)

    def banks(self) -> list[StoredBank]:
        """Every uploaded bank, oldest first."""
        with self.read() as conn:
            rows = conn.execute(
                select(uploaded_banks).order_by(
                    uploaded_banks.c.created_at, uploaded_banks.c.key
                )
            ).all()
        return [StoredBank(**row._mapping) for row in rows]

    def bank(self, key: str) -> StoredBank | None:
        """The uploaded bank with this key, or None."""
        with self.read() as conn:
            row = conn.execute(
                select(uploaded_banks).where(uploaded_banks.c.key == key)
            ).first()
        return StoredBank(**row._mapping) if row is not None else None

    def has_bank(self, key: str) -> bool:
        """Whether an uploaded bank with this key is stored (without reading it)."""
        with self.read() as conn:
            return (
                conn.execute(
                    select(uploaded_banks.c.key).where(uploaded_banks.c.key == key)
                ).first()
                is not None
            )

    def delete_bank(self, key: str, owner: str | None = None) -> bool:
        """Delete an uploaded bank and the selections saved from it; True if it existed.

        With `owner`, only that teacher's copy goes (with their saved quizzes
        on it); the bank itself goes when no other teacher uploaded it too.
        Live sessions keep the quiz they started with and are not touched.
        """
        if owner is not None:
            with self.write() as conn:
                mine = conn.execute(
                    delete(bank_owners).where(
                        bank_owners.c.bank_key == key, bank_owners.c.owner == owner
                    )
                ).rowcount
                conn.execute(
                    delete(saved_quizzes).where(
                        saved_quizzes.c.bank_key == key, saved_quizzes.c.owner == owner
                    )
                )
                others = conn.execute(
                    select(bank_owners.c.owner).where(bank_owners.c.bank_key == key)
                ).first()
            if others is not None:
                return mine == 1
        with self.write() as conn:
            conn.execute(delete(bank_owners).where(bank_owners.c.bank_key == key))
            # the bank row first: a selection being saved holds it (save_selection)
            gone = conn.execute(
                delete(uploaded_banks).where(uploaded_banks.c.key == key)
            ).rowcount
            conn.execute(delete(selections).where(selections.c.bank_key == key))
            conn.execute(delete(saved_quizzes).where(saved_quizzes.c.bank_key == key))
        return gone == 1

    # ------------------------------------------------------------------ selections

    def save_selection(self, bank_key: str, data: dict[str, Any]) -> str:
        """Save a selection (JSON-able dict); return its short code.

        The code is derived from the content, so saving the same selection twice
        gives the same code and stores one row. Nothing is stored for an uploaded
        bank that is no longer there.
        """
        text = json.dumps(
            {"bank": bank_key, **data}, ensure_ascii=False, sort_keys=True
        )
        code = _short_code(text, self.code_key)
        with self.write() as conn:
            if bank_key.startswith("u-") and (
                conn.execute(
                    select(uploaded_banks.c.key)
                    .where(uploaded_banks.c.key == bank_key)
                    .with_for_update(read=True)  # a deletion waits, or went first
                ).first()
                is None
            ):
                return code  # the bank was just deleted: its link leads nowhere
            conn.execute(
                self.insert_new(selections).values(
                    code=code,
                    bank_key=bank_key,
                    data=text,
                    created_at=int(time.time()),
                )
            )
        return code

    def selection(self, code: str) -> dict[str, Any] | None:
        """The saved selection with this code (with its "bank" key), or None."""
        with self.read() as conn:
            text = conn.execute(
                select(selections.c.data).where(selections.c.code == code)
            ).scalar()
        return json.loads(text) if text is not None else None

    # ------------------------------------------------------------------ saved quizzes

    def save_quiz(
        self, *, owner: str, name: str, bank_key: str, code: str, lang: str, count: int
    ) -> SavedQuiz:
        """Add a named quiz showing the selection `code`; return it."""
        now = int(time.time())
        row = {
            "id": secrets.token_urlsafe(9),
            "owner": owner,
            "name": name,
            "bank_key": bank_key,
            "code": code,
            "lang": lang,
            "count": count,
            "created_at": now,
            "updated_at": now,
            "used_at": None,
        }
        with self.write() as conn:
            conn.execute(insert(saved_quizzes).values(**row))
        return SavedQuiz(**row)

    def _live_started(self) -> Any:
        """Per selection code: when its last live session started (Unix seconds)."""
        started = (
            select(
                _live_sessions.c.selection_code.label("code"),
                (func.max(_live_sessions.c.created_ms) / 1000).label("started"),
            )
            .group_by(_live_sessions.c.selection_code)
            .subquery()
        )
        return started

    def saved_quizzes(self, owner: str) -> list[SavedQuiz]:
        """The owner's quizzes, the last changed first; `used_at` is the later of the
        last download and the last live session started from the quiz."""
        started = self._live_started()
        with self.read() as conn:
            has_live = self.engine.dialect.has_table(conn, "live_sessions")
            query = select(saved_quizzes)
            if has_live:
                query = select(saved_quizzes, started.c.started).outerjoin(
                    started, started.c.code == saved_quizzes.c.code
                )
            rows = conn.execute(
                query.where(saved_quizzes.c.owner == owner).order_by(
                    saved_quizzes.c.updated_at.desc(), saved_quizzes.c.name
                )
            ).all()
        out = []
        for row in rows:
            data = dict(row._mapping)
            live = data.pop("started", None)
            used = [int(x) for x in (data["used_at"], live) if x is not None]
            data["used_at"] = max(used) if used else None
            out.append(SavedQuiz(**data))
        return out

    def saved_quiz(self, owner: str, quiz_id: str) -> SavedQuiz | None:
        """The owner's quiz with this id, or None."""
        with self.read() as conn:
            row = conn.execute(
                select(saved_quizzes).where(
                    saved_quizzes.c.id == quiz_id, saved_quizzes.c.owner == owner
                )
            ).first()
        return SavedQuiz(**row._mapping) if row is not None else None

    def rename_quiz(self, owner: str, quiz_id: str, name: str) -> bool:
        """Give the owner's quiz a new name; False when there is no such quiz."""
        with self.write() as conn:
            done = conn.execute(
                update(saved_quizzes)
                .where(saved_quizzes.c.id == quiz_id, saved_quizzes.c.owner == owner)
                .values(name=name, updated_at=int(time.time()))
            ).rowcount
        return done == 1

    def move_quiz(
        self, owner: str, quiz_id: str, *, old_code: str, new_code: str, count: int
    ) -> bool:
        """Point the owner's quiz at the selection `new_code` if it still shows
        `old_code` (an edit made from an older page does not undo a newer one)."""
        with self.write() as conn:
            done = conn.execute(
                update(saved_quizzes)
                .where(
                    saved_quizzes.c.id == quiz_id,
                    saved_quizzes.c.owner == owner,
                    saved_quizzes.c.code == old_code,
                )
                .values(code=new_code, count=count, updated_at=int(time.time()))
            ).rowcount
        return done == 1

    def delete_quiz(self, owner: str, quiz_id: str) -> bool:
        """Delete the owner's quiz (its selections and short links stay); True if it existed."""
        with self.write() as conn:
            gone = conn.execute(
                delete(saved_quizzes).where(
                    saved_quizzes.c.id == quiz_id, saved_quizzes.c.owner == owner
                )
            ).rowcount
        return gone == 1

    def mark_used(self, code: str) -> None:
        """Note that the quizzes showing the selection `code` were just used."""
        with self.write() as conn:
            conn.execute(
                update(saved_quizzes)
                .where(saved_quizzes.c.code == code)
                .values(used_at=int(time.time()))
            )


_MIGRATION_LOCK = 0x71756967  # "quig": one advisory lock key for schema changes

_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: easy to read aloud


def _short_code(text: str, key: bytes = b"", length: int = 10) -> str:
    """A short code derived from `text` and `key` (an HMAC; about 49 bits)."""
    digest = hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()
    n = int.from_bytes(digest[:8], "big")
    out = []
    for _ in range(length):
        n, r = divmod(n, len(_ALPHABET))
        out.append(_ALPHABET[r])
    return "".join(out)
