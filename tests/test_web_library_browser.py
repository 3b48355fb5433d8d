"""My quizzes and question edits in a real browser (Chromium through Playwright).

Save, find, rename, duplicate and delete a quiz; edit a question and find the
edit in the preview, the Word key, the Anki deck, the Moodle file and a live
session, under the same id; the builder's default count, the page that keeps
its place after a remove, and the self-paced fields. Screenshots at 1366x768
and at phone width go to the artifacts folder.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from webutil import EXAMPLE_KEY, build, live_server, make_app

from quizgen.export.anki_deck import question_note_guid
from quizgen.quiz import Kind
from quizgen.web import store
from quizgen.web.selection import Selection

pytestmark = pytest.mark.slow

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 780}
STEM = "Who said it <em>first</em>?"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("library"))
    with live_server(app) as url:
        yield app, url


def _context(browser, viewport, lang="en-US"):
    context = browser.new_context(viewport=viewport, locale=lang, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console", lambda msg: errors.append(msg.text) if msg.type == "error" else None
    )
    return context, page, errors


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def _code(url: str) -> str:
    return url.split("?")[0].split("#")[0].rsplit("/", 1)[1]


def test_browser_save_find_rename_duplicate_and_delete(
    browser, site, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    app, base = site
    context, page, errors = _context(browser, LAPTOP)
    page.goto(f"{base}/build/{EXAMPLE_KEY}")
    expect(page.locator("#count")).to_have_value("10")
    page.fill("#seed", "21")
    page.get_by_role("button", name="Build a quiz").click()
    page.wait_for_url(re.compile(r"/q/\w+$"))
    assert page.locator("li.question").count() == 10
    page.fill("#save-name", "Week 5: translation")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#saved-as")).to_contain_text("Week 5: translation")
    page.screenshot(path=str(artifacts / "web-preview-saved-1366.png"))
    # a teacher who closed the tab finds the quiz from the navigation
    page.goto(f"{base}/")
    expect(page.locator("#saved-note")).to_contain_text("You have 1 saved quiz.")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My quizzes"
    ).click()
    expect(page.locator("h1")).to_have_text("My quizzes")
    row = page.locator("table.quizzes tbody tr").first
    expect(row.locator(".quiz-name")).to_have_text("Week 5: translation")
    expect(row).to_contain_text("10")
    expect(row).to_contain_text("English")
    # rename
    row.locator("details.rename summary").click()
    row.locator("input[name=name]").fill("Week 5 (final)")
    row.get_by_role("button", name="Rename").click()
    expect(page.locator(".flash-ok")).to_contain_text("Renamed to “Week 5 (final)”.")
    # duplicate
    page.get_by_role("button", name="Duplicate Week 5 (final)").click()
    expect(page.locator(".quiz-name")).to_have_count(2)
    names = sorted(page.locator(".quiz-name").all_inner_texts())
    assert names == ["Week 5 (final)", "Week 5 (final) (copy)"]
    page.screenshot(path=str(artifacts / "web-my-quizzes-1366.png"), full_page=True)
    _no_sideways_scroll(page)
    # open the copy: its preview, saved
    page.get_by_role("link", name="Week 5 (final) (copy)", exact=True).click()
    expect(page.locator("#saved-as")).to_contain_text("Week 5 (final) (copy)")
    # delete the first, after the confirmation page
    page.goto(f"{base}/quizzes")
    page.get_by_role("link", name="Delete Week 5 (final)", exact=True).click()
    expect(page.locator("h1")).to_have_text("Delete Week 5 (final)?")
    page.screenshot(path=str(artifacts / "web-delete-quiz-1366.png"))
    page.locator("#delete-quiz").click()
    expect(page.locator(".flash-ok")).to_contain_text("Deleted “Week 5 (final)”.")
    assert page.locator(".quiz-name").all_inner_texts() == ["Week 5 (final) (copy)"]
    assert errors == []
    context.close()

    # the list and the preview at phone width, in Chinese
    context, phone, errors = _context(browser, PHONE, lang="zh-CN")
    phone.goto(f"{base}/quizzes")
    expect(phone.locator("h1")).to_have_text("我的测验")
    _no_sideways_scroll(phone)
    phone.screenshot(path=str(artifacts / "web-my-quizzes-phone.png"), full_page=True)
    phone.locator(".quiz-name").first.click()
    phone.wait_for_url(re.compile(r"/q/\w+\?quiz="))
    _no_sideways_scroll(phone)
    phone.screenshot(path=str(artifacts / "web-preview-saved-phone.png"))
    assert errors == []
    context.close()


def test_browser_edit_reaches_preview_word_anki_moodle_and_live(
    browser, site, artifacts: Path, tmp_path: Path, example_bank
) -> None:
    from anki.collection import (
        Collection,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )
    from playwright.sync_api import expect

    app, base = site
    location = build(app.test_client(), count="12", seed="31")
    selection = Selection.from_dict(store(app).selection(_code(location)))
    plain = selection.quizzes(example_bank)[0]
    n, mc = next(
        (i + 1, q)
        for i, q in enumerate(plain.questions)
        if q.kind == Kind.MULTIPLE_CHOICE
    )
    new_right = (mc.answer + 1) % len(mc.options)

    context, page, errors = _context(browser, LAPTOP)
    page.goto(base + location)
    item = page.locator(f"li.question[data-qid='{mc.id}']")
    item.locator("details.edit-question summary").click()
    item.locator("textarea[name=prompt]").fill(STEM)
    item.locator("input[name=option]").nth(new_right).fill("Prof. Nobody")
    item.locator(f"#edit-{n}-right-{new_right}").check()
    page.screenshot(path=str(artifacts / "web-preview-edit-form-1366.png"))
    item.get_by_role("button", name="Save the edit").click()
    page.wait_for_url(re.compile(rf"#at-{n}$"))
    edited_url = page.url
    item = page.locator(f"li.question[data-qid='{mc.id}']")
    # the edit shows, marked, as text; the page opens at the question
    expect(item.locator(".prompt")).to_have_text(STEM)
    expect(item.locator(".edited-tag")).to_have_text("edited")
    expect(item.locator("ol.options li.right")).to_contain_text("Prof. Nobody")
    assert page.locator(f"li.question[data-qid='{mc.id}'] .prompt em").count() == 0
    box = page.locator(f"#at-{n}").bounding_box()
    assert box is not None
    assert 0 <= box["y"] < LAPTOP["height"] / 2, box
    item.screenshot(path=str(artifacts / "web-preview-edited-question.png"))

    def download(fmt: str) -> bytes:
        with page.expect_download() as info:
            page.locator(f"a[data-format='{fmt}']").click()
        got = info.value
        path = tmp_path / got.suggested_filename
        got.save_as(path)
        return path.read_bytes()

    # Word: the zip says it is one; the key's row for the id has the new letter
    expect(page.locator("a[data-format='docx']")).to_contain_text("(.zip)")
    import docx

    with zipfile.ZipFile(io.BytesIO(download("docx"))) as zf:
        names = zf.namelist()
        assert sorted(names) == [
            "example-translation-en-key.docx",
            "example-translation-en-student.docx",
        ]
        student = docx.Document(
            io.BytesIO(zf.read("example-translation-en-student.docx"))
        )
        assert STEM in "\n".join(p.text for p in student.paragraphs)
        key = docx.Document(io.BytesIO(zf.read("example-translation-en-key.docx")))
        rows = {r.cells[1].text: r.cells[2].text for r in key.tables[0].rows}
    assert rows[mc.id].startswith("ABCD"[new_right])

    # Anki: the note of the id carries the edit (escaped once)
    deck = tmp_path / "deck.apkg"
    deck.write_bytes(download("anki"))
    col = Collection(str(tmp_path / "col.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(deck), options=ImportAnkiPackageOptions()
            )
        )
        notes = {col.get_note(i).guid: col.get_note(i) for i in col.find_notes("")}
    finally:
        col.close()
    fields = " ".join(notes[question_note_guid(example_bank.id, mc)].fields)
    assert "Who said it &lt;em&gt;first&lt;/em&gt;?" in fields
    assert "Prof. Nobody" in fields

    # Moodle XML: the idnumber is the id, the edited option is the right one
    root = etree.fromstring(download("moodle"))
    (question,) = [q for q in root.iter("question") if q.findtext("idnumber") == mc.id]
    assert "Who said it &lt;em&gt;first&lt;/em&gt;?" in question.findtext(
        "questiontext/text"
    )
    right = [a for a in question.iter("answer") if a.get("fraction") == "100"]
    assert "Prof. Nobody" in right[0].findtext("text")

    # a live session from the edited quiz: the student sees the edit, same id
    page.goto(edited_url)
    page.get_by_role("button", name="Start a live session").last.click()
    page.wait_for_selector("#session-code")
    code = page.locator("#session-code").inner_text().replace(" ", "")
    sid = page.url.split("/")[-2]
    phone_context, phone, phone_errors = _context(browser, PHONE)
    phone.goto(f"{base}/live/join?code={code}")
    phone.fill("#nickname", "Ann")
    phone.get_by_role("button", name=re.compile("Join")).click()
    phone.wait_for_url(re.compile(r"/play"))
    # the teacher opens the edited question (as the control page's forms do)
    page.goto(f"{base}/live/{sid}/control")
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    opened = page.request.post(
        f"{base}/live/{sid}/host/open",
        form={"csrf_token": token, "index": str(n - 1), "back": "control"},
    )
    assert opened.ok, opened.status
    # the phone knows the question by an opaque handle, never by its id
    asked = phone.locator("[data-question]")
    expect(asked).to_contain_text(STEM, timeout=5000)
    expect(asked).to_contain_text("Prof. Nobody")
    assert asked.get_attribute("data-question") not in ("", mc.id)
    assert mc.id not in phone.content()
    phone.screenshot(path=str(artifacts / "web-live-edited-question-phone.png"))
    assert errors == []
    assert phone_errors == []
    phone_context.close()
    context.close()


def test_browser_builder_and_preview_keep_the_teachers_place(
    browser, site, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    app, base = site
    context, page, errors = _context(browser, LAPTOP)
    page.goto(f"{base}/build/{EXAMPLE_KEY}")
    expect(page.locator("#count")).to_have_value("10")
    page.fill("#seed", "44")
    page.get_by_role("button", name="Build a quiz").click()
    page.wait_for_url(re.compile(r"/q/\w+$"))
    before = page.locator("li.question").evaluate_all(
        "els => els.map(e => e.dataset.qid)"
    )
    assert len(before) == 10
    # the self-paced fields appear only when self-paced is chosen
    expect(page.locator("#live-deadline")).to_be_hidden()
    expect(page.locator("#live-feedback")).to_be_hidden()
    expect(page.locator("#live-timer")).to_be_visible()
    page.check("input[name=mode][value=self]")
    expect(page.locator("#live-deadline")).to_be_visible()
    expect(page.locator("#live-feedback")).to_be_visible()
    page.check("input[name=mode][value=teacher]")
    expect(page.locator("#live-deadline")).to_be_hidden()
    # remove question 6: the others keep their order, the page stays there
    page.locator("#at-6").scroll_into_view_if_needed()
    page.get_by_role("button", name="Remove question 6").click()
    page.wait_for_url(re.compile(r"#at-6$"))
    after = page.locator("li.question").evaluate_all(
        "els => els.map(e => e.dataset.qid)"
    )
    assert after == before[:5] + before[6:]
    box = page.locator("#at-6").bounding_box()
    assert box is not None
    assert 0 <= box["y"] < LAPTOP["height"] / 2, box
    # swap question 3: the new one takes its place, the seed stays
    seed = page.locator("p.meta").first.inner_text()
    page.get_by_role("button", name="Swap question 3 for another").click()
    page.wait_for_url(re.compile(r"#at-3$"))
    swapped = page.locator("li.question").evaluate_all(
        "els => els.map(e => e.dataset.qid)"
    )
    assert swapped[:2] == after[:2]
    assert swapped[3:] == after[3:]
    assert swapped[2] not in after
    assert page.locator("p.meta").first.inner_text() == seed
    page.screenshot(path=str(artifacts / "web-preview-after-swap-1366.png"))
    # the edit form at phone width
    page.set_viewport_size(PHONE)
    page.locator("#at-1 details.edit-question summary").click()
    page.locator("#at-1 details.edit-question").scroll_into_view_if_needed()
    _no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / "web-preview-edit-form-phone.png"))
    assert errors == []
    context.close()
