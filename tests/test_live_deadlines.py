"""A homework's deadline across time zones: a date and time in the teacher's
zone to one UTC instant and back, summer time included (zoneinfo, no mocks)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from quizgen.web.live import deadlines as dl
from quizgen.web.live.deadline_views import NEAR_MS, deadline_view


def utc_ms(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=UTC).timestamp() * 1000)


def local(text: str) -> datetime:
    return dl.parse_local(text)


def test_shanghai_has_no_summer_time() -> None:
    # UTC+8 all year: Friday 18:00 in Shanghai is 10:00 UTC, winter and summer
    assert dl.to_utc_ms(local("2026-12-11T18:00"), "Asia/Shanghai") == utc_ms(
        2026, 12, 11, 10, 0
    )
    assert dl.to_utc_ms(local("2026-07-10T18:00"), "Asia/Shanghai") == utc_ms(
        2026, 7, 10, 10, 0
    )


def test_berlin_last_sunday_of_october() -> None:
    # 25 October 2026: at 03:00 summer time (UTC+2) the clocks go back to 02:00 (UTC+1)
    assert dl.to_utc_ms(local("2026-10-24T18:00"), "Europe/Berlin") == utc_ms(
        2026, 10, 24, 16, 0
    )
    assert dl.to_utc_ms(local("2026-10-26T18:00"), "Europe/Berlin") == utc_ms(
        2026, 10, 26, 17, 0
    )
    # 02:30 happens twice that night: the first one, still in summer time
    twice = dl.to_utc_ms(local("2026-10-25T02:30"), "Europe/Berlin")
    assert twice == utc_ms(2026, 10, 25, 0, 30)
    # just before and after the change
    assert dl.to_utc_ms(local("2026-10-25T01:59"), "Europe/Berlin") == utc_ms(
        2026, 10, 24, 23, 59
    )
    assert dl.to_utc_ms(local("2026-10-25T03:00"), "Europe/Berlin") == utc_ms(
        2026, 10, 25, 2, 0
    )
    # and back: the instant shows as the wall-clock time the teacher typed
    assert dl.input_value(twice, "Europe/Berlin") == "2026-10-25T02:30"
    assert dl.local_text(twice, "Asia/Shanghai") == "2026-10-25 08:30 (Asia/Shanghai)"


def test_a_time_the_clocks_skip_is_refused() -> None:
    # 29 March 2026: at 02:00 the clocks in Berlin jump to 03:00
    with pytest.raises(dl.DeadlineError) as caught:
        dl.to_utc_ms(local("2026-03-29T02:30"), "Europe/Berlin")
    assert caught.value.reason == "skipped"
    assert caught.value.values["time"] == "2026-03-29 02:30"
    assert dl.to_utc_ms(local("2026-03-29T03:00"), "Europe/Berlin") == utc_ms(
        2026, 3, 29, 1, 0
    )


def test_the_same_wall_clock_time_is_another_instant_in_each_zone() -> None:
    berlin = dl.to_utc_ms(local("2026-12-11T18:00"), "Europe/Berlin")
    shanghai = dl.to_utc_ms(local("2026-12-11T18:00"), "Asia/Shanghai")
    assert berlin - shanghai == 7 * 3_600_000
    assert dl.input_value(berlin, "Asia/Shanghai") == "2026-12-12T01:00"
    assert dl.iso_utc(berlin) == "2026-12-11T17:00:00Z"
    assert dl.utc_text(berlin) == "2026-12-11 17:00 UTC"


def test_deadline_rules() -> None:
    now = utc_ms(2026, 12, 4, 9, 0)
    got = dl.deadline_ms("2026-12-11T18:00", "Europe/Berlin", now_ms=now)
    assert got == utc_ms(2026, 12, 11, 17, 0)
    # seconds, and a space instead of T, are taken too
    assert dl.deadline_ms("2026-12-11 18:00:30", "UTC", now_ms=now) == utc_ms(
        2026, 12, 11, 18, 0, 30
    )
    cases = {
        "": "missing",
        "  ": "missing",
        "tomorrow": "format",
        "2026-13-01T10:00": "format",
        "2026-02-30T10:00": "format",
        "2026-12-04T09:00": "past",  # now is not in the future
        "2026-12-04T08:59": "past",
        "2027-02-02T09:01": "too-far",  # 60 days and a minute
    }
    for text, reason in cases.items():
        with pytest.raises(dl.DeadlineError) as caught:
            dl.deadline_ms(text, "UTC", now_ms=now)
        assert caught.value.reason == reason, text
    assert (
        dl.deadline_ms("2027-02-02T09:00", "UTC", now_ms=now) == now + 60 * 86_400_000
    )
    with pytest.raises(dl.DeadlineError) as caught:
        dl.deadline_ms("2026-12-04T09:30", "Asia/Shanghai", now_ms=now)
    assert caught.value.values["now"] == "2026-12-04 17:00 (Asia/Shanghai)"


def test_only_real_zone_names_are_taken() -> None:
    for name in (
        "Europe/Berlin",
        "Asia/Shanghai",
        "America/Argentina/Buenos_Aires",
        "UTC",
    ):
        assert dl.valid_zone(name) == name
    assert dl.valid_zone(" Europe/Berlin ") == "Europe/Berlin"
    for name in (
        "",
        "Mars/Olympus",
        "../../etc/passwd",
        "/etc/localtime",
        "localtime",
        "Europe/Berlin<script>",
        "x" * 80,
        None,
        42,
    ):
        assert dl.valid_zone(name) is None, name


def test_server_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    assert dl.server_zone("Asia/Shanghai") == "Asia/Shanghai"
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert dl.server_zone(None) == "Europe/Berlin"
    assert dl.server_zone("No/Such_Zone") == "Europe/Berlin"
    monkeypatch.setenv("TZ", "nonsense")
    assert dl.valid_zone(dl.server_zone(None))  # the machine's, or UTC


def test_default_deadline_is_tomorrow_evening() -> None:
    # 23:30 UTC on 4 December is already 5 December in Shanghai
    now = utc_ms(2026, 12, 4, 23, 30)
    assert dl.default_deadline(now, "Asia/Shanghai") == "2026-12-06T18:00"
    assert dl.default_deadline(now, "UTC") == "2026-12-05T18:00"


def test_deadline_view_near_far_and_passed() -> None:
    at = utc_ms(2026, 12, 11, 17, 0)
    far = deadline_view(at, now_ms=at - 3 * 86_400_000)
    assert far is not None
    assert far["iso"] == "2026-12-11T17:00:00Z"
    assert far["utc"] == "2026-12-11 17:00 UTC"
    assert far["near_ms"] is None
    assert not far["passed"]
    assert far["refresh_ms"] == 3 * 86_400_000 - NEAR_MS  # look again when near
    near = deadline_view(at, now_ms=at - 20 * 60_000)
    assert near is not None
    assert near["near_ms"] == near["refresh_ms"] == 20 * 60_000
    gone = deadline_view(at, now_ms=at + 1)
    assert gone is not None
    assert gone["passed"]
    assert gone["near_ms"] == gone["left_ms"] == 0
    assert deadline_view(None) is None
