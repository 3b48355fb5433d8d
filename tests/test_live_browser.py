"""A whole live session in real Chromium: a teacher and three students, each in
their own browser context (own cookies), against a real server.

Join, answer, a refresh mid-quiz, a late joiner, a double answer, reveal,
discussion answers shown on the projector, end, CSV download. Every response
a student's browser receives is recorded and searched for answers it must not
see yet. Screenshots of lobby, question, reveal and results at phone and
projector widths go to the artifacts folder.
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
from webutil import build, live_server, make_app

from quizgen.quiz import Kind, Question
from quizgen.web import store
from quizgen.web.live import domain as d

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1280, "height": 800}


class Phone:
    """One student's browser context, with every response body it received."""

    def __init__(self, browser: Any, name: str, timezone_id: str | None = None) -> None:
        self.name = name
        zone = {"timezone_id": timezone_id} if timezone_id else {}
        self.context = browser.new_context(viewport=PHONE, locale="en-US", **zone)
        self.log: list[tuple[str, str]] = []
        self.errors: list[str] = []
        # "requestfinished", not "response": a response's body is read once
        # it has all arrived, so a request the page drops half-way (a reload
        # during a poll) cannot leave body() waiting for ever
        self.context.on("requestfinished", self._keep)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _keep(self, request: Any) -> None:
        response = request.response()
        if response is None or 300 <= response.status < 400:
            return  # redirects have no body
        try:
            body = response.body().decode("utf-8", "replace")
        except Exception:  # a response the page no longer holds
            body = ""
        self.log.append((response.url, body))

    def join(self, url: str) -> None:
        self.page.goto(url)
        self.page.fill("#nickname", self.name)
        self.page.get_by_role("button", name="Join").click()
        self.page.wait_for_selector(".play-panel")


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def secrets_of(q: Question, hid: dict[str, str]) -> list[str]:
    out = [q.source.quote, f'data-revealed-question="{hid[q.id]}"']
    if q.kind != Kind.DISCUSSION:
        out.append(q.explanation)
    out += [s.quote for s in q.sides]
    if q.teacher_notes:
        out.append(q.teacher_notes)
    return [t for t in out if t]


