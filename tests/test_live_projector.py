"""The projector page fits a classroom projector without scrolling.

At 1366×768 and 1920×1080, in English and Chinese: during a question the
prompt, every option, a large countdown and the teacher's controls are on
the screen; after the reveal the options with the right one marked, the
explanation, the quote, the chart and the next button are too. The join box
is a strip once the first question opens. `r` reveals and `n` opens the next
question. Screenshots go to the artifacts folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from webutil import build, csrf_token, live_server, make_app

from quizgen.web import store
from quizgen.web.live import domain as d

pytestmark = pytest.mark.slow

MEASURE = """(selectors) => {
  const out = [];
  for (const sel of selectors) {
    const all = document.querySelectorAll(sel);
    if (all.length === 0) out.push([sel, null]);
    for (const el of all) {
      const r = el.getBoundingClientRect();
      out.push([sel, [r.top, r.bottom, r.left, r.right, r.width, r.height]]);
    }
  }
  return out;
}"""


def fits(page: Any, selectors: list[str]) -> list[str]:
    """Problems: a selector with no element, or a box outside the viewport."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    problems = []
    for sel, box in page.evaluate(MEASURE, selectors):
        if box is None:
            problems.append(f"{sel}: missing")
            continue
        top, bottom, left, right, w, h = box
        if w == 0 or h == 0:
            problems.append(f"{sel}: not shown")
        elif top < -1 or left < -1 or bottom > height + 1 or right > width + 1:
            problems.append(f"{sel}: {box} outside {width}x{height}")
    scroll = page.evaluate(
        "[document.documentElement.scrollHeight, document.documentElement.scrollWidth]"
    )
    if scroll[0] > height + 1 or scroll[1] > width + 1:
        problems.append(f"the page scrolls: {scroll} in {width}x{height}")
    return problems


def join(app, code: str, name: str) -> None:
    client = app.test_client()
    token = csrf_token(client, f"/live/join?code={code}")
    got = client.post(
        "/live/join", data={"csrf_token": token, "code": code, "nickname": name}
    )
    assert got.status_code == 303


@pytest.mark.parametrize(
    ("width", "height", "lang"),
    [(1366, 768, "en"), (1366, 768, "zh"), (1920, 1080, "en")],
    ids=["1366x768-en", "1366x768-zh", "1920x1080-en"],
)
def test_projector_fits_without_scrolling(
    browser, tmp_path: Path, artifacts: Path, width: int, height: int, lang: str
) -> None:
    from playwright.sync_api import expect

    app = make_app(tmp_path)
    preview = build(
        app.test_client(),
        count="3",
        seed="3",
        lang=lang,
        kinds=["multiple_choice:fact", "multiple_choice:attribution"],
    )
    locale = "zh-CN" if lang == "zh" else "en-US"
    with live_server(app) as base:
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale=locale
        )
        screen = context.new_page()
        screen.goto(base + preview)
        screen.fill("#live-timer", "30")
        screen.locator("#live-start-button").click()
        code = screen.locator("#session-code").inner_text().replace(" ", "")
        sid = screen.url.split("/")[-2]
        with app.app_context():
            quiz = d.get_session(store(app), sid).quiz
        assert all(len(q.options) >= 3 for q in quiz.questions)
        for name in ("Ann", "Bo", "Cy"):
            join(app, code, name)
        screen.reload()
        name = f"live-projector-{width}x{height}-{lang}"
        screen.screenshot(path=str(artifacts / f"{name}-lobby.png"))
        assert fits(screen, [".join-box .qr", "#session-code", "#open-first"]) == []

        screen.locator("#open-first").click()
        expect(screen.locator(".host-stats")).to_have_attribute(
            "data-state", "question"
        )
        screen.screenshot(path=str(artifacts / f"{name}-question.png"))
        options = len(quiz.questions[0].options)
        assert screen.locator(".host-stats ol.live-options li").count() == options
        assert (
            fits(
                screen,
                [
                    ".q-prompt",
                    ".host-stats ol.live-options li",
                    ".timer .clock",
                    "#answered-count",
                    "#reveal",
                    "#end",
                    "#session-code",
                ],
            )
            == []
        )
        # a large countdown; the join box is a strip
        clock_px = screen.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.timer .clock')).fontSize)"
        )
        assert clock_px >= 48
        strip = screen.locator(".join-box").bounding_box()
        assert strip["height"] <= 72
        assert screen.locator(".join-box .qr").count() == 0

        screen.keyboard.press("r")  # reveal
        expect(screen.locator(".host-stats")).to_have_attribute("data-state", "reveal")
        screen.screenshot(path=str(artifacts / f"{name}-reveal.png"))
        assert (
            fits(
                screen,
                [
                    ".host-stats ol.live-options li",
                    "[data-right]",
                    ".explanation",
                    ".quote blockquote",
                    "ul.bars",
                    "#top5 li",
                    "#next",
                ],
            )
            == []
        )
        screen.keyboard.press("n")  # the next question
        expect(screen.locator(".host-stats")).to_have_attribute(
            "data-state", "question"
        )
        expect(screen.locator(".q-number")).to_contain_text("2")
        context.close()


def test_projector_reveals_when_time_is_up_if_the_teacher_chose_it(
    browser, tmp_path: Path, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    app = make_app(tmp_path)
    preview = build(
        app.test_client(),
        count="3",
        seed="3",
        kinds=["multiple_choice:fact", "multiple_choice:attribution"],
    )
    with live_server(app) as base:
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, locale="en-US"
        )
        screen = context.new_page()
        screen.goto(base + preview)
        screen.fill("#live-timer", "5")
        screen.check("#live-auto-reveal")
        screen.locator("#live-start-button").click()
        screen.locator("#open-first").click()
        expect(screen.locator(".host-stats")).to_have_attribute(
            "data-state", "question"
        )
        expect(screen.locator(".timer.up")).to_contain_text("Time's up", timeout=7000)
        screen.screenshot(path=str(artifacts / "live-projector-time-up.png"))
        expect(screen.locator(".host-stats")).to_have_attribute(
            "data-state", "reveal", timeout=5000
        )
        context.close()
