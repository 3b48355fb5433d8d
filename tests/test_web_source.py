"""Source view: numbered paragraphs, quotes marked and linked to claims and questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from webutil import EXAMPLE_KEY, make_app

from quizgen.web.source_view import segments


@pytest.fixture
def client(tmp_path: Path):
    return make_app(tmp_path).test_client()


def test_segments_mark_quotes_across_whitespace() -> None:
    text = "甲说:我认为 机器翻译 很好。后来又说别的。"
    parts = segments(text, {"c1": "我认为机器翻译很好。", "c2": "机器翻译"})
    assert "".join(p.text for p in parts) == text
    marked = [(p.text, p.claims) for p in parts if p.claims]
    assert marked == [
        ("我认为 ", ("c1",)),
        ("机器翻译", ("c1", "c2")),
        (" 很好。", ("c1",)),
    ]
    assert [p.starts for p in parts if p.starts] == [("c1",), ("c2",)]
    assert [p.ends for p in parts if p.ends] == [("c2",), ("c1",)]


def test_segments_ignore_a_quote_not_in_the_text() -> None:
    assert segments("没有引文。", {"c": "别处"}) == [segments("没有引文。", {})[0]]


def test_source_view_numbers_paragraphs_and_marks_every_claim(
    client, example_bank
) -> None:
    html = client.get(f"/source/{EXAMPLE_KEY}?lang=en").get_data(as_text=True)
    numbers = [int(n) for n in re.findall(r'<p id="p(\d+)"', html)]
    assert numbers == list(range(1, len(example_bank.source.paragraphs) + 1))
    for claim in example_bank.claims:
        assert f'id="quote-{claim.id}"' in html
        assert f'href="#claim-{claim.id}"' in html
        assert f'<li id="claim-{claim.id}"' in html
        assert claim.statement.en.replace("'", "&#39;") in html
        # the quote sits in the paragraph the bank says
        para = re.search(rf'<p id="p{claim.paragraph}".*?</p>', html, re.S).group(0)
        assert f'id="quote-{claim.id}"' in para
    assert "Questions from this claim" in html
    assert "outside the text" not in html or "boilerplate" in html


def test_source_view_lists_questions_under_their_claims(client) -> None:
    html = client.get(f"/source/{EXAMPLE_KEY}?lang=zh").get_data(as_text=True)
    item = re.search(r'<li id="claim-wang-replace".*?</li>\s*</ul>', html, re.S).group(
        0
    )
    assert "王老师" in item
    assert "multiple choice" in item or "true or false" in item


def test_source_view_of_the_shipped_bank(tmp_path: Path, shipped_bank) -> None:
    from conftest import SHIPPED_BANK

    client = make_app(tmp_path, BANK_PATHS=[SHIPPED_BANK]).test_client()
    html = client.get(f"/source/{SHIPPED_BANK.stem}").get_data(as_text=True)
    assert len(re.findall(r'<p id="p\d+"', html)) == len(shipped_bank.source.paragraphs)
    assert html.count("<mark") >= len(shipped_bank.claims)
