"""Preview of a saved selection: what it shows, editing it, and every download."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path
from urllib.parse import unquote

from markupsafe import escape
from webutil import EXAMPLE_KEY, build, csrf_token

from quizgen.quiz import quiz_to_dict
from quizgen.web import store
from quizgen.web.selection import Selection

from conftest import require


def _saved(app, location: str) -> Selection:
    return Selection.from_dict(store(app).selection(location.rsplit("/", 1)[1]))


def _shown_ids(html: str) -> list[str]:
    return re.findall(r'<li class="question" id="q-[^"]+" data-qid="([^"]+)"', html)


def test_preview_shows_exactly_the_saved_questions(app, client, example_bank) -> None:
    location = build(client, count="6", seed="5")
    html = client.get(location).get_data(as_text=True)
    quiz = _saved(app, location).quizzes(example_bank)[0]
    assert _shown_ids(html) == [q.id for q in quiz.questions]
    for q in quiz.questions:
        assert str(escape(q.prompt)) in html
        if q.right_option is not None:
            right = re.search(
                r'<li class="right">(.*?)</li>',
                html[html.index(f'data-qid="{q.id}"') :],
                re.S,
            )
            assert str(escape(q.right_option)) in right.group(1)
            assert "✓ right answer" in right.group(1)  # not by colour alone
    assert "Explanation" in html
    assert f"/source/{EXAMPLE_KEY}?lang=en#quote-" in html
    assert "Seed 5, 6 questions, 1 version." in html


def test_preview_versions_hold_the_same_questions_in_another_order(client) -> None:
    location = build(client, versions="2", seed="3")
    first = _shown_ids(client.get(location).get_data(as_text=True))
    second = _shown_ids(client.get(f"{location}?v=2").get_data(as_text=True))
    assert sorted(first) == sorted(second)
    assert first != second
    assert _shown_ids(client.get(f"{location}?v=99").get_data(as_text=True)) == second


def _post(client, location: str, action: str, **data) -> str:
    data["csrf_token"] = csrf_token(client, location)
    response = client.post(f"{location}/{action}", data=data)
    assert response.status_code == 303
    return response.headers["Location"]


def test_preview_remove_keeps_the_rest_exact(app, client, example_bank) -> None:
    location = build(client, count="5", seed="9")
    before = _saved(app, location)
    gone = before.ids[2]
    after_location = _post(client, location, "remove", qid=gone)
    after = _saved(app, after_location)
    assert after_location != location
    assert after.ids == tuple(i for i in before.ids if i != gone)
    assert gone in after.excluded
    html = client.get(after_location).get_data(as_text=True)
    assert "Question removed." in html
    assert gone not in _shown_ids(html)
    # the old link still shows the old selection
    assert gone in _shown_ids(client.get(location).get_data(as_text=True))
    # the rest are exactly the same questions, in the same order, each with
    # its options where they were
    was = [q for q in before.quizzes(example_bank)[0].questions if q.id != gone]
    assert list(after.quizzes(example_bank)[0].questions) == was


def test_preview_swap_replaces_one_question(app, client, example_bank) -> None:
    location = build(client, count="5", seed="9", versions="2")
    before = _saved(app, location)
    out = before.ids[0]
    after = _saved(app, _post(client, location, "swap", qid=out))
    assert len(after.ids) == 5
    assert out not in after.ids
    assert len(set(after.ids) - set(before.ids)) == 1
    assert set(before.ids) - set(after.ids) == {out}
    # in every version the new question takes the old one's place; the others
    # stay exactly as they were
    (new,) = set(after.ids) - set(before.ids)
    for old_quiz, new_quiz in zip(
        before.quizzes(example_bank), after.quizzes(example_bank), strict=True
    ):
        old_ids = [q.id for q in old_quiz.questions]
        assert [q.id for q in new_quiz.questions] == [
            new if i == out else i for i in old_ids
        ]
        kept = [q for q in new_quiz.questions if q.id != new]
        assert kept == [q for q in old_quiz.questions if q.id != out]


def test_preview_changes_return_to_the_question_and_version(client) -> None:
    location = build(client, count="6", seed="9", versions="2")
    html = client.get(f"{location}?v=2").get_data(as_text=True)
    qid = _shown_ids(html)[3]
    token = csrf_token(client, location)
    removed = client.post(
        f"{location}/remove", data={"csrf_token": token, "qid": qid, "n": "4", "v": "2"}
    ).headers["Location"]
    assert re.fullmatch(r"/q/\w+\?v=2#at-4", removed), removed
    last = _shown_ids(client.get(removed).get_data(as_text=True))[-1]
    back = client.post(
        f"{removed.split('?')[0]}/remove",
        data={"csrf_token": token, "qid": last, "n": "5", "v": "2"},
    ).headers["Location"]
    assert back.endswith("?v=2#at-4")  # the last one gone: the one before it


def test_preview_swap_with_nothing_left_says_so(app, client) -> None:
    # every true/false question (one per claim, no siblings): nothing left to swap in
    location = build(client, seed="9", kinds="true_false:statement")
    before = _saved(app, location)
    back = _post(client, location, "swap", qid=before.ids[0])
    assert back == location
    html = client.get(back).get_data(as_text=True)
    assert "no other question matches these choices" in html
    assert 'role="alert"' in html


def test_preview_reshuffle_picks_with_a_new_seed(app, client) -> None:
    location = build(client, count="4", seed="9")
    removed = _post(client, location, "remove", qid=_saved(app, location).ids[0])
    assert _saved(app, removed).seed == 9  # remove and swap keep the seed
    after = _saved(app, _post(client, removed.split("#")[0], "reshuffle"))
    assert after.seed != 9
    assert len(after.ids) == 3
    assert after.layout == ()


def test_preview_cannot_remove_the_last_question(client) -> None:
    location = build(client, count="1", seed="2")
    qid = _shown_ids(client.get(location).get_data(as_text=True))[0]
    back = _post(client, location, "remove", qid=qid)
    assert back == location
    assert "a quiz needs at least one question" in client.get(back).get_data(
        as_text=True
    )


def test_preview_unknown_question_is_a_message(client) -> None:
    location = build(client, count="3", seed="2")
    back = _post(client, location, "remove", qid="<script>x</script>")
    html = client.get(back).get_data(as_text=True)
    assert "no question &#39;&lt;script&gt;x&lt;/script&gt;&#39; in this quiz" in html


# --------------------------------------------------------------------------- downloads


def test_download_json_is_the_previewed_quiz(app, client, example_bank) -> None:
    location = build(client, count="6", seed="4")
    response = client.get(f"{location}/download/json")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="example-translation-en.json"'
    )
    data = json.loads(response.get_data(as_text=True))
    quiz = _saved(app, location).quizzes(example_bank)[0]
    assert data == quiz_to_dict(quiz)
    shown = _shown_ids(client.get(location).get_data(as_text=True))
    assert [q["id"] for q in data["questions"]] == shown


def test_download_versions_zip_with_a_chinese_name(app, client, example_bank) -> None:
    location = build(client, count="5", seed="4", versions="2", lang="zh")
    response = client.get(f"{location}/download/json")
    assert response.content_type == "application/zip"
    disposition = response.headers["Content-Disposition"]
    assert 'filename="example-translation-zh-json.zip"' in disposition
    utf8 = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert unquote(utf8) == "机器翻译对谈(示例)-zh-json.zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as zf:
        assert zf.namelist() == [
            "example-translation-zh-A.json",
            "example-translation-zh-B.json",
        ]
        quizzes = _saved(app, location).quizzes(example_bank)
        for name, quiz in zip(zf.namelist(), quizzes, strict=True):
            assert json.loads(zf.read(name)) == quiz_to_dict(quiz)


def test_download_unknown_format_is_404(client) -> None:
    location = build(client, count="2", seed="4")
    assert client.get(f"{location}/download/pdf").status_code == 404


def _needs(module: str) -> None:
    require(
        importlib.util.find_spec(module) is not None, f"exporter {module} not written"
    )


def test_download_anki_imports_into_real_anki(
    app, client, example_bank, tmp_path: Path
) -> None:
    _needs("quizgen.export.anki_deck")
    from anki.collection import (
        Collection,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )

    location = build(client, count="6", seed="4")
    response = client.get(f"{location}/download/anki")
    assert response.status_code == 200
    assert response.content_type == "application/apkg"
    assert (
        'filename="example-translation-en.apkg"'
        in response.headers["Content-Disposition"]
    )
    deck = tmp_path / "deck.apkg"
    deck.write_bytes(response.data)
    with zipfile.ZipFile(deck) as zf:
        assert any(n.startswith("collection.anki2") for n in zf.namelist())
    col = Collection(str(tmp_path / "col.anki2"))
    try:
        result = col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(deck), options=ImportAnkiPackageOptions()
            )
        )
        assert len(result.log.new) == 6
        fields = " ".join(
            " ".join(col.get_note(nid).fields) for nid in col.find_notes("")
        )
    finally:
        col.close()
    for q in _saved(app, location).quizzes(example_bank)[0].questions:
        assert q.id.split(".")[0] in fields or q.prompt[:10] in fields


def test_download_docx_student_and_key_per_version(client) -> None:
    _needs("quizgen.export.word_handout")
    import docx

    location = build(client, count="5", seed="4", versions="2", lang="zh")
    response = client.get(f"{location}/download/docx")
    assert response.content_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as zf:
        names = zf.namelist()
        assert all(n.endswith(".docx") for n in names)
        for version in ("A", "B"):
            mine = [n for n in names if f"-{version}-" in n]
            assert any("student" in n for n in mine), names
            assert any("key" in n for n in mine), names
        for name in names:
            document = docx.Document(io.BytesIO(zf.read(name)))
            text = "\n".join(p.text for p in document.paragraphs)
            assert "机器翻译" in text


def test_download_all_formats_are_offered_and_work(client) -> None:
    location = build(client, count="4", seed="4")
    html = client.get(location).get_data(as_text=True)
    offered = re.findall(r'data-format="([\w-]+)"', html)
    assert "json" in offered
    for fmt in offered:
        if fmt == "anki-bilingual":
            response = client.get(f"{location}/download/anki?bilingual=1")
        else:
            response = client.get(f"{location}/download/{fmt}")
        assert response.status_code == 200, fmt
        assert len(response.data) > 100, fmt
        assert response.headers["Cache-Control"] == "no-store"


def test_store_keeps_selections_in_the_instance_sqlite(app, client) -> None:
    location = build(client, count="2", seed="4")
    path = Path(app.instance_path) / "quizgen.sqlite3"
    with sqlite3.connect(path) as conn:
        codes = [r[0] for r in conn.execute("SELECT code FROM selections")]
    assert location.rsplit("/", 1)[1] in codes


def test_preview_of_a_selection_the_bank_no_longer_has(app, client) -> None:
    code = store(app).save_selection(
        EXAMPLE_KEY,
        Selection(lang="en", seed=1, ids=("gone-claim.fact",)).to_dict(),
    )
    response = client.get(f"/q/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "no question &#39;gone-claim.fact&#39; in this bank" in html
    assert "Traceback" not in html
