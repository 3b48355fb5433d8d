"""The authoring workspace: a teacher's own text made into a bank in the browser.

Paste or upload a text; confirm its paragraphs, speakers and topics; select a
passage (or type a quote) to open a claim form filled in from the text; every
save is checked exactly as `quizgen check` checks a file, each problem shown at
its field, with a preview of the questions the claim gives in each of the
bank's languages. A bank is written in Chinese and English, or in one of them
(`languages: [en]`): its forms then ask for each text once.
The bank downloads as YAML (plus its text) and goes to the quiz builder as an
uploaded bank does. Teacher-only: every page shows answers.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict, defaultdict
from pathlib import PurePath
from typing import Any

import yaml
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from quizgen import authoring, drafts
from quizgen import bank_languages as langs
from quizgen.bank import Bank
from quizgen.bank.genre import DEFAULT_GENRE, DEFAULT_LANGUAGE, Genre
from quizgen.bank_writer import bank_yaml
from quizgen.errors import Problem, QuizgenError
from quizgen.source import Source, label_key, parse_source
from quizgen.text_import import decode_text, import_text
from quizgen.web import author, store
from quizgen.web import lang as site
from quizgen.web import workspace_store as ws
from quizgen.web.source_view import questions_by_claim, segments
from quizgen.web.workspace_i18n import gettext as _

bp = Blueprint("workspace", __name__, url_prefix="/workspace")

#: the order of a text's fields on a form
FORM_ORDER = ("en", "zh")
#: the `lang` attribute of a field in each language
LANG_TAGS = {"en": "en", "zh": "zh-CN"}
_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)


@bp.before_request
def _teacher_only() -> Any:
    """Every page here shows answers: the teacher's only (see quizgen.web.author)."""
    if not author.is_author():
        from quizgen.web import render_error

        return render_error(
            403,
            _("This page is for the teacher"),
            _(
                "Students: to join a quiz, open {join} and type the code on "
                "the projector.",
                join=url_for("live.join_form"),
            ),
        )
    return None


def _render(template: str, status: int = 200, **values: Any) -> tuple[str, int]:
    w = values.get("w")
    data = values.get("data") or (w.data if w else {})
    languages = langs.languages_of(data)
    return render_template(
        f"web/workspace/{template}",
        _=_,
        names=_speaker_names(data, languages),
        # a text's fields: one per language the bank is written in
        langs=tuple(g for g in FORM_ORDER if g in languages),
        lang_tags=LANG_TAGS,
        texts=lambda value: langs.texts_of(value, languages),
        **values,
    ), status


def _speaker_names(data: dict[str, Any], languages: tuple[str, ...]) -> dict[str, str]:
    """Speaker id -> name in the page's language (the id when it has none)."""
    lang = site.current()
    out = {}
    for s in data.get("speakers") or []:
        if isinstance(s, dict) and isinstance(s.get("id"), str):
            name = langs.texts_of(s.get("name"), languages)
            out[s["id"]] = str(
                name.get(lang) or name.get("en") or name.get("zh") or s["id"]
            )
    return out


