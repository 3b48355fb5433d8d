"""A two-person English dialogue (Plato's Euthyphro) in every format.

Its "who said this?" questions have two options: every exporter writes them,
and each format's real consumer reads them back (lxml for Moodle XML, the GIFT
reader and gift-pegjs, the QTI checks and pyslet, the official `anki`
package, python-docx, the live quiz through Flask's client). Its quotes are
English: they keep “ ” and lang="en", never 「」 or zh-Hans.
"""

from __future__ import annotations

import re
import zipfile

import pytest
from test_anki_deck import build as anki_build
from test_anki_deck import card_of, import_apkg, note_by_id, notes_of, quizzes
from test_anki_deck import col as col  # noqa: F401 - the fixture
from test_gift import _check as gift_check
from test_gift import read_gift
from test_moodle_xml import _check as moodle_check
from test_moodle_xml import _file_order, _read
from test_qti import _check_question, _items_by_question, _pyslet, _score
from test_qti import check_package as qti21_check
from test_qti12 import check_package as qti12_check
from test_word_handout import read_handout, read_key, stem_as_printed
from webutil import csrf_token, make_app

from quizgen.export import ExportOptions, export, moodle_xml, qti12, qti21
from quizgen.export import gift as gift_mod
from quizgen.export.lms_common import by_topic
from quizgen.generate import Choices, generate, parse_kinds
from quizgen.quiz import Form, Kind, Quiz
from quizgen.web import store
from quizgen.web.live import domain as d

from conftest import DIALOGUE_BANK


def _quiz(bank, lang: str, **choices) -> Quiz:
    (quiz,) = generate(bank, Choices(lang=lang, seed=0, **choices))
    return quiz


def _two_option(quiz: Quiz) -> list:
    return [q for q in quiz.questions if q.form == Form.ATTRIBUTION]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dialogue_whole_bank_has_two_option_attribution(dialogue_bank, lang):
    quiz = _quiz(dialogue_bank, lang)
    who = _two_option(quiz)
    assert len(who) >= 10
    names = {"zh": {"苏格拉底", "游叙弗伦"}, "en": {"Socrates", "Euthyphro"}}[lang]
    for q in who:
        assert set(q.options) == names
        # the prompt names both, in option order, and so gives neither away
        joined = "还是" if lang == "zh" else " or "
        assert joined.join(q.options) in q.prompt
    assert quiz.source_language == "en"
    assert quiz.genre == "dialogue"


def test_dialogue_moodle_xml(dialogue_bank, tmp_path):
    for lang in ("zh", "en"):
        quiz = _quiz(dialogue_bank, lang)
        (path,) = moodle_xml.write([quiz], tmp_path / lang, ExportOptions())
        read = _read(path.read_bytes())
        assert len(read) == len(quiz.questions)
        seen_two = 0
        for (category, el), q in zip(read, _file_order(quiz), strict=True):
            moodle_check(category, el, q, quiz)
            if q.form == Form.ATTRIBUTION:
                assert len(el.findall("answer")) == 2
                seen_two += 1
        assert seen_two
        assert "「" not in path.read_text("utf-8")


def test_dialogue_gift(dialogue_bank, tmp_path):
    for lang in ("zh", "en"):
        quiz = _quiz(dialogue_bank, lang)
        (path,) = gift_mod.write([quiz], tmp_path / lang, ExportOptions())
        read = read_gift(path.read_text("utf-8"))
        in_file_order = [q for _, _, qs in by_topic(quiz) for q in qs]
        assert len(read) == len(in_file_order)
        for r, q in zip(read, in_file_order, strict=True):
            gift_check(r, q, quiz)
        assert "「" not in path.read_text("utf-8")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dialogue_qti21_scored_by_pyslet(dialogue_bank, tmp_path):
    quiz = _quiz(dialogue_bank, "en")
    (path,) = qti21.write([quiz], tmp_path, ExportOptions())
    items = _items_by_question(qti21_check(path, quiz))
    for q in quiz.questions:
        _check_question(items[qti21.item_id(q)], q)
    _pyslet()  # skips, or fails under QUIZGEN_REQUIRE_ALL=1, without pyslet
    with zipfile.ZipFile(path) as zf:
        for q in _two_option(quiz):
            xml = zf.read(f"items/{qti21.item_id(q)}.xml")
            for i in range(2):
                expected = 1.0 if i == q.answer else 0.0
                assert _score(xml, qti21.choice_id(i)) == (expected, "general_fb")


def test_dialogue_qti12(dialogue_bank, tmp_path):
    quiz = _quiz(dialogue_bank, "en")
    (path,) = qti12.write([quiz], tmp_path, ExportOptions())
    qti12_check(path, quiz)


