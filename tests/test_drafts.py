"""Drafts of false statements and wrong options: one thing changed, of the
answer's kind, from the text's own names and numbers."""

from __future__ import annotations

import pytest

from quizgen.drafts import false_statements, vocabulary, wrong_options

TEXT = [
    "SOCRATES: his name is Meletus, and he is of the deme of Pitthis.",
    "EUTHYPHRO: a field labourer on our farm in Naxos; sent to Athens to ask Meletus.",
    "SOCRATES: Zeus bound his father Cronos, and Daedalus made statues; 12 of them.",
    "EUTHYPHRO: He lived in Naxos for 30 years, and 90% of the crop was lost.",
]
VOCAB = vocabulary(
    TEXT, {"en": ["Euthyphro", "Socrates"], "zh": ["游叙弗伦", "苏格拉底"]}
)


def test_vocabulary_tells_places_from_persons() -> None:
    assert {"Naxos", "Pitthis"} <= VOCAB.places
    assert "Meletus" in VOCAB.names["en"]
    assert "Meletus" not in VOCAB.places
    assert "Naxos" not in VOCAB.same_kind("Meletus", "en")


@pytest.mark.parametrize(
    ("statement", "lang", "expected"),
    [
        (
            "The farm was in Naxos.",
            "en",
            ["The farm was in Pitthis.", "The farm was not in Naxos."],
        ),
        (
            "He lived there for 30 years.",
            "en",
            ["He lived there for 12 years."],
        ),
        ("Socrates cannot define piety.", "en", ["Euthyphro cannot define piety."]),
        (
            "机器翻译十年内会取代大部分笔译工作。",
            "zh",
            ["机器翻译五年内会取代大部分笔译工作。"],
        ),
        (
            "起诉苏格拉底的是美勒托。",
            "zh",
            ["起诉游叙弗伦的是美勒托。", "起诉苏格拉底的不是美勒托。"],
        ),
    ],
    ids=["place", "number", "person", "zh-number", "zh-name-negation"],
)
def test_false_statement_drafts_change_one_thing(statement, lang, expected) -> None:
    drafts = false_statements(statement, lang, VOCAB)
    for one in expected:
        assert one in drafts
    assert statement not in drafts
    assert len(drafts) <= 4


def test_negation_takes_the_main_verb() -> None:
    drafts = false_statements(
        "What is dear to the gods and the holy are two things.", "en", VOCAB
    )
    assert "What is dear to the gods and the holy are not two things." in drafts


def test_wrong_options_are_of_the_answers_kind() -> None:
    assert wrong_options("in Naxos", "en", VOCAB) == ["in Pitthis"]
    persons = wrong_options("Meletus", "en", VOCAB)
    assert persons[:2] == ["Euthyphro", "Socrates"]  # the speakers first
    assert not set(persons) & VOCAB.places
    assert wrong_options("90%", "en", VOCAB)[0].endswith("%")
    assert wrong_options("a field labourer", "en", VOCAB) == []
    assert wrong_options("", "zh", VOCAB) == []
