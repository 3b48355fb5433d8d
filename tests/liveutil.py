"""Helpers for tests on PostgreSQL (the live quiz's and the store's): a fresh schema per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from conftest import POSTGRES_URL, require


def postgres_available() -> bool:
    """True when the test PostgreSQL server answers."""
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@contextmanager
def postgres_schema(prefix: str = "quizgen_live") -> Iterator[str]:
    """A database URL whose search_path is a new schema; the schema is dropped after.

    Skips (or fails under QUIZGEN_REQUIRE_ALL=1) when PostgreSQL is not there.
    """
    require(postgres_available(), f"PostgreSQL not reachable at {POSTGRES_URL}")
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.engine.make_url(POSTGRES_URL).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
