"""The Anki exporter, checked by importing its .apkg into real Anki collections."""

from __future__ import annotations

import copy
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
import warnings
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import genanki
import lxml.html
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.bank import Bank, load_bank
from quizgen.cli import main
from quizgen.export import ExportOptions
from quizgen.export.anki_deck import (
    DeckError,
    _esc,
    _esc_many,
    _points,
    deck_id,
    note_guid,
    plan_deck,
    write,
    write_package,
)
from quizgen.export.anki_note_types import CLAIM, CLAIM_SLOTS, DISCUSSION, RETIRED
from quizgen.export.anki_package import read_previous
from quizgen.generate import Choices, generate
from quizgen.quiz import Form, Kind, Quiz

from conftest import EXAMPLE_BANK, require

try:  # AGPL: a test dependency only
    from anki.collection import (
        Collection,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )
    from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition
except ImportError:  # pragma: no cover - the test extras are not installed
    Collection = None

T1 = 1_800_000_000
T2 = T1 + 3600


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """Errors are matched by their English text."""
    monkeypatch.setenv("QUIZGEN_LANG", "en")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def text_of(fragment: str) -> str:
    """What a reader sees: the text of an HTML fragment, NFC, whitespace collapsed."""
    root = lxml.html.fromstring(f"<div>{fragment}</div>")
    for style in root.iter("style"):
        style.drop_tree()
    return nfc(" ".join(root.text_content().split()))


def quizzes(bank: Bank, lang: str = "zh", **choices: object) -> list[Quiz]:
    # a deck is a drill: every form of every claim (as quizgen build -f anki)
    choices.setdefault("siblings", True)
    return list(generate(bank, Choices(lang=lang, **choices)))  # type: ignore[arg-type]


def bilingual(bank: Bank, **choices: object) -> list[Quiz]:
    return quizzes(bank, "zh", **choices) + quizzes(bank, "en", **choices)


def build(qs: list[Quiz], out: Path, *, bilingual: bool = False) -> Path:
    (path,) = write(qs, out, ExportOptions(bilingual=bilingual))
    return path


@pytest.fixture
def col(tmp_path: Path):
    """A fresh, empty Anki collection in a temp dir."""
    require(Collection is not None, "the anki package is not installed")
    folder = tmp_path / "anki"
    folder.mkdir()
    collection = Collection(str(folder / "collection.anki2"))
    yield collection
    collection.close()


def import_apkg(col, path: Path, *, update: str = "if_newer", presets: bool = False):
    """Import like Anki's desktop default (update notes and note types if newer,
    deck presets not imported); `update="always"` and `presets=True` are the
    import dialog's other choices."""
    condition = {
        "if_newer": ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        "always": ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS,
    }[update]
    response = col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(path),
            options=ImportAnkiPackageOptions(
                with_scheduling=False,
                with_deck_configs=presets,
                update_notes=condition,
            ),
        )
    )
    return response.log


def note_by_id(col, qid: str):
    """The note of a question: its claim's note, or the discussion's own."""
    claim, _, suffix = qid.rpartition(".")
    (nid,) = col.find_notes(f'"Id:{qid if suffix == "discussion" else claim}"')
    return col.get_note(nid)


SUFFIXES = [s.suffix for s in CLAIM_SLOTS]


def card_of(col, qid: str):
    """The card of a question: its claim note's card for the question's form."""
    claim, _, suffix = qid.rpartition(".")
    if suffix == "discussion":
        (cid,) = col.find_cards(f'"Id:{qid}"')
    else:
        (cid,) = col.find_cards(f'"Id:{claim}" card:{SUFFIXES.index(suffix) + 1}')
    return col.get_card(cid)


def notes_of(quiz: Quiz) -> int:
    """How many notes a quiz makes: one per claim and one per discussion."""
    return len(
        {q.id if q.kind == Kind.DISCUSSION else q.claims[0] for q in quiz.questions}
    )


def bank_copy(tmp_path: Path, mtime: int = T1) -> Path:
    """docs/example-bank.yaml and its source in tmp_path, the bank last changed at `mtime`."""
    folder = tmp_path / "bank"
    folder.mkdir(exist_ok=True)
    shutil.copy(EXAMPLE_BANK, folder / EXAMPLE_BANK.name)
    shutil.copy(EXAMPLE_BANK.parent / "example-source.txt", folder)
    path = folder / EXAMPLE_BANK.name
    os.utime(path, (mtime, mtime))
    return path


def edit_bank(path: Path, old: str, new: str, mtime: int) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, (mtime, mtime))


# --------------------------------------------------------------------------- deck shape


def test_write_one_note_per_claim_and_a_card_per_question(example_bank, tmp_path, col):
    (quiz,) = quizzes(example_bank)
    log = import_apkg(col, build([quiz], tmp_path / "out"))
    assert len(log.new) == notes_of(quiz) < len(quiz.questions)
    assert col.card_count() == len(quiz.questions)
    assert set(Counter(q.kind for q in quiz.questions)) == set(Kind)
    for nt in (CLAIM, DISCUSSION):
        model = col.models.get(nt.model_id)
        assert model is not None, nt.name
        assert [f["name"] for f in model["flds"]] == list(nt.fields)
        assert [t["name"] for t in model["tmpls"]] == [c for c, _, _ in nt.cards]
    for q in quiz.questions:  # every question is a card of its claim's note
        card = card_of(col, q.id)
        note = card.note()
        assert note["Id"] == (q.id if q.kind == Kind.DISCUSSION else q.claims[0])
        siblings = col.find_cards(f"nid:{note.id}")
        expected = (
            1
            if q.kind == Kind.DISCUSSION
            else sum(
                x.kind != Kind.DISCUSSION and x.claims[0] == q.claims[0]
                for x in quiz.questions
            )
        )
        assert len(siblings) == expected, q.id

    parent = quiz.title
    assert col.decks.id_for_name(parent) is not None
    topics = Counter(q.topic_name for q in quiz.questions)
    for topic, n in topics.items():
        did = col.decks.id_for_name(f"{parent}::{topic}")
        assert did is not None, topic
        assert col.db.scalar("select count() from cards where did = ?", did) == n


