"""Editing a question of a saved quiz: checked, laid over the generated quiz,
and used by every download and by a live session, with the question's id kept."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from webutil import build, csrf_token

from quizgen.export import FORMATS
from quizgen.export.anki_deck import question_note_guid
from quizgen.export.lms_common import ncname
from quizgen.i18n import use_lang
from quizgen.quiz import Kind, Question, Quiz, quiz_to_dict
from quizgen.web import store
from quizgen.web.edits import EditError, QuestionEdit, apply_edits, read_edit
from quizgen.web.selection import Selection

STEM = "Who said it <b>first</b> & best?"


def _code(location: str) -> str:
    return location.split("?")[0].split("#")[0].rsplit("/", 1)[1]


def _saved(app, location: str) -> Selection:
    return Selection.from_dict(store(app).selection(_code(location)))


def _form(fields: dict[str, Any]):
    def get(name: str) -> str | None:
        value = fields.get(name)
        return value if value is None or isinstance(value, str) else value[0]

    def getlist(name: str) -> list[str]:
        value = fields.get(name, [])
        return [value] if isinstance(value, str) else list(value)

    return get, getlist


def _first(quiz: Quiz, kind: Kind) -> tuple[int, Question]:
    for i, q in enumerate(quiz.questions):
        if q.kind == kind:
            return i, q
    raise AssertionError(f"no {kind} question")


@pytest.fixture
def plain(example_bank) -> Quiz:
    # the example bank's blanks are common words: open blanks asked for
    selection = Selection(lang="en", seed=7, count=12, open_blanks=True).build(
        example_bank
    )
    return selection.quizzes(example_bank)[0]


# --------------------------------------------------------------------------- checking


def _mc_fields(q: Question, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "prompt": q.prompt,
        "option": list(q.options),
        "right": str(q.answer),
    }
    fields.update(changes)
    return fields


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        ({"prompt": "   "}, ["The question may not be empty."]),
        ({"prompt": "x" * 1001}, ["The question: at most 1000 characters"]),
        ({"prompt": "right\u202eto left"}, ["control or invisible characters"]),
        ({"right": "7"}, ["Mark exactly one option as the right answer."]),
        ({"right": "B"}, ["Mark exactly one option as the right answer."]),
        ({"option": ["a", "b"]}, ["Give all 4 options."]),
        (
            {"option": ["Same", "same ", "", "d" * 301]},
            [
                "Options A and B read the same",
                "Option C may not be empty.",
                "Option D: at most 300 characters",
            ],
        ),
    ],
    ids=["empty", "long", "bidi", "no-right", "not-a-number", "too-few", "options"],
)
def test_edit_of_a_choice_question_is_checked(plain, changes, messages) -> None:
    _i, q = _first(plain, Kind.MULTIPLE_CHOICE)
    get, getlist = _form(_mc_fields(q, **changes))
    with pytest.raises(EditError) as caught:
        read_edit(q, "en", get, getlist)
    for message in messages:
        assert any(message in p for p in caught.value.problems), caught.value.problems
    assert len(caught.value.problems) == len(messages)  # every problem, once


def test_edit_messages_in_chinese(plain) -> None:
    _i, q = _first(plain, Kind.MULTIPLE_CHOICE)
    get, getlist = _form(_mc_fields(q, prompt="", right="9"))
    with use_lang("zh"), pytest.raises(EditError) as caught:
        read_edit(q, "en", get, getlist)
    assert caught.value.problems == [
        "题干不能为空。",
        "请把恰好一个选项标为正确答案。",
    ]


def test_edit_back_to_the_generated_text_is_no_edit(plain) -> None:
    for q in plain.questions:
        fields: dict[str, Any] = {"prompt": q.prompt}
        if q.options:
            fields.update(option=list(q.options), right=str(q.answer))
        if q.kind == Kind.CLOZE:
            fields["accepted"] = "\n".join(q.accepted_answers[1:])
        if q.kind == Kind.DISCUSSION:
            fields["teacher_notes"] = q.teacher_notes
        assert read_edit(q, "en", *_form(fields), now=5).is_empty, q.id


def test_cloze_accepted_answers_use_the_one_rule(plain) -> None:
    _i, q = _first(plain, Kind.CLOZE)
    term = str(q.answer)
    typed = f"  ＴＥＮ-YRS \n\n{term.upper()}\n10 yrs\nten-yrs\nA decade\n"
    edit = read_edit(q, "en", *_form({"accepted": typed}), now=9)
    # blank lines and variants equal under normalize_answer collapse (10 = ten)
    assert edit.accepted == ("ＴＥＮ-YRS", "A decade")
    edited = apply_edits(plain, [edit])
    (after,) = [x for x in edited.questions if x.id == q.id]
    assert after.accepted_answers == (term, "ＴＥＮ-YRS", "A decade")
    with pytest.raises(EditError) as caught:
        read_edit(q, "en", *_form({"accepted": "ok\n——\n。。"}))
    assert [p.split(":")[0] for p in caught.value.problems] == [
        "Accepted answer '——'",
        "Accepted answer '。。'",
    ]
    too_many = "\n".join(f"v{i}" for i in range(21))
    with pytest.raises(EditError, match="at most 20"):
        read_edit(q, "en", *_form({"accepted": too_many}))


# --------------------------------------------------------------------------- applying


def test_apply_keeps_id_quote_and_paragraph(plain) -> None:
    i, q = _first(plain, Kind.MULTIPLE_CHOICE)
    wrong = (q.answer + 1) % len(q.options)
    options = list(q.options)
    options[wrong] = "A new <i>option</i>"
    edit = read_edit(
        q,
        "en",
        *_form(_mc_fields(q, prompt=STEM, option=options, right=str(wrong))),
        now=2_000_000_000,
    )
    edited = apply_edits(plain, [edit])
    after = edited.questions[i]
    assert (after.id, after.claims, after.source) == (q.id, q.claims, q.source)
    assert after.prompt == STEM
    assert after.right_option == "A new <i>option</i>"
    assert edited.modified == 2_000_000_000
    # only the edited question changed; an edit in the other language is ignored
    assert [x for x in edited.questions if x.id != q.id] == [
        x for x in plain.questions if x.id != q.id
    ]
    assert apply_edits(plain, [QuestionEdit(qid=q.id, lang="zh", prompt="x")]) is plain


def test_apply_follows_options_into_every_version(example_bank) -> None:
    selection = Selection(lang="en", seed=3, count=12, versions=3).build(example_bank)
    quizzes = selection.quizzes(example_bank)
    _i, q = _first(quizzes[0], Kind.MULTIPLE_CHOICE)
    right_text = q.options[(q.answer + 2) % 4]
    edit = QuestionEdit(
        qid=q.id, lang="en", options=((right_text, "Changed"),), right=right_text
    )
    for quiz in selection.with_edit(edit).quizzes(example_bank):
        (after,) = [x for x in quiz.questions if x.id == q.id]
        assert after.right_option == "Changed"
        assert sorted(after.options) == sorted(
            [o for o in q.options if o != right_text] + ["Changed"]
        )
    # the other language keeps its words but follows the right answer
    for zh, en in zip(
        selection.with_edit(edit).quizzes(example_bank, "zh"),
        selection.with_edit(edit).quizzes(example_bank),
        strict=True,
    ):
        assert [x.id for x in zh.questions] == [x.id for x in en.questions]

        def choices(quiz: Quiz) -> list[Any]:
            return [x.answer for x in quiz.questions if x.options]

        assert choices(zh) == choices(en)


def test_selection_round_trips_its_edits(example_bank) -> None:
    selection = Selection(lang="en", seed=3, count=4).build(example_bank)
    edit = QuestionEdit(
        qid=selection.ids[0],
        lang="en",
        prompt="p",
        options=(("a", "b"),),
        right="a",
        accepted=("x",),
        teacher_notes="n",
        edited_at=12,
    )
    edited = selection.with_edit(edit)
    assert Selection.from_dict(json.loads(json.dumps(edited.to_dict()))) == edited
    # a plain selection is stored as before: same content, same short code
    assert "edits" not in selection.to_dict()
    assert "layout" not in selection.to_dict()
    assert edited.with_edit(QuestionEdit(qid=edit.qid, lang="en")).edits == ()


# --------------------------------------------------------------------------- through the pages


def _edit(client, location: str, n: int, q: Question, **fields: Any):
    data: dict[str, Any] = {
        "csrf_token": csrf_token(client, location),
        "qid": q.id,
        "n": str(n),
        "action": "save",
    }
    data.update(fields)
    return client.post(f"{location.split('#')[0].split('?')[0]}/edit", data=data)


def _edited_quiz(app, client, example_bank) -> tuple[str, Quiz, Quiz]:
    """Build 12 questions, edit one of each kind through the page; return
    (preview location, the quiz as generated, the quiz as edited)."""
    location = build(client, count="12", seed="7")
    plain = _saved(app, location).quizzes(example_bank)[0]
    i, mc = _first(plain, Kind.MULTIPLE_CHOICE)
    options = list(mc.options)
    new_right = (mc.answer + 1) % 4
    options[new_right] = "Prof. Nobody <script>alert(1)</script>"
    response = _edit(
        client,
        location,
        i + 1,
        mc,
        prompt=STEM,
        option=options,
        right=str(new_right),
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    location = response.headers["Location"]
    assert location.endswith(f"#at-{i + 1}")
    j, tf = _first(plain, Kind.TRUE_FALSE)
    location = _edit(
        client,
        location,
        j + 1,
        tf,
        prompt=tf.prompt + " (edited)",
        right=str(1 - tf.answer),
    ).headers["Location"]
    k, cloze = _first(plain, Kind.CLOZE)
    location = _edit(client, location, k + 1, cloze, accepted="a decade").headers[
        "Location"
    ]
    m, disc = _first(plain, Kind.DISCUSSION)
    location = _edit(
        client,
        location,
        m + 1,
        disc,
        prompt=disc.prompt,
        teacher_notes="Ask for <one> example.",
    ).headers["Location"]
    edited = _saved(app, location).quizzes(example_bank)[0]
    return location, plain, edited


def test_edits_show_in_the_preview_marked_and_escaped(
    app, client, example_bank
) -> None:
    location, plain, edited = _edited_quiz(app, client, example_bank)
    html = client.get(location).get_data(as_text=True)
    assert "Question edited." in html
    assert "<script>alert(1)</script>" not in html
    assert "Prof. Nobody &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Who said it &lt;b&gt;first&lt;/b&gt; &amp; best?" in html
    assert html.count('class="tag edited-tag"') == 4
    assert "4 edited." in html
    assert "Also accepted: a decade</p>" in html
    # the same questions in the same order, ids kept; the quotes never change
    assert [q.id for q in edited.questions] == [q.id for q in plain.questions]
    for before, after in zip(plain.questions, edited.questions, strict=True):
        assert after.source == before.source
        assert after.sides == before.sides
    # the old link still shows the quiz as it was
    first = build(client, count="12", seed="7")
    assert "edited-tag" not in client.get(first).get_data(as_text=True)


def test_edit_with_mistakes_shows_what_was_typed(app, client, example_bank) -> None:
    location = build(client, count="12", seed="7")
    plain = _saved(app, location).quizzes(example_bank)[0]
    i, mc = _first(plain, Kind.MULTIPLE_CHOICE)
    response = _edit(
        client,
        location,
        i + 1,
        mc,
        prompt="",
        option=["kept text", "", "c", "d"],
        right="0",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The question may not be empty." in html
    assert "Option B may not be empty." in html
    assert 'value="kept text"' in html  # nothing typed is lost
    assert store(app).selection(_code(location)) is not None


def test_revert_takes_the_question_back_to_the_bank(app, client, example_bank) -> None:
    location, plain, _edited = _edited_quiz(app, client, example_bank)
    i, mc = _first(plain, Kind.MULTIPLE_CHOICE)
    response = _edit(client, location, i + 1, mc, action="revert")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "back to the bank&#39;s text" in html
    back = _saved(app, response.headers["Location"]).quizzes(example_bank)[0]
    assert back.questions[i] == mc


def _download(client, location: str, fmt: str) -> bytes:
    response = client.get(f"{location.split('#')[0]}/download/{fmt}")
    assert response.status_code == 200, fmt
    return response.data


def test_every_format_carries_the_edits_under_the_same_ids(
    app, client, example_bank, tmp_path: Path
) -> None:
    """JSON, Anki, Word, Moodle XML, GIFT and QTI all hold the edited texts and
    right answers, each question under the id it had before the edit."""
    location, plain, edited = _edited_quiz(app, client, example_bank)
    ids = [q.id for q in plain.questions]
    i, mc = _first(edited, Kind.MULTIPLE_CHOICE)
    _j, tf = _first(edited, Kind.TRUE_FALSE)
    _k, cloze = _first(edited, Kind.CLOZE)
    checked = set()

    # JSON: exactly the edited quiz
    data = json.loads(_download(client, location, "json"))
    assert data == quiz_to_dict(edited)
    assert [q["id"] for q in data["questions"]] == ids
    assert data["questions"][i]["prompt"] == STEM
    assert data["questions"][_k]["accepted"] == [cloze.answer, "a decade"]
    checked.add("json")

    # Moodle XML: idnumber is the id; the edited option carries the 100 %
    root = etree.fromstring(_download(client, location, "moodle"))
    by_id = {
        q.findtext("idnumber"): q
        for q in root.iter("question")
        if q.get("type") != "category"
    }
    assert set(ids) <= set(by_id)
    question = by_id[mc.id]
    # Moodle's texts are HTML: the edit arrives escaped, as text
    assert question.findtext("questiontext/text") == (
        "<p>Who said it &lt;b&gt;first&lt;/b&gt; &amp; best?</p>"
    )
    right = [
        a.findtext("text")
        for a in question.iter("answer")
        if a.get("fraction") == "100"
    ]
    assert right == ["<p>Prof. Nobody &lt;script&gt;alert(1)&lt;/script&gt;</p>"]
    checked.add("moodle")

    # GIFT: the id in the comment line, the edited stem after it
    gift = _download(client, location, "gift").decode("utf-8")
    for qid in ids:
        assert f"[id:{qid}]" in gift or qid.replace(".", "_") in gift
    assert "Who said it" in gift
    assert "best?" in gift
    checked.add("gift")

    # QTI 1.2 and 2.1: one item per id, the edited stem inside (escaped as XML)
    for fmt in ("qti", "qti21"):
        with zipfile.ZipFile(io.BytesIO(_download(client, location, fmt))) as zf:
            text = "".join(
                zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml")
            )
        for qid in ids:
            assert ncname(qid, prefix="item") in text, (fmt, qid)
        assert "Who said it &lt;b&gt;first&lt;/b&gt; &amp;" in text, fmt
        assert "<script>" not in text, fmt
        checked.add(fmt)

    # Word: the student copy has the edited stem; the key row of the id has the new letter
    import docx

    with zipfile.ZipFile(io.BytesIO(_download(client, location, "docx"))) as zf:
        names = zf.namelist()
        (student,) = [n for n in names if n.endswith("-student.docx")]
        (key,) = [n for n in names if n.endswith("-key.docx")]
        text = "\n".join(
            p.text for p in docx.Document(io.BytesIO(zf.read(student))).paragraphs
        )
        assert STEM in text
        assert "Prof. Nobody <script>alert(1)</script>" in text
        rows = {
            row.cells[1].text: row.cells[2].text
            for row in docx.Document(io.BytesIO(zf.read(key))).tables[0].rows
        }
    assert set(ids) <= set(rows)
    assert "ABCD"[mc.answer] in rows[mc.id]
    assert tf.options[tf.answer] in rows[tf.id] or "AB"[tf.answer] in rows[tf.id]
    checked.add("docx")

    # Anki: GUIDs from the ids; a deck imported before the edit is updated, not doubled
    from anki.collection import (
        Collection,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )

    old = tmp_path / "old.apkg"
    first = build(client, count="12", seed="7")
    old.write_bytes(_download(client, first, "anki"))
    new = tmp_path / "new.apkg"
    new.write_bytes(_download(client, location, "anki"))
    col = Collection(str(tmp_path / "col.anki2"))
    try:
        request = ImportAnkiPackageRequest
        got = col.import_anki_package(
            request(package_path=str(old), options=ImportAnkiPackageOptions())
        )
        # one note per claim (a card per question), one per discussion
        guids = {question_note_guid(example_bank.id, q) for q in plain.questions}
        assert len(got.log.new) == len(guids)
        got = col.import_anki_package(
            request(package_path=str(new), options=ImportAnkiPackageOptions())
        )
        assert len(got.log.new) == 0
        assert len(got.log.updated) >= 3
        notes = {col.get_note(n).guid: col.get_note(n) for n in col.find_notes("")}
    finally:
        col.close()
    assert set(notes) == guids
    fields = " ".join(notes[question_note_guid(example_bank.id, mc)].fields)
    assert "Who said it &lt;b&gt;first&lt;/b&gt; &amp; best?" in fields
    assert "&lt;script&gt;" in fields
    assert "<script>" not in fields
    checked.add("anki")

    assert checked == set(FORMATS), set(FORMATS) - checked


def test_a_live_session_asks_the_edited_question(app, client, example_bank) -> None:
    """A session started from the edited quiz shows the edited stem and options
    (as text, never markup) and marks the edited right option."""
    location, _plain, edited = _edited_quiz(app, client, example_bank)
    i, mc = _first(edited, Kind.MULTIPLE_CHOICE)
    token = csrf_token(client, location)
    response = client.post(
        f"/live/start/{_code(location)}",
        data={"csrf_token": token, "mode": "teacher", "scoreboard": "correct"},
    )
    assert response.status_code == 303
    sid = response.headers["Location"].split("/")[2]
    control = client.get(f"/live/{sid}/control").get_data(as_text=True)
    join_code = re.search(r'data-join-code="([^"]+)"', control) or re.search(
        r"/live/join\?code=(\w+)", control
    )
    assert join_code is not None, "the live page shows no join code"
    student = app.test_client()
    page = student.get(f"/live/join?code={join_code.group(1)}").get_data(as_text=True)
    s_token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    joined = student.post(
        "/live/join",
        data={"csrf_token": s_token, "code": join_code.group(1), "nickname": "Ann"},
    )
    assert joined.status_code == 303
    host_token = csrf_token(client, f"/live/{sid}/control")

    def ask(index: int, **answer: Any) -> tuple[str, str]:
        """Open a question, answer it as the student, reveal; both panels."""
        client.post(
            f"/live/{sid}/host/open",
            data={"csrf_token": host_token, "index": str(index)},
        )
        asked = student.get(f"/live/{sid}/play/panel").get_data(as_text=True)
        # students get an opaque handle for the question, never its id
        handle = re.search(r'data-question="([^"]+)"', asked).group(1)
        assert handle != edited.questions[index].id
        got = student.post(
            f"/live/api/{sid}/answer",
            json={"question_id": handle, **answer},
            headers={"X-CSRFToken": s_token},
        )
        assert got.status_code == 200, got.get_data(as_text=True)
        client.post(f"/live/{sid}/host/reveal", data={"csrf_token": host_token})
        return asked, student.get(f"/live/{sid}/play/panel").get_data(as_text=True)

    asked, shown = ask(i, choice=mc.answer)
    assert mc.id not in asked
    assert "Who said it &lt;b&gt;first&lt;/b&gt; &amp; best?" in asked
    assert "Prof. Nobody &lt;script&gt;alert(1)&lt;/script&gt;" in asked
    assert "<script>alert" not in asked
    right = re.search(r"<li[^>]*data-right[^>]*>(.*?)</li>", shown, re.S)
    assert right is not None
    assert "Prof. Nobody" in right.group(1)
    assert "✓" in shown
    # the cloze's added answer is marked right under the one rule
    k, cloze = _first(edited, Kind.CLOZE)
    asked, shown = ask(k, text="A-Decade")
    assert cloze.id not in asked
    assert re.search(r'class="mine ok"', shown), shown


def test_bilingual_deck_follows_the_edited_right_answer(
    app, client, example_bank
) -> None:
    """An edit is made in the quiz's language; the Chinese side keeps its words
    but its right answer moves with the edit, so the two sides still agree."""
    location, plain, edited = _edited_quiz(app, client, example_bank)
    response = client.get(f"{location.split('#')[0]}/download/anki?bilingual=1")
    assert response.status_code == 200
    zh = _saved(app, location).quizzes(example_bank, "zh")[0]
    for q_en, q_zh in zip(edited.questions, zh.questions, strict=True):
        assert q_zh.id == q_en.id
        if q_en.options:
            assert q_zh.answer == q_en.answer
    changed = [
        q.id
        for q, p in zip(edited.questions, plain.questions, strict=True)
        if q.options and q.answer != p.answer
    ]
    assert len(changed) == 2  # the multiple-choice and the true/false question


def test_limits_apply_to_what_the_teacher_typed(plain) -> None:
    """A bank's own long text does not stop an edit of another part."""
    _i, q = _first(plain, Kind.MULTIPLE_CHOICE)
    long = replace(q, prompt="長" * 1200, options=("o" * 400, *q.options[1:]))
    fields = _mc_fields(long, right=str((q.answer + 1) % 4))
    edit = read_edit(long, "en", *_form(fields), now=1)
    assert edit.prompt is None
    assert edit.options == ()
    assert edit.right == long.options[(q.answer + 1) % 4]