def test_dialogue_anki_deck_imports(dialogue_bank, tmp_path, col):  # noqa: F811
    qs = quizzes(dialogue_bank, "en")
    log = import_apkg(col, anki_build(qs, tmp_path / "out"))
    assert len(log.new) == notes_of(qs[0])
    assert col.card_count() == len(qs[0].questions)
    who = _two_option(qs[0])
    assert who
    note = note_by_id(col, who[0].id)
    fields = dict(note.items())
    assert fields["Who"].count("<li") == 2
    # as Anki renders the card: two lettered options, the English quote on the back
    back = card_of(col, who[0].id).answer()
    assert "B." in back
    assert "C." not in back
    assert f'lang="en">{who[0].source.quote}' in back
    # the quote is English wherever it shows: lang="en", English marks
    assert f'<div class="qg-lang" lang="en">{who[0].source.quote}' in fields["Quote"]
    assert 'lang="en">' in fields["Explanation"]
    assert "「" not in fields["Explanation"]
    assert "zh-Hans" not in fields["Quote"]


def test_dialogue_word_handout_and_key(dialogue_bank, tmp_path):
    quiz = _quiz(dialogue_bank, "en", count=20, kinds=parse_kinds(["who", "disc"]))
    student, key = export("docx", [quiz], tmp_path, ExportOptions())
    printed = {p.number: p for p in read_handout(student)}
    questions = {q.id: q for q in quiz.questions}
    two = 0
    for number, qid, answer, explanation in read_key(key):
        q = questions[qid]
        assert printed[number].stem == stem_as_printed(q, "en")
        if q.form == Form.ATTRIBUTION:
            assert list(printed[number].options) == ["A", "B"]
            letter, _, text = answer.partition(". ")
            assert printed[number].options[letter] == q.right_option == text
            assert f"“{q.source.quote}”" in explanation
            two += 1
        if q.kind == Kind.DISCUSSION:
            assert "「" not in explanation
            assert "“" in explanation
    assert two >= 10


def test_dialogue_live_quiz_two_options(tmp_path):
    app = make_app(tmp_path, BANK_PATHS=[DIALOGUE_BANK])
    key = DIALOGUE_BANK.stem
    teacher = app.test_client()
    response = teacher.post(
        f"/build/{key}",
        data={
            "csrf_token": csrf_token(teacher, f"/build/{key}"),
            "lang": "en",
            "seed": "3",
            "versions": "1",
            "count": "3",
            "kinds": "multiple_choice:attribution",
            "action": "build",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    preview = response.headers["Location"]
    response = teacher.post(
        f"/live/start/{preview.rsplit('/', 1)[1]}",
        data={
            "csrf_token": csrf_token(teacher, preview),
            "mode": "teacher",
            "scoreboard": "correct",
        },
    )
    assert response.status_code == 303
    sid = response.headers["Location"].split("/")[2]
    with app.app_context():
        session = d.get_session(store(app), sid)
    q = session.quiz.questions[0]
    assert len(q.options) == 2

    student = app.test_client()
    page = student.get(f"/live/join?code={session.code}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    joined = student.post(
        "/live/join",
        data={"csrf_token": token, "code": session.code, "nickname": "Ann"},
    )
    assert joined.status_code == 303
    control = csrf_token(teacher, f"/live/{sid}/control")
    teacher.post(f"/live/{sid}/host/open", data={"csrf_token": control, "index": "0"})
    with app.app_context():
        qhandle = d.question_handle(d.get_session(store(app), sid), q.id)
    panel = student.get(f"/live/{sid}/play/panel").get_data(as_text=True)
    assert panel.count('name="choice"') == 2
    for option in q.options:
        assert option in panel
    # a third option does not exist
    bad = student.post(
        f"/live/api/{sid}/answer",
        json={"question_id": qhandle, "choice": 2},
        headers={"X-CSRFToken": token},
    )
    assert bad.status_code >= 400
    good = student.post(
        f"/live/api/{sid}/answer",
        json={"question_id": qhandle, "choice": q.answer},
        headers={"X-CSRFToken": token},
    )
    assert good.get_json()["status"] == "accepted"
    control = csrf_token(teacher, f"/live/{sid}/control")
    teacher.post(f"/live/{sid}/host/reveal", data={"csrf_token": control})
    panel = student.get(f"/live/{sid}/play/panel").get_data(as_text=True)
    assert f'<blockquote lang="en">{q.source.quote}' in panel.replace("&#39;", "'")
    assert "「" not in panel
    # the explanation's source line (the quote in “ ”) gives way to the figure
    assert "Source, paragraph" not in panel
    assert panel.count(q.source.quote.replace("'", "&#39;")) == 1