def test_write_guids_from_bank_and_claim_id_and_tags_without_spaces(
    example_bank, tmp_path, col
):
    (quiz,) = quizzes(example_bank)
    import_apkg(col, build([quiz], tmp_path / "out"))
    for q in quiz.questions:
        note = note_by_id(col, q.id)
        if q.kind == Kind.DISCUSSION:
            assert note.guid == genanki.guid_for(quiz.bank, q.id)
        else:
            assert note.guid == genanki.guid_for(quiz.bank, "claim", q.claims[0])
        assert all(" " not in tag for tag in note.tags)
        assert set(q.tags) <= set(note.tags)  # a claim note has all its questions' tags
        if q.speaker:
            assert f"speaker::{q.speaker}" in note.tags


@settings(max_examples=500, deadline=None)
@given(st.text(), st.lists(st.text(), min_size=1, max_size=3))
def test_note_guid_is_genankis_guid_for(bank, parts):
    assert note_guid(bank, *parts) == genanki.guid_for(bank, *parts)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab中&<>\"'{}\x1f\r\n\0 "))))
def test_escaping_many_texts_at_once_is_escaping_each(texts):
    assert _esc_many(texts) == [_esc(x) for x in texts]


def test_key_points_split_after_each_sentence_mark() -> None:
    notes = "要点一\uff1b要点二。要点三\uff01 It is; done. Fine? yes"
    assert _points(notes) == [
        "要点一\uff1b",
        "要点二。",
        "要点三\uff01",
        "It is;",
        "done.",
        "Fine?",
        "yes",
    ]
    assert _points("3.5 万人;v1.2") == ["3.5 万人;v1.2"]  # no space, no split


def test_note_guid_of_every_shipped_question_is_genankis(shipped_bank):
    qs = bilingual(shipped_bank)
    ids = {q.id for quiz in qs for q in quiz.questions}
    assert len(ids) > 200
    for qid in ids:
        assert note_guid(qs[0].bank, qid) == genanki.guid_for(qs[0].bank, qid)


def test_write_tags_with_spaces_become_underscores(example_bank, tmp_path):
    (quiz,) = quizzes(example_bank)
    q = next(q for q in quiz.questions if q.kind != Kind.DISCUSSION)
    q = replace(q, tags=("topic::the future", " kind::x\ty "))
    plan = plan_deck([replace(quiz, questions=(q,))], ExportOptions())
    (note,) = [n for d in plan.decks for n in d.notes]
    assert note.tags == ["topic::the_future", "kind::x_y"]


# --------------------------------------------------------------------------- rendering


def test_render_multiple_choice_front_and_back(example_bank, tmp_path, col):
    (quiz,) = quizzes(example_bank)
    import_apkg(col, build([quiz], tmp_path / "out"))
    for q in quiz.questions:
        if q.kind not in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE):
            continue
        card = card_of(col, q.id)
        front = lxml.html.fromstring(card.question())
        items = front.xpath("//ol[@class='qg-options']/li")
        assert [nfc(li.text_content()) for li in items] == [
            nfc(f"{'ABCD'[i]}.{option}") for i, option in enumerate(q.options)
        ]
        assert "✓" not in text_of(card.question())
        assert nfc(q.prompt) in text_of(card.question())

        back = lxml.html.fromstring(card.answer())
        # the back's options are the front's; the card names the right one
        # for the stylesheet (which marks it with ✓, bold and a thick border)
        (wrapper,) = back.xpath("//div[contains(@class, 'qg-back')]")
        assert f"qg-right-{q.answer + 1}" in wrapper.get("class").split()
        items = back.xpath("//ol[@class='qg-options']/li")
        assert [nfc(li.text_content()) for li in items] == [
            nfc(f"{'ABCD'[i]}.{option}") for i, option in enumerate(q.options)
        ]
        letter = "ABCD"[q.answer]
        # the answer line: mark, letter and option in one line box
        (answer,) = back.xpath("//div[@class='qg-answer']")
        assert nfc(answer.text_content()) == nfc(f"✓{letter}.{q.right_option}")
        shown = text_of(card.answer())
        assert nfc(q.source.quote) in shown
        assert f"第 {q.source.paragraph} 段" in shown
        assert nfc(q.source.speaker_name) in shown
        (quote,) = back.xpath("//div[@class='qg-explanation']//span[@class='qg-quote']")
        assert nfc(quote.text_content()) == nfc(q.source.quote)
        # the highlighted quote is the one after the paragraph number, not the
        # statement (which may read the same)
        line = quote.getprevious()
        assert line.tag == "br"
        assert f"第 {q.source.paragraph} 段" in line.tail
        assert line.tail.endswith("「")


def test_render_cloze_hides_then_shows_the_term_and_accepted_variants(
    example_bank, tmp_path, col
):
    (quiz,) = quizzes(example_bank)
    clozes = [q for q in quiz.questions if q.kind == Kind.CLOZE]
    assert clozes
    # a variant with markup in it shows as text, in the card's language
    first = replace(clozes[0], accepted=("10 年", "<b>十</b>年"))
    quiz = replace(
        quiz, questions=tuple(first if q is clozes[0] else q for q in quiz.questions)
    )
    import_apkg(col, build([quiz], tmp_path / "out"))
    for q in [first, *clozes[1:]]:
        card = card_of(col, q.id)
        before, term, after = q.cloze
        front = text_of(card.question())
        assert nfc(term) not in front
        assert nfc(f"{before}[…]{after}") in front
        back = lxml.html.fromstring(card.answer())
        (shown,) = back.xpath(
            "//div[@class='qg-cloze-text']//span[@class='cloze' and not(ancestor::"
            "div[@class='qg-blanked'])]"
        )
        assert nfc(shown.text_content()) == nfc(term)
        assert nfc(q.source.quote) in text_of(card.answer())
        also = back.xpath("//div[@class='qg-accepted']")
        if len(q.accepted_answers) > 1:
            (line,) = also
            assert nfc(line.text_content()) == nfc(
                "也算对：" + "、".join(q.accepted_answers[1:])
            )
            assert not back.xpath("//div[@class='qg-accepted']//b")
        else:
            assert not also
    assert len(first.accepted_answers) == 3


