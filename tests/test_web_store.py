"""The store: versioned schema, SQLite settings and write locking, PostgreSQL."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from liveutil import postgres_schema

from quizgen.web.store import MIGRATIONS, Store, migration, schema_version_latest


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'store.sqlite3'}", busy_timeout_ms=5000)
    s.migrate()
    yield s
    s.dispose()


def test_store_migrate_is_idempotent_and_versioned(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    assert s.version() == 0
    assert s.migrate() == schema_version_latest() == max(MIGRATIONS)
    assert s.migrate() == schema_version_latest()
    with s.read() as conn:
        rows = conn.exec_driver_sql("SELECT version FROM schema_version").all()
    assert [r[0] for r in rows] == sorted(MIGRATIONS)
    s.dispose()


def test_store_sqlite_uses_wal_and_a_busy_timeout(sqlite_store: Store) -> None:
    with sqlite_store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_store_writers_wait_for_each_other(sqlite_store: Store) -> None:
    """A second writer waits for the first (BEGIN IMMEDIATE), instead of failing."""
    held = threading.Event()
    errors: list[BaseException] = []

    def slow_writer() -> None:
        try:
            with sqlite_store.write() as conn:
                conn.exec_driver_sql(
                    "INSERT INTO selections VALUES ('first', 'b', '{}', 1)"
                )
                held.set()
                time.sleep(0.4)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert held.wait(5)
    started = time.monotonic()
    # a read-then-write: with a deferred BEGIN this fails at once with "locked"
    with sqlite_store.write() as conn:
        n = conn.exec_driver_sql("SELECT count(*) FROM selections").scalar()
        conn.exec_driver_sql(
            f"INSERT INTO selections VALUES ('second', 'b', '{{\"n\": {n}}}', 2)"
        )
    waited = time.monotonic() - started
    thread.join()
    assert errors == []
    assert waited > 0.2  # it waited for the first writer's lock
    with sqlite_store.read() as conn:
        data = conn.exec_driver_sql(
            "SELECT data FROM selections WHERE code = 'second'"
        ).scalar()
    assert data == '{"n": 1}'  # it saw the first writer's row


def test_store_write_rolls_back_on_error(sqlite_store: Store) -> None:
    def insert_then_fail() -> None:
        with sqlite_store.write() as conn:
            conn.exec_driver_sql("INSERT INTO selections VALUES ('x', 'b', '{}', 1)")
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        insert_then_fail()
    assert sqlite_store.selection("x") is None


def test_store_selection_codes_are_stable_and_short(sqlite_store: Store) -> None:
    code = sqlite_store.save_selection("bank", {"ids": ["a", "b"], "seed": 1})
    assert sqlite_store.save_selection("bank", {"seed": 1, "ids": ["a", "b"]}) == code
    assert sqlite_store.save_selection("bank", {"ids": ["a"], "seed": 1}) != code
    assert len(code) == 10
    assert code.isalnum()
    assert sqlite_store.selection(code) == {
        "bank": "bank",
        "ids": ["a", "b"],
        "seed": 1,
    }
    assert sqlite_store.selection("nope") is None


def test_store_uploaded_bank_round_trip(sqlite_store: Store) -> None:
    key = sqlite_store.add_bank(
        bank_id="b",
        yaml_name="b.yaml",
        yaml_text="id: b\n",
        source_name="s.txt",
        source_text="王老师:你好。\n",
    )
    again = sqlite_store.add_bank(
        bank_id="b",
        yaml_name="other.yaml",
        yaml_text="id: b\n",
        source_name="s.txt",
        source_text="王老师:你好。\n",
    )
    assert again == key
    assert key.startswith("u-")
    stored = sqlite_store.bank(key)
    assert stored is not None
    assert stored.source_text == "王老师:你好。\n"
    assert [b.key for b in sqlite_store.banks()] == [key]


@pytest.fixture
def pg_store():
    with postgres_schema("quizgen_web") as url:
        s = Store(url)
        yield s
        s.dispose()


def test_store_postgresql_migrates_and_stores(pg_store: Store) -> None:
    assert not pg_store.is_sqlite
    assert pg_store.migrate() == schema_version_latest()
    assert pg_store.migrate() == schema_version_latest()
    code = pg_store.save_selection("bank", {"ids": ["问题"]})
    assert pg_store.selection(code) == {"bank": "bank", "ids": ["问题"]}
    key = pg_store.add_bank(
        bank_id="b",
        yaml_name="b.yaml",
        yaml_text="x",
        source_name="s",
        source_text="中",
    )
    assert pg_store.bank(key).source_text == "中"


def test_store_postgresql_concurrent_saves_of_one_selection(pg_store: Store) -> None:
    pg_store.migrate()
    codes: list[str] = []
    errors: list[BaseException] = []

    def save() -> None:
        try:
            codes.append(pg_store.save_selection("bank", {"ids": ["a"]}))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(codes)) == 1
    with pg_store.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM selections").scalar() == 1
    assert errors == []


def test_store_migrations_register_once_and_apply_in_order(tmp_path: Path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    s.migrate()
    version = schema_version_latest() + 1

    def add_notes(conn: sa.Connection) -> None:
        conn.exec_driver_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY)")

    try:
        migration(version)(add_notes)
        with pytest.raises(ValueError, match="already registered"):
            migration(version)(lambda conn: None)
        assert s.migrate() == version
        assert s.migrate() == version
        with s.read() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM notes").scalar() == 0
    finally:
        del MIGRATIONS[version]
        s.dispose()


def test_store_plain_postgresql_url_means_psycopg() -> None:
    s = Store("postgresql://postgres@127.0.0.1:5432/test")
    assert s.url.drivername == "postgresql+psycopg"
    s.dispose()


def test_store_postgresql_migrates_from_several_processes_at_once(pg_store) -> None:
    others = [
        Store(pg_store.url.render_as_string(hide_password=False)) for _ in range(4)
    ]
    errors: list[BaseException] = []

    def migrate(s: Store) -> None:
        try:
            s.migrate()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=migrate, args=(s,)) for s in others]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in others:
        s.dispose()
    assert errors == []
    assert pg_store.version() == schema_version_latest()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_store_deleting_a_bank_takes_its_selections_and_races_no_orphan(
    kind: str, sqlite_store: Store, request
) -> None:
    s = sqlite_store if kind == "sqlite" else request.getfixturevalue("pg_store")
    s.migrate()

    def add(text: str) -> str:
        return s.add_bank(
            bank_id="b", yaml_name="b.yaml", yaml_text=text, source_name="s",
            source_text="中",
        )  # fmt: skip

    key, other = add("a"), add("b")
    mine = s.save_selection(key, {"ids": ["x"]})
    kept = s.save_selection(other, {"ids": ["x"]})
    assert s.delete_bank(key)
    assert not s.has_bank(key)
    assert s.selection(mine) is None
    assert s.selection(kept) is not None
    assert not s.delete_bank(key)
    # a builder that loaded the bank before it went cannot leave a link behind
    late = s.save_selection(key, {"ids": ["y"]})
    assert s.selection(late) is None

    # saves and a deletion at once: afterwards no selection of the bank remains
    key = add("c")
    barrier = threading.Barrier(9)
    errors: list[BaseException] = []

    def save(n: int) -> None:
        try:
            barrier.wait()
            s.save_selection(key, {"ids": [str(n)]})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def remove() -> None:
        try:
            barrier.wait()
            time.sleep(0.005)
            s.delete_bank(key)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    threads.append(threading.Thread(target=remove))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with s.read() as conn:
        left = conn.execute(
            sa.text("SELECT count(*) FROM selections WHERE bank_key = :k"), {"k": key}
        ).scalar()
    assert left == 0
