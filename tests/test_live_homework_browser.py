"""Homework across time zones in real Chromium: the teacher in Berlin sets a
deadline as a date and time, a student in Shanghai sees it in her own zone,
answers, and once the deadline passed (the app's clock moved forward) opens
her link again and sees her score with every answer; the teacher's page shows
results; someone in New York who never joined sees that it is closed."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_live_browser import PHONE, PROJECTOR, Phone
from webutil import build, live_server, make_app

from quizgen.web import store
from quizgen.web.live import clock
from quizgen.web.live import domain as d

pytestmark = pytest.mark.slow

BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_homework_deadline_in_two_time_zones(
    browser, tmp_path: Path, artifacts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect

    app = make_app(tmp_path)
    preview = build(
        app.test_client(),
        count="4",
        seed="5",
        kinds=["true_false:statement", "multiple_choice:attribution", "cloze:term"],
    )
    # the day after tomorrow at 18:00 on the teacher's wall clock in Berlin
    day = datetime.now(BERLIN).date() + timedelta(days=2)
    typed = f"{day:%Y-%m-%d}T18:00"
    instant = datetime(day.year, day.month, day.day, 18, 0, tzinfo=BERLIN)
    in_shanghai = instant.astimezone(SHANGHAI)
    with live_server(app) as base:
        teacher = browser.new_context(
            viewport=PROJECTOR, locale="en-US", timezone_id="Europe/Berlin"
        )
        screen = teacher.new_page()
        screen.goto(base + preview)
        screen.check("input[name=mode][value=self]")
        # the script sent the browser's zone along, and names it
        expect(screen.locator("#live-tz-name")).to_have_text("Europe/Berlin")
        expect(screen.locator("#live-tz")).to_have_value("Europe/Berlin")
        expect(screen.locator("button[data-deadline-in='20']")).to_be_visible()
        expect(screen.locator("#live-feedback")).to_have_value("end")
        screen.fill("#live-deadline", typed)
        screen.locator("#live-start").screenshot(
            path=str(artifacts / "live-homework-start-form.png")
        )
        screen.get_by_role("button", name="Start a live session").last.click()
        code = screen.locator("#session-code").inner_text().replace(" ", "")
        sid = screen.url.split("/")[-2]
        with app.app_context():
            session = d.get_session(store(app), sid)
        assert session is not None
        assert session.deadline_ms == int(instant.timestamp() * 1000)
        quiz = session.quiz
        hid = {q.id: d.question_handle(session, q.id) for q in quiz.questions}
        # the teacher's page: the deadline on the teacher's wall clock
        deadline = screen.locator("#deadline time")
        expect(deadline).to_contain_text("18:00")
        expect(deadline).to_contain_text("(Europe/Berlin)")
        expect(deadline).to_have_attribute(
            "datetime", instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        )

        # a student at home in Shanghai
        mei = Phone(browser, "Mei", timezone_id="Asia/Shanghai")
        mei.join(f"{base}/live/join?code={code}")
        seen = mei.page.locator("#deadline time")
        expect(seen).to_contain_text(f"{in_shanghai:%H:%M}")
        expect(seen).to_contain_text(str(in_shanghai.day))
        expect(seen).to_contain_text("(Asia/Shanghai)")
        assert "18:00" not in seen.inner_text()  # not the teacher's wall clock
        expect(mei.page.locator(".timer")).to_have_count(0)  # not near: no countdown
        mei.page.screenshot(path=str(artifacts / "live-homework-phone-question.png"))
        right = 0
        for n, q in enumerate(quiz.questions):
            expect(
                mei.page.locator(f'.play-panel[data-question="{hid[q.id]}"]')
            ).to_be_visible()
            if q.options:
                pick = q.answer if n % 2 == 0 else (q.answer + 1) % len(q.options)
                right += pick == q.answer
                mei.page.locator("button.option").nth(pick).click()
            else:
                mei.page.fill("#answer-text", str(q.answer))
                mei.page.locator("form[data-answer] button[type=submit]").first.click()
                right += 1
        expect(mei.page.locator(".stage-done")).to_be_visible()
        expect(mei.page.locator("[data-revealed-question]")).to_have_count(0)
        # nothing she received before the deadline holds an answer
        for url, body in mei.log:
            for marker in ("data-revealed-question", "data-right", "right-text"):
                assert marker not in body, (marker, url)
            for q in quiz.questions:
                assert q.source.quote not in body, url
                assert q.explanation not in body, url

        # the deadline passes: the server's one clock moves past it
        skew = session.deadline_ms - int(time.time() * 1000) + 1000
        monkeypatch.setattr(clock, "now_ms", lambda: int(time.time() * 1000) + skew)
        mei.page.goto(f"{base}/live/{sid}/play")  # she opens her link again
        expect(mei.page.locator("h1")).to_have_text("This homework is closed")
        with app.app_context():
            stored = sum(1 for a in d.answers(store(app), sid) if a.correct)
        assert stored == right
        expect(mei.page.locator("#own-score")).to_have_text(
            f"Your score: {right} of {len(quiz.questions)} right"
        )
        expect(mei.page.locator("[data-revealed-question]")).to_have_count(
            len(quiz.questions)
        )
        expect(mei.page.locator(".summary .explanation")).to_have_count(
            len(quiz.questions)
        )
        expect(mei.page.locator(".summary .mine")).to_have_count(len(quiz.questions))
        expect(mei.page.locator("#deadline time")).to_contain_text("(Asia/Shanghai)")
        mei.page.screenshot(
            path=str(artifacts / "live-homework-phone-closed.png"), full_page=True
        )

        # the teacher's page: results, not controls
        screen.goto(f"{base}/live/{sid}/control")
        expect(screen.locator("#results-summary")).to_be_visible()
        expect(screen.locator("#results-summary")).to_contain_text("1 finished")
        expect(screen.locator("#end")).to_have_count(0)
        expect(screen.locator("#lock")).to_have_count(0)
        expect(screen.locator("#summary-csv")).to_have_attribute(
            "href", f"/live/{sid}/results.csv"
        )
        expect(screen.locator("#summary-xlsx")).to_have_attribute(
            "href", f"/live/{sid}/results.xlsx"
        )
        screen.screenshot(path=str(artifacts / "live-homework-teacher-results.png"))
        screen.locator("#summary-results").click()
        expect(screen.locator("#scores")).to_contain_text("Mei")

        # someone in New York who never joined
        late = browser.new_context(
            viewport=PHONE, locale="en-US", timezone_id="America/New_York"
        )
        page = late.new_page()
        page.goto(f"{base}/live/join?code={code}")
        expect(page.locator("h1")).to_have_text("This homework is closed")
        expect(page.locator("#nickname")).to_have_count(0)
        shown = page.locator(".deadline time").inner_text()
        assert "(America/New_York)" in shown
        assert re.search(
            f"{instant.astimezone(ZoneInfo('America/New_York')):%H:%M}", shown
        )
        assert mei.errors == []
        late.close()
        mei.context.close()
        teacher.close()


def test_homework_start_form_without_javascript(
    browser, tmp_path: Path, artifacts: Path
) -> None:
    """No script: the form names the server's zone, hides the quick buttons,
    and the deadline is read in the server's zone."""
    from playwright.sync_api import expect

    app = make_app(tmp_path, LIVE_TIME_ZONE="Asia/Shanghai")
    preview = build(app.test_client(), count="2", seed="5")
    day = datetime.now(SHANGHAI).date() + timedelta(days=1)
    with live_server(app) as base:
        context = browser.new_context(
            viewport=PROJECTOR,
            locale="en-US",
            timezone_id="Europe/Berlin",
            java_script_enabled=False,
        )
        page = context.new_page()
        page.goto(base + preview)
        page.check("input[name=mode][value=self]")
        page.locator("#live-start").screenshot(
            path=str(artifacts / "live-homework-start-form-no-script.png")
        )
        expect(page.locator("#live-tz-name")).to_have_text("Asia/Shanghai")
        expect(page.locator("button[data-deadline-in='20']")).to_be_hidden()
        page.fill("#live-deadline", f"{day:%Y-%m-%d}T09:30")
        page.get_by_role("button", name="Start a live session").last.click()
        sid = page.url.split("/")[-2]
        with app.app_context():
            session = d.get_session(store(app), sid)
        assert session is not None
        at = datetime(day.year, day.month, day.day, 9, 30, tzinfo=SHANGHAI)
        assert session.deadline_ms == int(at.timestamp() * 1000)
        # no script to localise it: UTC, with the zone named
        expect(page.locator("#deadline time")).to_have_text(
            f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        )
        context.close()