def test_live_browser_whole_session(browser, tmp_path: Path, artifacts: Path) -> None:
    from playwright.sync_api import expect

    app = make_app(tmp_path)
    client = app.test_client()
    preview = build(
        client,
        count="4",
        seed="17",
        kinds=["multiple_choice:attribution", "cloze:term", "discussion:debate"],
    )
    with live_server(app) as base:
        teacher = browser.new_context(
            viewport=PROJECTOR, locale="en-US", accept_downloads=True
        )
        screen = teacher.new_page()
        screen_errors: list[str] = []
        screen.on("pageerror", lambda exc: screen_errors.append(str(exc)))
        screen.goto(base + preview)
        screen.select_option("#live-scoreboard", "speed")
        screen.get_by_role("button", name="Start a live session").last.click()
        screen.wait_for_selector("#session-code")
        sid = screen.url.split("/")[-2]
        with app.app_context():
            session = d.get_session(store(app), sid)
        quiz = session.quiz
        # what the phones call each question: its handle, never its bank id
        hid = {q.id: d.question_handle(session, q.id) for q in quiz.questions}
        assert {q.kind for q in quiz.questions} >= {Kind.DISCUSSION}
        code = screen.locator("#session-code").inner_text().replace(" ", "")
        assert code == session.code
        join_url = screen.locator("#join-url").inner_text()
        assert join_url.endswith(f"/live/join?code={code}")
        local_join = f"{base}/live/join?code={code}"

        ann, bo, cy = Phone(browser, "Ann"), Phone(browser, "Bo"), Phone(browser, "Cy")
        ann.join(local_join)
        bo.join(local_join)
        expect(ann.page.locator(".play-panel")).to_have_attribute("data-stage", "lobby")
        ann.page.screenshot(path=str(artifacts / "live-lobby-phone.png"))
        expect(screen.locator("#joined-count")).to_have_text("2", timeout=3000)
        expect(screen.locator("ul.people")).to_contain_text("Bo")
        screen.screenshot(path=str(artifacts / "live-lobby-projector.png"))
        cy.page.goto(local_join)
        cy.page.screenshot(path=str(artifacts / "live-join-phone.png"))

        revealed_mark: dict[str, dict[str, int]] = {}
        # screenshots of question and reveal show the first multiple-choice question
        shot = next(i for i, q in enumerate(quiz.questions) if q.options)
        students = [ann, bo]
        for i, q in enumerate(quiz.questions):
            # the teacher opens the question: every phone shows it within 2 s
            button = "#open-first" if i == 0 else "#next"
            screen.click(button)
            opened = time.monotonic()
            for s in students:
                expect(
                    s.page.locator(f'.play-panel[data-question="{hid[q.id]}"]')
                ).to_be_visible(timeout=2000)
            seen_within_s = time.monotonic() - opened
            assert seen_within_s < 2.0
            if i == shot:
                ann.page.screenshot(path=str(artifacts / "live-question-phone.png"))
                no_sideways_scroll(ann.page)
            # Ann answers; a second tab of hers tries again and is refused
            second_tab = ann.context.new_page()
            second_tab.goto(f"{base}/live/{sid}/play")
            if q.options:
                ann.page.locator("button.option").nth(q.answer).click()
            else:
                text = (
                    "ten years"
                    if q.kind == Kind.CLOZE
                    else "Ann thinks both sides have a point"
                )
                ann.page.fill("#answer-text", text)
                ann.page.get_by_role("button", name="Send").click()
            expect(ann.page.locator(".sent")).to_be_visible()
            if q.options:
                second_tab.locator("button.option").nth(
                    (q.answer + 1) % len(q.options)
                ).click()
            else:
                second_tab.fill("#answer-text", "a second try")
                second_tab.get_by_role("button", name="Send").click()
            expect(second_tab.locator("#live-status")).to_contain_text(
                "first answer counts"
            )
            second_tab.close()
            # Bo answers (wrong), then reloads: same participant, same answer
            if q.options:
                bo.page.locator("button.option").nth(
                    (q.answer + 1) % len(q.options)
                ).click()
            else:
                bo.page.fill("#answer-text", "Bo disagrees with both")
                if q.kind == Kind.DISCUSSION:
                    # the teacher shows Ann's answer while Bo still types: the
                    # new version makes his page fetch its panel; his text stays
                    control = teacher.new_page()
                    control.goto(f"{base}/live/{sid}/control")
                    with bo.page.expect_response(lambda r: "/play/panel" in r.url):
                        control.locator(
                            "ul.discussion li", has_text="Ann thinks"
                        ).get_by_role("button", name="Show on the projector").click()
                    control.close()
                    bo.page.wait_for_timeout(100)
                    expect(bo.page.locator("#answer-text")).to_have_value(
                        "Bo disagrees with both"
                    )
                bo.page.get_by_role("button", name="Send").click()
            expect(bo.page.locator(".sent")).to_be_visible()
            bo.page.reload()
            expect(bo.page.locator(".sent")).to_be_visible()
            if i == 1:  # a late joiner arrives mid-quiz and gets the open question
                cy.join(local_join)
                students.append(cy)
            if cy in students:
                expect(
                    cy.page.locator(f'.play-panel[data-question="{hid[q.id]}"]')
                ).to_be_visible()
                if q.options:
                    cy.page.locator("button.option").first.click()
                else:
                    cy.page.fill("#answer-text", "Cy: a late answer")
                    cy.page.get_by_role("button", name="Send").click()
                expect(cy.page.locator(".sent")).to_be_visible()
            screen.bring_to_front()  # the projector is the page in front
            expect(screen.locator("#answered-count")).to_have_text(
                str(len(students)), timeout=3000
            )
            if i == shot:
                screen.screenshot(path=str(artifacts / "live-question-projector.png"))
            # reveal
            marks = {s.name: len(s.log) for s in students}
            screen.click("#reveal")
            for s in students:
                revealed_mark.setdefault(s.name, {})[q.id] = marks[s.name]
                expect(
                    s.page.locator(f'[data-revealed-question="{hid[q.id]}"]')
                ).to_be_visible(timeout=2000)
            if q.kind != Kind.DISCUSSION:
                expect(ann.page.locator(".revealed blockquote")).to_have_text(
                    q.source.quote
                )
                expect(ann.page.locator(".revealed figcaption")).to_contain_text(
                    q.source.speaker_name
                )
                expect(ann.page.locator(".mine")).to_contain_text("right")
                expect(bo.page.locator(".mine")).to_contain_text("not right")
            if i == shot:
                screen.screenshot(path=str(artifacts / "live-reveal-projector.png"))
                ann.page.screenshot(path=str(artifacts / "live-reveal-phone.png"))
                no_sideways_scroll(ann.page)
                no_sideways_scroll(screen)
            if q.kind == Kind.DISCUSSION:
                control = teacher.new_page()
                control.goto(f"{base}/live/{sid}/control")
                expect(control.locator("ul.discussion")).to_contain_text("Bo disagrees")
                expect(control.locator("ul.discussion")).to_contain_text("Bo")
                expect(
                    control.locator("ul.discussion li", has_text="Ann thinks")
                ).to_contain_text("Hide from the projector")
                control.close()
                screen.reload()
                shown = screen.locator("ul.shown-answers")
                expect(shown).to_contain_text("Ann thinks both sides have a point")
                expect(shown).not_to_contain_text("Ann:")
                assert "Bo disagrees" not in shown.inner_text()
                expect(bo.page.locator("ul.shown-answers")).to_contain_text(
                    "Ann thinks both sides", timeout=2000
                )
                screen.screenshot(path=str(artifacts / "live-discussion-projector.png"))

        # the end shows every student all the questions with their answers
        for s in (ann, bo, cy):
            for q in quiz.questions:
                revealed_mark.setdefault(s.name, {}).setdefault(q.id, len(s.log))
        screen.click("#finish")  # the last question: the one end button
        expect(screen.locator("#end-confirm")).to_be_visible()  # asks first
        screen.click("#end-confirm")
        expect(screen.locator(".scoreboard")).to_be_visible()
        for s in students:
            expect(s.page.locator(".stage-ended")).to_be_visible(timeout=2000)
        expect(ann.page.locator(".score")).to_contain_text("place 1 of 3")
        screen.screenshot(path=str(artifacts / "live-results-projector.png"))
        ann.page.screenshot(
            path=str(artifacts / "live-results-phone.png"), full_page=True
        )
        screen.click("#results-link")
        expect(screen.locator("#scores")).to_contain_text("Ann")
        screen.screenshot(
            path=str(artifacts / "live-results-table.png"), full_page=True
        )
        with screen.expect_download() as info:
            screen.click("#csv-link")
        path = tmp_path / "results.csv"
        info.value.save_as(path)
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert len(rows) == 3 * len(quiz.questions)
        assert {r["question_id"] for r in rows} == {q.id for q in quiz.questions}
        for q in quiz.questions:
            ann_row = [
                r for r in rows if r["question_id"] == q.id and r["nickname"] == "Ann"
            ][0]
            assert ann_row["correct"] == ("" if q.kind == Kind.DISCUSSION else "1")
        with app.app_context():
            stored = d.answers(store(app), sid)
        # two answers per question, plus the late joiner's from question 2 on
        assert len(stored) == 3 * len(quiz.questions) - 1

        # nothing secret reached a phone before its reveal
        for s in (ann, bo, cy):
            assert s.errors == []
            checked = 0
            for n, (url, body) in enumerate(s.log):
                if "/static/" in url:
                    continue
                checked += 1
                if body.startswith("{"):  # JSON escapes non-ASCII: read the panel in it
                    body = str(json.loads(body).get("html", ""))
                marks = revealed_mark[s.name]
                allowed = {
                    t
                    for q in quiz.questions
                    if marks.get(q.id, 10**9) <= n
                    for t in secrets_of(q, hid)
                }
                for q in quiz.questions:
                    if marks.get(q.id, 10**9) <= n:
                        continue
                    for t in secrets_of(q, hid):
                        if t not in allowed:
                            assert t not in body, f"{s.name}: {q.id} leaked in {url}"
            assert checked > 10
        assert screen_errors == []
        for c in (ann, bo, cy):
            c.context.close()
        teacher.close()


