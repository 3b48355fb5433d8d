"""The live quiz's tables, defined on the web store's metadata.

Four tables, all removed with their session:

- `live_sessions`: one row per session: the quiz as it was when the session
  started (canonical JSON, so later bank edits change nothing), the teacher's
  secret (a hash), the mode and options, where the session is (`state`,
  `current`) and a `revision` that every teacher action increments (students
  poll it to learn that their screen is out of date).
- `live_rounds`: when each question was opened, when its timer closes, when it
  was revealed (server time, milliseconds).
- `live_participants`: students, with a nickname unique in the session and the
  hash of the token their browser keeps in a cookie.
- `live_answers`: at most one per (session, participant, question): a unique
  constraint, written with INSERT ... ON CONFLICT DO NOTHING.

- `live_limits`: the join limits' token buckets, per limit and client address.
- `live_accepted`: typed answers the teacher accepted for a cloze question.

Migration 6 (`add_owner`) gives each session its owner.

The tables are created by migrations 2 and 5 (`create_tables`, `add_limits`,
registered when this module is imported). Once released, change them only through a new migration.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import postgresql, sqlite

from quizgen.web.store import metadata, migration

__all__ = [
    "create_tables",
    "insert_new",
    "live_accepted",
    "live_answers",
    "live_limits",
    "live_participants",
    "live_rounds",
    "live_sessions",
]

live_sessions = Table(
    "live_sessions",
    metadata,
    Column("id", String(24), primary_key=True),  # random; in every URL
    Column("code", String(6), unique=True, nullable=True),  # join code until ended
    Column("teacher_hash", String(64), nullable=False),  # sha256 of the secret
    Column("selection_code", String(32), nullable=False),
    Column("bank_key", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("title", String(500), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("quiz_json", Text, nullable=False),
    Column("mode", String(16), nullable=False),  # teacher | self
    Column("feedback", String(16), nullable=False),  # each | end (self-paced)
    Column("scoreboard", String(16), nullable=False),  # hidden | correct | speed
    Column("time_limit_s", Integer, nullable=True),  # teacher-paced timer
    # reveal when the timer runs out (migration 5)
    Column("auto_reveal", Boolean, nullable=True),
    Column("deadline_ms", BigInteger, nullable=True),  # self-paced deadline
    Column("locked", Boolean, nullable=False),
    Column("state", String(16), nullable=False),  # lobby | question | reveal | ended
    Column("current", Integer, nullable=False),  # question index, -1 in the lobby
    Column("revision", Integer, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("ended_ms", BigInteger, nullable=True),
    # whose session it is: "" for a laptop's one teacher, else the teacher's
    # login on a school server (migration 6)
    Column("owner", String(200), nullable=False, server_default=""),
    Index("live_sessions_by_owner", "owner", "created_ms"),
)

live_rounds = Table(
    "live_rounds",
    metadata,
    Column(
        "session_id",
        String(24),
        ForeignKey("live_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("question_id", String(200), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("opened_ms", BigInteger, nullable=False),
    Column("closes_ms", BigInteger, nullable=True),
    Column("revealed_ms", BigInteger, nullable=True),
)

live_participants = Table(
    "live_participants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "session_id",
        String(24),
        ForeignKey("live_sessions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("nickname", String(64), nullable=False),
    Column("nickname_key", String(64), nullable=False),  # NFKC + casefold
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("joined_ms", BigInteger, nullable=False),
    # the client address (IPv4, or IPv6 /64) that joined: at most
    # LIVE_MAX_PER_ADDRESS students per address and session (migration 5)
    Column("client_key", String(64), nullable=True),
    UniqueConstraint("session_id", "nickname_key", name="live_participants_nickname"),
    Index("live_participants_by_address", "session_id", "client_key"),
)

live_answers = Table(
    "live_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "session_id",
        String(24),
        ForeignKey("live_sessions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "participant_id",
        Integer,
        ForeignKey("live_participants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("question_id", String(200), nullable=False),
    Column("choice", Integer, nullable=True),  # option index (choice kinds)
    Column("text", Text, nullable=True),  # cloze and discussion
    Column("correct", Boolean, nullable=True),  # None: not scored (discussion, skip)
    Column("answered_ms", BigInteger, nullable=False),
    Column("elapsed_ms", BigInteger, nullable=True),  # since the question opened
    Column("shown", Boolean, nullable=False),  # discussion text on the projector
    UniqueConstraint(
        "session_id",
        "participant_id",
        "question_id",
        name="live_answers_one_per_question",
    ),
    Index("live_answers_by_question", "session_id", "question_id"),
)

#: token buckets of the join limits, per limit and client address, shared by
#: every process on the database (migration 5)
live_limits = Table(
    "live_limits",
    metadata,
    Column("key", String(120), primary_key=True),  # "<limit>:<client key>"
    Column("tokens", Float, nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
)

#: typed answers the teacher accepted for a cloze question, besides the
#: bank's (migration 5); compared with quizgen.answers.normalize_answer
live_accepted = Table(
    "live_accepted",
    metadata,
    Column(
        "session_id",
        String(24),
        ForeignKey("live_sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("question_id", String(200), primary_key=True),
    Column("answer_key", String(200), primary_key=True),  # normalize_answer(text)
    Column("text", String(200), nullable=False),
)

_TABLES = (live_sessions, live_rounds, live_participants, live_answers)


@migration(2)
def create_tables(conn: Connection) -> None:
    """Migration 2: create the live quiz's tables (and their indexes)."""
    for table in _TABLES:
        table.create(conn)


