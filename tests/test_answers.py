"""The one rule for typed answers (cloze marking in every format and live)."""

from __future__ import annotations

import pytest

from quizgen.answers import accepts, normalize_answer, unique_answers
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
    ],
    ids=[
        "width-and-dash",
        "case-and-full-stop",
        "zh-quotes",
        "spaces",
        "zh-mark",
        "brackets",
    ],
)
def test_accepts_the_same_answer_written_differently(typed: str, accepted: str) -> None:
    assert accepts(typed, [accepted])


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [("3.5", "35"), ("50", "50%"), ("", ""), ("。", "。"), ("大量的资金", "大量资金")],
    ids=["decimal-point", "percent", "empty", "only-a-mark", "different-words"],
)
def test_refuses_a_different_answer(typed: str, accepted: str) -> None:
    assert not accepts(typed, [accepted])


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
