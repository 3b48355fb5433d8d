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
    NOTE_TYPES,
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
from quizgen.generate import Choices, generate
from quizgen.quiz import Form, Kind, Quiz

from conftest import EXAMPLE_BANK, require

try:  # AGPL: a test dependency only
    from anki.collection import (
        Collection,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )
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


def import_apkg(col, path: Path):
    """Import like Anki's desktop default: update notes and note types if newer."""
    response = col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(path),
            options=ImportAnkiPackageOptions(with_scheduling=False),
        )
    )
    return response.log


def note_by_id(col, qid: str):
    (nid,) = col.find_notes(f'"Id:{qid}"')
    return col.get_note(nid)


def card_of(col, qid: str):
    (cid,) = col.find_cards(f'"Id:{qid}"')
    return col.get_card(cid)


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


def test_write_notes_and_cards_per_note_type_and_deck(example_bank, tmp_path, col):
    (quiz,) = quizzes(example_bank)
    log = import_apkg(col, build([quiz], tmp_path / "out"))
    assert len(log.new) == len(quiz.questions) > 0

    kinds = Counter(q.kind for q in quiz.questions)
    assert set(kinds) == set(Kind)  # the example bank has every kind
    for kind, nt in NOTE_TYPES.items():
        model = col.models.get(nt.model_id)
        assert model is not None, nt.name
        assert [f["name"] for f in model["flds"]] == list(nt.fields)
        notes = col.db.scalar("select count() from notes where mid = ?", nt.model_id)
        cards = col.db.scalar(
            "select count() from cards c join notes n on c.nid = n.id where n.mid = ?",
            nt.model_id,
        )
        assert notes == cards == kinds[kind], nt.name

    parent = quiz.title
    assert col.decks.id_for_name(parent) is not None
    topics = Counter(q.topic_name for q in quiz.questions)
    for topic, n in topics.items():
        did = col.decks.id_for_name(f"{parent}::{topic}")
        assert did is not None, topic
        assert col.db.scalar("select count() from cards where did = ?", did) == n


def test_write_guids_from_bank_and_question_id_and_tags_without_spaces(
    example_bank, tmp_path, col
):
    (quiz,) = quizzes(example_bank)
    import_apkg(col, build([quiz], tmp_path / "out"))
    for q in quiz.questions:
        note = note_by_id(col, q.id)
        assert note.guid == genanki.guid_for(quiz.bank, q.id)
        assert all(" " not in tag for tag in note.tags)
        for prefix in ("topic::", "kind::", "difficulty::"):
            assert any(tag.startswith(prefix) for tag in note.tags), (q.id, prefix)
        if q.speaker:
            assert f"speaker::{q.speaker}" in note.tags


@settings(max_examples=500, deadline=None)
@given(st.text(), st.text())
def test_note_guid_is_genankis_guid_for(bank, qid):
    assert note_guid(bank, qid) == genanki.guid_for(bank, qid)


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
    q = replace(quiz.questions[0], tags=("topic::the future", " kind::x\ty "))
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
        (right,) = back.xpath("//ol[@class='qg-options']/li[@class='qg-right']")
        letter = "ABCD"[q.answer]
        assert nfc(right.text_content()) == nfc(f"{letter}.{q.right_option}✓")
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


def test_render_cloze_hides_then_shows_the_term(example_bank, tmp_path, col):
    (quiz,) = quizzes(example_bank)
    import_apkg(col, build([quiz], tmp_path / "out"))
    clozes = [q for q in quiz.questions if q.kind == Kind.CLOZE]
    assert clozes
    for q in clozes:
        card = card_of(col, q.id)
        before, term, after = q.cloze
        front = text_of(card.question())
        assert nfc(term) not in front
        assert nfc(f"{before}[...]{after}") in front
        back = lxml.html.fromstring(card.answer())
        (shown,) = back.xpath("//div[@class='qg-cloze-text']//span[@class='cloze']")
        assert nfc(shown.text_content()) == nfc(term)
        assert nfc(q.source.quote) in text_of(card.answer())


