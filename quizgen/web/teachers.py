"""Teacher accounts of a school server: names and password hashes, no Flask.

A laptop needs none: its one teacher is whoever sits at it (`quizgen.web.author`).
A school server (`QUIZGEN_MODE=school`, or any account in the store) asks
each teacher to log in, and every saved quiz, live session, uploaded bank and
bank in progress belongs to the teacher who made it (`owner`).

Passwords are hashed with werkzeug.security (scrypt, a per-password salt),
which Flask already brings: no new dependency. A login remembers a stamp of
the hash, so changing a password or removing the account ends every login.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

from sqlalchemy import Column, Integer, String, Table, delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from quizgen.errors import QuizgenError
from quizgen.i18n import t
from quizgen.web.store import Store, metadata

__all__ = [
    "MIN_PASSWORD",
    "Teacher",
    "add",
    "check_name",
    "check_password",
    "count",
    "find",
    "listing",
    "remove",
    "set_password",
    "stamp",
    "teachers",
    "verify",
]

#: created by migration 7 (quizgen.web.store)
teachers = Table(
    "teachers",
    metadata,
    Column("name", String(64), primary_key=True),  # lower case; the owner of rows
    Column("password_hash", String(256), nullable=False),
    Column("created_at", Integer, nullable=False),
)

MIN_PASSWORD = 8
_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
#: a hash to compare against when the name is unknown, so that a wrong name
#: takes as long as a wrong password
_DUMMY = generate_password_hash("not a password of anyone")


@dataclass(frozen=True, kw_only=True)
class Teacher:
    """A teacher account (the hash stays in the store)."""

    name: str
    created_at: int


def check_name(raw: str) -> str:
    """A login name: lower case letters, digits and . _ @ - (1 to 64), or QuizgenError."""
    name = raw.strip().lower()
    if not _NAME.fullmatch(name):
        raise QuizgenError(
            t(
                f"invalid teacher name {raw!r}: use 1 to 64 letters, digits, '.', '_', "
                "'@' or '-', starting with a letter or digit",
                f"教师名 {raw!r} 无效：请使用 1 至 64 个字母、数字、“.”“_”“@”或“-”，"
                "并以字母或数字开头",
            )
        )
    return name


def check_password(password: str) -> str:
    """The password, or QuizgenError when it is too short."""
    if len(password) < MIN_PASSWORD:
        raise QuizgenError(
            t(
                f"the password needs at least {MIN_PASSWORD} characters",
                f"密码至少需要 {MIN_PASSWORD} 个字符",
            )
        )
    return password


def stamp(password_hash: str) -> str:
    """What a login remembers of the hash: a new password gives a new stamp."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:16]


def add(store: Store, name: str, password: str) -> Teacher:
    """Add an account; QuizgenError when the name is taken or not valid."""
    name = check_name(name)
    check_password(password)
    now = int(time.time())
    with store.write() as conn:
        done = conn.execute(
            store.insert_new(teachers)
            .values(
                name=name,
                password_hash=generate_password_hash(password),
                created_at=now,
            )
            .returning(teachers.c.name)
        ).first()
    if done is None:
        raise QuizgenError(
            t(f"a teacher named {name!r} exists already", f"已有名为 {name!r} 的教师")
        )
    return Teacher(name=name, created_at=now)


def set_password(store: Store, name: str, password: str) -> bool:
    """Give an account a new password (every login of it ends); False if no such account."""
    check_password(password)
    with store.write() as conn:
        done = conn.execute(
            update(teachers)
            .where(teachers.c.name == name.strip().lower())
            .values(password_hash=generate_password_hash(password))
        ).rowcount
    return done == 1


def remove(store: Store, name: str) -> bool:
    """Remove an account (its quizzes and sessions stay in the store); True if it existed."""
    with store.write() as conn:
        done = conn.execute(
            delete(teachers).where(teachers.c.name == name.strip().lower())
        ).rowcount
    return done == 1


def listing(store: Store) -> list[Teacher]:
    """Every account, by name."""
    with store.read() as conn:
        rows = conn.execute(
            select(teachers.c.name, teachers.c.created_at).order_by(teachers.c.name)
        ).all()
    return [Teacher(name=r.name, created_at=r.created_at) for r in rows]


def count(store: Store) -> int:
    """How many accounts there are."""
    with store.read() as conn:
        return int(
            conn.execute(select(func.count()).select_from(teachers)).scalar() or 0
        )


def find(store: Store, name: str) -> tuple[Teacher, str] | None:
    """(the account, the stamp of its password hash), or None."""
    with store.read() as conn:
        row = conn.execute(select(teachers).where(teachers.c.name == name)).first()
    if row is None:
        return None
    return Teacher(name=row.name, created_at=row.created_at), stamp(row.password_hash)


def verify(store: Store, name: str, password: str) -> tuple[Teacher, str] | None:
    """(the account, its stamp) when the name and password match, else None."""
    key = name.strip().lower()
    with store.read() as conn:
        row = conn.execute(select(teachers).where(teachers.c.name == key)).first()
    if row is None:
        check_password_hash(_DUMMY, password)
        return None
    if not check_password_hash(row.password_hash, password):
        return None
    return Teacher(name=row.name, created_at=row.created_at), stamp(row.password_hash)
