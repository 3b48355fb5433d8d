"""Closed and open cloze blanks: a quiz a machine marks asks only blanks with
one right answer (a name, a number, a Latin-script term) unless the teacher
asks for open ones; a drill (Anki) has them all."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from webutil import build, make_app

from quizgen.bank import Bank
from quizgen.cli import main
from quizgen.generate import Choices, available, generate
from quizgen.generate.blanks import closed_blank
from quizgen.web.selection import Selection

from conftest import SHIPPED_BANK

KEY = "ai_panel_2024"


def test_closed_blanks_are_names_numbers_and_latin_terms(shipped_bank: Bank) -> None:
    claim = shipped_bank.claim
    langs = shipped_bank.languages
    for cid in (
        "a_sora_big_progress",  # 40 / 40
        "a_transformer_convergence",  # 2017
        "a_scaling_yang_zhilin",  # 杨植麟 / Yang Zhilin
        "d_industry_productivity_tools",  # SAP
        "d_jobs_not_five_years",  # 五年 / five years
        "c_china_ai_index",  # 斯坦福大学 / Stanford University
    ):
        assert closed_blank(claim(cid), langs), cid
    for cid in (
        "b_open_source_carrier",  # 载体: tool, platform, medium ...
        "a_understanding_no_semantics",
        "d_research_industry_beats_academia",  # 工业界: companies, firms ...
    ):
        assert not closed_blank(claim(cid), langs), cid


def test_open_blanks_only_when_asked(shipped_bank: Bank) -> None:
    every = set(available(shipped_bank, Choices(lang="en")))
    closed = set(available(shipped_bank, Choices(lang="en", open_blanks=False)))
    left_out = every - closed
    assert left_out
    assert all(q.endswith(".cloze") for q in left_out)
    assert "b_open_source_carrier.cloze" in left_out
    assert "a_sora_big_progress.cloze" in closed
    # a question asked for by id is kept (a saved quiz keeps its questions)
    (quiz,) = generate(
        shipped_bank,
        Choices(lang="en", open_blanks=False, include=("b_open_source_carrier.cloze",)),
    )
    assert "b_open_source_carrier.cloze" in {q.id for q in quiz.questions}


def _cloze_ids(out: Path) -> set[str]:
    (path,) = out.glob("*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return {q["id"] for q in data["questions"] if q["kind"] == "cloze"}


def test_command_line_asks_closed_blanks_unless_told(
    shipped_bank: Bank, tmp_path: Path
) -> None:
    runner = CliRunner()
    args = ["build", KEY, "-f", "json", "--lang", "en", "--siblings", "--seed", "1"]
    result = runner.invoke(main, [*args, "-o", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    closed = _cloze_ids(tmp_path / "a")
    assert closed
    assert all(closed_blank(shipped_bank.claim(q[:-6]), ("zh", "en")) for q in closed)
    result = runner.invoke(main, [*args, "--open-blanks", "-o", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert "b_open_source_carrier.cloze" in _cloze_ids(tmp_path / "b")
    result = runner.invoke(main, ["info", KEY, "--lang", "en"])
    assert "open blanks" in result.output


def test_builder_box_asks_for_open_blanks(shipped_bank: Bank, tmp_path: Path) -> None:
    bank = shipped_bank
    app = make_app(tmp_path, BANK_PATHS=[SHIPPED_BANK])
    client = app.test_client()
    plain = build(client, KEY, kinds="cloze:term", count="20", open_blanks="")
    ids = set(
        re.findall(r'data-qid="([^"]+)"', client.get(plain).get_data(as_text=True))
    )
    assert ids
    assert all(
        closed_blank(bank.claim(q[: -len(".cloze")]), bank.languages) for q in ids
    )
    wider = build(client, KEY, kinds="cloze:term", count="20", open_blanks="1")
    html = client.get(wider).get_data(as_text=True)
    ids = set(re.findall(r'data-qid="([^"]+)"', html))
    assert len(ids) == 20
    # 178 of the bank's 210 blanks are open: a draw of 20 holds some
    assert any(
        not closed_blank(bank.claim(q[: -len(".cloze")]), bank.languages) for q in ids
    )
    # a selection stored before the box existed keeps the blanks it had
    stored = Selection(lang="en").to_dict()
    del stored["open_blanks"]
    assert Selection.from_dict(stored).open_blanks is True
