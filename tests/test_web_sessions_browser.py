"""My sessions in Chromium against a real `quizgen serve`, restarted in between.

A teacher saves a quiz and starts a live session, a student joins; the server
process stops and starts again on the same SQLite file; in another browser
(no session cookie) the teacher finds the session under My sessions,
downloads its CSV and gradebook, opens its results and deletes it.
Screenshots at 1366x768 and 360 px go to the artifacts folder.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_live_serve import serve

pytestmark = pytest.mark.slow

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 780}


def _errors(page) -> list[str]:
    found: list[str] = []
    page.on("pageerror", lambda exc: found.append(str(exc)))
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    return found


def test_browser_start_restart_find_download_delete(
    browser, tmp_path: Path, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    with serve(tmp_path) as (base, _out):
        teacher = browser.new_context(viewport=LAPTOP, locale="en-US")
        page = teacher.new_page()
        errors = _errors(page)
        page.goto(f"{base}/build/example-bank")
        page.fill("#seed", "4")
        page.fill("#count", "3")
        page.get_by_role("button", name="Build a quiz").click()
        page.wait_for_url(re.compile(r"/q/\w+$"))
        page.fill("#save-name", "Week 9: translation")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator("#saved-as")).to_contain_text("Week 9: translation")
        page.get_by_role("button", name="Start a live session").last.click()
        page.wait_for_selector("#session-code")
        sid = page.url.split("/")[-2]
        code = page.locator("#session-code").inner_text().replace(" ", "")
        phone = browser.new_context(viewport=PHONE, locale="en-US")
        student = phone.new_page()
        student.goto(f"{base}/live/join?code={code}")
        student.fill("#nickname", "Ann")
        student.get_by_role("button", name="Join").click()
        student.wait_for_selector(".play-panel")
        expect(page.locator("#joined-count")).to_have_text("1", timeout=5000)
        teacher.close()
        phone.close()
        assert errors == []

    # the server stops and starts again on the same store
    with serve(tmp_path) as (base, _out):
        other = browser.new_context(
            viewport=LAPTOP, locale="en-US", accept_downloads=True
        )
        page = other.new_page()
        errors = _errors(page)
        page.goto(f"{base}/")
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="My sessions"
        ).click()
        page.wait_for_url(re.compile(r"/sessions$"))
        row = page.locator(f"#session-{sid}")
        expect(row).to_contain_text("Week 9: translation")
        expect(row).to_contain_text("Teacher-paced")
        expect(row.locator(".students")).to_have_text("1")
        expect(row).to_contain_text("Lobby")
        page.screenshot(path=str(artifacts / "web-my-sessions-1366.png"))

        with page.expect_download() as got:
            row.get_by_role("link", name="CSV of Week 9: translation").click()
        text = Path(got.value.path()).read_text(encoding="utf-8-sig")
        table = list(csv.DictReader(io.StringIO(text)))
        assert len(table) == 3
        assert {r["nickname"] for r in table} == {"Ann"}
        assert got.value.suggested_filename == f"live-{sid}-results.csv"

        with page.expect_download() as got:
            row.get_by_role("link", name="Gradebook of Week 9: translation").click()
        book = load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))
        assert len(book.sheetnames) >= 3  # overview, a student, the questions
        assert "Ann" in " ".join(
            str(c.value)
            for ws in book.worksheets
            for r in ws.iter_rows()
            for c in r
            if c.value
        )

        row.get_by_role("link", name="Results of Week 9: translation").click()
        page.wait_for_url(re.compile(rf"/live/{sid}/results$"))
        expect(page.locator("#scores")).to_contain_text("Ann")

        page.goto(f"{base}/sessions")
        page.locator(f"#session-{sid}").get_by_role(
            "link", name="Delete Week 9: translation"
        ).click()
        expect(page.locator("main")).to_contain_text("1 student(s) and 0 answer(s)")
        page.screenshot(path=str(artifacts / "web-my-sessions-delete-1366.png"))
        page.click("#delete-session")
        page.wait_for_url(re.compile(r"/sessions$"))
        expect(page.locator("#flashes")).to_contain_text("Deleted the session")
        expect(page.locator("#no-sessions")).to_be_visible()
        assert page.request.get(f"{base}/live/{sid}/results").status == 404
        assert errors == []

        narrow = browser.new_context(viewport=PHONE, locale="zh-CN")
        small = narrow.new_page()
        small.goto(f"{base}/sessions")
        expect(small.locator("h1")).to_have_text("我的课堂测验")
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
        small.screenshot(path=str(artifacts / "web-my-sessions-360-zh.png"))
        narrow.close()
        other.close()
