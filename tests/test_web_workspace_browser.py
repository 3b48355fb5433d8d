"""The authoring workspace in a real Chromium, on a 1366×768 laptop screen:
paste a dialogue, confirm it, make claims by selecting passages, fix the field
the checker flags, download the bank, and check and build it in every format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_web_workspace import DIALOGUE, ENGLISH_CLAIM, ENGLISH_SETUP
from webutil import live_server, make_app

from quizgen.bank import load_bank
from quizgen.cli import main
from quizgen.export import FORMATS

pytestmark = pytest.mark.slow

LAPTOP = {"width": 1366, "height": 768}


def _laptop_page(browser):
    """A page on a 1366x768 laptop in English that downloads, and the list its
    script errors and console errors are collected in."""
    context = browser.new_context(
        viewport=LAPTOP, locale="en-US", accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return context, page, errors


def _cloze_from_selection(page, field: str, word: str) -> None:
    """Select `word` in the text box `field` as a teacher's mouse would, then
    press the button that makes the selection the cloze term."""
    page.evaluate(
        """([field, word]) => {
            const box = document.getElementById(field);
            const at = box.value.indexOf(word);
            box.focus();
            box.setSelectionRange(at, at + word.length);
            box.dispatchEvent(new Event('select'));
        }""",
        [field, word],
    )
    page.get_by_role("button", name="Use the selected words as the cloze term").click()


def _select(page, paragraph: int, words: str) -> None:
    """Select `words` in paragraph `paragraph` as a mouse would."""
    page.evaluate(
        """([n, words]) => {
            // the text node that holds the words (quoted passages are <mark>s)
            const box = document.querySelector(`#p${n} .text`);
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            let node = walker.nextNode();
            while (node && !node.textContent.includes(words)) node = walker.nextNode();
            const at = node.textContent.indexOf(words);
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + words.length);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
        }""",
        [paragraph, words],
    )


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= LAPTOP["width"], f"{page.url} is {width}px wide"


def test_browser_from_pasted_text_to_a_checked_bank_in_every_format(
    browser, tmp_path: Path, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    app = make_app(tmp_path / "app")
    context, page, errors = _laptop_page(browser)
    with live_server(app) as url:
        page.goto(url + "/")
        page.get_by_role("link", name="Write a bank").click()
        page.get_by_label("Title", exact=True).fill("Euthyphro")
        page.get_by_label("Paste the text").fill(DIALOGUE)
        page.screenshot(path=str(artifacts / "workspace-1-paste.png"))
        page.get_by_role("button", name="Read the text").click()

        # confirm: paragraphs, speakers found, names and topic
        expect(page.get_by_role("heading", name="11 paragraphs")).to_be_visible()
        page.locator("#speakers\\[0\\]\\.name\\.zh").fill("游叙弗伦")
        page.locator("#speakers\\[0\\]\\.role\\.en").fill("A priest")
        page.locator("#speakers\\[0\\]\\.role\\.zh").fill("祭司")
        page.locator("#speakers\\[1\\]\\.name\\.zh").fill("苏格拉底")
        page.locator("#speakers\\[1\\]\\.role\\.en").fill("A philosopher")
        page.locator("#speakers\\[1\\]\\.role\\.zh").fill("哲学家")
        page.locator("#topics\\[0\\]\\.id").fill("charge")
        page.locator("#topics\\[0\\]\\.name\\.en").fill("The charge")
        page.locator("#topics\\[0\\]\\.name\\.zh").fill("指控")
        page.screenshot(path=str(artifacts / "workspace-2-confirm.png"))
        _no_sideways_scroll(page)
        page.get_by_role("button", name="Save and go to the text").click()

        # select a passage: the claim form opens filled in from the text
        expect(page.get_by_role("heading", name="The text")).to_be_visible()
        _select(page, 8, "his name is Meletus")
        go = page.get_by_role("link", name="New claim from the selection")
        expect(go).to_be_visible()
        page.screenshot(path=str(artifacts / "workspace-3-selection.png"))
        _no_sideways_scroll(page)
        go.click()
        expect(page.locator("#quote")).to_have_value("his name is Meletus")
        expect(page.locator("#speaker")).to_have_value("socrates")
        expect(page.locator("#attribution")).to_have_value("explicit")
        page.locator("#statement\\.en").fill(
            "The man prosecuting Socrates is called Meletus."
        )
        # the checker's verdict as the teacher types: Chinese is still missing
        flagged = page.locator('[data-field="statement.zh"] .field-error')
        expect(flagged).to_have_text("is empty")
        page.screenshot(path=str(artifacts / "workspace-4-flagged.png"))
        page.locator("#statement\\.zh").fill("起诉苏格拉底的人名叫美勒托。")
        expect(flagged).to_have_count(0)
        # the cloze term: select a word of the statement, press the button
        _cloze_from_selection(page, "statement.en", "Meletus")
        expect(page.locator("#cloze\\.en")).to_have_value("Meletus")
        page.locator("#cloze\\.zh").fill("美勒托")
        # a draft with one thing changed fills the false statement
        page.get_by_role(
            "button", name="The man prosecuting Socrates is not called Meletus."
        ).click()
        expect(page.locator("#false_statement\\.en")).to_have_value(
            "The man prosecuting Socrates is not called Meletus."
        )
        page.locator("#false_statement\\.zh").fill("起诉苏格拉底的人名叫阿尼图斯。")
        # the questions the claim gives, previewed as it is typed (before saving)
        expect(page.locator("#preview .question")).to_have_count(4)
        expect(page.locator("#preview")).to_contain_text("______")
        page.get_by_role("button", name="Check and save").click()
        expect(page.get_by_text("Claim saved: socrates-1.")).to_be_visible()
        expect(page.locator(".ws-preview .question")).to_have_count(4)
        page.screenshot(path=str(artifacts / "workspace-5-preview.png"))
        _no_sideways_scroll(page)

        # a second claim from a typed quote (the way without a mouse)
        page.get_by_role("link", name="Euthyphro").first.click()
        expect(page.locator("#p8 mark")).to_have_text("his name is Meletus")
        page.get_by_label("Type or paste a quote").fill(
            "impeachment is the word which the Athenians use"
        )
        page.get_by_role("button", name="Find it and write a claim").click()
        page.locator("#statement\\.en").fill(
            "The Athenians call Socrates' case an impeachment."
        )
        page.locator("#statement\\.zh").fill("雅典人把苏格拉底的案子称为弹劾。")
        page.locator("#cloze\\.en").fill("impeachment")
        page.locator("#cloze\\.zh").fill("弹劾")
        page.get_by_role("button", name="Check and save").click()
        expect(page.get_by_text("Claim saved: socrates-2.")).to_be_visible()

        # download the bank and its text
        page.get_by_role("link", name="Euthyphro").first.click()
        page.screenshot(path=str(artifacts / "workspace-6-bank.png"))
        out = tmp_path / "download"
        out.mkdir()
        for name in ("Download the bank (YAML)", "Download the text"):
            with page.expect_download() as info:
                page.get_by_role("link", name=name).click()
            info.value.save_as(out / info.value.suggested_filename)
        assert sorted(p.name for p in out.iterdir()) == [
            "Euthyphro.txt",
            "Euthyphro.yaml",
        ]

        # the builder takes it as an upload
        page.get_by_role("button", name="Build a quiz from it").click()
        expect(page.locator("#available")).to_contain_text("These choices allow")
    context.close()
    assert errors == []

    runner = CliRunner()
    bank_file = out / "Euthyphro.yaml"
    result = runner.invoke(main, ["check", str(bank_file)])
    assert result.exit_code == 0, result.output
    bank = load_bank(bank_file)
    assert [c.id for c in bank.claims] == ["socrates-1", "socrates-2"]
    for fmt in FORMATS:
        target = tmp_path / "build" / fmt
        result = runner.invoke(
            main,
            # the second claim gives only a cloze on a common word: an open blank
            [
                *("build", str(bank_file), "-f", fmt, "--lang", "en"),
                *("--open-blanks", "-o", str(target)),
            ],
        )
        assert result.exit_code == 0, (fmt, result.output)
        assert any(target.iterdir()), fmt
    quiz = json.loads(next((tmp_path / "build" / "json").iterdir()).read_text("utf-8"))
    assert {q["source"]["quote"] for q in quiz["questions"]} == {
        "his name is Meletus",
        "impeachment is the word which the Athenians use",
    }


def _fill(page, values: dict[str, str]) -> None:
    """Type each value into the field with that id."""
    for name, value in values.items():
        page.locator(f'[id="{name}"]').fill(value)


def test_browser_an_english_only_bank_from_pasted_text_in_every_format(
    browser, tmp_path: Path, artifacts: Path
) -> None:
    """English only, chosen from the keyboard: one field per text, the checker's
    verdict and the preview in English, a bank that checks and builds."""
    from playwright.sync_api import expect

    app = make_app(tmp_path / "app")
    context, page, errors = _laptop_page(browser)
    with live_server(app) as url:
        page.goto(url + "/workspace")
        page.get_by_label("Title", exact=True).fill("Euthyphro")
        page.get_by_label("Paste the text").fill(DIALOGUE)
        # the bank's languages: both by default; an arrow key chooses English only
        both = page.get_by_role("radio", name="Chinese and English")
        expect(both).to_be_checked()
        both.focus()
        page.keyboard.press("ArrowDown")
        expect(page.get_by_role("radio", name="English only")).to_be_checked()
        expect(both).not_to_be_checked()
        page.screenshot(path=str(artifacts / "workspace-en-1-languages.png"))
        page.keyboard.press("Enter")  # submits the form, as a button would

        # confirm: one field per text, in English
        expect(page.get_by_role("heading", name="11 paragraphs")).to_be_visible()
        expect(page.locator("#bank-languages")).to_contain_text("English only")
        expect(page.locator("#setup [id$='.zh']")).to_have_count(0)
        expect(page.get_by_label("Bank title")).to_have_value("Euthyphro")
        _fill(page, ENGLISH_SETUP)
        page.screenshot(path=str(artifacts / "workspace-en-2-confirm.png"))
        _no_sideways_scroll(page)
        page.get_by_role("button", name="Save and go to the text").click()

        # a claim from a selection: statement, cloze, false statement, a fact
        expect(page.get_by_role("heading", name="The text")).to_be_visible()
        _select(page, 8, "his name is Meletus")
        page.get_by_role("link", name="New claim from the selection").click()
        expect(page.locator("#quote")).to_have_value("his name is Meletus")
        expect(page.locator("#claim-form [id$='.zh']")).to_have_count(0)
        page.get_by_role("combobox", name="Topic").select_option("charge")
        statement = page.get_by_label("Statement: the claim in one sentence")
        statement.fill("x")
        statement.fill("")
        # the checker's verdict as the teacher types, at the one field
        flagged = page.locator('[data-field="statement.en"] .field-error')
        expect(flagged).to_have_text("is empty")
        statement.fill(ENGLISH_CLAIM["statement.en"])
        expect(flagged).to_have_count(0)
        _cloze_from_selection(page, "statement.en", "Meletus")
        expect(page.get_by_label("Cloze term")).to_have_value("Meletus")
        # drafts in English only
        expect(page.locator('ul[data-drafts$=".zh"]')).to_have_count(0)
        page.get_by_role(
            "button", name="The man prosecuting Socrates is not called Meletus."
        ).click()
        expect(page.get_by_label("False statement")).to_have_value(
            "The man prosecuting Socrates is not called Meletus."
        )
        page.get_by_text("A fact question (optional)").click()
        _fill(
            page,
            {k: v for k, v in ENGLISH_CLAIM.items() if k.startswith("facts[0]")},
        )
        # the questions it gives, in English only: true/false, cloze, fact
        expect(page.locator("#preview .question")).to_have_count(3)
        expect(page.locator("#preview h3")).to_have_count(0)
        expect(page.locator("#live-check")).to_have_text(
            "quizgen check passes: 3 question(s) in English."
        )
        page.screenshot(path=str(artifacts / "workspace-en-3-claim.png"))
        _no_sideways_scroll(page)
        page.get_by_role("button", name="Check and save").click()
        expect(page.get_by_text("Claim saved: socrates-1.")).to_be_visible()
        expect(page.locator(".ws-preview .question")).to_have_count(3)

        # a second claim from a typed quote
        page.get_by_role("link", name="Euthyphro").first.click()
        page.get_by_label("Type or paste a quote").fill(
            "impeachment is the word which the Athenians use"
        )
        page.get_by_role("button", name="Find it and write a claim").click()
        page.get_by_label("Statement: the claim in one sentence").fill(
            "The Athenians call Socrates' case an impeachment."
        )
        page.get_by_label("Cloze term").fill("impeachment")
        page.get_by_role("button", name="Check and save").click()
        expect(page.get_by_text("Claim saved: socrates-2.")).to_be_visible()

        page.get_by_role("link", name="Euthyphro").first.click()
        out = tmp_path / "download"
        out.mkdir()
        for name in ("Download the bank (YAML)", "Download the text"):
            with page.expect_download() as info:
                page.get_by_role("link", name=name).click()
            info.value.save_as(out / info.value.suggested_filename)
    context.close()
    assert errors == []

    bank_file = out / "Euthyphro.yaml"
    written = bank_file.read_text("utf-8")
    assert "\nlanguages: [en]\n" in written
    assert "zh:" not in written
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(bank_file)])
    assert result.exit_code == 0, result.output
    bank = load_bank(bank_file)
    assert bank.languages == ("en",)
    assert [c.id for c in bank.claims] == ["socrates-1", "socrates-2"]
    for fmt in FORMATS:
        target = tmp_path / "build" / fmt
        result = runner.invoke(
            main,
            # built in its one language without --lang; the second claim's
            # cloze is a common word: an open blank
            ["build", str(bank_file), "-f", fmt, "--open-blanks", "-o", str(target)],
        )
        assert result.exit_code == 0, (fmt, result.output)
        assert any(target.iterdir()), fmt
    quiz = json.loads(next((tmp_path / "build" / "json").iterdir()).read_text("utf-8"))
    assert quiz["lang"] == "en"
    assert {q["source"]["quote"] for q in quiz["questions"]} == {
        "his name is Meletus",
        "impeachment is the word which the Athenians use",
    }


def test_browser_workspace_in_chinese_fits_a_laptop(
    browser, tmp_path: Path, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    app = make_app(tmp_path / "app")
    context = browser.new_context(viewport=LAPTOP, locale="zh-CN")
    page = context.new_page()
    text = "主持人：今天我们谈谈机器翻译。\n王老师：我认为机器翻译十年内会取代大部分笔译工作。\n刘老师：文学翻译需要创造力，机器至少二十年内做不到。\n王老师：去年我们的系统已经能翻译90%的技术文档。\n"
    with live_server(app) as url:
        page.goto(url + "/workspace")
        expect(page.get_by_role("heading", name="编写题库")).to_be_visible()
        page.get_by_label("标题", exact=True).fill("机器翻译对谈")
        page.get_by_label("粘贴文本").fill(text)
        page.get_by_role("button", name="读取文本").click()
        expect(page.get_by_role("heading", name="4 段")).to_be_visible()
        page.screenshot(path=str(artifacts / "workspace-zh-1-confirm.png"))
        _no_sideways_scroll(page)
        page.get_by_role("button", name="保存并进入正文").click()
        expect(page.get_by_role("heading", name="正文", exact=True)).to_be_visible()
        _select(page, 2, "机器翻译十年内会取代大部分笔译工作")
        page.get_by_role("link", name="用选中的文字写论断").click()
        expect(page.locator("#speaker")).to_have_value("speaker2")  # 王老师
        page.locator("#statement\\.zh").fill("机器翻译十年内会取代大部分笔译工作。")
        # the drafts change one thing: the number, or the verb negated
        expect(
            page.get_by_role("button", name="机器翻译十年内不会取代大部分笔译工作。")
        ).to_be_visible()
        expect(page.locator('[data-field="statement.en"] .field-error')).to_have_text(
            "为空"
        )
        # the statement's words, split by the segmenter: a click makes the cloze
        terms = page.locator('ul[data-drafts="cloze.zh"] button')
        expect(terms.filter(has_text="机器翻译")).to_be_visible()
        terms.filter(has_text="笔译").first.click()
        expect(page.locator("#cloze\\.zh")).to_have_value("笔译")
        expect(page.locator('[data-field="cloze.zh"]')).not_to_have_class(
            re.compile("invalid")
        )
        page.screenshot(path=str(artifacts / "workspace-zh-2-claim.png"))
        _no_sideways_scroll(page)
    context.close()
