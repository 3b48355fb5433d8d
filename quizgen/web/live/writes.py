"""Write transactions of the live quiz, queued in this process on SQLite.

SQLite lets one writer in at a time; the others wait in its busy handler,
which sleeps in steps of up to 100 ms. When a question opens and a class
answers at once, those sleeps add up to seconds. The live quiz's writers in
one process therefore queue on a lock first, which hands over at once;
SQLite's own lock still keeps other processes out. PostgreSQL (row locks)
needs no such queue.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from quizgen.web.store import Store

__all__ = ["write"]

_locks: weakref.WeakKeyDictionary[Store, threading.RLock] = weakref.WeakKeyDictionary()
_guard = threading.Lock()


@contextmanager
def write(store: Store) -> Iterator[Connection]:
    """`store.write()`, queued behind the process's other live writers on SQLite."""
    if not store.is_sqlite:
        with store.write() as conn:
            yield conn
        return
    with _guard:
        lock = _locks.setdefault(store, threading.RLock())
    with lock, store.write() as conn:
        yield conn