def test_live_browser_self_paced_with_feedback(
    browser, tmp_path: Path, artifacts: Path
) -> None:
    """Homework mode: the student goes through the quiz alone; after each answer
    the right answer and the quote; at the end every question with its answer."""
    from playwright.sync_api import expect

    app = make_app(tmp_path)
    preview = build(
        app.test_client(),
        count="3",
        seed="4",
        kinds=["true_false:statement", "multiple_choice:attribution"],
    )
    with live_server(app) as base:
        teacher = browser.new_context(viewport=PROJECTOR, locale="en-US")
        screen = teacher.new_page()
        screen.goto(base + preview)
        screen.check("input[name=mode][value=self]")
        screen.locator("button[data-deadline-in='45']").click()
        screen.select_option("#live-feedback", "each")
        screen.get_by_role("button", name="Start a live session").last.click()
        code = screen.locator("#session-code").inner_text().replace(" ", "")
        sid = screen.url.split("/")[-2]
        with app.app_context():
            session = d.get_session(store(app), sid)
        quiz = session.quiz
        hid = {q.id: d.question_handle(session, q.id) for q in quiz.questions}
        dee = Phone(browser, "Dee")
        dee.join(f"{base}/live/join?code={code}")
        for n, q in enumerate(quiz.questions):
            panel = dee.page.locator(f'.play-panel[data-question="{hid[q.id]}"]')
            expect(panel).to_be_visible()
            expect(dee.page.locator(".timer")).to_contain_text("Time left")
            dee.page.locator("button.option").nth(q.answer).click()
            expect(
                dee.page.locator(f'[data-revealed-question="{hid[q.id]}"]')
            ).to_be_visible()
            if n == 0:
                expect(dee.page.locator(".feedback .mine")).to_contain_text("right")
                dee.page.screenshot(
                    path=str(artifacts / "live-selfpaced-feedback-phone.png"),
                    full_page=True,
                )
        expect(dee.page.locator(".stage-done")).to_be_visible()
        expect(dee.page.locator("ol.summary > li")).to_have_count(len(quiz.questions))
        expect(screen.locator(".counts-line")).to_contain_text(
            "1 finished", timeout=3000
        )
        screen.screenshot(path=str(artifacts / "live-selfpaced-projector.png"))
        assert dee.errors == []
        dee.context.close()
        teacher.close()


