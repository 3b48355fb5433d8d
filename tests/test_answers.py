"""The one rule for typed answers (cloze marking in every format and live)."""

from __future__ import annotations

import pytest

from quizgen.answers import accepts, normalize_answer, typed_forms, unique_answers
from quizgen.quiz import Kind, Question, quiz_from_dict, quiz_to_dict


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("ｇｐｔ４", "GPT-4"),
        ("Battery.", "battery"),
        ("“规模法则”。", "规模法则"),
        (" Scaling  Law ", "scaling law"),
        ("大量资金！", "大量资金"),
        ("(SaaS)", "SaaS"),
        ("1,000", "1000"),
        ("12,500,000", "12500000"),
    ],
    ids=[
        "width-and-dash",
        "case-and-full-stop",
        "zh-quotes",
        "spaces",
        "zh-mark",
        "brackets",
        "thousands-separator",
        "millions-separator",
    ],
)
def test_accepts_the_same_answer_written_differently(typed: str, accepted: str) -> None:
    assert accepts(typed, [accepted])


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("3.5", "35"),
        ("50", "50%"),
        ("", ""),
        ("。", "。"),
        ("大量资本", "大量资金"),
        ("6 years", "five years"),
        ("十五", "50"),
        ("the", "a"),
        ("一二", "12"),
        ("glass", "glas"),
        ("3,5", "35"),
        ("1,00", "100"),
    ],
    ids=[
        "decimal-point",
        "percent",
        "empty",
        "only-a-mark",
        "different-words",
        "another-number",
        "fifteen-not-fifty",
        "article-alone",
        "digit-run-is-not-a-number",
        "ss-is-not-a-plural",
        "decimal-comma-is-no-separator",
        "two-digit-group-is-no-separator",
    ],
)
def test_refuses_a_different_answer(typed: str, accepted: str) -> None:
    assert not accepts(typed, [accepted])


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("5 years", "five years"),
        ("Five Years", "5 years"),
        ("五年", "5年"),
        ("二十", "20"),
        ("twenty", "二十"),
        ("twenty-five", "25"),
        ("twenty five", "二十五"),
        ("两层", "2层"),
        ("三层", "3层"),
        ("100", "一百"),
        ("a hundred", "100"),
        ("0", "zero"),
        ("battery", "batteries"),
        ("videos", "video"),
        ("boxes", "box"),
        ("the data center", "data centers"),
        ("An apple", "apple"),
        ("大量的资金", "大量资金"),
        ("高维的函数", "高维函数"),
    ],
    ids=[
        "digits-words-en",
        "words-digits-en",
        "zh-numeral",
        "zh-tens",
        "en-zh",
        "en-compound",
        "en-compound-space-zh",
        "liang",
        "san",
        "hundred-zh",
        "hundred-en",
        "zero",
        "plural-ies",
        "plural-s",
        "plural-es",
        "article-and-plural",
        "article-an",
        "zh-de",
        "zh-de-2",
    ],
)
def test_accepts_the_same_answer_in_another_wording(typed: str, accepted: str) -> None:
    assert accepts(typed, [accepted])
    assert accepts(accepted, [typed])


def test_typed_forms_spell_out_what_a_student_types() -> None:
    forms = typed_forms(["five years", "大量的资金", "the batteries", "GPT-4"])
    for form in ("five years", "5 years", "大量资金", "batteries", "battery", "GPT-4"):
        assert form in forms
    assert "GPT-four" not in forms, "a number inside a name stays as it is"
    assert "Stanford Universities" not in typed_forms(["Stanford University"])
    assert typed_forms(["五年"]) == ("五年", "5年")
    # every form is the same answer under the rule, each listed once
    assert all(accepts(f, ["five years"]) for f in typed_forms(["5 years"]))
    assert len({f.casefold() for f in forms}) == len(forms)


def test_lms_exports_list_every_typed_form(example_bank) -> None:
    from quizgen.export.gift import gift
    from quizgen.export.moodle_xml import moodle_xml
    from quizgen.generate import Choices, generate

    quiz = generate(example_bank, Choices(lang="en", seed=1))[0]
    cloze = next(q for q in quiz.questions if q.kind == Kind.CLOZE)
    edited = Question(**{**cloze.__dict__, "answer": "five years", "accepted": ()})
    one = quiz.__class__(**{**quiz.__dict__, "questions": (edited,)})
    assert edited.accepted_answers == ("five years",)
    assert "5 years" in edited.typed_answers
    assert b"<text>5 years</text>" in moodle_xml(one)
    assert "=5 years" in gift(one)


def test_unique_answers_keeps_the_first_spelling_of_each() -> None:
    assert unique_answers(["GPT-4", "gpt4", "", "GPT 4o"]) == ("GPT-4", "GPT 4o")
    assert normalize_answer("GPT 4o") == "gpt4o"


def test_cloze_variants_travel_through_the_canonical_json(example_bank) -> None:
    from quizgen.generate import Choices, generate

    quiz = generate(example_bank, Choices(lang="zh", seed=1))[0]
    cloze = next(q for q in quiz.questions if q.kind == Kind.CLOZE)
    edited = Question(**{**cloze.__dict__, "accepted": ("变体", cloze.answer)})
    assert edited.accepted_answers == (cloze.answer, "变体")
    data = quiz_to_dict(quiz.__class__(**{**quiz.__dict__, "questions": (edited,)}))
    assert data["questions"][0]["accepted"] == [cloze.answer, "变体"]
    back = quiz_from_dict(data).questions[0]
    assert back.accepted_answers == edited.accepted_answers


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("百分之三", "3%"),
        ("百分之3", "3%"),
        ("三%", "3%"),
        ("3 percent", "3%"),
        ("three per cent", "3%"),
        ("百分之九十七", "97%"),
        ("97%", "百分之九十七"),
        ("2.5 percent", "2.5%"),
    ],
)
def test_a_percentage_in_words_is_the_same_answer(typed: str, accepted: str) -> None:
    assert accepts(typed, [accepted])


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [("百分之三十", "3%"), ("3 percent", "30%"), ("百分之", "%"), ("percent", "%")],
)
def test_a_different_percentage_is_refused(typed: str, accepted: str) -> None:
    assert not accepts(typed, [accepted])


def test_lms_forms_spell_a_percentage_in_words() -> None:
    # Moodle, GIFT and QTI compare the typed string: list the word forms
    assert {"3 percent", "百分之三"} <= set(typed_forms(["3%"]))
    assert "97%" in typed_forms(["百分之九十七"])
