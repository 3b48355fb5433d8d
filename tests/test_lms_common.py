"""What the three LMS exporters share: refusing questions they cannot write."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lms_quiz import tricky_quiz

from quizgen.errors import QuizgenError
from quizgen.export import export
from quizgen.quiz import Kind


def _broken(kind: Kind, answer: object):
    quiz = tricky_quiz()
    questions = tuple(
        replace(q, answer=answer) if q.kind == kind else q for q in quiz.questions
    )
    return replace(quiz, questions=questions)


@pytest.mark.parametrize("fmt", ["moodle", "gift", "qti", "qti21"])
@pytest.mark.parametrize(
    ("kind", "answer", "message"),
    [
        (
            Kind.MULTIPLE_CHOICE,
            4,
            "question 'c1.fact': the answer 4 is not the index of one of its 4 options",
        ),
        (
            Kind.TRUE_FALSE,
            None,
            "question 'c1.tf': the answer None is not the index of one of its 2 options",
        ),
        (
            Kind.TRUE_FALSE,
            True,
            "question 'c1.tf': the answer True is not the index of one of its 2 options",
        ),
        (
            Kind.CLOZE,
            "",
            "question 'c1.cloze': a cloze question needs its term as the answer",
        ),
    ],
    ids=["choice-out-of-range", "tf-none", "tf-bool", "cloze-empty"],
)
def test_lms_export_refuses_a_broken_question(
    tmp_path, monkeypatch, fmt, kind, answer, message
):
    monkeypatch.setenv("QUIZGEN_LANG", "en")
    good = tricky_quiz(version=1, versions=2)
    bad = replace(_broken(kind, answer), version=2, versions=2)
    with pytest.raises(QuizgenError) as info:
        export(fmt, [good, bad], tmp_path)
    assert str(info.value) == message
    assert list(tmp_path.iterdir()) == [], "nothing written, not even version A"


def test_lms_export_refusal_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZGEN_LANG", "zh")
    with pytest.raises(QuizgenError) as info:
        export("moodle", [_broken(Kind.CLOZE, None)], tmp_path)
    assert str(info.value) == "题目 'c1.cloze'：填空题的答案必须是被挖空的词"