@migration(5)
def add_limits(conn: Connection) -> None:
    """Migration 5: join limits in the store, each student's client address,
    and the session's reveal-when-time-is-up option.

    A database created at version 2 or later by this module already has the
    column and index (migration 2 creates the tables as defined here), so
    each step checks first.
    """
    from sqlalchemy import inspect

    live_limits.create(conn, checkfirst=True)
    live_accepted.create(conn, checkfirst=True)
    found = inspect(conn)
    if "client_key" not in {c["name"] for c in found.get_columns("live_participants")}:
        conn.exec_driver_sql(
            "ALTER TABLE live_participants ADD COLUMN client_key VARCHAR(64)"
        )
    if "auto_reveal" not in {c["name"] for c in found.get_columns("live_sessions")}:
        conn.exec_driver_sql("ALTER TABLE live_sessions ADD COLUMN auto_reveal BOOLEAN")
    indexes = {i["name"] for i in found.get_indexes("live_participants")}
    if "live_participants_by_address" not in indexes:
        Index(
            "live_participants_by_address",
            live_participants.c.session_id,
            live_participants.c.client_key,
        ).create(conn)


@migration(6)
def add_owner(conn: Connection) -> None:
    """Migration 6: each session's owner, for the teacher's list of sessions
    ("My sessions") and a school server's teachers. Sessions started before it
    belong to "" (the laptop's teacher). A database whose live tables were
    created from this module's current definition has the column already."""
    from sqlalchemy import inspect

    found = inspect(conn)
    if "owner" not in {c["name"] for c in found.get_columns("live_sessions")}:
        conn.exec_driver_sql(
            "ALTER TABLE live_sessions ADD COLUMN owner VARCHAR(200) NOT NULL DEFAULT ''"
        )
    if "live_sessions_by_owner" not in {
        i["name"] for i in found.get_indexes("live_sessions")
    }:
        # the table's own Index: a new Index object would join the table's
        # definition and be created twice with the next database's tables
        next(
            i for i in live_sessions.indexes if i.name == "live_sessions_by_owner"
        ).create(conn)


def insert_new(conn: Connection, table: Table) -> Any:
    """An INSERT on `table` that does nothing when it would break a unique key.

    The caller learns from the result's rowcount (1 inserted, 0 already there)
    whether the row is new; no check-then-insert race, on SQLite or PostgreSQL.
    Raises NotImplementedError for another database.
    """
    name = conn.dialect.name
    if name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    if name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    raise NotImplementedError(f"no conflict-free insert for {name}")
