"""The web app in a real browser: Chromium through Playwright against a real server.

Build -> preview -> download of each format, with the files checked; the pages
at phone (360 px) and desktop width, saved as screenshots in the artifacts folder.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from webutil import EXAMPLE_KEY, EXAMPLE_SOURCE, live_server, make_app

from quizgen.generate import Choices, drawable, parse_kinds

from conftest import require

pytestmark = pytest.mark.slow

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("web"))
    with live_server(app) as url:
        yield url


def _page(browser, viewport, lang="en-US"):
    context = browser.new_context(viewport=viewport, locale=lang, accept_downloads=True)
    return context, context.new_page()


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def test_browser_build_preview_and_download_every_format(
    browser, server, artifacts: Path, tmp_path: Path, example_bank
) -> None:
    from playwright.sync_api import expect

    context, page = _page(browser, DESKTOP)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    page.goto(server + "/")
    page.get_by_role("link", name="Build a quiz").first.click()
    assert page.url.endswith(f"/build/{EXAMPLE_KEY}")
    status = page.locator("#available")
    seed = int(page.locator("#seed").input_value())
    n = drawable(example_bank, Choices(lang="en", seed=seed, open_blanks=False))
    assert status.inner_text() == f"These choices allow {n} questions."
    # the count follows the choices at once (JSON POST with the CSRF header),
    # the box for open blanks included
    page.get_by_label("Fill in the blank").check()
    cloze = parse_kinds(["cloze"])
    n_closed = drawable(
        example_bank, Choices(lang="en", seed=seed, kinds=cloze, open_blanks=False)
    )
    expect(status).to_contain_text(f"allow {n_closed} question")
    page.get_by_label("Open blanks too").check()
    n_cloze = drawable(example_bank, Choices(lang="en", seed=seed, kinds=cloze))
    assert n_cloze > n_closed
    expect(status).to_have_text(f"These choices allow {n_cloze} questions.")
    page.get_by_label("Fill in the blank").uncheck()
    page.get_by_label("Chinese").check()
    page.get_by_label("Number of questions").fill("6")
    page.get_by_label("Seed", exact=True).fill("21")
    page.get_by_label("Versions").fill("2")
    page.screenshot(
        path=str(artifacts / "web-builder-filled-desktop.png"), full_page=True
    )
    page.get_by_role("button", name="Build a quiz").click()
    page.wait_for_url("**/q/*")
    ids = page.locator("li.question").evaluate_all("els => els.map(e => e.dataset.qid)")
    prompts = page.locator("li.question .prompt").all_inner_texts()
    assert len(ids) == 6
    page.screenshot(path=str(artifacts / "web-preview-desktop.png"), full_page=True)

    formats = page.locator("a[data-format]").evaluate_all(
        "els => els.map(e => e.dataset.format)"
    )
    assert "json" in formats
    saved: dict[str, Path] = {}
    for fmt in formats:
        with page.expect_download() as info:
            page.locator(f'a[data-format="{fmt}"]').click()
        download = info.value
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        saved[fmt] = target

    # JSON: two versions, zipped under the Chinese title; version A is the preview
    assert saved["json"].name == "机器翻译对谈(示例)-zh-json.zip"
    with zipfile.ZipFile(saved["json"]) as zf:
        quiz_a = json.loads(zf.read("example-translation-zh-A.json"))
        quiz_b = json.loads(zf.read("example-translation-zh-B.json"))
    assert [q["id"] for q in quiz_a["questions"]] == ids
    assert [q["prompt"] for q in quiz_a["questions"]] == prompts
    assert sorted(q["id"] for q in quiz_b["questions"]) == sorted(ids)
    assert quiz_a["seed"] == 21

    if "anki" in saved:
        from anki.collection import (
            Collection,
            ImportAnkiPackageOptions,
            ImportAnkiPackageRequest,
        )

        assert saved["anki"].suffix in (".apkg", ".zip")
        decks = [saved["anki"]]
        if saved["anki"].suffix == ".zip":
            with zipfile.ZipFile(saved["anki"]) as zf:
                zf.extractall(tmp_path / "anki")
            decks = sorted((tmp_path / "anki").glob("*.apkg"))
        col = Collection(str(tmp_path / "collection.anki2"))
        try:
            for deck in decks:
                result = col.import_anki_package(
                    ImportAnkiPackageRequest(
                        package_path=str(deck), options=ImportAnkiPackageOptions()
                    )
                )
                assert len(result.log.new) + len(result.log.duplicate) >= 1
            assert len(col.find_notes("")) == 6
        finally:
            col.close()
    else:
        require(False, "the Anki exporter is not written yet")

    if "docx" in saved:
        import docx

        with zipfile.ZipFile(saved["docx"]) as zf:
            names = zf.namelist()
            assert len(names) >= 4  # student copy and key, for A and B
            for name in names:
                with zf.open(name) as fh:
                    document = docx.Document(fh)
                assert any("机器翻译" in p.text for p in document.paragraphs)
    else:
        require(False, "the Word exporter is not written yet")

    assert errors == []
    context.close()


def test_browser_pages_at_phone_and_desktop_width(
    browser, server, artifacts: Path
) -> None:
    for name, viewport, lang in (
        ("phone", PHONE, "zh-CN"),
        ("desktop", DESKTOP, "en-US"),
    ):
        context, page = _page(browser, viewport, lang)
        page.goto(server + "/")
        page.screenshot(path=str(artifacts / f"web-home-{name}.png"), full_page=True)
        _no_sideways_scroll(page)
        page.goto(server + f"/build/{EXAMPLE_KEY}")
        page.screenshot(path=str(artifacts / f"web-builder-{name}.png"), full_page=True)
        _no_sideways_scroll(page)
        page.locator("#count").fill("5")
        page.locator("button[value=build]").click()
        page.wait_for_url("**/q/*")
        page.screenshot(path=str(artifacts / f"web-preview-{name}.png"), full_page=True)
        _no_sideways_scroll(page)
        page.locator("figcaption a").first.click()
        page.wait_for_url("**/source/**")
        page.screenshot(path=str(artifacts / f"web-source-quote-{name}.png"))
        _no_sideways_scroll(page)
        page.goto(server + f"/source/{EXAMPLE_KEY}")
        page.screenshot(path=str(artifacts / f"web-source-{name}.png"), full_page=True)
        page.goto(server + "/upload")
        page.screenshot(path=str(artifacts / f"web-upload-{name}.png"), full_page=True)
        _no_sideways_scroll(page)
        page.goto(server + "/no/such/page")
        page.screenshot(path=str(artifacts / f"web-404-{name}.png"), full_page=True)
        context.close()


def test_browser_upload_shows_problems_and_language_switch(
    browser, server, artifacts: Path, tmp_path: Path
) -> None:
    context, page = _page(browser, PHONE)
    bad = tmp_path / "bad-bank.yaml"
    bad.write_text(
        (EXAMPLE_SOURCE.parent / "example-bank.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "speaker: wang\n    topic: future", "speaker: wong\n    topic: future", 1
        )
        .replace('en: "A panel', 'en: "<script>alert(1)</script> A panel'),
        encoding="utf-8",
    )
    page.goto(server + "/upload")
    page.get_by_label("Bank (YAML)").set_input_files(str(bad))
    page.get_by_label("Source text (.txt)").set_input_files(str(EXAMPLE_SOURCE))
    page.get_by_role("button", name="Upload and check").click()
    assert "problem(s); nothing was stored" in page.locator("main").inner_text()
    assert "bad-bank.yaml:" in page.locator("table.problems").inner_text()
    page.screenshot(path=str(artifacts / "web-upload-errors-phone.png"), full_page=True)
    _no_sideways_scroll(page)
    # switch to Chinese: remembered on the next page
    page.get_by_role("button", name="中文").click()
    assert "上传题库" in page.locator("h1").inner_text()
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()


def test_browser_builder_works_by_keyboard(browser, server) -> None:
    context, page = _page(browser, DESKTOP)
    page.goto(server + f"/build/{EXAMPLE_KEY}")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "document.activeElement.labels && document.activeElement.labels[0]"
            " ? document.activeElement.labels[0].textContent.trim()"
            " : document.activeElement.textContent.trim()"
        )
        if label == "Fill in the blank":
            page.keyboard.press("Space")
        if label == "Build a quiz":
            break
    else:
        pytest.fail("the Build button cannot be reached with Tab")
    assert (
        page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/q/*")
    kinds = page.locator("li.question .kind").all_inner_texts()
    assert kinds
    assert set(kinds) == {"fill in the blank"}
    context.close()
