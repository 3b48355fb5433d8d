"""A lesson as a teacher gives it, from the README's classroom command.

`quizgen serve --classroom` in its own process; the teacher's laptop drives
the projector at 1366×768 and the teacher's phone opens the control page
through the teacher link; three students join on phone-sized screens. The
lesson goes through the start panel (the join address, no warning), the
lobby, questions answered on the phones (a neutral "answer received"), a
reveal by keyboard, the top five, the next question from the teacher's
phone, an end that asks first, a reopen, the end with its podium. Nothing a
phone receives names a question by its bank id. Screenshots of every step go
to the artifacts folder.

Every browser talks to 127.0.0.1: the join URL and the teacher link printed
for the LAN are opened with the loopback address in place of the LAN one.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from test_live_browser import Phone
from test_live_serve import serve

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1366, "height": 768}


def loopback(url: str, base: str) -> str:
    """`url` with the scheme, host and port of `base` (127.0.0.1)."""
    parts, here = urlsplit(url), urlsplit(base)
    return urlunsplit((here.scheme, here.netloc, parts.path, parts.query, ""))


def test_a_lesson_from_the_classroom_command(
    browser, tmp_path: Path, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    with serve(tmp_path, "--classroom") as (base, out):
        printed = out.read_text()
        assert "Phones join at: http" in printed or "Phones cannot join" in printed
        laptop = browser.new_context(viewport=PROJECTOR, locale="en-US")
        screen = laptop.new_page()
        # the teacher builds a short quiz and reads the start panel
        screen.goto(f"{base}/build/example-bank")
        screen.check("input[name=lang][value=en]")
        screen.fill("input[name=count]", "4")
        screen.locator("input[name=seed]").fill("3")
        for box in screen.locator("input[name=kinds]").all():
            box.uncheck()
        screen.check("input[name=kinds][value='multiple_choice:attribution']")
        screen.check("input[name=kinds][value='multiple_choice:fact']")
        screen.check("input[name=kinds][value='cloze:term']")
        screen.locator("button[name=action][value=build]").click()
        expect(screen.locator("#live-start")).to_be_visible()
        if "Phones join at" in printed:
            expect(screen.locator("#live-reach-ok")).to_contain_text(
                "Phones will join at"
            )
            expect(screen.locator("#live-reach-warning")).to_have_count(0)
        screen.locator("#live-start").scroll_into_view_if_needed()
        screen.screenshot(
            path=str(artifacts / "lesson-01-start-panel.png"), full_page=True
        )
        screen.fill("#live-timer", "60")
        screen.locator("#live-start-button").click()
        sid = screen.url.split("/")[-2]
        join_url = screen.locator("#join-url").get_attribute("href")
        assert "/live/join?code=" in join_url

        # the teacher's phone: the teacher link from the control page
        control_page = laptop.new_page()
        control_page.goto(f"{base}/live/{sid}/control")
        teacher_link = control_page.locator("#teacher-url").input_value()
        control_page.close()
        pocket = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True)
        control = pocket.new_page()
        control.goto(loopback(teacher_link, base))
        expect(control.locator("#live-host")).to_be_visible()
        width = control.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], "the control page is wider than the phone"

        phones = [Phone(browser, name) for name in ("Ann", "Bo", "Cy")]
        for phone in phones:
            phone.join(loopback(join_url, base))
        screen.reload()
        expect(screen.locator("#joined-count")).to_have_text("3")
        screen.screenshot(path=str(artifacts / "lesson-02-lobby-projector.png"))
        control.screenshot(path=str(artifacts / "lesson-02-lobby-teacher-phone.png"))

        # question 1: opened with N on the laptop, answered on the phones
        screen.keyboard.press("n")
        for phone in phones:
            expect(phone.page.locator(".play-panel.stage-question")).to_be_visible(
                timeout=3000
            )
        phones[0].page.screenshot(path=str(artifacts / "lesson-03-question-phone.png"))
        focused = phones[0].page.evaluate("document.activeElement.tagName")
        assert focused != "BUTTON"  # no option looks chosen
        for n, phone in enumerate(phones):
            phone.page.locator("button.option").nth(n % 2).click()
            expect(phone.page.locator(".received")).to_contain_text("Answer received")
            assert "✓" not in phone.page.locator(".play-panel").inner_text()
        phones[1].page.screenshot(path=str(artifacts / "lesson-04-answered-phone.png"))
        expect(screen.locator("#answered-count")).to_have_text("3", timeout=3000)
        screen.screenshot(path=str(artifacts / "lesson-05-question-projector.png"))

        # reveal with R: the right answer, the top five
        screen.keyboard.press("r")
        expect(screen.locator(".host-stats")).to_have_attribute("data-state", "reveal")
        expect(screen.locator("#top5 li")).to_have_count(3)
        for phone in phones:
            expect(phone.page.locator("[data-right]").first).to_be_visible(timeout=3000)
        screen.screenshot(path=str(artifacts / "lesson-06-reveal-projector.png"))
        phones[0].page.screenshot(path=str(artifacts / "lesson-06-reveal-phone.png"))

        # the next question from the teacher's phone
        control.reload()
        control.locator("#next").click()
        expect(screen.locator(".q-number")).to_contain_text("2", timeout=3000)
        for phone in phones:
            expect(phone.page.locator(".play-panel.stage-question")).to_be_visible(
                timeout=3000
            )
        control.screenshot(
            path=str(artifacts / "lesson-07-question-teacher-phone.png"), full_page=True
        )

        # "end" asks first; cancel, end, then reopen the lesson ended by mistake
        screen.reload()
        screen.locator("#end").click()
        expect(screen.locator("#end-confirm")).to_be_visible()
        screen.screenshot(path=str(artifacts / "lesson-08-end-asks.png"))
        screen.locator("#end-cancel").click()
        expect(screen.locator(".host-stats")).to_have_attribute(
            "data-state", "question"
        )
        screen.locator("#end").click()
        screen.locator("#end-confirm").click()
        for phone in phones:
            expect(phone.page.locator(".stage-ended")).to_be_visible(timeout=3000)
        screen.locator("#reopen").click()
        expect(screen.locator(".host-stats")).to_have_attribute(
            "data-state", "question"
        )
        for phone in phones:
            expect(phone.page.locator(".play-panel.stage-question")).to_be_visible(
                timeout=3000
            )

        # the rest of the lesson: every phone answers; a cloze answer the
        # teacher accepts from the phone; reveal, next
        accepted = False
        for number in range(2, 5):
            expect(screen.locator(".q-number")).to_contain_text(
                str(number), timeout=3000
            )
            cloze = False
            for n, phone in enumerate(phones):
                panel = phone.page.locator(".play-panel.stage-question")
                expect(panel).to_be_visible(timeout=3000)
                cloze = phone.page.locator("#answer-text").count() > 0
                if not cloze:
                    phone.page.locator("button.option").nth(n % 2).click()
                else:
                    phone.page.fill(
                        "#answer-text", "close enough" if n < 2 else "no idea"
                    )
                    phone.page.locator("form[data-answer] button.primary").click()
                expect(phone.page.locator(".received")).to_be_visible(timeout=3000)
            if cloze:
                control.reload()
                groups = control.locator("ul.typed li")
                expect(groups).to_have_count(2)
                control.screenshot(
                    path=str(artifacts / "lesson-10-typed-teacher-phone.png"),
                    full_page=True,
                )
                control.locator("ul.typed li", has_text="close enough").locator(
                    "button.accept"
                ).click()
                expect(control.locator("#flashes")).to_contain_text(
                    "2 answer(s) now count as right"
                )
                accepted = True
                screen.reload()  # the projector follows the change itself; do not race it
            screen.locator("#reveal").click()
            expect(screen.locator(".host-stats")).to_have_attribute(
                "data-state", "reveal"
            )
            for phone in phones:
                expect(phone.page.locator("[data-right]").first).to_be_visible(
                    timeout=3000
                )
            if number < 4:
                screen.locator("#next").click()
        assert accepted, "the lesson had no cloze question"
        expect(screen.locator("#finish")).to_be_visible()
        screen.locator("#finish").click()
        screen.locator("#end-confirm").click()
        expect(screen.locator("#podium li")).to_have_count(3)
        expect(screen.locator("#score-rule")).to_be_visible()
        screen.screenshot(path=str(artifacts / "lesson-09-podium-projector.png"))
        for phone in phones:
            expect(phone.page.locator(".stage-ended")).to_be_visible(timeout=3000)
        phones[0].page.screenshot(
            path=str(artifacts / "lesson-09-end-phone.png"), full_page=True
        )

        # the results for a gradebook
        screen.locator("#results-link").click()
        with screen.expect_download() as download:
            screen.locator("#xlsx-link").click()
        saved = tmp_path / "results.xlsx"
        download.value.save_as(saved)
        from openpyxl import load_workbook

        book = load_workbook(saved)
        assert len(book.sheetnames) == 1 + 3 + 4
        rows = list(book[book.sheetnames[0]].iter_rows(min_row=3, values_only=True))
        assert sorted(r[0] for r in rows) == ["Ann", "Bo", "Cy"]
        screen.screenshot(path=str(artifacts / "lesson-11-results.png"), full_page=True)

        # nothing a phone received names a question by its bank id
        ids = re.compile(
            r"\b[a-z]+(?:-[a-z0-9]+)+\.(?:fact|attribution|stance|tf|cloze)\b"
        )
        for phone in phones:
            assert not phone.errors, phone.errors
            for url, body in phone.log:
                assert not ids.search(body), f"{phone.name}: a bank id in {url}"
        for context in (laptop, pocket, *(p.context for p in phones)):
            context.close()
