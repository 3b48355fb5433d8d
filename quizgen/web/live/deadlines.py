"""A self-paced quiz's deadline: a date and time in the teacher's time zone,
turned into one absolute instant (Unix milliseconds, UTC), and that instant
shown again in a zone.

Zones are IANA names (`Europe/Berlin`, `Asia/Shanghai`) read with the
standard library's zoneinfo, so summer time follows the zone's rules: a time
the clocks skip (spring forward) is refused, a time that happens twice
(autumn back) means the first of the two, while summer time is still on.
"""

from __future__ import annotations

import contextlib
import os
import re
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "MAX_DAYS",
    "DeadlineError",
    "deadline_ms",
    "default_deadline",
    "input_value",
    "iso_utc",
    "local_text",
    "parse_local",
    "server_zone",
    "to_utc_ms",
    "utc_text",
    "valid_zone",
    "zone",
]

#: a deadline may be at most this many days ahead
MAX_DAYS = 60
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}")
_LOCAL = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?")


class DeadlineError(ValueError):
    """A deadline that cannot be used; `reason` says why, `values` fill the message.

    Reasons: `missing`, `format`, `past`, `too-far`, `skipped` (the clocks
    jump over that time in the zone).
    """

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values


@lru_cache(maxsize=512)
def _zone(name: str) -> tzinfo | None:
    if name in ("UTC", "Etc/UTC"):
        return UTC  # needs no time zone database (Windows without tzdata)
    if len(name) > 64 or not _ZONE_NAME.fullmatch(name) or name == "localtime":
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def valid_zone(name: object) -> str | None:
    """`name` if it is an IANA zone this machine knows, else None."""
    if not isinstance(name, str):
        return None
    name = name.strip()
    return name if _zone(name) is not None else None


def zone(name: str) -> tzinfo:
    """The tzinfo of a zone name `valid_zone` accepted (UTC otherwise)."""
    return _zone(name) or UTC


def server_zone(configured: str | None = None) -> str:
    """The zone deadlines are read in when the browser sent none: `configured`
    (the app's LIVE_TIME_ZONE), else this machine's zone (the TZ variable,
    /etc/localtime, /etc/timezone), else UTC."""
    candidates = [configured or "", os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        if valid_zone(name):
            return "UTC" if name == "Etc/UTC" else name
    return "UTC"


def to_utc_ms(local: datetime, zone_name: str) -> int:
    """The instant a wall-clock time `local` (naive) names in `zone_name`.

    A time that happens twice (the clocks go back) is the first one; a time
    the clocks skip raises DeadlineError("skipped").
    """
    tz = zone(zone_name)
    aware = local.replace(tzinfo=tz, fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local:
        raise DeadlineError("skipped", time=local.strftime("%Y-%m-%d %H:%M"))
    return int(instant.timestamp() * 1000)


def parse_local(text: str) -> datetime:
    """`YYYY-MM-DDTHH:MM[:SS]` (what a datetime-local input sends) as a naive time."""
    found = _LOCAL.fullmatch(text.strip())
    if not found:
        raise DeadlineError("format")
    year, month, day, hour, minute, second = (int(g or 0) for g in found.groups())
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise DeadlineError("format") from None


def deadline_ms(
    text: str, zone_name: str, *, now_ms: int, max_days: int = MAX_DAYS
) -> int:
    """The deadline a teacher typed (`text`, a date and time in `zone_name`) as
    Unix ms. Raises DeadlineError when it is missing, malformed, skipped by the
    clocks, not in the future, or more than `max_days` days ahead."""
    if not text.strip():
        raise DeadlineError("missing")
    at = to_utc_ms(parse_local(text), zone_name)
    if at <= now_ms:
        raise DeadlineError("past", now=local_text(now_ms, zone_name))
    if at > now_ms + max_days * 86_400_000:
        raise DeadlineError("too-far", days=max_days)
    return at


def _utc(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def iso_utc(ms: int) -> str:
    """The instant as ISO 8601 in UTC (`2026-12-11T17:00:00Z`), for `<time datetime>`."""
    return _utc(ms).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_text(ms: int) -> str:
    """The instant for people, in UTC with the zone named (`2026-12-11 17:00 UTC`)."""
    return _utc(ms).strftime("%Y-%m-%d %H:%M UTC")


def local_text(ms: int, zone_name: str) -> str:
    """The instant on the wall clock of `zone_name`, the zone named."""
    shown = _utc(ms).astimezone(zone(zone_name))
    return f"{shown:%Y-%m-%d %H:%M} ({zone_name})"


def input_value(ms: int, zone_name: str) -> str:
    """The instant as a datetime-local input's value in `zone_name`."""
    return f"{_utc(ms).astimezone(zone(zone_name)):%Y-%m-%dT%H:%M}"


def default_deadline(now_ms: int, zone_name: str) -> str:
    """What the start form proposes: the next day at 18:00 in `zone_name`."""
    today = _utc(now_ms).astimezone(zone(zone_name)).date()
    return f"{today + timedelta(days=1):%Y-%m-%d}T18:00"