def test_render_discussion_question_then_sides_and_key_points(
    example_bank, tmp_path, col
):
    (quiz,) = quizzes(example_bank)
    import_apkg(col, build([quiz], tmp_path / "out"))
    (q,) = [q for q in quiz.questions if q.kind == Kind.DISCUSSION]
    card = card_of(col, q.id)
    front = text_of(card.question())
    assert nfc(q.prompt) in front
    assert q.guiding
    assert all(nfc(g) in front for g in q.guiding)
    assert all(nfc(s.position) not in front for s in q.sides)
    back = text_of(card.answer())
    assert all(nfc(g) in back for g in q.guiding)  # the back keeps them
    for side in q.sides:
        assert nfc(side.speaker_name) in back
        assert nfc(side.position) in back
        assert nfc(side.quote) in back
    points = lxml.html.fromstring(card.answer()).xpath("//ul[@class='qg-points']/li")
    assert len(points) >= 2

    def squeeze(text: str) -> str:
        return nfc("".join(text.split()))

    assert "".join(squeeze(li.text_content()) for li in points) == squeeze(
        q.teacher_notes
    )


def test_render_bilingual_chinese_first_english_under_it(example_bank, tmp_path, col):
    qs = bilingual(example_bank)
    path = build(qs, tmp_path / "out", bilingual=True)
    assert path.name == f"{example_bank.id}-bilingual.apkg"
    log = import_apkg(col, path)
    zh, en = qs
    assert len(log.new) == notes_of(zh)
    for q_zh, q_en in zip(zh.questions, en.questions, strict=True):
        card = card_of(col, q_zh.id)
        if q_zh.kind == Kind.CLOZE:
            back = text_of(card.answer())
            assert back.index(nfc(q_zh.cloze[0])) < back.index(nfc(q_en.cloze[0]))
            continue
        front = text_of(card.question())
        assert front.index(nfc(q_zh.prompt)) < front.index(nfc(q_en.prompt))
        (block_zh, block_en) = lxml.html.fromstring(card.question()).xpath(
            "//div[@class='qg-question']/div[contains(@class, 'qg-lang')]"
        )
        assert block_zh.get("lang") == "zh-Hans"
        assert block_en.get("lang") == "en"
    for q_zh in zh.questions:  # deck names in Chinese, as in the Chinese deck
        deck = f"{zh.title}::{q_zh.topic_name}"
        assert card_of(col, q_zh.id).did == col.decks.id_for_name(deck), deck


def test_write_bilingual_languages_that_do_not_line_up_rejected(example_bank, tmp_path):
    qs = quizzes(example_bank, "zh", count=4, seed=1) + quizzes(
        example_bank, "en", count=4, seed=2
    )
    with pytest.raises(DeckError, match="do not line up"):
        write(qs, tmp_path, ExportOptions(bilingual=True))
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("langs", "bilingual_flag"),
    [(("zh",), True), (("zh", "en"), False), ((), False)],
    ids=["bilingual-without-en", "two-languages-not-bilingual", "nothing"],
)
def test_write_wrong_language_set_rejected(
    example_bank, tmp_path, langs, bilingual_flag
):
    qs = [q for lang in langs for q in quizzes(example_bank, lang)]
    with pytest.raises(DeckError, match="version 1"):
        write(qs, tmp_path, ExportOptions(bilingual=bilingual_flag))


def test_write_uses_version_one_only(example_bank, tmp_path):
    one = build(quizzes(example_bank), tmp_path / "one")
    three = quizzes(example_bank, versions=3)
    assert len(three) == 3
    assert build(three, tmp_path / "three").read_bytes() == one.read_bytes()
    with pytest.raises(DeckError, match="version 1"):
        write(three[1:], tmp_path / "none", ExportOptions())


# --------------------------------------------------------------------------- hostile text

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "ampersand": "R&D &amp; co",
    "braces": "{{Front}} {{c2::leak}}",
    "colons": "a::b::c",
}


@pytest.mark.parametrize("name", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_claim_text_renders_as_text(tmp_path, col, name):
    hostile = HOSTILE[name]
    bank = bank_copy(tmp_path)
    edit_bank(
        bank,
        "en: A year before the panel, their system could already translate 90% of technical documents.",
        f"en: 'A year before the panel, their system could already translate 90% {hostile} of technical documents.'",
        T1,
    )
    (quiz,) = quizzes(load_bank(bank), "en")
    log = import_apkg(col, build([quiz], tmp_path / "out"))
    assert len(log.new) == notes_of(quiz)
    assert col.card_count() == len(quiz.questions)  # no card made by the text
    cloze = card_of(col, "wang-ninety.cloze")
    assert nfc(f"[…]% {hostile} of technical") in text_of(cloze.question())
    assert not lxml.html.fromstring(cloze.question()).xpath("//script")
    # the attribution question quotes the statement in its prompt
    choice = card_of(col, "wang-ninety.attribution")
    assert nfc(hostile) in text_of(choice.question())
    assert nfc(hostile) in text_of(choice.answer())
    assert not lxml.html.fromstring(choice.answer()).xpath("//script")


@pytest.mark.parametrize("name", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_cloze_term_stays_one_card(example_bank, tmp_path, col, name):
    # the bank refuses '::' and '{{' in cloze terms; a Quiz from elsewhere may not
    hostile = HOSTILE[name]
    (quiz,) = quizzes(example_bank, "en")
    q = next(q for q in quiz.questions if q.kind == Kind.CLOZE)
    odd = replace(q, cloze=("It says ", hostile, " & more."), answer=hostile)
    import_apkg(col, build([replace(quiz, questions=(odd,))], tmp_path / "out"))
    card = card_of(col, q.id)
    assert col.card_count() == 1
    front = text_of(card.question())
    assert "It says […] & more." in front
    back = lxml.html.fromstring(card.answer())
    (shown,) = back.xpath(
        "//div[@class='qg-cloze-text']//span[@class='cloze' and not(ancestor::"
        "div[@class='qg-blanked'])]"
    )
    assert nfc(shown.text_content()) == nfc(hostile)
    assert not back.xpath("//script")


@pytest.mark.parametrize(
    "cloze",
    [("The ratio is ", "  ", "."), ("The ratio is ", "", ".")],
    ids=["blank-term", "empty-term"],
)
def test_write_bad_cloze_rejected(example_bank, tmp_path, cloze):
    (quiz,) = quizzes(example_bank)
    q = next(q for q in quiz.questions if q.kind == Kind.CLOZE)
    bad = replace(q, cloze=cloze, answer=cloze[1])
    with pytest.raises(DeckError, match=q.id):
        write([replace(quiz, questions=(bad,))], tmp_path, ExportOptions())
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answer": 7}, "not one of its 4 options"),
        ({"answer": "B"}, "not one of its 4 options"),
        ({"prompt": "  "}, "the question is empty"),
    ],
    ids=["answer-out-of-range", "answer-not-an-index", "empty-prompt"],
)
def test_write_broken_choice_question_rejected(example_bank, tmp_path, change, message):
    (quiz,) = quizzes(example_bank)
    q = next(q for q in quiz.questions if q.kind == Kind.MULTIPLE_CHOICE)
    bad = replace(q, **change)
    with pytest.raises(DeckError, match=f"^{re.escape(q.id)}: .*{message}"):
        write([replace(quiz, questions=(bad,))], tmp_path, ExportOptions())
    assert not list(tmp_path.iterdir())


