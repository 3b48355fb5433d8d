"""How the live pages show a homework's deadline: the start form's zone and
proposed value, and the instant as a `<time>` a script puts in the reader's zone."""

from __future__ import annotations

from typing import Any

from flask import current_app

from quizgen.web.live import clock, deadlines

#: students see a countdown once the deadline is this near
NEAR_MS = 60 * 60_000


def start_zone() -> str:
    """The zone the start form reads a deadline in when the browser sends none."""
    return deadlines.server_zone(current_app.config.get("LIVE_TIME_ZONE"))


def start_deadline() -> str:
    """The start form's proposed deadline: tomorrow at 18:00 (the server's zone)."""
    return deadlines.default_deadline(clock.now_ms(), start_zone())


def deadline_view(
    deadline_ms: int | None, *, now_ms: int | None = None
) -> dict[str, Any] | None:
    """The deadline for a page: ISO instant, UTC text (shown without
    JavaScript), whether it passed, the ms left (`left_ms`, and `near_ms` only
    when it is near, for a countdown), and when a page should look again
    (`refresh_ms`: at the deadline, or when it becomes near)."""
    if deadline_ms is None:
        return None
    now = clock.now_ms() if now_ms is None else now_ms
    left = deadline_ms - now
    return {
        "ms": deadline_ms,
        "iso": deadlines.iso_utc(deadline_ms),
        "utc": deadlines.utc_text(deadline_ms),
        "passed": left <= 0,
        "left_ms": max(0, left),
        "near_ms": max(0, left) if left <= NEAR_MS else None,
        "refresh_ms": max(0, left) if left <= NEAR_MS else left - NEAR_MS,
    }
