"""A bank's source language and genre: checked, and followed by every question
template (occasion word, lead verb, quote marks); "who said this?" for texts
of two and three speakers; why a kind gives no question."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from webutil import csrf_token, make_app

from quizgen.bank import load_bank
from quizgen.bank.genre import genre_words, html_lang, quote_marks, valid_language
from quizgen.cli import main
from quizgen.errors import BankError
from quizgen.generate import (
    Choices,
    generate,
    parse_kinds,
    quality_problems,
    zero_reasons,
)
from quizgen.quiz import Form, Kind

from conftest import DIALOGUE_BANK, EXAMPLE_BANK, ROOT, SHIPPED_BANK


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    monkeypatch.setenv("QUIZGEN_LANG", "en")


def _variant(tmp_path: Path, bank: Path, *changes: tuple[str, str]) -> Path:
    """A copy of `bank` with text replaced (each change must apply), next to its source."""
    text = bank.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    for folder in ("../seeds/", "file: example-source.txt"):
        if folder == "../seeds/":
            text = text.replace("file: ../seeds/", f"file: {ROOT}/seeds/")
        else:
            text = text.replace(folder, f"file: {ROOT}/docs/example-source.txt")
    path = tmp_path / bank.name
    path.write_text(text, encoding="utf-8")
    return path


def test_quote_marks_and_lang_follow_the_language():
    assert quote_marks("zh") == ("「", "」")
    assert quote_marks("lzh") == ("「", "」")
    assert quote_marks("zh-Hant") == ("「", "」")
    assert quote_marks("en") == ("\u201c", "\u201d")
    assert quote_marks("en-GB") == ("\u201c", "\u201d")
    assert quote_marks("de") == ("„", "“")
    assert html_lang("zh") == "zh-Hans"
    assert html_lang("en") == "en"
    assert html_lang("lzh") == "lzh"
    assert valid_language("zh-Hant-TW")
    assert not valid_language("english!")
    assert not valid_language('en" onload="x')


@pytest.mark.parametrize(
    ("genre", "zh", "en"),
    [
        ("panel", ("这场对谈", "认为"), ("the panel", "says")),
        ("dialogue", ("这段对话", "说"), ("the dialogue", "says")),
        ("article", ("这篇文章", "写道"), ("the article", "writes")),
        ("story", ("这个故事", "说"), ("the story", "says")),
        ("interview", ("这次访谈", "认为"), ("the interview", "says")),
        ("lecture", ("这场讲座", "讲到"), ("the lecture", "says")),
    ],
)
def test_genre_words(genre, zh, en):
    words = genre_words(genre, "zh")
    assert (words["this_occasion"], words["verb"]) == zh
    words = genre_words(genre, "en")
    assert (words["this_occasion"], words["verb"]) == en


def test_shipped_banks_declare_their_source():
    panel, dialogue = load_bank(SHIPPED_BANK), load_bank(DIALOGUE_BANK)
    assert (panel.source_info.language, panel.source_info.genre) == ("zh", "panel")
    assert (dialogue.source_info.language, dialogue.source_info.genre) == (
        "en",
        "dialogue",
    )


def test_source_language_and_genre_default_to_a_chinese_panel():
    bank = load_bank(EXAMPLE_BANK)
    assert (bank.source_info.language, bank.source_info.genre) == ("zh", "panel")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("  language: english!\n", "source.language: 'english!' is not a language tag"),
        ("  language: 12\n", "source.language: 12 is not a language tag"),
        (
            "  genre: podcast\n",
            "source.genre: 'podcast' is not one of panel, interview",
        ),
    ],
    ids=["bad-tag", "number", "bad-genre"],
)
def test_bad_source_language_or_genre_names_file_and_line(tmp_path, line, message):
    path = _variant(
        tmp_path,
        DIALOGUE_BANK,
        ("  language: en\n  genre: dialogue\n", line),
    )
    with pytest.raises(BankError) as caught:
        load_bank(path)
    (problem,) = caught.value.problems
    assert problem.line == 7
    assert str(problem).startswith(f"{path}:7: ")
    assert message in str(problem)


def _build(bank, lang: str, kinds: str, n: int | None = None):
    (quiz,) = generate(
        bank,
        Choices(lang=lang, kinds=parse_kinds([kinds]), seed=2, count=n, siblings=True),
    )
    return quiz


def test_dialogue_wording_in_english():
    bank = load_bank(DIALOGUE_BANK)
    quiz = _build(bank, "en", "who,tf,cloze")
    text = "\n".join(q.prompt + "\n" + q.explanation for q in quiz.questions)
    assert "panel" not in text
    assert "「" not in text
    assert "transcript" not in text
    for q in quiz.questions:
        assert f"\u201c{q.source.quote}\u201d" in q.explanation
        if q.form == Form.ATTRIBUTION:
            assert q.prompt.startswith("In the dialogue, who made this point: ")
    assert any(
        q.prompt.startswith("True or false? Socrates says: ") for q in quiz.questions
    )


def test_dialogue_wording_in_chinese():
    bank = load_bank(DIALOGUE_BANK)
    quiz = _build(bank, "zh", "who,tf,cloze")
    text = "\n".join(q.prompt for q in quiz.questions)
    assert "对谈" not in text
    # a dialogue's speaker says (说), a panelist 认为
    assert "苏格拉底认为，" not in text
    assert "游叙弗伦认为，" not in text
    assert "苏格拉底说，" in text
    assert "在这段对话中，下面的观点是谁表达的：" in text
    for q in quiz.questions:  # the English quote keeps English marks in Chinese text
        assert f"\u201c{q.source.quote}\u201d" in q.explanation
        assert "「" not in q.explanation


def test_panel_wording_unchanged():
    bank = load_bank(SHIPPED_BANK)
    zh = _build(bank, "zh", "who,tf", 40)
    assert any(
        q.prompt.startswith("在这场对谈中，是谁表达了下面的观点？")
        for q in zh.questions
    )
    assert any("认为，" in q.prompt for q in zh.questions)
    assert all(f"「{q.source.quote}」" in q.explanation for q in zh.questions)
    en = _build(bank, "en", "who", 20)
    for q in en.questions:
        assert q.prompt.startswith("In the panel, who made this point? \u201c")
        assert len(q.options) == 4
        # a Chinese quote keeps Chinese marks in English text
        assert f"「{q.source.quote}」" in q.explanation


def test_article_genre_writes_and_names_the_article(tmp_path):
    path = _variant(tmp_path, DIALOGUE_BANK, ("genre: dialogue", "genre: article"))
    bank = load_bank(path)
    en = _build(bank, "en", "tf")
    assert any(" writes: " in q.prompt for q in en.questions)
    zh = _build(bank, "zh", "who")
    assert all(q.prompt.startswith("在这篇文章中，") for q in zh.questions)


def test_three_speakers_give_three_options(tmp_path):
    path = _variant(
        tmp_path,
        EXAMPLE_BANK,
        (
            "role: {zh: 语言学家(未发言), en: Linguist (silent)}",
            "role: {zh: 语言学家(未发言), en: Linguist (silent)}\n    kind: audience",
        ),
    )
    bank = load_bank(path)
    for lang, joined in (("en", ", "), ("zh", "、")):
        quizzes = generate(
            bank,
            Choices(lang=lang, kinds=parse_kinds(["who"]), seed=1, versions=3),
        )
        for quiz in quizzes:
            assert quiz.questions
            assert not quality_problems(quiz)
            for q in quiz.questions:
                assert len(q.options) == 3
                assert "Prof. Zhao" not in q.options
                assert "赵老师" not in q.options
                assert joined.join(q.options[:2]) in q.prompt


def test_two_option_answers_are_balanced_and_never_run_long():
    bank = load_bank(DIALOGUE_BANK)
    for seed in range(6):
        (quiz,) = generate(
            bank, Choices(lang="en", kinds=parse_kinds(["who"]), seed=seed)
        )
        answers = [q.answer for q in quiz.questions]
        assert set(answers) == {0, 1}
        # each letter right at most half the time, plus one
        assert max(answers.count(0), answers.count(1)) <= -(-len(answers) // 2) + 1
        assert not any(
            answers[i] == answers[i + 1] == answers[i + 2]
            for i in range(len(answers) - 2)
        )
        assert not quality_problems(quiz)


def test_a_mixed_quiz_with_two_and_four_options_passes_the_rules():
    bank = load_bank(DIALOGUE_BANK)
    for seed in range(6):
        (quiz,) = generate(bank, Choices(lang="zh", seed=seed, siblings=True))
        sizes = {
            len(q.options) for q in quiz.questions if q.kind == Kind.MULTIPLE_CHOICE
        }
        assert sizes == {2, 4}
        assert not quality_problems(quiz)


# ------------------------------------------------------------- why none


def test_zero_reasons_of_the_shipped_banks():
    assert zero_reasons(load_bank(SHIPPED_BANK)) == {}
    reasons = zero_reasons(load_bank(DIALOGUE_BANK))
    assert list(reasons) == [(Kind.MULTIPLE_CHOICE, Form.STANCE)]
    assert "contradicts" in reasons[Kind.MULTIPLE_CHOICE, Form.STANCE]


def _one_speaker(tmp_path: Path) -> Path:
    """The dialogue with Euthyphro as audience: one voice left."""
    return _variant(
        tmp_path,
        DIALOGUE_BANK,
        (
            "role: {zh: 预言者，正以杀人罪控告自己的父亲, en: 'A seer, prosecuting his own father for murder'}",
            "role: {zh: 预言者，正以杀人罪控告自己的父亲, en: 'A seer, prosecuting his own father for murder'}\n    kind: audience",
        ),
    )


def test_info_and_check_say_why_a_kind_gives_none(tmp_path, monkeypatch):
    runner = CliRunner()
    got = runner.invoke(main, ["info", str(DIALOGUE_BANK)])
    assert got.exit_code == 0, got.output
    assert "stance: 0 questions: it needs a claim with a false_statement" in got.output
    path = _one_speaker(tmp_path)
    got = runner.invoke(main, ["check", str(path)])
    assert got.exit_code == 0, got.output  # a note, not an error
    assert (
        f"{path}: note: who: 0 questions: the text has 1 speaker, and 'who said "
        "this?' needs at least two." in got.output
    )
    monkeypatch.setenv("QUIZGEN_LANG", "zh")
    got = runner.invoke(main, ["info", str(path)])
    assert "who：0 道题：原文只有 1 位发言人，“谁说的”至少需要两位。" in got.output


def test_web_builder_says_why_a_kind_gives_none(tmp_path):
    app = make_app(tmp_path, BANK_PATHS=[DIALOGUE_BANK])
    client = app.test_client()
    page = client.get(f"/build/{DIALOGUE_BANK.stem}").get_data(as_text=True)
    assert "no questions from this bank" in page
    assert "named in `contradicts`" in page
    client.set_cookie("quizgen_lang", "zh")
    page = client.get(f"/build/{DIALOGUE_BANK.stem}").get_data(as_text=True)
    assert "此题库出不了这种题" in page
    assert "contradicts 中" in page


def test_web_builder_count_says_why_a_ticked_kind_gives_none(tmp_path):
    app = make_app(tmp_path, BANK_PATHS=[DIALOGUE_BANK])
    client = app.test_client()
    key = DIALOGUE_BANK.stem
    token = csrf_token(client, f"/build/{key}")
    response = client.post(
        f"/build/{key}/available",
        json={"kinds": ["multiple_choice:stance"], "lang": "en"},
        headers={"X-CSRFToken": token},
    )
    got = response.get_json()
    assert got["count"] == 0
    assert got["message"].startswith("These choices allow no question. ")
    assert "it needs a claim with a false_statement" in got["message"]
    # a kind the bank gives: the count alone
    response = client.post(
        f"/build/{key}/available",
        json={"kinds": ["multiple_choice:attribution"], "lang": "en"},
        headers={"X-CSRFToken": token},
    )
    got = response.get_json()
    assert got["count"] > 0
    assert got["message"] == f"These choices allow {got['count']} questions."
