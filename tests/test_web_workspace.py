"""The authoring workspace through the test client: from a pasted text to a
bank that `quizgen check` passes, each problem shown at its field."""

from __future__ import annotations

import io
import re
from pathlib import Path

import lxml.html
import pytest
import yaml
from click.testing import CliRunner
from webutil import csrf_token, make_app

from quizgen.bank import load_bank
from quizgen.bank_writer import bank_yaml
from quizgen.cli import main
from quizgen.resources import data_dir
from quizgen.web.lang import ZH as SITE
from quizgen.web.workspace_i18n import ZH

#: Plato, Euthyphro (Jowett's translation, public domain), the opening
DIALOGUE = """\
EUTHYPHRO: Why have you left the Lyceum, Socrates? and what are you doing in the Porch of the King Archon? Surely you cannot be concerned in a suit before the King, like myself?

SOCRATES: Not in a suit, Euthyphro; impeachment is the word which the Athenians use.

EUTHYPHRO: What! I suppose that some one has been prosecuting you, for I cannot believe that you are the prosecutor of another.

SOCRATES: Certainly not.

EUTHYPHRO: Then some one else has been prosecuting you?

SOCRATES: Yes.

EUTHYPHRO: And who is he?

SOCRATES: A young man who is little known, Euthyphro; and I hardly know him: his name is Meletus, and he is of the deme of Pitthis. Perhaps you may remember his appearance; he has a beak, and long straight hair, and a beard which is ill grown.

EUTHYPHRO: No, I do not remember him, Socrates. But what is the charge which he brings against you?

SOCRATES: What is the charge? Well, a very serious charge, which shows a good deal of character in the young man, and for which he is certainly not to be despised. He says he knows how the youth are corrupted and who are their corruptors.

He has begun in the right way, with the cultivation of virtue in youth; like a good husbandman, he makes the young shoots his first care, and clears away us who are the destroyers of them.
"""


@pytest.fixture
def client(tmp_path: Path):
    return make_app(tmp_path).test_client()