def _source_name(name: str | None, default: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = _NAME.sub("_", PurePath(base).stem).strip("._")[:80]
    return f"{stem or default}.txt"


def _workspace_or_404(key: str) -> ws.Workspace:
    found = ws.get(store(), key)
    if found is None:
        abort(404)
    return found


def _yaml_name(w: ws.Workspace) -> str:
    return f"{PurePath(w.source_name).stem}.yaml"


#: the stored banks checked lately, by (key, revision): a revision never changes
_STORED: OrderedDict[tuple[str, int], tuple[Bank | None, list[Problem]]] = OrderedDict()
_STORED_MAX = 16
_LOCK = threading.Lock()


def _stored(w: ws.Workspace) -> tuple[Bank | None, list[Problem]]:
    """The stored bank as checked (cached per process: writing and parsing a
    large bank takes most of a second)."""
    key = (w.key, w.revision)
    with _LOCK:
        hit = _STORED.get(key)
    if hit is None:
        hit = _checked(w, w.data)
        _remember(key, hit)
    return hit


def _remember(key: tuple[str, int], checked: tuple[Bank | None, list[Problem]]) -> None:
    with _LOCK:
        _STORED[key] = checked
        _STORED.move_to_end(key)
        while len(_STORED) > _STORED_MAX:
            _STORED.popitem(last=False)


def _save(w: ws.Workspace, candidate: dict[str, Any], bank: Bank) -> None:
    """Store the checked `candidate`; the next page reads its check from memory."""
    revision = ws.save(store(), w.key, lambda data: candidate)
    if revision is not None:
        _remember((w.key, revision), (bank, []))


def _checked(
    w: ws.Workspace, data: dict[str, Any]
) -> tuple[Bank | None, list[Problem]]:
    return authoring.check(data, w.source_text, file=_yaml_name(w))


def _source_of(w: ws.Workspace, bank: Bank | None) -> Source:
    """The text as the bank reads it (labels known); the bare text if the bank
    does not load."""
    if bank is not None:
        return bank.source
    return parse_source(w.source_text, path=w.source_name)


# --------------------------------------------------------------------------- start


@bp.get("")
def index() -> tuple[str, int]:
    """Banks in progress, and the form to start one from a text."""
    return _index_page(200, [], "", langs.BOTH)


def _index_page(
    status: int, errors: list[str], title: str, chosen: str
) -> tuple[str, int]:
    return _render(
        "index.html",
        status,
        banks=ws.listing(store(), author.owner()),
        errors=errors,
        title=title,
        chosen=chosen,
        choices=(
            (langs.BOTH, _("Chinese and English")),
            ("en", _("English only")),
            ("zh", _("Chinese only")),
        ),
    )


@bp.post("")
def start() -> Response | tuple[str, int]:
    """Make a bank in progress from a pasted or uploaded text."""
    limit_kb = int(current_app.config["UPLOAD_MAX_FILE_KB"])
    title = request.form.get("title", "").strip()[:200]
    chosen = request.form.get("languages", langs.BOTH)
    upload = request.files.get("file")
    errors: list[str] = []
    if chosen not in langs.CHOICES:
        errors.append(_("Choose the bank's languages."))
        chosen = langs.BOTH
    data: bytes | str
    if upload is not None and upload.filename:
        data = upload.stream.read(limit_kb * 1024 + 1)
        name = _source_name(upload.filename, "text")
    else:
        # a browser sends a textarea's lines with CRLF: not the teacher's doing
        data = request.form.get("text", "").replace("\r\n", "\n")
        name = _source_name(title, "text")
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8"))
    if size > limit_kb * 1024:
        errors.append(_("The text is larger than {kb} KB.", kb=limit_kb))
    elif not (data.strip() if isinstance(data, str) else data.strip()):
        errors.append(_("Paste a text or choose a file."))
    bank_file = request.files.get("bank")
    if not errors and bank_file is not None and bank_file.filename:
        # the text as downloaded: one paragraph a line already, read as it is
        try:
            text = decode_text(data, name=name)[0] if isinstance(data, bytes) else data
        except QuizgenError as exc:
            errors.append(str(exc))
        else:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            return _continue(bank_file.stream.read(limit_kb * 1024 + 1), text, name)
    if not errors:
        try:
            imported = import_text(data, name=name)
        except QuizgenError as exc:
            errors.append(str(exc))
    if errors:
        return _index_page(422, errors, title, chosen)
    if not title:
        title = PurePath(name).stem.replace("_", " ")
    bank = authoring.start_bank(imported, title=title, source_name=name)
    if chosen != langs.BOTH:
        bank = langs.in_one_language(bank, chosen)
    key = ws.create(
        store(),
        title=title,
        source_name=name,
        source_text=imported.text,
        data=bank,
        owner=author.owner(),
    )
    for note in imported.notes:
        flash(note, "ok")
    return redirect(url_for("workspace.setup", key=key), code=303)


def _continue(raw: bytes, text: str, name: str) -> Response | tuple[str, int]:
    """A downloaded bank and its text, opened again to go on writing."""
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError):
        data = None
    if not isinstance(data, dict):
        return _index_page(
            422, [_("The bank file is not a YAML bank.")], "", langs.BOTH
        )
    source = data.get("source")
    if isinstance(source, dict) and isinstance(source.get("file"), str):
        name = _source_name(source["file"], "text")
        source["file"] = name
    bank, problems = authoring.check(data, text)
    if bank is None:
        return _index_page(422, [str(p) for p in problems], "", langs.BOTH)
    key = ws.create(
        store(),
        title=bank.title.en or bank.title.zh,
        source_name=name,
        source_text=text,
        data=data,
        owner=author.owner(),
    )
    return redirect(url_for("workspace.show", key=key), code=303)