def test_live_browser_teacher_removes_a_student(
    browser, tmp_path: Path, artifacts: Path
) -> None:
    """A prank nickname on the projector: two clicks on the control page take it
    off every screen, and that phone is back on the join page."""
    from playwright.sync_api import expect

    app = make_app(tmp_path)
    preview = build(app.test_client(), count="3", seed="4")
    with live_server(app) as base:
        teacher = browser.new_context(viewport=PROJECTOR, locale="en-US")
        screen = teacher.new_page()
        screen.goto(base + preview)
        screen.get_by_role("button", name="Start a live session").last.click()
        code = screen.locator("#session-code").inner_text().replace(" ", "")
        sid = screen.url.split("/")[-2]
        eve, fay = Phone(browser, "Eve the Prankster"), Phone(browser, "Fay")
        for phone in (eve, fay):
            phone.join(f"{base}/live/join?code={code}")
        expect(screen.locator("ul.people")).to_contain_text("Eve the Prankster")

        control = teacher.new_page()
        control.goto(f"{base}/live/{sid}/control")
        control.screenshot(path=str(artifacts / "live-remove-control.png"))
        control.get_by_role("link", name="Remove Eve the Prankster").click()
        control.screenshot(path=str(artifacts / "live-remove-confirm.png"))
        control.get_by_role("button", name="Remove Eve the Prankster").click()
        expect(control.locator(".flash-ok")).to_contain_text("is removed")
        expect(control.locator("ul.people")).not_to_contain_text("Eve")

        # within two polls the projector and Eve's phone know
        expect(screen.locator("ul.people")).not_to_contain_text("Eve", timeout=3000)
        expect(eve.page.locator("#nickname")).to_be_visible(timeout=3000)
        expect(eve.page.locator(".flash")).to_contain_text("no longer in this session")
        assert "/live/join" in eve.page.url
        expect(fay.page.locator(".play-panel")).to_have_attribute("data-stage", "lobby")
        assert eve.errors == fay.errors == []
        for phone in (eve, fay):
            phone.context.close()
        teacher.close()