def _start(
    client, text: str = DIALOGUE, title: str = "Euthyphro", languages: str = ""
) -> str:
    """Start a bank from a pasted text (in `languages`: en, zh or both; the
    form as it was before the choice when empty)."""
    token = csrf_token(client, "/workspace")
    data = {"csrf_token": token, "title": title, "text": text}
    if languages:
        data["languages"] = languages
    response = client.post("/workspace", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    location = response.headers["Location"]
    assert location.endswith("/setup")
    return location.split("/")[2]


def _claim(**fields: str) -> dict[str, str]:
    base = {
        "original": "",
        "id": "socrates-1",
        "speaker": "socrates",
        "topic": "main",
        "quote": "his name is Meletus",
        "attribution": "explicit",
        "statement.en": "The man prosecuting Socrates is called Meletus.",
        "statement.zh": "起诉苏格拉底的人名叫美勒托。",
        "cloze.en": "Meletus",
        "cloze.zh": "美勒托",
        "action": "save",
    }
    base.update(fields)
    return base


def _reopen(client, bank: bytes, text: bytes, name: str = "Euthyphro"):
    """Continue a downloaded bank: its YAML with its text file."""
    return client.post(
        "/workspace",
        data={
            "csrf_token": csrf_token(client, "/workspace"),
            "file": (io.BytesIO(text), f"{name}.txt"),
            "bank": (io.BytesIO(bank), f"{name}.yaml"),
        },
        content_type="multipart/form-data",
    )


def _save(client, key: str, **fields: str):
    data = _claim(**fields)
    data["csrf_token"] = csrf_token(client, f"/workspace/{key}")
    return client.post(f"/workspace/{key}/claim", data=data)


def test_pasted_text_shows_paragraphs_and_speakers_to_confirm(client) -> None:
    key = _start(client)
    html = client.get(f"/workspace/{key}/setup").get_data(as_text=True)
    assert "11 paragraphs" in html
    assert "<code>euthyphro</code>" in html
    assert "<code>socrates</code>" in html
    # the unlabelled last paragraph continues Socrates' turn
    assert "continues Socrates" in html


def test_selection_opens_a_claim_form_filled_in_from_the_text(client) -> None:
    key = _start(client)
    # typed with other case, spacing and marks: the text's own words come back
    response = client.get(
        f"/workspace/{key}/claim",
        query_string={"quote": "HIS NAME  is meletus", "paragraph": "8"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(
        r'<textarea id="quote" name="quote"[^>]*>his name is Meletus<', html
    )
    assert '<option value="socrates" selected>' in html
    assert '<option value="explicit" selected>' in html
    assert 'value="socrates-1"' in html
    # a continuing turn (no label) is explicit for the speaker of the turn
    html = client.get(
        f"/workspace/{key}/claim",
        query_string={"quote": "like a good husbandman"},
    ).get_data(as_text=True)
    assert '<option value="socrates" selected>' in html
    assert '<option value="explicit" selected>' in html


def test_a_text_without_labels_gets_an_author_and_inferred_claims(client) -> None:
    text = (
        "Virtue is a kind of knowledge, and knowledge can be taught in schools.\n"
        "Therefore virtue can be taught, although few teachers claim to teach it.\n"
    )
    key = _start(client, text, "Lecture")
    html = client.get(
        f"/workspace/{key}/claim", query_string={"quote": "virtue can be taught"}
    ).get_data(as_text=True)
    assert '<option value="author" selected>' in html
    assert '<option value="inferred" selected>' in html
    assert "one author wrote all of it" in html


def test_quote_not_in_the_text_shows_the_nearest_passage(client) -> None:
    key = _start(client)
    response = client.get(
        f"/workspace/{key}/claim", query_string={"quote": "his name was Meletos"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The text does not hold these words." in html
    assert "his name is Meletus" in html
    response = client.get(f"/workspace/{key}/claim", query_string={"quote": "Socrates"})
    assert "These words occur in several paragraphs" in response.get_data(as_text=True)


def test_every_problem_is_shown_at_its_field_and_nothing_is_saved(client) -> None:
    key = _start(client)
    response = _save(
        client, key, **{"statement.zh": "", "cloze.en": "Anytus", "id": "Bad Id"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    errors = dict(re.findall(r'id="([^"]+)-error" role="alert">([^<]+)<', html))
    assert set(errors) >= {"statement.zh", "cloze.en", "id"}, errors
    assert "is empty" in errors["statement.zh"]
    assert 'aria-invalid="true"' in html
    yaml_text = client.get(f"/workspace/{key}/bank.yaml").get_data(as_text=True)
    assert yaml.safe_load(yaml_text)["claims"] == []
    # the same check as JSON, as the form runs it while the teacher types
    data = _claim(**{"statement.zh": ""})
    data["csrf_token"] = csrf_token(client, f"/workspace/{key}")
    data["action"] = "check"
    result = client.post(
        f"/workspace/{key}/claim", data=data, headers={"Accept": "application/json"}
    ).get_json()
    assert result["ok"] is False
    assert result["fields"]["statement.zh"] == ["is empty"]
    # the cloze term must be a word of the statement, now empty
    assert result["fields"]["cloze.zh"] == [
        "'美勒托' does not occur in statement.zh Hint: the cloze term must be a "
        "word of the statement."
    ]


def test_claim_form_offers_drafts_that_change_one_thing(client) -> None:
    key = _start(client)
    data = _claim(**{"facts[0].answer.en": "Euthyphro", "facts[0].answer.zh": "x"})
    data["csrf_token"] = csrf_token(client, f"/workspace/{key}")
    data["action"] = "check"
    result = client.post(
        f"/workspace/{key}/claim", data=data, headers={"Accept": "application/json"}
    ).get_json()
    drafts = result["drafts"]
    assert (
        "The man prosecuting Socrates is not called Meletus."
        in drafts["false_statement.en"]
    )
    # wrong options of the answer's kind: persons, not the deme of Pitthis
    assert "Socrates" in drafts["facts[0].wrong.en"]
    assert "Pitthis" not in drafts["facts[0].wrong.en"]
    # the same drafts on the page, without JavaScript
    html = client.post(f"/workspace/{key}/claim", data=data).get_data(as_text=True)
    assert 'data-value="The man prosecuting Socrates is not called Meletus."' in html


def test_claim_form_offers_cloze_terms_and_keeps_accepted_variants(client) -> None:
    """The statement's words are offered as cloze terms (Chinese split by the
    segmenter), and the accepted variants typed as "a / b" are saved as the
    bank's list, shown again as typed, and accepted by the cloze."""
    key = _start(client)
    data = _claim(action="check")
    data["csrf_token"] = csrf_token(client, f"/workspace/{key}")
    result = client.post(
        f"/workspace/{key}/claim", data=data, headers={"Accept": "application/json"}
    ).get_json()
    assert "Meletus" in result["drafts"]["cloze.en"]
    assert "美勒托" in result["drafts"]["cloze.zh"]
    # the claim's speaker's name is the question's lead, never the blank
    assert "Socrates" not in result["drafts"]["cloze.en"]
    response = _save(
        client,
        key,
        **{"cloze_accept.en": "Meletos / Melitus", "cloze_accept.zh": "梅勒图斯；"},
    )
    assert response.status_code == 303, re.findall(
        r"(?:errors|field-error)[^>]*>(.*?)</", response.get_data(as_text=True), re.S
    )
    yaml_text = client.get(f"/workspace/{key}/bank.yaml").get_data(as_text=True)
    claim = yaml.safe_load(yaml_text)["claims"][0]
    assert claim["cloze_accept"] == {"en": ["Meletos", "Melitus"], "zh": ["梅勒图斯"]}
    html = client.get(f"/workspace/{key}/claim/socrates-1").get_data(as_text=True)
    assert 'value="Meletos / Melitus"' in html
    # a variant the marking rule already accepts is refused at its field
    response = _save(
        client, key, original="socrates-1", **{"cloze_accept.en": "meletus."}
    )
    assert response.status_code == 422
    assert 'id="cloze_accept.en-error"' in response.get_data(as_text=True)


def test_saved_claim_previews_its_questions_in_both_languages(client) -> None:
    key = _start(client)
    # while typing: the check returns the questions as the page renders them
    data = _claim(action="check")
    data["csrf_token"] = csrf_token(client, f"/workspace/{key}")
    result = client.post(
        f"/workspace/{key}/claim", data=data, headers={"Accept": "application/json"}
    ).get_json()
    assert "Fill in the blank. Socrates says:" in result["preview"]
    assert "起诉苏格拉底的人名叫______。" in result["preview"]
    response = _save(
        client,
        key,
        **{
            "false_statement.en": "The man prosecuting Socrates is called Anytus.",
            "false_statement.zh": "起诉苏格拉底的人名叫阿尼图斯。",
        },
    )
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Socrates says: The man prosecuting Socrates is called ______." in html
    assert "起诉苏格拉底的人名叫______。" in html
    assert html.count('class="question"') >= 4  # true/false and cloze, twice
    assert 'lang="zh-CN"' in html
    assert "美勒托" in html


def test_downloaded_bank_passes_check_and_rewrites_unchanged(client, tmp_path) -> None:
    key = _start(client)
    assert _save(client, key).status_code == 303
    raw = client.get(f"/workspace/{key}/bank.yaml")
    assert "attachment" in raw.headers["Content-Disposition"]
    text = client.get(f"/workspace/{key}/source.txt").get_data(as_text=True)
    bank_file = tmp_path / "Euthyphro.yaml"
    bank_file.write_text(raw.get_data(as_text=True), "utf-8")
    (tmp_path / "Euthyphro.txt").write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["check", str(bank_file)])
    assert result.exit_code == 0, result.output
    assert load_bank(bank_file).claims[0].paragraph == 8
    written = raw.get_data(as_text=True)
    body = written.split("\n", 1)[1]  # after the header comment
    assert bank_yaml(yaml.safe_load(written)) == body


def test_a_downloaded_bank_reopens_and_the_builder_takes_it(client) -> None:
    key = _start(client)
    assert _save(client, key).status_code == 303
    written = client.get(f"/workspace/{key}/bank.yaml").get_data()
    text = client.get(f"/workspace/{key}/source.txt").get_data()
    response = _reopen(client, written, text)
    assert response.status_code == 303, re.findall(
        r"(?:errors|field-error)[^>]*>(.*?)</", response.get_data(as_text=True), re.S
    )
    again = response.headers["Location"].split("/")[2]
    assert again != key
    assert client.get(f"/workspace/{again}/bank.yaml").get_data() == written
    # to the builder, as an upload
    token = csrf_token(client, f"/workspace/{again}")
    response = client.post(f"/workspace/{again}/use", data={"csrf_token": token})
    assert response.status_code == 303
    assert re.search(r"/build/u-[0-9a-f]+$", response.headers["Location"])
    assert client.get(response.headers["Location"]).status_code == 200


def test_debate_tells_why_no_stance_question_comes(client) -> None:
    key = _start(client)
    assert _save(client, key).status_code == 303
    response = _save(
        client,
        key,
        id="euthyphro-1",
        speaker="euthyphro",
        quote="I cannot believe that you are the prosecutor of another",
        **{
            "statement.en": "Euthyphro cannot believe Socrates prosecutes anyone.",
            "statement.zh": "游叙弗伦不相信苏格拉底会起诉别人。",
            "cloze.en": "",
            "cloze.zh": "",
        },
    )
    assert response.status_code == 303
    token = csrf_token(client, f"/workspace/{key}/debate")
    data = {
        "csrf_token": token,
        "original": "",
        "id": "who-prosecutes",
        "topic": "main",
        "opposed": "1",
        "question.en": "Who is prosecuting whom?",
        "question.zh": "谁在起诉谁？",
        "sides[0].speaker": "socrates",
        "sides[0].claims": "socrates-1",
        "sides[0].position.en": "Meletus prosecutes Socrates.",
        "sides[0].position.zh": "美勒托起诉苏格拉底。",
        "sides[1].speaker": "euthyphro",
        "sides[1].claims": "euthyphro-1",
        "sides[1].position.en": "Socrates prosecutes nobody.",
        "sides[1].position.zh": "苏格拉底不起诉任何人。",
        "teacher_notes.en": "",
        "teacher_notes.zh": "",
    }
    response = client.post(f"/workspace/{key}/debate", data=data)
    assert response.status_code == 422
    assert "teacher_notes" in response.get_data(as_text=True)
    data["teacher_notes.en"] = "Both sides agree; a warm-up."
    data["teacher_notes.zh"] = "双方一致；热身题。"
    response = client.post(f"/workspace/{key}/debate", data=data)
    assert response.status_code == 303, re.findall(
        r"(?:errors|field-error)[^>]*>(.*?)</", response.get_data(as_text=True), re.S
    )
    html = client.get(f"/workspace/{key}").get_data(as_text=True)
    assert "Discussion question: yes" in html
    # one claim a side: fewer than three wrong options from the other side
    assert html.count("fewer than three claims") == 2  # noqa: PLR2004


def test_pages_are_the_teachers_only(tmp_path) -> None:
    app = make_app(tmp_path, TRUST_LOOPBACK=False)
    client = app.test_client()
    for url in ("/workspace", "/workspace/w-0/setup", "/workspace/w-0/bank.yaml"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "This page is for the teacher" in response.get_data(as_text=True)
    response = client.post("/workspace", data={"text": "x"})
    assert response.status_code in (400, 403)


def test_forms_need_their_csrf_token(client) -> None:
    response = client.post("/workspace", data={"title": "x", "text": "A: b\n"})
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)


def test_text_cannot_inject_markup(client) -> None:
    key = _start(client, "A: <script>alert(1)</script> and more words here.\n" * 2)
    for url in (f"/workspace/{key}", f"/workspace/{key}/setup"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)" in html


def test_pages_work_in_chinese(client) -> None:
    client.set_cookie("quizgen_lang", "zh")
    key = _start(client)
    for url in (
        "/workspace",
        f"/workspace/{key}/setup",
        f"/workspace/{key}",
        f"/workspace/{key}/claim?paragraph=8",
        f"/workspace/{key}/debate",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "编写题库" in response.get_data(as_text=True)


def test_every_workspace_text_has_chinese() -> None:
    calls = re.compile(r"""_\(\s*(["'])(.+?)\1""", re.S)
    texts: set[str] = set()
    for path in (data_dir("templates") / "web" / "workspace").glob("*.html"):
        texts |= {m.group(2) for m in calls.finditer(path.read_text("utf-8"))}
    views = Path(__file__).resolve().parent.parent / "quizgen" / "web" / "workspace.py"
    source = views.read_text("utf-8")
    for m in re.finditer(r"_\(\s*((?:\"[^\"]*\"\s*)+)", source):
        texts.add("".join(re.findall(r"\"([^\"]*)\"", m.group(1))))
    # texts whose key is built in the template
    texts -= {"attribution:", "stance:"}
    texts |= {f"attribution:{a}" for a in ("explicit", "inferred", "uncertain")}
    texts |= {
        f"stance:{r}"
        for r in ("not-opposed", "sides", "other-speaker", "reported", "uncertain",
                  "opponents")
    }  # fmt: skip
    texts |= {"panelist", "host", "audience"}
    missing = sorted(t for t in texts if t not in ZH and t not in SITE)
    assert missing == []
    assert len(texts) > 60


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_concurrent_saves_of_one_bank_all_land(kind: str, tmp_path: Path) -> None:
    """Two tabs adding claims at once: every save lands, one after the other."""
    import threading

    from liveutil import postgres_schema

    from quizgen.web import workspace_store as ws
    from quizgen.web.store import Store

    def run(store: Store) -> None:
        store.migrate()
        key = ws.create(
            store,
            title="t",
            source_name="s.txt",
            source_text="x\n",
            data={"claims": []},
        )
        errors: list[BaseException] = []

        def add(n: int) -> None:
            try:
                for i in range(5):
                    ws.save(
                        store,
                        key,
                        lambda d, i=i: {**d, "claims": [*d["claims"], f"{n}-{i}"]},
                    )
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=add, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        saved = ws.get(store, key)
        assert saved is not None
        assert sorted(saved.data["claims"]) == sorted(
            f"{n}-{i}" for n in range(4) for i in range(5)
        )
        assert saved.revision == 21

    if kind == "sqlite":
        store = Store(f"sqlite:///{tmp_path / 'ws.sqlite3'}")
        run(store)
        store.dispose()
    else:
        with postgres_schema("quizgen_ws") as url:
            store = Store(url)
            try:
                run(store)
            finally:
                store.dispose()


def _form_values(html: str, form_id: str) -> dict[str, str]:
    """What a browser sends for the form: inputs, checked boxes, selected options."""
    form = lxml.html.fromstring(html).get_element_by_id(form_id)
    return {k: v for k, v in form.form_values()}


def test_setup_sets_the_source_language_and_genre(client) -> None:
    key = _start(client)
    html = client.get(f"/workspace/{key}/setup").get_data(as_text=True)
    values = _form_values(html, "setup")
    # guessed from the text: English, two speakers' turns
    assert values["source.language"] == "en"
    assert values["source.genre"] == "dialogue"
    values.update({"source.genre": "article", "source.language": "en-GB"})
    response = client.post(f"/workspace/{key}/setup", data=values)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    bank = client.get(f"/workspace/{key}/bank.yaml").get_data(as_text=True)
    assert "  language: en-GB\n  genre: article\n" in bank
    values["source.language"] = "not a tag"
    response = client.post(f"/workspace/{key}/setup", data=values)
    assert response.status_code == 422
    assert "source.language: &#39;not a tag&#39; is not a language tag" in (
        response.get_data(as_text=True)
    )


# --------------------------------------------------------------------------- one language

#: what the setup form needs in an English-only bank of the dialogue
ENGLISH_SETUP = {
    "source.origin.en": "Plato, translated by Benjamin Jowett",
    "speakers[0].role.en": "A seer, prosecuting his own father",
    "speakers[1].role.en": "A philosopher, indicted for impiety",
    "topics[0].id": "charge",
    "topics[0].name.en": "The charge against Socrates",
}

#: a claim with a cloze and a fact with wrong options, English only
ENGLISH_CLAIM = {
    "statement.en": "The man prosecuting Socrates is called Meletus.",
    "false_statement.en": "The man prosecuting Socrates is called Anytus.",
    "cloze.en": "Meletus",
    "cloze_accept.en": "Meletos",
    "facts[0].question.en": "What is the name of the man prosecuting Socrates?",
    "facts[0].answer.en": "Meletus",
    "facts[0].wrong[0].en": "Anytus",
    "facts[0].wrong[1].en": "Lycon",
    "facts[0].wrong[2].en": "Euthyphro",
}


def _text_fields(values: dict[str, str], lang: str) -> set[str]:
    """The names of the form's text fields in `lang`."""
    return {name for name in values if name.endswith(f".{lang}")}


def _one_language_bank(client) -> tuple[str, bytes]:
    """A bank in English only made through the forms as a browser sends them:
    the setup, a claim with a cloze and a fact; its key and downloaded YAML."""
    key = _start(client, languages="en")
    html = client.get(f"/workspace/{key}/setup").get_data(as_text=True)
    assert "This bank is written in English only" in html
    values = _form_values(html, "setup")
    assert _text_fields(values, "zh") == set()
    assert {"title.en", "source.title.en", "speakers[0].name.en"} <= set(values)
    values.update(ENGLISH_SETUP)
    response = client.post(f"/workspace/{key}/setup", data=values)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    html = client.get(
        f"/workspace/{key}/claim",
        query_string={"quote": "his name is Meletus", "paragraph": "8"},
    ).get_data(as_text=True)
    values = _form_values(html, "claim-form")
    assert _text_fields(values, "zh") == set()
    assert set(ENGLISH_CLAIM) <= set(values)
    values.update(ENGLISH_CLAIM, topic="charge", action="save")
    response = client.post(f"/workspace/{key}/claim", data=values)
    assert response.status_code == 303, re.findall(
        r"(?:errors|field-error)[^>]*>(.*?)</", response.get_data(as_text=True), re.S
    )
    return key, client.get(f"/workspace/{key}/bank.yaml").get_data()


def test_a_bank_in_english_only_asks_for_each_text_once(client) -> None:
    key, written = _one_language_bank(client)
    text = written.decode("utf-8")
    assert "\nlanguages: [en]\n" in text
    assert "zh:" not in text
    claim = yaml.safe_load(text)["claims"][0]
    assert claim["statement"] == ENGLISH_CLAIM["statement.en"]
    assert claim["cloze_accept"] == {"en": ["Meletos"]}
    assert claim["facts"] == [
        {
            "question": "What is the name of the man prosecuting Socrates?",
            "answer": "Meletus",
            "wrong": ["Anytus", "Lycon", "Euthyphro"],
        }
    ]
    # the saved claim's form shows each text once, as it was typed
    html = client.get(f"/workspace/{key}/claim/socrates-1").get_data(as_text=True)
    values = _form_values(html, "claim-form")
    assert _text_fields(values, "zh") == set()
    assert {k: values[k] for k in ENGLISH_CLAIM} == ENGLISH_CLAIM
    # its questions in English only, without a heading per language
    preview = html[html.index('id="preview"') :]
    assert "Fill in the blank. Socrates says:" in preview
    assert "<h3>" not in preview
    assert 'lang="zh-CN"' not in preview
    # the debate form too: one field per text
    html = client.get(f"/workspace/{key}/debate").get_data(as_text=True)
    values = _form_values(html, "debate-form")
    assert _text_fields(values, "zh") == set()
    assert {"question.en", "sides[0].position.en", "teacher_notes.en"} <= set(values)
    html = client.get(
        f"/workspace/{key}/claim",
        query_string={
            "quote": "I cannot believe that you are the prosecutor of another"
        },
    ).get_data(as_text=True)
    claim = _form_values(html, "claim-form")
    claim.update(
        {
            "statement.en": "Euthyphro cannot believe Socrates prosecutes anyone.",
            "topic": "charge",
            "action": "save",
        }
    )
    assert client.post(f"/workspace/{key}/claim", data=claim).status_code == 303
    values.update(
        {
            "question.en": "Who is prosecuting whom?",
            "sides[0].speaker": "socrates",
            "sides[0].claims": "socrates-1",
            "sides[0].position.en": "Meletus prosecutes Socrates.",
            "sides[1].speaker": "euthyphro",
            "sides[1].claims": "euthyphro-1",
            "sides[1].position.en": "Socrates prosecutes nobody.",
            "teacher_notes.en": "Both sides agree; a warm-up.",
        }
    )
    response = client.post(f"/workspace/{key}/debate", data=values)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    debate = yaml.safe_load(
        client.get(f"/workspace/{key}/bank.yaml").get_data(as_text=True)
    )["debates"][0]
    assert debate["question"] == "Who is prosecuting whom?"
    assert debate["teacher_notes"] == "Both sides agree; a warm-up."
    assert [side["position"] for side in debate["sides"]] == [
        "Meletus prosecutes Socrates.",
        "Socrates prosecutes nobody.",
    ]
    html = client.get(f"/workspace/{key}").get_data(as_text=True)
    assert "Discussion question: yes" in html


def test_an_english_only_bank_is_checked_by_its_own_rules_as_it_is_typed(
    client,
) -> None:
    key, _written = _one_language_bank(client)
    html = client.get(f"/workspace/{key}/claim/socrates-1").get_data(as_text=True)
    values = _form_values(html, "claim-form")
    values["action"] = "check"
    result = client.post(
        f"/workspace/{key}/claim", data=values, headers={"Accept": "application/json"}
    ).get_json()
    assert result["ok"] is True, result
    # true/false, cloze and the fact question, in English only
    assert result["summary"] == "quizgen check passes: 3 question(s) in English."
    assert "Fill in the blank. Socrates says:" in result["preview"]
    assert "<h3>" not in result["preview"]
    # drafts in English only
    assert set(result["drafts"]) == {
        "false_statement.en",
        "cloze.en",
        "facts[0].wrong.en",
    }
    assert "Meletus" in result["drafts"]["cloze.en"]
    # a problem at the English field; no Chinese text is asked for
    values.update({"statement.en": "", "false_statement.en": "x"})
    result = client.post(
        f"/workspace/{key}/claim", data=values, headers={"Accept": "application/json"}
    ).get_json()
    assert result["ok"] is False
    assert result["fields"]["statement.en"] == ["is empty"]
    assert _text_fields(result["fields"], "zh") == set()
    # the same on the page without JavaScript, nothing saved
    values["action"] = "save"
    response = client.post(f"/workspace/{key}/claim", data=values)
    assert response.status_code == 422
    assert 'id="statement.en-error"' in response.get_data(as_text=True)


def test_an_english_only_bank_passes_check_and_round_trips(client, tmp_path) -> None:
    """The downloaded bank passes `quizgen check`; opened again (a one-language
    bank the workspace once refused) it downloads byte for byte the same and
    goes to the builder."""
    key, written = _one_language_bank(client)
    text = client.get(f"/workspace/{key}/source.txt").get_data()
    (tmp_path / "Euthyphro.yaml").write_bytes(written)
    (tmp_path / "Euthyphro.txt").write_bytes(text)
    result = CliRunner().invoke(main, ["check", str(tmp_path / "Euthyphro.yaml")])
    assert result.exit_code == 0, result.output
    bank = load_bank(tmp_path / "Euthyphro.yaml")
    assert bank.languages == ("en",)
    body = written.decode("utf-8").split("\n", 1)[1]  # after the header comment
    assert bank_yaml(yaml.safe_load(written)) == body
    response = _reopen(client, written, text)
    assert response.status_code == 303, re.findall(
        r"(?:errors|field-error)[^>]*>(.*?)</", response.get_data(as_text=True), re.S
    )
    again = response.headers["Location"].split("/")[2]
    assert client.get(f"/workspace/{again}/bank.yaml").get_data() == written
    # its forms are English only too
    html = client.get(f"/workspace/{again}/claim/socrates-1").get_data(as_text=True)
    assert _text_fields(_form_values(html, "claim-form"), "zh") == set()
    response = client.post(
        f"/workspace/{again}/use",
        data={"csrf_token": csrf_token(client, f"/workspace/{again}")},
    )
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).status_code == 200


def test_a_hand_written_one_language_bank_opens_in_the_workspace(client) -> None:
    """One-key mappings (`{en: ...}`) read as the plain strings do; the bank
    downloads unchanged."""
    bank = (
        "id: mini\ntitle: Mini\nlanguages: [en]\n"
        "source:\n  file: Euthyphro.txt\n  title: Euthyphro\n  origin: Plato\n"
        "  language: en\n  genre: dialogue\n"
        "speakers:\n  - id: socrates\n    name: {en: Socrates}\n    role: A philosopher\n"
        "  - id: euthyphro\n    name: Euthyphro\n    role: A seer\n"
        "topics:\n  - id: main\n    name: The charge\nclaims: []\n"
    )
    response = _reopen(client, bank.encode(), DIALOGUE.encode())
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    key = response.headers["Location"].split("/")[2]
    html = client.get(f"/workspace/{key}/setup").get_data(as_text=True)
    values = _form_values(html, "setup")
    assert values["speakers[0].name.en"] == "Socrates"
    assert values["title.en"] == "Mini"
    assert _text_fields(values, "zh") == set()
    written = client.get(f"/workspace/{key}/bank.yaml").get_data(as_text=True)
    assert yaml.safe_load(written) == yaml.safe_load(bank)


def test_a_bank_in_chinese_only_from_a_chinese_text(client) -> None:
    text = (
        "王老师：我认为机器翻译十年内会取代大部分笔译工作。\n"
        "刘老师：文学翻译需要创造力，机器至少二十年内做不到。\n"
        "王老师：去年我们的系统已经能翻译90%的技术文档。\n"
    )
    key = _start(client, text, "机器翻译", languages="zh")
    html = client.get(f"/workspace/{key}/setup").get_data(as_text=True)
    values = _form_values(html, "setup")
    assert _text_fields(values, "en") == set()
    values.update(
        {
            "speakers[0].role.zh": "语言学家",
            "speakers[1].role.zh": "翻译家",
            "topics[0].name.zh": "机器翻译",
            "source.origin.zh": "一次对谈",
        }
    )
    assert client.post(f"/workspace/{key}/setup", data=values).status_code == 303
    html = client.get(
        f"/workspace/{key}/claim", query_string={"quote": "机器至少二十年内做不到"}
    ).get_data(as_text=True)
    values = _form_values(html, "claim-form")
    assert _text_fields(values, "en") == set()
    values.update(
        {
            "statement.zh": "刘老师认为，机器至少二十年内做不到文学翻译。",
            "cloze.zh": "二十年",
            "action": "save",
        }
    )
    response = client.post(f"/workspace/{key}/claim", data=values)
    assert response.status_code == 303, re.findall(
        r"(?:errors|field-error)[^>]*>(.*?)</", response.get_data(as_text=True), re.S
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "刘老师认为，机器至少______年内做不到文学翻译。" in html
    written = client.get(f"/workspace/{key}/bank.yaml").get_data(as_text=True)
    assert "\nlanguages: [zh]\n" in written
    assert "en:" not in written


def test_renamed_speakers_of_a_one_language_bank_keep_their_turns(client) -> None:
    """A Chinese-only bank of an English text: naming the speakers in Chinese
    keeps the English labels as aliases, so the turns stay theirs."""
    key = _start(client, languages="zh")
    values = _form_values(
        client.get(f"/workspace/{key}/setup").get_data(as_text=True), "setup"
    )
    values.update(
        {"speakers[0].name.zh": "游叙弗伦", "speakers[1].name.zh": "苏格拉底"}
    )
    assert client.post(f"/workspace/{key}/setup", data=values).status_code == 303
    speakers = yaml.safe_load(
        client.get(f"/workspace/{key}/bank.yaml").get_data(as_text=True)
    )["speakers"]
    assert [(s["name"], s["aliases"]) for s in speakers] == [
        ("游叙弗伦", ["Euthyphro"]),
        ("苏格拉底", ["Socrates"]),
    ]
    html = client.get(
        f"/workspace/{key}/claim", query_string={"quote": "his name is Meletus"}
    ).get_data(as_text=True)
    assert '<option value="socrates" selected>' in html
    assert '<option value="explicit" selected>' in html
    # named again: the label is kept once
    assert client.post(f"/workspace/{key}/setup", data=values).status_code == 303
    written = client.get(f"/workspace/{key}/bank.yaml").get_data(as_text=True)
    assert written.count("aliases: [Socrates]") == 1


def test_the_languages_choice_is_offered_and_both_stays_the_default(client) -> None:
    html = client.get("/workspace").get_data(as_text=True)
    form = lxml.html.fromstring(html).get_element_by_id("start")
    radios = form.xpath('.//input[@type="radio"][@name="languages"]')
    assert [r.get("value") for r in radios] == ["both", "en", "zh"]
    assert [r.get("value") for r in radios if r.get("checked") is not None] == ["both"]
    assert form.xpath('.//fieldset[@id="languages"]/legend/text()') == [
        "Languages of the bank"
    ]
    # the form as a browser sends it: both languages, no `languages` key written
    values = _form_values(html, "start")
    values.update(title="Euthyphro", text=DIALOGUE)
    response = client.post("/workspace", data=values)
    assert response.status_code == 303
    key = response.headers["Location"].split("/")[2]
    written = client.get(f"/workspace/{key}/bank.yaml").get_data(as_text=True)
    assert "languages" not in written
    assert "\ntitle: {zh: Euthyphro, en: Euthyphro}\n" in written
    # a bank stored without `languages` is in both: two fields per text
    setup = _form_values(
        client.get(f"/workspace/{key}/setup").get_data(as_text=True), "setup"
    )
    assert {"title.en", "title.zh", "speakers[0].role.zh"} <= set(setup)
    values["languages"] = "fr"
    response = client.post("/workspace", data=values)
    assert response.status_code == 422
    assert "Choose the bank&#39;s languages." in response.get_data(as_text=True)
