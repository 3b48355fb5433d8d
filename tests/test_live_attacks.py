"""Attacks on the live quiz and the pages around it, as tests.

What a student with a phone and a laptop can try, and the checks a careful
engineer makes. The first group are attacks that once worked, each with the
rule that now stops it; the second guards what always held.

SQLite only (the rules checked here are in the views and the domain, not in
the store; test_live_web.py runs both stores).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_live_web import act, handle, join, join_fails, start
from webutil import EXAMPLE_BANK, EXAMPLE_KEY, build, csrf_token, deadline_in, make_app

from quizgen.quiz import Kind
from quizgen.web import store
from quizgen.web.live import clock
from quizgen.web.live import domain as d

#: a phone on the classroom's network (the teacher's laptop is 127.0.0.1)
LAN = "192.168.1.23"


def _session(app, sid: str) -> d.Session:
    with app.app_context():
        got = d.get_session(store(app), sid)
    assert got is not None
    return got


def _answers(app, sid: str) -> list[d.Answer]:
    with app.app_context():
        return d.answers(store(app), sid)


def _index(quiz, *kinds: Kind) -> int | None:
    return next((i for i, q in enumerate(quiz.questions) if q.kind in kinds), None)


def _secrets(q) -> list[str]:
    out = [q.source.quote, q.explanation if q.kind != Kind.DISCUSSION else ""]
    out += [s.quote for s in q.sides]
    if q.teacher_notes:
        out.append(q.teacher_notes)
    return [x for x in out if x]


# ====================================================================== attacks that once worked


def test_lan_student_reads_every_answer_from_the_authoring_pages(app) -> None:
    """Once critical. `quizgen serve --host 0.0.0.0` (what docs/live-quiz.md
    tells the teacher to run) exposes the whole authoring app to every phone on
    the network, with no authentication: the home page lists every bank
    (uploads included), the builder builds any quiz, and the preview /q/<code>
    shows every answer, explanation and quote. A student who joined the live
    quiz opens http://<teacher>:5000/, builds "12 questions, seed 7" (or all
    questions) and reads the open question's answer before the reveal; with
    the same choices the builder even hands back the teacher's own
    selection code (codes are derived from content).

    The rule now: only the live student routes (/live/join, /live/<sid>/play,
    /live/<sid>/play/panel, /live/<sid>/play/answer, /live/api/*, /static) are
    open to anyone; every other route (home, builder, preview /q/*, downloads,
    source view, upload, /live/start) requires the teacher: e.g. an app-level
    before_request that allows loopback clients, or a browser holding an owner
    cookie set from a one-time admin link that `quizgen serve` prints on start
    (and 403 otherwise).
    """
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    ann.client.environ_base["REMOTE_ADDR"] = LAN
    i = _index(quiz, Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE)
    assert i is not None
    q = quiz.questions[i]
    act(teacher, sid, "open", index=str(i))
    assert all(s not in ann.look() for s in _secrets(q))
    got: dict[str, str] = {}
    home = ann.client.get("/")
    got["/"] = home.get_data(as_text=True)
    try:  # the builder, exactly as the teacher used it
        preview = build(ann.client, count=str(len(quiz.questions)))
        got[preview] = ann.client.get(preview).get_data(as_text=True)
    except AssertionError:
        pass  # refused: the teacher-only rule
    selection = _session(app, sid).selection_code
    got[f"/q/{selection}"] = ann.client.get(f"/q/{selection}").get_data(as_text=True)
    leaks = [url for url, body in got.items() if any(s in body for s in _secrets(q))]
    assert leaks == [], (
        f"a student on {LAN} read the explanation/quote of the open question "
        f"{q.id} before the reveal through {leaks}"
    )
    assert f'href="/build/{EXAMPLE_KEY}"' not in got["/"]


def test_selection_code_is_derivable_from_what_a_student_receives(
    app,
) -> None:
    """Once medium. The preview code is sha256 of the
    selection's JSON: bank key (a bundled bank's key is its file name), lang
    (the page's lang attribute), count ("Question n of N"), the ids (each
    panel's data-question) and a seed of only 1..999999. A student who has seen
    every question id (teacher-paced: when the last one opens, before its
    reveal; self-paced: a second nickname that skips through the quiz) finds
    the code offline in about a million hashes (two seconds) and opens
    /q/<code>: every answer, explanation and quote.

    The rule now: make the code unguessable: `Store._short_code` as an HMAC with
    a server secret (e.g. the app's SECRET_KEY, handed to Store), or a random
    code per saved selection (keep the dedupe by looking the content up); and
    lengthen it.
    """
    import hashlib

    from quizgen.bank import load_bank
    from quizgen.generate import Choices, available
    from quizgen.web.selection import Selection
    from quizgen.web.store import _ALPHABET, _short_code

    teacher = app.test_client()
    sid, code, quiz = start(app, teacher, count=6)
    ann = join(app, "Ann", code)
    seen: list[str] = []
    total = lang = None
    for i in range(len(quiz.questions)):
        act(teacher, sid, "open", index=str(i))
        panel = ann.look()
        seen.append(re.search(r'data-question="([^"]+)"', panel).group(1))
        total = int(re.search(r"Question \d+ of (\d+)", panel).group(1))
        lang = (
            "zh" if 'lang="zh-CN"' in panel.split('class="q-prompt"')[1][:40] else "en"
        )
        if i < len(quiz.questions) - 1:
            act(teacher, sid, "reveal")
    # offline, with the public bank file: its order, then every seed
    bank = load_bank(EXAMPLE_BANK)
    order = [x for x in available(bank, Choices(lang=lang)) if x in set(seen)]
    probe = Selection(lang=lang, count=total, seed=424242, versions=1, ids=tuple(order))
    text = json.dumps(
        {"bank": EXAMPLE_KEY, **probe.to_dict()}, ensure_ascii=False, sort_keys=True
    )
    head, tail = text.split('"seed": 424242')
    target = _session(app, sid).selection_code
    first = _ALPHABET.index(target[0])
    found = None
    for seed in range(1, 1_000_000):
        candidate = f'{head}"seed": {seed}{tail}'
        digest = hashlib.sha256(candidate.encode("utf-8")).digest()[:8]
        # cheap pre-filter: the code's first letter is n mod 31
        if (
            int.from_bytes(digest, "big") % 31 == first
            and _short_code(candidate) == target
        ):
            found = seed
            break
    assert found is None, (
        f"the student derived the preview code {target} (seed {found}) from the "
        "ids, count and language its panels showed; /q/{target} shows every answer"
    )


@pytest.mark.parametrize(
    "trick",
    [
        "Ann\u034f",  # COMBINING GRAPHEME JOINER (Mn, default-ignorable)
        "Ann\ufe0f",  # VARIATION SELECTOR-16 (Mn, default-ignorable)
        "Ann\u3164",  # HANGUL FILLER (Lo, invisible; NFKC gives U+1160)
        "Ann\u115f",  # HANGUL CHOSEONG FILLER (Lo, invisible)
        "\u2800Ann",  # BRAILLE PATTERN BLANK (So, looks like a space)
    ],
)
def test_invisible_characters_let_a_student_take_a_visible_name(
    app, trick: str
) -> None:
    """Once low. Nicknames are compared after NFKC + casefold, with
    category C removed, but default-ignorable and blank characters of other
    categories stay: "Ann" + U+034F shows as "Ann" on the projector, the
    scoreboard, the control page and the CSV, next to the real Ann. A student
    can pose as another one (or claim the top of the scoreboard under her name).

    The rule now: in `clean_nickname` also drop Default_Ignorable_Code_Point
    characters (U+034F, U+115F, U+1160, U+17B4-U+17B5, U+180B-U+180F,
    U+3164, U+FE00-U+FE0F, U+FFA0, U+E0100-U+E01EF, ...) and blanks such as
    U+2800, before the length check and the unique key; then "Ann"+U+034F is
    "Ann" and is refused as taken (409). (Cyrillic look-alikes, "Аnn", need a
    confusables skeleton in nickname_key; not asserted here.)
    """
    teacher = app.test_client()
    sid, code, _quiz = start(app, teacher)
    join(app, "Ann", code)
    response = join_fails(app, code, trick)
    assert response.status_code in (409, 422), (
        f"{trick!r} joined as a second, identical-looking 'Ann'"
    )


def test_join_rate_limit_is_not_reset_by_many_addresses(app) -> None:
    """Once low. The join limits' buckets were cleared once they held more
    than 10,000 addresses: a student with an IPv6 prefix (2^64 addresses on
    one phone) or a botnet sent joins from 10,001 addresses and every limited
    address, his own included, got a full burst again.

    The rule now: the buckets live in the store (every process shares them)
    and a bucket is forgotten only once it has refilled to the burst; IPv6
    clients are keyed by their /64.
    """
    from quizgen.web.live.limits import client_key, prune, take

    s = store(app)
    now = 1_000_000
    while take(s, "LIVE_BAD_CODE_RATE", "eve", 3, 0.0001, at_ms=now):
        pass
    for n in range(300):
        take(s, "LIVE_BAD_CODE_RATE", f"2001:db8::{n:x}", 3, 0.0001, at_ms=now)
    assert prune(s, "LIVE_BAD_CODE_RATE", 3, 0.0001, at_ms=now + 1000) == 0
    assert take(s, "LIVE_BAD_CODE_RATE", "eve", 3, 0.0001, at_ms=now + 1000) is False
    # once eve's bucket has refilled (3 / 0.0001 s), it may go
    later = now + 30_000_001 + 1000
    assert prune(s, "LIVE_BAD_CODE_RATE", 3, 0.0001, at_ms=later) == 301
    assert client_key("2001:db8::1") == client_key("2001:db8::2") == "2001:db8::/64"


def test_live_size_limit_comes_after_the_csrf_check_parses_the_body(
    app,
) -> None:
    """Once low. CSRF protection is an app-wide before_request that runs
    before the live blueprint's `_limit_size`, and it reads `request.form`
    with the app's limits (MAX_FORM_MEMORY_SIZE, 5 MB). So every live POST
    body up to 5 MB is parsed before LIVE_MAX_REQUEST_BYTES (16 KB) is
    checked, and a large body without a token gets 400 "expired" instead of
    the 413 docs/live-quiz.md promises. Cost: 5 MB of parsing per request from
    any phone, 300 times a second under the join limit.

    The rule now: apply the live limit before CSRF: in `live.init_app`, insert
    a before_request at the front of `app.before_request_funcs[None]` (or
    register it before `csrf.init_app`) that, for `request.blueprint == "live"`,
    sets `request.max_content_length` / `max_form_memory_size` and raises 413
    when Content-Length is larger.
    """
    teacher = app.test_client()
    sid, code, _quiz = start(app, teacher)
    phone = app.test_client()
    phone.get("/live/join")
    response = phone.post("/live/join", data={"code": code, "nickname": "x" * 200_000})
    assert response.status_code == 413, response.status_code


def test_answer_endpoint_tells_which_question_ids_are_in_the_quiz(
    app,
) -> None:
    """Once low. Teacher-paced, before a question is opened, the answer
    endpoint says 404 "no such question" for an id that is not in the quiz and
    409 "closed" for one that is. A student probes the bank's ids (a bundled
    bank's ids are public; others follow the "<claim>.<kind>" pattern seen in
    data-question) and learns which questions are coming, in the lobby, before
    any is opened: with the bank, that is their answers, and it hands the
    offline derivation of the selection code every id at once.

    The rule now: in `submit_answer` (teacher-paced), check "is this the open
    question" first and answer 409 "closed" for every other id, present or not
    (the same status, reason and message).
    """
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher, count=3)
    ann = join(app, "Ann", code)
    from quizgen.bank import load_bank
    from quizgen.generate import Choices, available

    every = available(load_bank(EXAMPLE_BANK), Choices(lang="en"))
    outside = next(x for x in every if x not in {q.id for q in quiz.questions})
    inside = ann.answer(quiz.questions[2].id, choice=0, text="x")
    absent = ann.answer(outside, choice=0, text="x")
    assert (inside.status_code, inside.get_json()) == (
        absent.status_code,
        absent.get_json(),
    ), "the reply tells a question of the quiz from one that is not"


def test_holds_security_headers_and_no_store_on_live_pages(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    act(teacher, sid, "open", index="0")
    q = quiz.questions[0]
    replies = [
        ann.get(f"/live/{sid}/play"),
        ann.get(f"/live/{sid}/play/panel"),
        ann.answer(q.id, choice=0, text="x"),
        teacher.get(f"/live/{sid}/host"),
        teacher.get(f"/live/{sid}/control"),
        teacher.get(f"/live/{sid}/results.csv"),
    ]
    for r in replies:
        assert r.headers["Cache-Control"] == "no-store", r.request.path
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in r.headers["Content-Security-Policy"]
        assert r.headers["X-Frame-Options"] == "DENY"
    for r in replies[:3]:  # the student's pages carry no inline script
        assert "<script>" not in r.get_data(as_text=True)


# ====================================================================== HOLDS
# What was checked and holds; these pass and guard against regressions.


def test_holds_teacher_paced_answer_reply_is_the_same_for_right_and_wrong(
    app,
) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann, bo = join(app, "Ann", code), join(app, "Bo", code)
    i = _index(quiz, Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE)
    q = quiz.questions[i]
    act(teacher, sid, "open", index=str(i), time_limit_s="60")
    wrong = (q.answer + 1) % len(q.options)
    right_reply = ann.answer(q.id, choice=q.answer)
    wrong_reply = bo.answer(q.id, choice=wrong)
    assert right_reply.status_code == wrong_reply.status_code == 200
    r, w = right_reply.get_json(), wrong_reply.get_json()
    assert set(r) == set(w) == {"status", "message", "html"}
    assert r["status"] == w["status"]
    assert r["message"] == w["message"]

    def strip(html: str) -> str:
        html = re.sub(r'<p class="sent[^"]*".*?</p>', "", html, flags=re.S)
        return re.sub(r'data-remaining-ms="\d+"|\d+:\d\d', "", html)

    assert strip(r["html"]) == strip(w["html"])
    for body in (r["html"], w["html"], ann.look(), bo.look()):
        assert "data-right" not in body
        assert "data-revealed-question" not in body
        assert all(s not in body for s in _secrets(q))
    names = sorted(k for k, _v in right_reply.headers)
    assert names == sorted(k for k, _v in wrong_reply.headers)


def test_holds_self_paced_feedback_at_end_tells_nothing_per_answer(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(
        app, teacher, count=6, mode="self", **deadline_in(30), feedback="end"
    )
    ann, bo = join(app, "Ann", code), join(app, "Bo", code)
    i = _index(quiz, Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE)
    q = quiz.questions[i]
    r = ann.answer(q.id, choice=q.answer)
    w = bo.answer(q.id, choice=(q.answer + 1) % len(q.options))
    assert r.status_code == w.status_code == 200

    def same(body: Any) -> str:  # the CSRF token differs per browser, nothing else
        text = json.dumps(body, sort_keys=True) if not isinstance(body, str) else body
        text = re.sub(r'csrf_token\\?" value=\\?"[^"\\]+', "", text)
        return re.sub(r"-ms=\\?\"\d+|\d+:\d\d", "", text)  # the clock moves on

    assert same(r.get_json()) == same(w.get_json())
    assert same(ann.look()) == same(bo.look())
    # a second nickname (the laptop) that skips everything learns nothing either
    laptop = join(app, "Ann2", code)
    for other in quiz.questions:
        reply = laptop.answer(other.id, skip=True)
        assert reply.status_code == 200
        assert "data-right" not in reply.get_json()["html"]
    for s in (ann, bo, laptop):
        for _what, _status, body in s.log:
            for other in quiz.questions:
                assert all(x not in body for x in _secrets(other)), _what
            assert "data-right" not in body
            assert not re.search(r"place \d+ of", body)  # no rank before the end


def test_holds_flask_session_cookie_carries_no_answer(app) -> None:
    """The Flask session cookie is signed, not encrypted: a student can read it."""
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    i = _index(quiz, Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE)
    q = quiz.questions[i]
    act(teacher, sid, "open", index=str(i))
    ann.post(
        f"/live/{sid}/play/answer",
        data={
            "csrf_token": ann.token,
            "question_id": handle(app, sid, q.id),
            "choice": str(q.answer),
        },
    )
    cookie = ann.client.get_cookie("session")
    assert cookie is not None
    data = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    text = json.dumps(data, ensure_ascii=False, default=str)
    for secret in [*_secrets(q), q.right_option]:
        assert secret not in text
    assert "right" not in text.lower()
    for c in ann.client._cookies.values():  # noqa: SLF001 - every cookie set
        assert q.right_option not in c.value


def test_holds_crafted_answers_are_refused_and_store_nothing(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    i = _index(quiz, Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE)
    q = quiz.questions[i]
    act(teacher, sid, "open", index=str(i))
    bad: list[Any] = [
        -1,
        len(q.options),
        25,
        26,
        99,
        "1.5",
        1.5,
        True,
        [0],
        {"i": 0},
        "0x1",
        1e9,
        "A",
    ]
    for choice in bad:
        reply = ann.answer(q.id, choice=choice)
        assert reply.status_code in (400, 422), (choice, reply.status_code)
    assert ann.answer(q.id, skip=True).status_code == 400  # no skip in class
    assert ann.answer(123, choice=0).status_code == 400
    assert ann.answer("x" * 500, choice=0).status_code == 400
    assert ann.answer("no-such-id", choice=0).status_code in (404, 409)
    other = (i + 1) % len(quiz.questions)
    closed = ann.answer(quiz.questions[other].id, choice=0, text="x")
    assert closed.status_code == 409
    assert closed.get_json()["reason"] == "closed"
    assert _answers(app, sid) == []
    # client-sent scoring fields are ignored: right/wrong, time and points are the server's
    wrong = (q.answer + 1) % len(q.options)
    ok = ann.answer(
        q.id, choice=wrong, correct=True, elapsed_ms=0, answered_ms=0, points=1000
    )
    assert ok.status_code == 200
    (stored,) = _answers(app, sid)
    assert stored.correct is False
    assert stored.choice == wrong
    # a second answer (form or JSON) changes nothing
    assert ann.answer(q.id, choice=q.answer).status_code == 409
    ann.post(
        f"/live/{sid}/play/answer",
        data={
            "csrf_token": ann.token,
            "question_id": handle(app, sid, q.id),
            "choice": str(q.answer),
        },
    )
    assert [a.choice for a in _answers(app, sid)] == [wrong]


def test_holds_no_answer_after_the_timer_or_the_reveal(app, monkeypatch) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher, scoreboard="speed")
    ann, bo, cy, dee = (join(app, n, code) for n in ("Ann", "Bo", "Cy", "Dee"))
    i = _index(quiz, Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE)
    q = quiz.questions[i]
    act(teacher, sid, "open", index=str(i), time_limit_s="5")
    with app.app_context():
        opened = d.rounds(store(app), sid)[q.id].opened_ms
    monkeypatch.setattr(clock, "now_ms", lambda: opened + 2_500)
    assert bo.answer(q.id, choice=q.answer).status_code == 200
    monkeypatch.setattr(clock, "now_ms", lambda: opened + 5_400)  # within the grace
    assert cy.answer(q.id, choice=q.answer).status_code == 200
    monkeypatch.setattr(clock, "now_ms", lambda: opened + 5_600)
    late = ann.answer(q.id, choice=q.answer)
    assert late.status_code == 409
    assert late.get_json()["reason"] == "time-up"
    monkeypatch.undo()
    act(teacher, sid, "reveal")
    after = dee.answer(q.id, choice=q.answer)
    assert after.status_code == 409
    assert after.get_json()["reason"] == "closed"
    # from the server's clock only
    assert sorted(a.elapsed_ms for a in _answers(app, sid)) == [2_500, 5_400]
    with app.app_context():
        board = d.scores(
            _session(app, sid),
            d.participants(store(app), sid),
            d.answers(store(app), sid),
            d.rounds(store(app), sid),
        )
    points = {b.nickname: b.points for b in board}
    assert points == {"Bo": 750, "Cy": 500, "Ann": 0, "Dee": 0}


def test_holds_cookies_cannot_be_forged_or_reused_elsewhere(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    other_sid, other_code, _q = start(app, teacher)
    token = ann.client.get_cookie(f"qz_p_{sid}", path="/live/").value
    thief = app.test_client()
    thief.set_cookie(f"qz_p_{other_sid}", token, path="/live/")
    assert thief.get(f"/live/{other_sid}/play/panel").status_code == 403
    thief.set_cookie(f"qz_t_{sid}", token, path="/live/")  # student token as teacher
    thief.set_cookie(f"qz_t_{other_sid}", token, path="/live/")
    for s in (sid, other_sid):
        for url in ("host", "control", "results", "results.csv", "host/stats"):
            assert thief.get(f"/live/{s}/{url}").status_code == 403
        assert thief.get(f"/live/{s}/teacher?token={token}").status_code == 403
    forged = app.test_client()
    forged.set_cookie(f"qz_p_{sid}", "A" * 32, path="/live/")
    assert forged.get(f"/live/{sid}/play/panel").status_code == 403
    forged.set_cookie(f"qz_p_{sid}", "A" * 150, path="/live/")
    assert forged.get(f"/live/{sid}/play/panel").status_code == 403
    # the student never receives the teacher secret, the selection code or a preview link
    selection = _session(app, sid).selection_code
    act(teacher, sid, "open", index="0")
    ann.look()
    ann.get(f"/live/{sid}/play")
    for what, _status, body in ann.log:
        assert selection not in body, what
        assert "/q/" not in body, what
        assert "token=" not in body, what
        assert "/live/start/" not in body, what


@pytest.mark.parametrize(
    "name", ["ANN", "ann", "Ａｎｎ", " Ann ", "A\u200bnn", "Ann\x07"]
)
def test_holds_nickname_case_width_and_control_tricks_are_taken(app, name) -> None:
    teacher = app.test_client()
    sid, code, _quiz = start(app, teacher)
    join(app, "Ann", code)
    assert join_fails(app, code, name).status_code == 409
    with app.app_context():
        assert [p.nickname for p in d.participants(store(app), sid)] == ["Ann"]


def test_holds_csv_cells_cannot_run_as_formulas(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    names = ['=HYPERLINK("//x")', "+1+2", "-3+4", "@SUM(1)", "＝1+1"]
    people = [join(app, n, code) for n in names]
    k = _index(quiz, Kind.DISCUSSION)
    c = _index(quiz, Kind.CLOZE)
    texts = ["=cmd|' /C calc'!A0", "+x", "-y", "@z", "\t=1"]
    for idx in (k, c):
        if idx is None:
            continue
        act(teacher, sid, "open", index=str(idx))
        for person, text in zip(people, texts, strict=True):
            assert person.answer(quiz.questions[idx].id, text=text).status_code == 200
        act(teacher, sid, "reveal")
    act(teacher, sid, "end")
    raw = teacher.get(f"/live/{sid}/results.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw)))
    header = rows[0]
    checked = 0
    for row in rows[1:]:
        for col in ("nickname", "answer_text", "prompt", "right_answer"):
            cell = row[header.index(col)]
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (col, cell)
            checked += 1
    assert checked > 20
    assert any(r[header.index("nickname")] == "'=1+1" for r in rows[1:])


def test_holds_projector_before_reveal_shows_no_answer_or_spread(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    i = _index(quiz, Kind.MULTIPLE_CHOICE, Kind.TRUE_FALSE)
    q = quiz.questions[i]
    act(teacher, sid, "open", index=str(i))
    ann.answer(q.id, choice=q.answer)
    for url in (f"/live/{sid}/host", f"/live/{sid}/host/stats?view=host"):
        html = teacher.get(url).get_data(as_text=True)
        assert 'class="bars"' not in html, url
        assert "data-right" not in html, url
        assert "teacher-only" not in html, url
        assert "token=" not in html, url
        assert all(s not in html for s in _secrets(q)), url
    control = teacher.get(f"/live/{sid}/host/stats?view=control").get_data(as_text=True)
    assert 'class="bars"' in control  # the teacher does see the spread


def test_holds_csrf_on_every_live_post(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    before = _session(app, sid).revision
    for action in ("open", "next", "reveal", "end", "lock", "unlock", "show", "hide"):
        r = teacher.post(
            f"/live/{sid}/host/{action}", data={"index": "0", "answer": "1"}
        )
        assert r.status_code == 400, action
    assert teacher.post(f"/live/{sid}/delete", data={"confirm": "1"}).status_code == 400
    selection = _session(app, sid).selection_code
    assert teacher.post(f"/live/start/{selection}", data={}).status_code == 400
    assert _session(app, sid).revision == before
    act(teacher, sid, "open", index="0")
    q = quiz.questions[0]
    form = ann.post(
        f"/live/{sid}/play/answer",
        data={"question_id": q.id, "choice": "0", "text": "x"},
    )
    assert form.status_code == 400
    wrong = ann.post(
        f"/live/api/{sid}/answer",
        json={"question_id": q.id, "choice": 0, "text": "x"},
        headers={"X-CSRFToken": "forged"},
    )
    assert wrong.status_code == 400
    # a token from another browser is no token here (it is bound to the Flask session)
    other = app.test_client()
    foreign = csrf_token(other, "/live/join")
    stolen = ann.post(
        f"/live/api/{sid}/answer",
        json={"question_id": q.id, "choice": 0, "text": "x"},
        headers={"X-CSRFToken": foreign},
    )
    assert stolen.status_code == 400
    assert _answers(app, sid) == []
    # the live cookies are HttpOnly, SameSite=Lax, scoped to /live/
    fresh = app.test_client()
    token = csrf_token(fresh, "/live/join")
    joined = fresh.post(
        "/live/join", data={"csrf_token": token, "code": code, "nickname": "Zed"}
    )
    cookie = joined.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Path=/live/" in cookie


def test_holds_join_page_is_no_code_oracle(app) -> None:
    teacher = app.test_client()
    sid, code, _quiz = start(app, teacher)
    wrong = "000000" if code != "000000" else "111111"
    phone = app.test_client()

    def page(c: str) -> str:
        body = phone.get(f"/live/join?code={c}").get_data(as_text=True)
        body = re.sub(
            r'(name="csrf_token" value=|name="csrf-token" content=)"[^"]+"', "", body
        )
        return body.replace(c, "CODE")

    assert page(code) == page(wrong)


def test_holds_student_cannot_reach_teacher_pages_even_after_the_end(app) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    act(teacher, sid, "end")
    for url in ("host", "control", "results", "results.csv", "host/stats?view=control"):
        assert ann.get(f"/live/{sid}/{url}").status_code == 403, url
    assert (
        ann.post(
            f"/live/{sid}/delete", data={"csrf_token": ann.token, "confirm": "1"}
        ).status_code
        == 403
    )
    assert _session(app, sid).state == d.State.ENDED


def test_holds_discussion_answers_go_to_nobody_but_the_teacher_until_shown(
    app,
) -> None:
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher)
    ann, bo = join(app, "Ann", code), join(app, "Bo", code)
    k = _index(quiz, Kind.DISCUSSION)
    if k is None:
        pytest.skip("no discussion question")
    q = quiz.questions[k]
    act(teacher, sid, "open", index=str(k))
    ann.answer(q.id, text="Ann's secret opinion")
    assert ann.answer(q.id, text="changed").status_code == 409  # already answered
    act(teacher, sid, "reveal")
    assert "secret opinion" not in bo.look()
    projector = teacher.get(f"/live/{sid}/host").get_data(as_text=True)
    assert "secret opinion" not in projector
    (a,) = _answers(app, sid)
    act(teacher, sid, "show", answer=str(a.id), back="control")
    shown = bo.look()
    assert "secret opinion" in shown
    assert "Ann" not in shown.replace("Ann&#39;s", "")
    # a teacher of another session cannot show this answer there
    other_sid, _c, _q = start(app, teacher)
    token = csrf_token(teacher, f"/live/{other_sid}/control")
    r = teacher.post(
        f"/live/{other_sid}/host/hide", data={"csrf_token": token, "answer": str(a.id)}
    )
    assert r.status_code == 404


# ====================================================================== from the security review


def test_a_rebound_host_name_does_not_get_the_loopback_trust(tmp_path: Path) -> None:
    """A page on another site points its own name at 127.0.0.1 (DNS
    rebinding) and reads the authoring pages as its own origin: the request
    comes from loopback, but with that site's name as Host. Only this
    server's names get the loopback trust."""
    app = make_app(tmp_path, ALLOWED_HOSTS=["teacher-laptop.local"])
    client = app.test_client()
    for host in ("localhost", "127.0.0.1:5000", "[::1]:5000", "teacher-laptop.local"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:5000", "127.0.0.1.evil.example"):
        got = client.get(f"/build/{EXAMPLE_KEY}", headers={"Host": host})
        assert got.status_code == 403, host
    # students' pages do not depend on it
    assert client.get("/live/join", headers={"Host": "evil.example"}).status_code == 200


def test_the_teacher_link_can_be_replaced(tmp_path: Path) -> None:
    from quizgen.web.author import author_key, rotate_author_key

    app = make_app(tmp_path, TRUST_LOOPBACK=False)
    old = author_key(app)
    new = rotate_author_key(app)
    assert new != old
    client = app.test_client()
    assert client.get(f"/author/{old}").status_code == 403
    assert client.get(f"/author/{new}").status_code == 303
    assert client.get("/").status_code == 200  # the cookie of the new link
    again = make_app(tmp_path, TRUST_LOOPBACK=False)  # another process, same folder
    assert author_key(again) == new
    stale = again.test_client()
    stale.set_cookie("qz_author", old)
    assert stale.get("/").status_code == 403


def test_deeply_nested_json_gets_a_400_not_a_500(app) -> None:
    teacher = app.test_client()
    sid, code, _quiz = start(app, teacher)
    ann = join(app, "Ann", code)
    act(teacher, sid, "open", index="0")
    for body in ("[" * 5000 + "]" * 5000, '{"a":' * 1500 + "1" + "}" * 1500):
        got = ann.client.post(
            f"/live/api/{sid}/answer",
            data=body,
            headers={"Content-Type": "application/json", "X-CSRFToken": ann.token},
        )
        assert got.status_code == 400, got.get_data(as_text=True)[:200]
        assert got.get_json()["error"]


@pytest.mark.parametrize(
    "look_alike",
    ["\u0410lice", "Al\u0456ce", "\u0391lice", "ALI\u0421E"],
    ids=["cyrillic-A", "cyrillic-i", "greek-Alpha", "cyrillic-C"],
)
def test_a_look_alike_nickname_is_refused(app, look_alike: str) -> None:
    teacher = app.test_client()
    _sid, code, _quiz = start(app, teacher)
    join(app, "Alice", code)
    refused = join_fails(app, code, look_alike)
    assert refused.status_code == 409
    assert "is taken" in refused.get_data(as_text=True)
    assert d.nickname_key(look_alike) == d.nickname_key("alice")
    assert d.nickname_key("李雷") == "李雷"
