"""The server's clock, the only one scores use (one place, so tests can move it)."""

from __future__ import annotations

import time

__all__ = ["now_ms"]


def now_ms() -> int:
    """The server's clock in Unix milliseconds (the only clock scores use)."""
    return int(time.time() * 1000)