def test_write_cloze_term_twice_blanks_both(example_bank):
    (quiz,) = quizzes(example_bank)
    q = next(q for q in quiz.questions if q.kind == Kind.CLOZE)
    twice = replace(q, cloze=("十年前说", "十年", "后的事"), answer="十年")
    plan = plan_deck([replace(quiz, questions=(twice,))], ExportOptions())
    (note,) = [n for d in plan.decks for n in d.notes]
    front = note.fields[list(CLAIM.fields).index("Cloze")]
    assert front.count("[…]") == 2
    assert "十年" not in front
    back = note.fields[list(CLAIM.fields).index("ClozeBack")]
    assert back.count('<span class="cloze">十年</span>') == 2


# --------------------------------------------------------------------------- stable ids


def test_write_same_inputs_same_bytes_and_times_from_the_bank(example_bank, tmp_path):
    qs = quizzes(example_bank)
    # times in 4-second slots (the bank's time rounded up), a Chinese deck at
    # a slot's start
    start = qs[0].modified + (-qs[0].modified) % 4
    first = build(qs, tmp_path / "a")
    second = build(qs, tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    again = build(qs, tmp_path / "a")  # over the earlier build: unchanged notes
    assert again.read_bytes() == second.read_bytes()
    later = build([replace(q, modified=q.modified + 4) for q in qs], tmp_path / "c")
    assert later.read_bytes() != first.read_bytes()

    with zipfile.ZipFile(second) as zf:
        # a zip entry keeps the time in 2-second steps: an odd second reads one less
        stamp = __import__("time").gmtime(start)[:6]
        assert {i.date_time for i in zf.infolist()} == {stamp}
        (tmp_path / "col.anki2").write_bytes(zf.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "col.anki2")
    try:
        assert {m for (m,) in db.execute("select mod from notes")} == {start}
        assert {m for (m,) in db.execute("select mod from cards")} == {start}
    finally:
        db.close()


def _tables(apkg: Path, tmp_path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the collection inside an .apkg."""
    db_path = tmp_path / f"{apkg.stem}.anki2"
    with zipfile.ZipFile(apkg) as zf:
        db_path.write_bytes(zf.read("collection.anki2"))
    db = sqlite3.connect(db_path)
    try:
        names = [n for (n,) in db.execute("select name from sqlite_master order by 1")]
        return {
            "schema": db.execute("select * from sqlite_master order by name").fetchall(),
            **{n: db.execute(f"select * from {n} order by 1").fetchall() for n in names
               if not n.startswith(("ix_", "sqlite_"))},
        }  # fmt: skip
    finally:
        db.close()


def _hostile_quiz(bank: Bank) -> Quiz:
    """The example bank's English quiz with every hostile string in a prompt, an option and a cloze."""
    (quiz,) = quizzes(bank, "en")
    odd = " ".join(HOSTILE.values())
    out = []
    for q in quiz.questions:
        if q.kind == Kind.CLOZE:
            q = replace(q, cloze=("It says ", HOSTILE["colons"], f" {odd}."))
        elif q.options:
            q = replace(q, prompt=f"{q.prompt} {odd}", options=(odd, *q.options[1:]))
        out.append(q)
    return replace(quiz, questions=tuple(out))


def test_write_package_rows_are_the_ones_genanki_writes(
    shipped_bank, example_bank, tmp_path
):
    """Notes and cards go in with executemany: stock genanki must write the same rows,
    but for each note's own time and each card's position (set on genanki's rows
    here), and the deck options preset (left out here).

    genanki's own write also checks each field for malformed HTML and warns;
    it must find nothing, hostile claim text included.
    """
    cases = [
        (bilingual(shipped_bank), True),
        (quizzes(example_bank), False),
        ([_hostile_quiz(example_bank)], False),
    ]
    for i, (qs, both) in enumerate(cases):
        plan = plan_deck(qs, ExportOptions(bilingual=both))
        ours = write_package(plan.decks, tmp_path / f"ours{i}.apkg", plan.timestamp)
        decks, times = [], {}
        for d in plan.decks:
            deck = genanki.Deck(d.deck_id, d.name, description=d.description)
            for n in d.notes:
                deck.add_note(
                    genanki.Note(
                        model=n.model,
                        fields=n.fields,
                        tags=n.tags,
                        guid=n.guid,
                        due=n.due,
                    )
                )
                times[n.guid] = (n.mod, n.due, n.stride)
            decks.append(deck)
        stock = tmp_path / f"stock{i}.apkg"
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an invalid-HTML warning fails the test
            genanki.Package(decks).write_to_file(str(stock), timestamp=plan.timestamp)
        db_path = tmp_path / f"stock{i}.anki2"
        with zipfile.ZipFile(stock) as zf:
            db_path.write_bytes(zf.read("collection.anki2"))
        db = sqlite3.connect(db_path)
        for guid, (mod, due, stride) in times.items():
            (nid,) = db.execute(
                "select id from notes where guid = ?", (guid,)
            ).fetchone()
            db.execute("update notes set mod = ? where id = ?", (mod, nid))
            cids = [
                c
                for (c,) in db.execute(
                    "select id from cards where nid = ? order by ord", (nid,)
                )
            ]
            for k, cid in enumerate(cids):
                db.execute(
                    "update cards set mod = ?, due = ? where id = ?",
                    (mod, due + k * stride, cid),
                )
        db.commit()
        db.close()
        with zipfile.ZipFile(stock, "w") as zf:
            zf.write(db_path, "collection.anki2")
        mine, theirs = _tables(ours, tmp_path), _tables(stock, tmp_path)
        assert len(mine["notes"]) == plan.notes > 0
        n_questions = len(qs[0].questions)
        assert len(mine["cards"]) == n_questions  # a card per question
        assert mine == theirs


def test_write_without_modification_time_rejected(example_bank, tmp_path):
    qs = [replace(q, modified=0) for q in quizzes(example_bank)]
    with pytest.raises(DeckError, match="SOURCE_DATE_EPOCH"):
        write(qs, tmp_path, ExportOptions())


def test_deck_id_stable_across_processes_and_distinct(example_bank):
    code = (
        "from quizgen.export.anki_deck import deck_id;"
        "print(deck_id('example-translation', 'zh', 'future'))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert int(out.stdout) == deck_id("example-translation", "zh", "future")
    ids = {
        deck_id(example_bank.id, mode, topic)
        for mode in ("zh", "en", "bilingual")
        for topic in ("", *(t.id for t in example_bank.topics))
    }
    assert len(ids) == 3 * (1 + len(example_bank.topics))
    assert all((1 << 30) <= i < (1 << 31) for i in ids)


def test_note_types_frozen():
    """Released note types: changing one of these makes Anki refuse updates (docs/anki.md)."""
    slots = [
        ("fact", "Fact", "Fact"),
        ("attribution", "Who", "Who said it"),
        ("stance", "Stance", "Stance"),
        ("tf", "TrueFalse", "True or false"),
        ("cloze", "Cloze", "Fill in the blank"),
        *((f"fact{i}", f"Fact{i}", f"Fact {i}") for i in range(2, 7)),
    ]
    assert [(s.suffix, s.field, s.card) for s in CLAIM_SLOTS] == slots
    fields = ["Id"]
    for _, field, _ in slots:
        fields += [field, f"{field}Back", f"{field}Right"]
    fields += ["Explanation", "Quote", "Source", "Spare1", "Spare2"]
    assert (CLAIM.model_id, CLAIM.name, CLAIM.fields) == (
        1467083921,
        "quizgen claim v2",
        tuple(fields),
    )
    assert [c for c, _, _ in CLAIM.cards] == [c for _, _, c in slots]
    assert (
        DISCUSSION.model_id,
        DISCUSSION.name,
        DISCUSSION.fields,
        DISCUSSION.cards,
    ) == (
        1675249013,
        "quizgen discussion v1",
        (
            "Question",
            "Context",
            "Sides",
            "KeyPoints",
            "Source",
            "Id",
            "Spare1",
            "Spare2",
        ),
        (("Discussion", "", ""),),
    )
    # retired note types keep their ids to themselves
    assert RETIRED == {
        1742918305: "quizgen multiple choice v1",
        1839604127: "quizgen true/false v1",
        1590371846: "quizgen cloze v1",
    }
    assert not {CLAIM.model_id, DISCUSSION.model_id} & set(RETIRED)


def test_cli_build_anki_takes_time_from_source_date_epoch(tmp_path):
    result = CliRunner(env={"SOURCE_DATE_EPOCH": str(T2), "QUIZGEN_LANG": "en"}).invoke(
        main,
        ["build", str(EXAMPLE_BANK), "--format", "anki", "-o", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "example-translation-zh.apkg"
    assert str(path) in result.output
    with zipfile.ZipFile(path) as zf:
        (tmp_path / "c.anki2").write_bytes(zf.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "c.anki2")
    try:
        assert {m for (m,) in db.execute("select mod from notes")} == {T2}
    finally:
        db.close()


# --------------------------------------------------------------------------- re-import


def _fields(qs: list[Quiz]) -> dict[str, list[str]]:
    plan = plan_deck(qs, ExportOptions())
    return {n.guid: n.fields for d in plan.decks for n in d.notes}


def _review(col, qid: str, ease: int = 3):
    card = card_of(col, qid)
    card.start_timer()
    col.sched.answerCard(card, ease)
    return col.get_card(card.id)


@pytest.mark.slow
def test_reimport_after_editing_a_claim_updates_it_alone_and_keeps_reviews(
    tmp_path, col
):
    bank = bank_copy(tmp_path, T1)
    out = tmp_path / "out"  # the teacher builds into the same folder each time
    before = quizzes(load_bank(bank))
    log = import_apkg(col, build(before, out))
    assert len(log.new) == notes_of(before[0])
    cards_before = col.card_count()

    # a student reviews the cloze card of the claim about to change
    reviewed = _review(col, "wang-replace.cloze", 4)
    assert reviewed.reps == 1
    revlog = col.db.list("select id from revlog where cid = ?", reviewed.id)
    assert len(revlog) == 1

    # the same file again: every note a duplicate (equal time), nothing changes
    again = import_apkg(col, build(before, out))
    assert (len(again.new), len(again.updated)) == (0, 0)
    assert len(again.duplicate) == notes_of(before[0])

    edit_bank(
        bank,
        "zh: 机器翻译十年内会取代大部分笔译工作。",
        "zh: 机器翻译在十年之内会取代大部分的笔译工作。",
        T2,
    )
    after = quizzes(load_bank(bank))
    assert after[0].modified == T2
    old, new = _fields(before), _fields(after)
    changed = {g for g in new if new[g] != old[g]}
    assert changed == {genanki.guid_for("example-translation", "claim", "wang-replace")}

    log = import_apkg(col, build(after, out))
    assert len(log.new) == len(log.conflicting) == 0
    # the changed note is updated; the others are the same and skipped
    assert {col.get_note(n.id.nid).guid for n in log.updated} == changed
    assert len(log.duplicate) == len(new) - 1
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        assert note.fields == [nfc(f) for f in new[note.guid]], note["Id"]
    assert col.card_count() == cards_before

    note = note_by_id(col, "wang-replace.cloze")
    assert '在<span class="cloze">十</span>年之内' in note["ClozeBack"]
    kept = col.get_card(reviewed.id)
    assert kept.nid == reviewed.nid
    assert (kept.reps, kept.type, kept.ivl) == (
        reviewed.reps,
        reviewed.type,
        reviewed.ivl,
    )
    assert col.db.list("select id from revlog where cid = ?", kept.id) == revlog
    # rebuilt again, unchanged: nothing more to update
    log = import_apkg(col, build(after, out))
    assert (len(log.new), len(log.updated)) == (0, 0)


@pytest.mark.slow
def test_reimport_new_claim_arrives_as_a_new_note(tmp_path, col):
    bank = bank_copy(tmp_path, T1)
    before = quizzes(load_bank(bank), kinds=((Kind.CLOZE, Form.TERM),))
    import_apkg(col, build(before, tmp_path / "out"))
    text = bank.read_text(encoding="utf-8")
    claim = """  - id: liu-tools
    speaker: liu
    topic: learning
    quote: 外语是理解另一种文化的窗口
    attribution: explicit
    statement:
      zh: 外语是理解另一种文化的窗口。
      en: A foreign language is a window on another culture.
    cloze: {zh: 窗口, en: window}
debates:
"""
    bank.write_text(text.replace("debates:\n", claim, 1), encoding="utf-8")
    os.utime(bank, (T2, T2))
    after = quizzes(load_bank(bank), kinds=((Kind.CLOZE, Form.TERM),))
    log = import_apkg(col, build(after, tmp_path / "out"))
    assert [col.get_note(n.id.nid)["Id"] for n in log.new] == ["liu-tools"]
    assert len(log.updated) == 0
    assert col.note_count() == len(after[0].questions) == len(before[0].questions) + 1


def test_shipped_bank_builds_a_deck_anki_imports(shipped_bank, tmp_path, col):
    assert shipped_bank.claims
    qs = bilingual(shipped_bank)
    log = import_apkg(col, build(qs, tmp_path / "out", bilingual=True))
    assert len(log.new) == notes_of(qs[0])
    assert col.card_count() == len(qs[0].questions)


def _deck_names(col) -> set[str]:
    return {d.name for d in col.decks.all_names_and_ids()}


def _empty_decks(col) -> list[str]:
    return [
        d.name
        for d in col.decks.all_names_and_ids()
        if d.name != "Default" and not col.find_cards(f'"deck:{d.name}"')
    ]


@pytest.mark.slow
def test_switching_zh_and_bilingual_updates_notes_keeps_reviews_no_empty_decks(
    example_bank, tmp_path, col
):
    zh, both = quizzes(example_bank), bilingual(example_bank)
    out = tmp_path / "out"
    zh_file, both_file = build(zh, out), build(both, out, bilingual=True)
    n = notes_of(zh[0])
    import_apkg(col, zh_file)
    decks = _deck_names(col)
    reviewed = _review(col, "wang-replace.fact")
    en = {q.id: q for q in both[1].questions}

    # to the bilingual deck: every note updated, English added, nothing new
    log = import_apkg(col, both_file)
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, n, 0)
    note = note_by_id(col, "wang-replace.fact")
    assert nfc(en["wang-replace.fact"].prompt) in text_of(note["Fact"])
    assert _deck_names(col) == decks
    assert not _empty_decks(col)
    assert col.get_card(reviewed.id).reps == 1

    # back to the Chinese deck: Anki's default ("update if newer") keeps the
    # bilingual text (it is newer); "update always" takes the Chinese one back
    log = import_apkg(col, zh_file)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 0, n)
    log = import_apkg(col, zh_file, update="always")
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, n, 0)
    note = note_by_id(col, "wang-replace.fact")
    assert nfc(en["wang-replace.fact"].prompt) not in text_of(note["Fact"])
    assert _deck_names(col) == decks
    assert not _empty_decks(col)
    kept = col.get_card(reviewed.id)
    assert (kept.reps, kept.ivl, kept.type) == (
        reviewed.reps,
        reviewed.ivl,
        reviewed.type,
    )
    assert col.db.scalar("select count() from revlog where cid = ?", reviewed.id) == 1

    # a bank edit after the switch: the rebuilt bilingual deck is newer again
    later = [replace(q, modified=q.modified + 3600) for q in both]
    log = import_apkg(col, build(later, out, bilingual=True))
    assert (len(log.new), len(log.conflicting)) == (0, 0)
    assert len(log.updated) == n  # the notes hold the Chinese text: all differ


@pytest.mark.slow
def test_reimport_takes_newer_card_templates_without_a_new_note_type(
    example_bank, tmp_path, col
):
    qs = quizzes(example_bank)
    import_apkg(col, build(qs, tmp_path / "v1"))
    plan = plan_deck(qs, ExportOptions())
    for deck in plan.decks:
        for note in deck.notes:
            if note.model.model_id == CLAIM.model_id:
                model = copy.deepcopy(note.model)
                model.css += "\n.qg-test-marker { color: red; }\n"
                note.model = model
    path = write_package(plan.decks, tmp_path / "v2.apkg", plan.timestamp + 60)
    models_before = len(col.models.all_names_and_ids())
    log = import_apkg(col, path)
    assert len(log.conflicting) == len(log.new) == 0
    assert ".qg-test-marker" in col.models.get(CLAIM.model_id)["css"]
    assert len(col.models.all_names_and_ids()) == models_before


# --------------------------------------------------------------------------- card design

# how the clients mark dark mode on the card's body
MODES = {"light": "", "desktop-dark": " nightMode", "ankidroid-dark": " night_mode"}


def _luminance(css_color: str) -> float:
    """Rough luminance 0..1 of a computed 'rgb(r, g, b)' colour."""
    inside = css_color[css_color.index("(") + 1 : css_color.index(")")]
    r, g, b = (int(x) / 255 for x in inside.split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.slow
def test_cards_readable_on_phone_and_desktop_light_and_dark(
    example_bank, tmp_path, col, browser, artifacts
):
    (zh, en) = bilingual(example_bank)
    # a cloze with accepted variants, so that the back shows them
    cloze = next(q for q in zh.questions if q.kind == Kind.CLOZE)
    cloze_en = next(q for q in en.questions if q.id == cloze.id)
    zh = replace(
        zh,
        questions=tuple(
            replace(q, accepted=("10年", "十 年")) if q is cloze else q
            for q in zh.questions
        ),
    )
    en = replace(
        en,
        questions=tuple(
            replace(q, accepted=("10 years",)) if q is cloze_en else q
            for q in en.questions
        ),
    )
    import_apkg(col, build([zh, en], tmp_path / "out", bilingual=True))
    samples = {}
    for q in zh.questions:
        samples.setdefault(q.kind, q.id)
    folder = artifacts / "anki-cards"
    folder.mkdir(exist_ok=True)
    for width, height in ((390, 844), (1024, 768)):
        page = browser.new_page(viewport={"width": width, "height": height})
        for kind, qid in samples.items():
            card = card_of(col, qid)
            for side, body in (
                ("front", card.question()),
                ("back", card.answer()),
            ):
                for mode, cls in MODES.items():
                    page.set_content(
                        f'<!doctype html><html><body class="card card1{cls}">'
                        f"{body}</body></html>"
                    )
                    name = f"{kind}-{side}-{mode}-{width}"
                    page.screenshot(path=folder / f"{name}.png", full_page=True)
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth"
                    )
                    assert overflow <= 0, name
                    bg = page.evaluate(
                        "getComputedStyle(document.body).backgroundColor"
                    )
                    fg = page.evaluate(
                        "getComputedStyle(document.querySelector('.qg')).color"
                    )
                    if cls:
                        assert _luminance(bg) < 0.2 < 0.7 < _luminance(fg), name
                    else:
                        assert _luminance(bg) > 0.9 > 0.3 > _luminance(fg), name
                    font = page.evaluate(
                        "getComputedStyle(document.querySelector("
                        "'[lang=zh-Hans]')).fontFamily"
                    )
                    assert font.startswith('"PingFang SC"'), name
                    if (
                        kind in (Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE)
                        and side == "back"
                    ):
                        # exactly the right option: ✓, bold, a thick border
                        marks = page.evaluate(
                            "[...document.querySelectorAll('ol.qg-options > li')]"
                            ".map(e => [getComputedStyle(e, '::after').content,"
                            " getComputedStyle(e).fontWeight,"
                            " getComputedStyle(e).borderLeftWidth])"
                        )
                        answer = next(q.answer for q in zh.questions if q.id == qid)
                        assert marks[answer] == ['"✓"', "700", "3px"], name
                        others = [m for i, m in enumerate(marks) if i != answer]
                        assert all(m[0] == "none" for m in others), (name, marks)
                        assert all(m[2] == "2px" for m in others), (name, marks)
                        # mark, letter and option start on one line
                        tops = page.evaluate(
                            "[...document.querySelector('.qg-answer').children]"
                            ".map(e => Math.round(e.getBoundingClientRect().top))"
                        )
                        assert max(tops) - min(tops) < 8, (name, tops)
                    if kind == Kind.CLOZE:
                        blanked = page.locator(".qg-blanked")
                        assert blanked.is_visible() == (side == "front"), name
                    if kind == Kind.DISCUSSION and side == "back":
                        assert page.locator("ul.qg-guiding li").count() >= 1, name
        page.close()


# --------------------------------------------------------------------------- scheduling


def _first_day(col, parent: str) -> list[tuple[int, int]]:
    """(note id, card id) of each new card the scheduler shows in a day, answered Easy."""
    col.decks.select(col.decks.id_for_name(parent))
    shown = []
    while True:
        queued = col.sched.get_queued_cards(fetch_limit=1)
        if not queued.cards:
            return shown
        card = col.get_card(queued.cards[0].card.id)
        if card.type == 0:  # new
            shown.append((card.nid, card.id))
        card.start_timer()
        col.sched.answerCard(card, 4)


@pytest.mark.parametrize("which", ["example", "shipped"])
def test_first_days_new_cards_never_show_a_claim_twice(
    example_bank, shipped_bank, tmp_path, col, which
):
    bank = example_bank if which == "example" else shipped_bank
    qs = bilingual(bank)
    import_apkg(col, build(qs, tmp_path / "out", bilingual=True), presets=True)
    parent = qs[0].title
    for name_id in col.decks.all_names_and_ids():
        if name_id.name.startswith(parent):
            conf = col.decks.config_dict_for_deck_id(name_id.id)
            assert conf["name"] == f"quizgen: {parent}", name_id.name
            assert conf["new"]["bury"], name_id.name
            assert conf["rev"]["bury"], name_id.name
            assert conf["buryInterdayLearning"], name_id.name
    shown = _first_day(col, parent)
    notes = Counter(nid for nid, _ in shown)
    assert len(shown) == min(20, notes_of(qs[0]))  # the day's limit, or every claim
    assert max(notes.values()) == 1  # no claim twice in a day
    assert col.card_count() == len(qs[0].questions)  # every form stays drillable


def test_without_the_preset_decks_take_the_students_default_options(
    example_bank, tmp_path, col
):
    qs = bilingual(example_bank)
    import_apkg(col, build(qs, tmp_path / "out", bilingual=True))
    did = col.decks.id_for_name(qs[0].title)
    assert col.decks.config_dict_for_deck_id(did)["id"] == 1
    assert not col.decks.get_config(1)["new"]["bury"]  # a fresh profile's default
    # a student who turns on "Bury new siblings" there gets the same days
    conf = col.decks.get_config(1)
    conf["new"]["bury"] = True
    col.decks.update_config(conf)
    notes = Counter(nid for nid, _ in _first_day(col, qs[0].title))
    assert max(notes.values()) == 1


@pytest.mark.slow
def test_reimport_over_a_v1_deck_adds_claim_notes_and_leaves_old_notes(
    example_bank, tmp_path, col
):
    """A student who has a deck of the retired one-note-per-question types."""
    (quiz,) = quizzes(example_bank)
    bank = quiz.bank
    v1 = {
        mid: genanki.Model(
            mid,
            name,
            fields=[{"name": f} for f in fields],
            templates=[{"name": "Card", "qfmt": front, "afmt": "{{FrontSide}}"}],
            model_type=genanki.Model.CLOZE if "cloze" in name else 0,
        )
        for mid, name, fields, front in [
            (1742918305, RETIRED[1742918305], ("Question", "Options", "OptionsKey",
             "Answer", "Explanation", "Quote", "Source", "Id", "Spare1", "Spare2"),
             "{{Question}}"),
            (1590371846, RETIRED[1590371846], ("Text", "Context", "Explanation",
             "Quote", "Source", "Id", "Spare1", "Spare2"), "{{cloze:Text}}"),
        ]
    }  # fmt: skip
    (discussion,) = [q for q in quiz.questions if q.kind == Kind.DISCUSSION]
    old_deck = genanki.Deck(deck_id(bank, "zh"), quiz.title)
    for model, fields, qid in [
        (v1[1742918305], ["q", "", "", "", "", "", "", "wang-replace.fact", "", ""],
         "wang-replace.fact"),
        (v1[1590371846], ["{{c1::十年}}", "", "", "", "", "wang-replace.cloze", "", ""],
         "wang-replace.cloze"),
        (genanki.Model(DISCUSSION.model_id, DISCUSSION.name,
                       fields=[{"name": f} for f in DISCUSSION.fields],
                       templates=[{"name": "Discussion", "qfmt": "{{Question}}",
                                   "afmt": "{{FrontSide}}"}]),
         ["old", "", "", "", "", discussion.id, "", ""], discussion.id),
    ]:  # fmt: skip
        old_deck.add_note(
            genanki.Note(model=model, fields=fields, guid=genanki.guid_for(bank, qid))
        )
    old = tmp_path / "v1.apkg"
    genanki.Package(old_deck).write_to_file(str(old), timestamp=quiz.modified - 86400)
    import_apkg(col, old)
    (cid,) = col.find_cards('"Id:wang-replace.cloze"')  # the v1 cloze card
    card = col.get_card(cid)
    card.start_timer()
    col.sched.answerCard(card, 3)
    reviewed = col.get_card(cid)
    assert reviewed.note().mid == 1590371846

    log = import_apkg(col, build([quiz], tmp_path / "out"))
    assert len(log.conflicting) == 0
    assert len(log.new) == notes_of(quiz) - 1  # every claim note
    assert [col.get_note(n.id.nid)["Id"] for n in log.updated] == [discussion.id]
    # the old notes, their cards and reviews are still there, untouched
    for mid in v1:
        assert col.db.scalar("select count() from notes where mid = ?", mid) == 1
    kept = col.get_card(reviewed.id)
    assert (kept.reps, kept.note().fields[0]) == (1, "{{c1::十年}}")
    query = " or ".join(f'"note:{name}"' for name in RETIRED.values())
    assert len(col.find_notes(query)) == 2  # the search docs/anki.md gives students


def test_note_times_keep_unchanged_notes_and_move_changed_ones_a_slot_on(
    example_bank, tmp_path
):
    qs = [replace(q, modified=T1 + 1) for q in bilingual(example_bank)]
    first = build(qs, tmp_path / "out", bilingual=True)
    previous = read_previous(first)
    assert previous is not None
    # T1 + 1 rounded up to the slot T1 + 4, plus the bilingual rank 2
    assert {t for t, *_ in previous.notes.values()} == {T1 + 6}
    # the same bank time (SOURCE_DATE_EPOCH fixed), one claim's text changed
    (zh, en) = qs
    changed = next(q for q in zh.questions if q.kind == Kind.CLOZE)
    zh = replace(
        zh,
        questions=tuple(
            replace(q, explanation=q.explanation + "！") if q is changed else q
            for q in zh.questions
        ),
    )
    plan = plan_deck([zh, en], ExportOptions(bilingual=True), previous)
    times = {n.fields[0]: n.mod for d in plan.decks for n in d.notes}
    claim = changed.claims[0]
    assert times.pop(claim) == T1 + 8 + 2  # the next slot, still the bilingual rank
    assert set(times.values()) == {T1 + 6}
    assert plan.timestamp == T1 + 10
    # the Chinese deck of the same content is older than the bilingual one
    zh_plan = plan_deck([qs[0]], ExportOptions())
    assert {n.mod for d in zh_plan.decks for n in d.notes} == {T1 + 4}
    assert read_previous(tmp_path / "missing.apkg") is None
    (tmp_path / "broken.apkg").write_bytes(b"not a zip")
    assert read_previous(tmp_path / "broken.apkg") is None


def test_fields_are_nfc_piece_by_piece(example_bank):
    """Anki stores NFC: decomposed text in a claim is composed in every field."""
    (quiz,) = quizzes(example_bank, "en")
    decomposed = "Cafe\u0301 in Sa\u0303o Paulo, \u5f20\u0301"
    out = []
    for q in quiz.questions:
        if q.options:
            q = replace(
                q,
                prompt=f"{q.prompt} {decomposed}",
                options=(decomposed, *q.options[1:]),
            )
        out.append(replace(q, explanation=f"{q.explanation} {decomposed}"))
    plan = plan_deck([replace(quiz, questions=tuple(out))], ExportOptions())
    fields = [f for d in plan.decks for n in d.notes for f in n.fields]
    assert any("Café in São Paulo" in f for f in fields)
    assert all(f == nfc(f) for f in fields)