# --------------------------------------------------------------------------- setup


def _setup_fields(data: dict[str, Any]) -> dict[str, str]:
    src = data.get("source", {})
    languages = langs.languages_of(data)
    out = {}
    for key, value in (
        ("title", data.get("title")),
        ("source.title", src.get("title")),
        ("source.origin", src.get("origin")),
    ):
        for lang, text in langs.texts_of(value, languages).items():
            out[f"{key}.{lang}"] = text
    for k in ("start", "end"):
        out[f"source.body.{k}"] = str((src.get("body") or {}).get(k, ""))
    out["source.language"] = str(src.get("language") or DEFAULT_LANGUAGE)
    out["source.genre"] = str(src.get("genre") or DEFAULT_GENRE)
    return out


@bp.get("/<key>/setup")
def setup(key: str) -> tuple[str, int]:
    """The text's paragraphs and speakers to confirm; titles, speakers, topics."""
    w = _workspace_or_404(key)
    bank, problems = _stored(w)
    return _setup_page(w, w.data, bank, problems)


def _setup_page(
    w: ws.Workspace,
    data: dict[str, Any],
    bank: Bank | None,
    problems: list[Problem],
    status: int = 200,
) -> tuple[str, int]:
    return _render(
        "setup.html",
        status,
        w=w,
        data=data,
        fields=_setup_fields(data),
        source=_source_of(w, bank),
        problems=problems,
        kinds=("panelist", "host", "audience"),
        genres=tuple(Genre),
    )


def _pair_from(form: Any, key: str, languages: tuple[str, ...]) -> Any:
    """The text of fields `key.<lang>` as a bank in `languages` writes it."""
    texts = {lang: form.get(f"{key}.{lang}", "").strip() for lang in languages}
    return langs.text_value(texts, languages)


def _keep_labels(
    speaker: dict[str, Any],
    old: dict[str, Any],
    languages: tuple[str, ...],
    lines: list[str],
) -> None:
    """A renamed speaker keeps, as an alias, an old name that labels turns in
    the text (`lines`, as labels compare): the turns stay theirs. A bank in one
    language has no second name to keep the label."""
    aliases = speaker.get("aliases")
    aliases = list(aliases) if isinstance(aliases, list) else []
    names = [*langs.texts_of(speaker.get("name"), languages).values(), *aliases]
    kept = {label_key(str(n)) for n in names if n}
    lost = [
        n
        for n in langs.texts_of(old.get("name"), languages).values()
        if n
        and label_key(n) not in kept
        and any(line.startswith(label_key(n) + ":") for line in lines)
    ]
    if lost:
        speaker["aliases"] = [*aliases, *dict.fromkeys(lost)]