def test_render_discussion_question_then_sides_and_key_points(
    example_bank, tmp_path, col
):
    (quiz,) = quizzes(example_bank)
    import_apkg(col, build([quiz], tmp_path / "out"))
    (q,) = [q for q in quiz.questions if q.kind == Kind.DISCUSSION]
    card = card_of(col, q.id)
    front = text_of(card.question())
    assert nfc(q.prompt) in front
    assert all(nfc(g) in front for g in q.guiding)
    assert all(nfc(s.position) not in front for s in q.sides)
    back = text_of(card.answer())
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
    assert len(log.new) == len(zh.questions)
    for q_zh, q_en in zip(zh.questions, en.questions, strict=True):
        if q_zh.kind == Kind.CLOZE:
            continue
        card = card_of(col, q_zh.id)
        front = text_of(card.question())
        assert front.index(nfc(q_zh.prompt)) < front.index(nfc(q_en.prompt))
        (block_zh, block_en) = lxml.html.fromstring(card.question()).xpath(
            "//div[@class='qg-question']/div[contains(@class, 'qg-lang')]"
        )
        assert block_zh.get("lang") == "zh-Hans"
        assert block_en.get("lang") == "en"
    for q_zh, q_en in zip(zh.questions, en.questions, strict=True):
        deck = f"{zh.title}::{q_zh.topic_name} / {q_en.topic_name}"
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
    assert len(log.new) == len(quiz.questions)
    cloze = card_of(col, "wang-ninety.cloze")
    # one card: nothing in the text made a second cloze
    assert col.db.scalar("select count() from cards where nid = ?", cloze.nid) == 1
    assert nfc(f"[...] {hostile} of technical") in text_of(cloze.question())
    assert not lxml.html.fromstring(cloze.question()).xpath("//script")
    # the attribution question quotes the statement in its prompt
    choice = card_of(col, "wang-ninety.attribution")
    assert nfc(hostile) in text_of(choice.question())
    assert nfc(hostile) in text_of(choice.answer())
    assert not lxml.html.fromstring(choice.answer()).xpath("//script")


