"""Drafts of false statements and wrong options: one thing changed, of the
answer's kind, from the text's own names and numbers."""

from __future__ import annotations

import pytest

from quizgen.drafts import cloze_terms, false_statements, vocabulary, wrong_options

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


ZH_TEXT = [
    "张宏江：人工智能浪潮是算法、算力和数据三者的结合。",
    "李航：算力很贵，数据也不够，算法还要改进。",
    "薛澜：斯坦福大学的报告说清华大学排在前面，麻省理工学院也在前十。",
    "张宏江：数据和算力都要投入，斯坦福大学和清华大学都做了研究。",
    "李航：麻省理工学院的研究说明算法重要。",
]
ZH_VOCAB = vocabulary(ZH_TEXT, {"zh": ["张宏江", "李航", "薛澜"], "en": []})


def test_chinese_wrong_options_are_the_texts_words_of_the_same_kind() -> None:
    """A Chinese answer that is no number or speaker gets the text's own words
    of its kind (from the segmenter): nouns for a noun, schools for a school."""
    options = wrong_options("算力", "zh", ZH_VOCAB)
    assert {"算法", "数据"} <= set(options), options
    assert "算力" not in options
    schools = wrong_options("斯坦福大学", "zh", ZH_VOCAB)
    assert "清华大学" in schools, schools
    assert not {"算法", "数据"} & set(schools)
    # the quoted paragraph's words come first
    near = wrong_options("算力", "zh", ZH_VOCAB, context=ZH_TEXT[1])
    assert near[:2] == ["数据", "算法"], near
    # a verb-only answer gets nothing rather than a noun
    assert wrong_options("投入", "zh", ZH_VOCAB) == []


def test_cloze_terms_are_words_that_occur_once() -> None:
    """The words offered to click as a cloze term: names, numbers and terms
    that occur once in the statement, never a speaker's name (the lead shows
    it) or a word that occurs twice (the answer would stay visible)."""
    zh = cloze_terms(
        "张宏江认为，中国最缺的是生态，生态是研究不出来的，清华大学也在前十。",
        "zh",
        avoid=["张宏江"],
    )
    assert "清华大学" in zh, zh
    assert "生态" not in zh  # twice
    assert "张宏江" not in zh
    assert all(len(w) >= 2 or w.isnumeric() for w in zh), zh  # 十 of 前十
    en = cloze_terms(
        "Socrates says Meletus indicted him for impiety in 399 BC, the year of his trial.",
        "en",
        avoid=["Socrates"],
    )
    assert {"Meletus", "impiety", "399"} <= set(en), en
    assert not {"Socrates", "the", "for", "his"} & set(en)