@bp.post("/<key>/setup")
def setup_save(key: str) -> Response | tuple[str, int]:
    """Save titles, speakers and topics, checked as a whole bank."""
    w = _workspace_or_404(key)
    form = request.form
    languages = langs.languages_of(w.data)
    lines = [label_key(line) for line in w.source_text.splitlines()]

    def text(name: str) -> Any:
        return _pair_from(form, name, languages)

    def change(data: dict[str, Any]) -> dict[str, Any]:
        data["title"] = text("title")
        data["source"]["title"] = text("source.title")
        data["source"]["origin"] = text("source.origin")
        # the source's language and genre (checked with the bank, file:line)
        for k in ("language", "genre"):
            value = form.get(f"source.{k}", "").strip()
            if value:
                data["source"][k] = value
            else:
                data["source"].pop(k, None)
        body = {k: form.get(f"source.body.{k}", "").strip() for k in ("start", "end")}
        if any(body.values()):
            data["source"]["body"] = {k: v for k, v in body.items() if v}
        else:
            data["source"].pop("body", None)
        quoted = {c.get("speaker") for c in data.get("claims") or []}
        speakers = []
        for i, old in enumerate(data.get("speakers", [])):
            if form.get(f"speakers[{i}].remove") and old.get("id") not in quoted:
                continue
            s = dict(old)
            s["name"] = text(f"speakers[{i}].name")
            s["role"] = text(f"speakers[{i}].role")
            _keep_labels(s, old, languages, lines)
            kind = form.get(f"speakers[{i}].kind", "panelist")
            if kind == "panelist":
                s.pop("kind", None)
            else:
                s["kind"] = kind
            speakers.append(s)
        data["speakers"] = speakers
        topics = []
        for i, old in enumerate(data.get("topics", [])):
            if form.get(f"topics[{i}].remove"):
                continue
            topics.append(
                dict(old, id=form.get(f"topics[{i}].id", "").strip(),
                     name=text(f"topics[{i}].name"))
            )  # fmt: skip
        new_id = form.get("new_topic.id", "").strip()
        if new_id:
            topics.append({"id": new_id, "name": text("new_topic.name")})
        data["topics"] = topics
        return data

    candidate = change(dict(w.data, source=dict(w.data.get("source", {}))))
    bank, problems = _checked(w, candidate)
    if problems or bank is None:
        return _setup_page(w, candidate, bank, problems, 422)
    _save(w, candidate, bank)
    flash(_("Saved."), "ok")
    return redirect(url_for("workspace.show", key=key), code=303)


# --------------------------------------------------------------------------- text and claims


@bp.get("/<key>")
def show(key: str) -> tuple[str, int]:
    """The text, paragraph by paragraph (select a passage to quote it), and the claims."""
    w = _workspace_or_404(key)
    bank, problems = _stored(w)
    source = _source_of(w, bank)
    quoted: dict[int, list[str]] = defaultdict(list)
    quotes: dict[int, dict[str, str]] = defaultdict(dict)
    if bank is not None:
        for c in bank.claims:
            quoted[c.paragraph].append(c.id)
            quotes[c.paragraph][c.id] = c.quote
    marked = {n: segments(source.paragraph(n).text, q) for n, q in quotes.items()}
    return _render(
        "show.html",
        w=w,
        bank=bank,
        source=source,
        quoted=quoted,
        marked=marked,
        problems=problems,
        lang=site.current(),
        debates=_debate_report(bank) if bank is not None else [],
    )


def _claim_index(data: dict[str, Any], claim_id: str) -> int | None:
    for i, c in enumerate(data.get("claims") or []):
        if isinstance(c, dict) and c.get("id") == claim_id:
            return i
    return None