@pytest.mark.parametrize("name", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_cloze_term_stays_one_cloze(example_bank, tmp_path, col, name):
    # the bank refuses '::' and '{{' in cloze terms; a Quiz from elsewhere may not
    hostile = HOSTILE[name]
    (quiz,) = quizzes(example_bank, "en")
    q = next(q for q in quiz.questions if q.kind == Kind.CLOZE)
    odd = replace(q, cloze=("It says ", hostile, " & more."), answer=hostile)
    import_apkg(col, build([replace(quiz, questions=(odd,))], tmp_path / "out"))
    card = card_of(col, q.id)
    assert col.card_count() == 1
    front = text_of(card.question())
    assert "It says [...] & more." in front
    back = lxml.html.fromstring(card.answer())
    (shown,) = back.xpath("//div[@class='qg-cloze-text']//span[@class='cloze']")
    assert nfc(shown.text_content()) == nfc(hostile)
    assert not back.xpath("//script")


@pytest.mark.parametrize(
    "cloze",
    [
        ("比例为", "三：：一", "。"),
        ("比例为：：", "三比一", "。"),
        ("The ratio is ", "  ", "."),
    ],
    ids=["full-width-in-term", "full-width-around", "blank-term"],
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
    assert note.fields[0].count("{{c1::十年}}") == 2
    assert "十年" not in note.fields[0].replace("{{c1::十年}}", "")


# --------------------------------------------------------------------------- stable ids


def test_write_same_inputs_same_bytes_and_times_from_the_bank(example_bank, tmp_path):
    qs = quizzes(example_bank)
    first = build(qs, tmp_path / "a")
    second = build(qs, tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    later = build([replace(q, modified=q.modified + 1) for q in qs], tmp_path / "c")
    assert later.read_bytes() != first.read_bytes()

    with zipfile.ZipFile(first) as zf:
        # a zip entry keeps the time in 2-second steps: an odd second reads one less
        stamp = __import__("time").gmtime(qs[0].modified)[:6]
        stamp = (*stamp[:5], stamp[5] - stamp[5] % 2)
        assert {i.date_time for i in zf.infolist()} == {stamp}
        (tmp_path / "col.anki2").write_bytes(zf.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "col.anki2")
    try:
        assert {m for (m,) in db.execute("select mod from notes")} == {qs[0].modified}
        assert {m for (m,) in db.execute("select mod from cards")} == {qs[0].modified}
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
    """Notes and cards go in with executemany: stock genanki must write the same rows.

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
        decks = []
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
            decks.append(deck)
        stock = tmp_path / f"stock{i}.apkg"
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an invalid-HTML warning fails the test
            genanki.Package(decks).write_to_file(str(stock), timestamp=plan.timestamp)
        mine, theirs = _tables(ours, tmp_path), _tables(stock, tmp_path)
        assert len(mine["notes"]) == plan.notes > 0
        assert len(mine["cards"]) == plan.notes  # one card per note, cloze included
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
    shapes = {
        kind: (nt.model_id, nt.name, nt.fields, nt.card)
        for kind, nt in NOTE_TYPES.items()
    }
    choice = (
        "Question",
        "Options",
        "OptionsKey",
        "Answer",
        "Explanation",
        "Quote",
        "Source",
        "Id",
        "Spare1",
        "Spare2",
    )
    assert shapes == {
        Kind.MULTIPLE_CHOICE: (
            1742918305,
            "quizgen multiple choice v1",
            choice,
            "Multiple choice",
        ),
        Kind.TRUE_FALSE: (1839604127, "quizgen true/false v1", choice, "True or false"),
        Kind.CLOZE: (
            1590371846,
            "quizgen cloze v1",
            (
                "Text",
                "Context",
                "Explanation",
                "Quote",
                "Source",
                "Id",
                "Spare1",
                "Spare2",
            ),
            "Cloze",
        ),
        Kind.DISCUSSION: (
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
            "Discussion",
        ),
    }


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


@pytest.mark.slow
def test_reimport_after_editing_a_claim_updates_and_keeps_reviews(tmp_path, col):
    bank = bank_copy(tmp_path, T1)
    before = quizzes(load_bank(bank))
    log = import_apkg(col, build(before, tmp_path / "v1"))
    assert len(log.new) == len(before[0].questions)
    cards_before = col.card_count()

    # a student reviews the cloze card of the claim about to change
    card = card_of(col, "wang-replace.cloze")
    card.start_timer()
    col.sched.answerCard(card, 4)
    reviewed = card_of(col, "wang-replace.cloze")
    assert reviewed.reps == 1
    revlog = col.db.list("select id from revlog where cid = ?", reviewed.id)
    assert len(revlog) == 1

    # the same file again: every note a duplicate (equal time), nothing changes
    again = import_apkg(col, build(before, tmp_path / "v1-again"))
    assert (len(again.new), len(again.updated)) == (0, 0)
    assert len(again.duplicate) == len(before[0].questions)

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
    assert genanki.guid_for("example-translation", "wang-replace.cloze") in changed

    log = import_apkg(col, build(after, tmp_path / "v2"))
    assert len(log.new) == 0
    assert len(log.conflicting) == 0
    # Anki updates every note of a newer file, changed or not (its log says so)
    updated = {col.get_note(n.id.nid).guid for n in log.updated}
    assert changed <= updated == set(new)
    assert len(log.duplicate) == 0
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        assert note.fields == [nfc(f) for f in new[note.guid]], note["Id"]
    assert col.card_count() == cards_before

    note = note_by_id(col, "wang-replace.cloze")
    assert "在{{c1::十年}}之内" in note["Text"]
    kept = col.get_card(reviewed.id)
    assert kept.nid == reviewed.nid
    assert (kept.reps, kept.type, kept.ivl) == (
        reviewed.reps,
        reviewed.type,
        reviewed.ivl,
    )
    assert col.db.list("select id from revlog where cid = ?", kept.id) == revlog


@pytest.mark.slow
def test_reimport_new_claim_arrives_as_a_new_note(tmp_path, col):
    bank = bank_copy(tmp_path, T1)
    before = quizzes(load_bank(bank), kinds=((Kind.CLOZE, Form.TERM),))
    import_apkg(col, build(before, tmp_path / "v1"))
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
    log = import_apkg(col, build(after, tmp_path / "v2"))
    assert [col.get_note(n.id.nid)["Id"] for n in log.new] == ["liu-tools.cloze"]
    assert col.note_count() == len(after[0].questions) == len(before[0].questions) + 1


def test_shipped_bank_builds_a_deck_anki_imports(shipped_bank, tmp_path, col):
    assert shipped_bank.claims
    qs = bilingual(shipped_bank)
    log = import_apkg(col, build(qs, tmp_path / "out", bilingual=True))
    assert len(log.new) == len(qs[0].questions)
    assert col.card_count() == len(qs[0].questions)


@pytest.mark.slow
def test_reimport_in_another_language_updates_the_same_notes(
    example_bank, tmp_path, col
):
    zh = quizzes(example_bank)
    import_apkg(col, build(zh, tmp_path / "zh"))
    card = card_of(col, "wang-replace.fact")
    card.start_timer()
    col.sched.answerCard(card, 3)
    later = [replace(q, modified=q.modified + 60) for q in bilingual(example_bank)]
    log = import_apkg(col, build(later, tmp_path / "both", bilingual=True))
    assert (len(log.new), len(log.updated)) == (0, len(zh[0].questions))
    en = {q.id: q for q in later[1].questions}
    note = note_by_id(col, "wang-replace.fact")
    assert nfc(en["wang-replace.fact"].prompt) in text_of(note["Question"])
    assert col.get_card(card.id).reps == 1


@pytest.mark.slow
def test_reimport_takes_newer_card_templates_without_a_new_note_type(
    example_bank, tmp_path, col
):
    qs = quizzes(example_bank)
    import_apkg(col, build(qs, tmp_path / "v1"))
    plan = plan_deck(qs, ExportOptions())
    mc = NOTE_TYPES[Kind.MULTIPLE_CHOICE].model_id
    for deck in plan.decks:
        for note in deck.notes:
            if note.model.model_id == mc:
                model = copy.deepcopy(note.model)
                model.css += "\n.qg-test-marker { color: red; }\n"
                note.model = model
    path = write_package(plan.decks, tmp_path / "v2.apkg", plan.timestamp + 60)
    models_before = len(col.models.all_names_and_ids())
    log = import_apkg(col, path)
    assert len(log.conflicting) == len(log.new) == 0
    assert ".qg-test-marker" in col.models.get(mc)["css"]
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
    import_apkg(col, build(bilingual(example_bank), tmp_path / "out", bilingual=True))
    (zh, _) = bilingual(example_bank)
    samples = {}
    for q in zh.questions:
        samples.setdefault(q.kind, q.id)
    folder = artifacts / "anki-cards"
    folder.mkdir(exist_ok=True)
    for width, height in ((360, 740), (1024, 768)):
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
                        right = page.locator("li.qg-right")
                        assert right.count() == 1
                        assert "✓" in right.inner_text()
                        weight = right.evaluate("e => getComputedStyle(e).fontWeight")
                        border = right.evaluate(
                            "e => getComputedStyle(e).borderLeftWidth"
                        )
                        assert (weight, border) == ("700", "3px"), name
        page.close()