@bp.get("/<key>/claim")
def new_claim(key: str) -> tuple[str, int]:
    """The claim form for a quote (`?quote=...&paragraph=N`), filled in from the text."""
    w = _workspace_or_404(key)
    bank, problems = _stored(w)
    if bank is None:
        flash(_("Fix the bank's problems first."), "error")
        return show(key)
    quote = request.args.get("quote", "")[:4000]
    paragraph = request.args.get("paragraph", type=int)
    if (
        not quote.strip()
        and paragraph
        and 1 <= paragraph <= len(bank.source.paragraphs)
    ):
        quote = bank.source.paragraph(paragraph).body
    found = authoring.locate(bank.source, quote, paragraph)
    if found.paragraph is None:
        return _render("locate.html", 422, w=w, bank=bank, found=found, quote=quote)
    fields = authoring.claim_fields(
        authoring.claim_defaults(bank, found.paragraph) | {"quote": found.quote},
        bank.languages,
    )
    return _claim_page(w, bank, fields, None, {}, [], found.paragraph)


def _claim_page(
    w: ws.Workspace,
    bank: Bank,
    fields: dict[str, str],
    claim_id: str | None,
    by_field: dict[str, list[str]],
    other: list[str],
    paragraph: int | None,
    previews: dict[str, list[Any]] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    para = bank.source.paragraph(paragraph) if paragraph else None
    return _render(
        "claim.html",
        status,
        w=w,
        bank=bank,
        f=fields,
        claim_id=claim_id,
        errors=lambda name: authoring.errors_for(by_field, name),
        other=other,
        para=para,
        previews=previews or {},
        drafts=_drafts(bank, fields),
        attributions=("explicit", "inferred", "uncertain"),
        lang=site.current(),
    )


def _drafts(bank: Bank, fields: dict[str, str]) -> dict[str, list[str]]:
    """Drafts for the false statement, the fact's wrong options and the cloze
    term, per language (see quizgen.drafts): suggestions the teacher accepts
    or changes."""
    names = {
        lang: [s.name.get(lang) for s in bank.speakers] for lang in langs.LEARNER_LANGS
    }
    vocab = drafts.vocabulary((p.text for p in bank.source.paragraphs), names)
    quote = fields.get("quote", "").strip()
    found = bank.source.locate(quote) if quote else []
    context = bank.source.paragraph(found[0]).text if len(found) == 1 else quote
    # the questions' lead names the claim's speaker: never the blank
    speaker = fields.get("speaker", "")
    lead = [
        s.name.get(g)
        for s in bank.speakers
        if s.id == speaker
        for g in langs.LEARNER_LANGS
    ]
    out: dict[str, list[str]] = {}
    for lang in bank.languages:
        statement = fields.get(f"statement.{lang}", "")
        out[f"false_statement.{lang}"] = drafts.false_statements(statement, lang, vocab)
        out[f"cloze.{lang}"] = drafts.cloze_terms(statement, lang, avoid=lead)
        taken = {fields.get(f"facts[0].wrong[{i}].{lang}", "") for i in range(3)}
        out[f"facts[0].wrong.{lang}"] = [
            w
            for w in drafts.wrong_options(
                fields.get(f"facts[0].answer.{lang}", ""), lang, vocab, context
            )
            if w not in taken
        ]
    return out


def _previews(bank: Bank, claim_id: str) -> dict[str, list[Any]]:
    """The questions the claim gives, in each of the bank's languages."""
    return {
        lang: questions_by_claim(bank, lang).get(claim_id, [])
        for lang in bank.languages
    }


@bp.get("/<key>/claim/<claim_id>")
def edit_claim(key: str, claim_id: str) -> tuple[str, int]:
    """A saved claim's form, with the questions it gives."""
    w = _workspace_or_404(key)
    bank, _problems = _stored(w)
    index = _claim_index(w.data, claim_id)
    if bank is None or index is None:
        abort(404)
    claim = bank.claim(claim_id)
    fields = authoring.claim_fields(w.data["claims"][index], bank.languages)
    return _claim_page(
        w, bank, fields, claim_id, {}, [], claim.paragraph, _previews(bank, claim_id)
    )


@bp.post("/<key>/claim")
def save_claim(key: str) -> Response | tuple[str, int]:
    """Check the claim with the whole bank; save it when `quizgen check` would
    pass (or only check, with `action=check`), else show every problem at its field."""
    w = _workspace_or_404(key)
    bank_before, _problems = _stored(w)
    if bank_before is None:
        abort(409)
    fields = {
        name: request.form.get(name, "")[:4000]
        for name in authoring.claim_field_names(bank_before.languages)
    }
    original = request.form.get("original", "")
    index = _claim_index(w.data, original) if original else None
    claims = list(w.data.get("claims") or [])
    base = claims[index] if index is not None else None
    claim = authoring.claim_from_fields(fields, base, bank_before.languages)
    if index is None:
        index = len(claims)
        claims.append(claim)
    else:
        claims[index] = claim
    candidate = dict(w.data, claims=claims)
    _rename_in_debates(candidate, original, claim["id"])
    bank, problems = _checked(w, candidate)
    by_field, other = authoring.field_problems(problems, "claims", index)
    paragraph = _paragraph_of(bank_before, claim.get("quote", ""))
    if request.accept_mimetypes.best == "application/json":
        return _check_json(bank, bank_before, fields, claim["id"], by_field, other)
    if problems or bank is None:
        return _claim_page(
            w, bank_before, fields, original or None, by_field, other, paragraph,
            status=422,
        )  # fmt: skip
    if request.form.get("action") == "check":
        return _claim_page(
            w, bank, fields, original or None, {}, [], paragraph,
            _previews(bank, claim["id"]),
        )  # fmt: skip
    _save(w, candidate, bank)
    flash(_("Claim saved: {id}.", id=claim["id"]), "ok")
    return redirect(url_for("workspace.edit_claim", key=key, claim_id=claim["id"]), 303)


def _check_json(
    bank: Bank | None,
    bank_before: Bank,
    form_fields: dict[str, str],
    claim_id: str,
    by_field: dict[str, list[str]],
    other: list[str],
) -> Response:
    fields = {
        name: found
        for name in authoring.claim_field_names(bank_before.languages)
        if (found := authoring.errors_for(by_field, name))
    }
    if bank is None:
        n = sum(len(m) for m in by_field.values()) + len(other)
        summary = " ".join([_("quizgen check finds {n} problem(s):", n=n), *other])
    else:
        counts = {lang: len(qs) for lang, qs in _previews(bank, claim_id).items()}
        if "zh" not in counts:
            summary = _(
                "quizgen check passes: {n} question(s) in English.", n=counts["en"]
            )
        elif "en" not in counts:
            summary = _(
                "quizgen check passes: {n} question(s) in Chinese.", n=counts["zh"]
            )
        else:
            summary = _(
                "quizgen check passes: {en} question(s) in English, {zh} in Chinese.",
                en=counts["en"],
                zh=counts["zh"],
            )
    preview = ""
    if bank is not None:  # the questions the claim gives, as the page shows them
        preview = render_template(
            "web/workspace/_preview.html", _=_, previews=_previews(bank, claim_id)
        )
    return jsonify(
        ok=bank is not None,
        fields=fields,
        other=other,
        summary=summary,
        drafts=_drafts(bank_before, form_fields),
        preview=preview,
    )


def _paragraph_of(bank: Bank, quote: str) -> int | None:
    found = bank.source.locate(quote) if quote.strip() else []
    return found[0] if len(found) == 1 else None


def _rename_in_debates(data: dict[str, Any], old: str, new: str) -> None:
    if not old or old == new:
        return
    for debate in data.get("debates") or []:
        for side in debate.get("sides") or []:
            side["claims"] = [new if c == old else c for c in side.get("claims", [])]


@bp.post("/<key>/claim/<claim_id>/delete")
def delete_claim(key: str, claim_id: str) -> Response:
    """Remove a claim (and its place on any debate side)."""
    w = _workspace_or_404(key)

    def change(data: dict[str, Any]) -> dict[str, Any] | None:
        index = _claim_index(data, claim_id)
        if index is None:
            return None
        del data["claims"][index]
        for debate in data.get("debates") or []:
            for side in debate.get("sides") or []:
                side["claims"] = [c for c in side.get("claims", []) if c != claim_id]
        return data

    if ws.save(store(), w.key, change) is not None:
        flash(_("Claim removed: {id}.", id=claim_id), "ok")
    return redirect(url_for("workspace.show", key=key), code=303)


# --------------------------------------------------------------------------- debates


def _debate_report(bank: Bank) -> list[dict[str, Any]]:
    """For each debate: its discussion question, and for each claim on its
    sides whether a stance question comes from it and why not."""
    lang = "en" if "en" in bank.languages else bank.languages[0]
    ids = {q.id for qs in questions_by_claim(bank, lang).values() for q in qs}
    quiz_ids = ids | {f"{d.id}.discussion" for d in bank.debates}
    return [
        {
            "debate": d,
            "discussion": f"{d.id}.discussion" in quiz_ids,
            "sides": authoring.debate_report(bank, d.id, ids),
        }
        for d in bank.debates
    ]


SIDE_SLOTS = 3


def _debate_index(data: dict[str, Any], debate_id: str) -> int | None:
    for i, d in enumerate(data.get("debates") or []):
        if isinstance(d, dict) and d.get("id") == debate_id:
            return i
    return None


def _debate_fields(
    debate: dict[str, Any], languages: tuple[str, ...]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": debate.get("id", ""),
        "topic": debate.get("topic", ""),
        "opposed": bool(debate.get("opposed")),
    }
    for key in ("question", "teacher_notes"):
        for lang, text in langs.texts_of(debate.get(key), languages).items():
            out[f"{key}.{lang}"] = text
    sides = debate.get("sides") or []
    for i in range(max(SIDE_SLOTS, len(sides))):
        side = sides[i] if i < len(sides) else {}
        out[f"sides[{i}].speaker"] = side.get("speaker", "")
        out[f"sides[{i}].claims"] = list(side.get("claims") or [])
        for lang, text in langs.texts_of(side.get("position"), languages).items():
            out[f"sides[{i}].position.{lang}"] = text
    return out


def _debate_page(
    w: ws.Workspace,
    bank: Bank,
    fields: dict[str, Any],
    debate_id: str | None,
    by_field: dict[str, list[str]],
    other: list[str],
    status: int = 200,
) -> tuple[str, int]:
    slots = sum(1 for k in fields if k.endswith("].speaker"))
    return _render(
        "debate.html",
        status,
        w=w,
        bank=bank,
        f=fields,
        debate_id=debate_id,
        slots=slots,
        errors=lambda name: authoring.errors_for(by_field, name),
        other=other,
        lang=site.current(),
    )


@bp.get("/<key>/debate")
def new_debate(key: str) -> tuple[str, int]:
    """The form for a new debate: sides of speakers and their claims."""
    w = _workspace_or_404(key)
    bank, _problems = _stored(w)
    if bank is None:
        abort(409)
    n = len(bank.debates) + 1
    fields = _debate_fields(
        {"id": f"debate-{n}", "topic": bank.topics[0].id if bank.topics else ""},
        bank.languages,
    )
    return _debate_page(w, bank, fields, None, {}, [])


@bp.get("/<key>/debate/<debate_id>")
def edit_debate(key: str, debate_id: str) -> tuple[str, int]:
    """A saved debate's form."""
    w = _workspace_or_404(key)
    bank, _problems = _stored(w)
    index = _debate_index(w.data, debate_id)
    if bank is None or index is None:
        abort(404)
    return _debate_page(
        w,
        bank,
        _debate_fields(w.data["debates"][index], bank.languages),
        debate_id,
        {},
        [],
    )


@bp.post("/<key>/debate")
def save_debate(key: str) -> Response | tuple[str, int]:
    """Check the debate with the whole bank and save it, or show every problem."""
    w = _workspace_or_404(key)
    bank_before, _problems = _stored(w)
    if bank_before is None:
        abort(409)
    form = request.form
    original = form.get("original", "")
    debates = list(w.data.get("debates") or [])
    index = _debate_index(w.data, original) if original else None
    debate: dict[str, Any] = dict(debates[index]) if index is not None else {}
    debate["id"] = form.get("id", "").strip()
    debate["topic"] = form.get("topic", "").strip()
    if form.get("opposed"):
        debate["opposed"] = True
    else:
        debate.pop("opposed", None)
    languages = bank_before.languages
    debate["question"] = _pair_from(form, "question", languages)
    sides = []
    for i in range(SIDE_SLOTS):
        speaker = form.get(f"sides[{i}].speaker", "").strip()
        claims = form.getlist(f"sides[{i}].claims")
        if not speaker and not claims:
            continue
        sides.append(
            {
                "speaker": speaker,
                "claims": claims,
                "position": _pair_from(form, f"sides[{i}].position", languages),
            }
        )
    debate["sides"] = sides
    debate["teacher_notes"] = _pair_from(form, "teacher_notes", languages)
    order = ("id", "topic", "opposed", "question", "sides")
    debate = {k: debate[k] for k in order if k in debate} | {
        k: v for k, v in debate.items() if k not in order
    }
    if index is None:
        index = len(debates)
        debates.append(debate)
    else:
        debates[index] = debate
    candidate = dict(w.data, debates=debates)
    bank, problems = _checked(w, candidate)
    by_field, other = authoring.field_problems(problems, "debates", index)
    if problems or bank is None:
        fields = _debate_fields(debate, languages)
        return _debate_page(
            w, bank_before, fields, original or None, by_field, other, 422
        )
    _save(w, candidate, bank)
    flash(_("Debate saved: {id}.", id=debate["id"]), "ok")
    return redirect(url_for("workspace.show", key=key) + "#debates", code=303)


# --------------------------------------------------------------------------- downloads and use


@bp.get("/<key>/bank.yaml")
def download_yaml(key: str) -> Response:
    """The bank as YAML, as `quizgen check` reads it (next to its text file)."""
    w = _workspace_or_404(key)
    text = bank_yaml(
        w.data,
        header=(
            f"Written in the quizgen authoring workspace. Keep it next to "
            f"{w.source_name} and run: quizgen check {_yaml_name(w)}"
        ),
    )
    return _attachment(text, _yaml_name(w), "application/yaml")


@bp.get("/<key>/source.txt")
def download_source(key: str) -> Response:
    """The text the bank quotes, one paragraph a line."""
    w = _workspace_or_404(key)
    return _attachment(w.source_text, w.source_name, "text/plain")


def _attachment(text: str, name: str, mimetype: str) -> Response:
    response = Response(text.encode("utf-8"), mimetype=f"{mimetype}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<key>/use")
def use(key: str) -> Response | tuple[str, int]:
    """Put the bank on this server's list (as an upload) and open the quiz builder."""
    w = _workspace_or_404(key)
    bank, problems = _stored(w)
    if bank is None:
        flash(_("Fix the bank's problems first."), "error")
        return redirect(url_for("workspace.show", key=key), code=303)
    if not bank.claims:
        flash(_("Add a claim first: a bank without claims gives no question."), "error")
        return redirect(url_for("workspace.show", key=key), code=303)
    yaml_text = bank_yaml(w.data)
    new_key = store().add_bank(
        bank_id=bank.id,
        yaml_name=_yaml_name(w),
        yaml_text=yaml_text,
        source_name=w.source_name,
        source_text=w.source_text,
        owner=author.owner(),
    )
    return redirect(url_for("builder.form", key=new_key), code=303)


@bp.post("/<key>/delete")
def delete(key: str) -> Response:
    """Delete a bank in progress."""
    w = _workspace_or_404(key)
    if ws.remove(store(), key):
        flash(_("Deleted: {title}.", title=w.title), "ok")
    return redirect(url_for("workspace.index"), code=303)
