"""The live quiz's domain on a real store: SQLite, and PostgreSQL where it runs.

Every test here runs against both databases (the `live_store` fixture is
parametrized); PostgreSQL gets a fresh schema per test, dropped afterwards.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from liveutil import postgres_schema

from quizgen.generate import Choices, generate
from quizgen.quiz import Kind, Quiz
from quizgen.web.live import domain as d
from quizgen.web.store import Store, schema_version_latest


@pytest.fixture(params=["sqlite", "postgresql"])
def live_store(request, tmp_path: Path) -> Iterator[Store]:
    """A migrated store: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'live.sqlite3'}", busy_timeout_ms=10_000)
        s.migrate()
        yield s
        s.dispose()
        return
    with postgres_schema() as url:
        s = Store(url)
        try:
            s.migrate()
            yield s
        finally:
            s.dispose()


@pytest.fixture(scope="module")
def quiz(example_bank) -> Quiz:
    return generate(example_bank, Choices(lang="en", seed=3))[0]


def _start(store: Store, quiz: Quiz, **options) -> tuple[d.Session, str]:
    return d.create_session(
        store,
        quiz=quiz,
        selection_code="sel",
        bank_key="example-bank",
        version=1,
        options=d.Options(**options),
    )


def _index(quiz: Quiz, kind: Kind) -> int:
    return next(i for i, q in enumerate(quiz.questions) if q.kind == kind)


def test_live_store_creates_its_tables_in_migration_2(live_store: Store) -> None:
    assert live_store.version() == schema_version_latest() >= 2
    with live_store.read() as conn:
        names = set(sa.inspect(conn).get_table_names())
    assert {
        "live_sessions",
        "live_rounds",
        "live_participants",
        "live_answers",
    } <= names


def test_live_session_code_and_teacher_secret(live_store: Store, quiz: Quiz) -> None:
    session, token = _start(live_store, quiz)
    assert len(session.code) == 6
    assert session.code.isdigit()
    assert d.teacher_ok(session, token)
    assert not d.teacher_ok(session, token + "x")
    assert not d.teacher_ok(session, "")
    assert token not in session.teacher_hash  # only the hash is stored
    assert d.session_by_code(live_store, session.code).id == session.id
    assert d.session_by_code(live_store, f" {session.code[:3]} {session.code[3:]}").id
    assert d.session_by_code(live_store, "12345") is None
    other, _ = _start(live_store, quiz)
    assert other.code != session.code
    assert session.quiz.questions == quiz.questions  # the snapshot


def test_live_join_nicknames_unique_and_clean(live_store: Store, quiz: Quiz) -> None:
    session, _ = _start(live_store, quiz)
    ann, token = d.join(live_store, session, "  Ann \u200b  Lee ")
    assert ann.nickname == "Ann Lee"
    assert d.participant_by_token(live_store, session.id, token) == ann
    for same in ("ann lee", "ＡＮＮ LEE"):  # case and full width do not make it new
        with pytest.raises(d.LiveError) as info:
            d.join(live_store, session, same)
        assert info.value.reason == "nickname-taken"
        assert "is taken" in str(info.value)
    with pytest.raises(d.LiveError, match="too long"):
        d.join(live_store, session, "x" * (d.MAX_NICKNAME + 1))
    with pytest.raises(d.LiveError, match="choose a nickname"):
        d.join(live_store, session, " \t ")
    other, _ = _start(live_store, quiz)
    assert d.participant_by_token(live_store, other.id, token) is None
    assert d.join(live_store, other, "Ann Lee")[0].nickname == "Ann Lee"


def test_live_join_refused_when_locked_or_ended(live_store: Store, quiz: Quiz) -> None:
    session, _ = _start(live_store, quiz)
    d.set_locked(live_store, session.id, True)
    with pytest.raises(d.LiveError) as info:
        d.join(live_store, session, "Bo")
    assert info.value.reason == "locked"
    d.set_locked(live_store, session.id, False)
    d.join(live_store, session, "Bo")
    ended = d.end_session(live_store, session.id)
    assert ended.code is None  # the code is free again
    with pytest.raises(d.LiveError) as info:
        d.join(live_store, ended, "Cy")
    assert info.value.reason == "ended"


def test_live_one_answer_per_student_and_question(
    live_store: Store, quiz: Quiz
) -> None:
    session, _ = _start(live_store, quiz)
    ann, _ = d.join(live_store, session, "Ann")
    i = _index(quiz, Kind.MULTIPLE_CHOICE)
    q = quiz.questions[i]
    d.open_question(live_store, session.id, i)
    first = d.submit_answer(live_store, session.id, ann.id, q.id, choice=q.answer)
    assert first.status == "accepted"
    assert first.answer.correct is True
    wrong = (q.answer + 1) % len(q.options)
    second = d.submit_answer(live_store, session.id, ann.id, q.id, choice=wrong)
    assert second.status == "duplicate"
    assert second.answer == first.answer  # the first answer is kept
    assert [a.choice for a in d.answers(live_store, session.id)] == [q.answer]


def test_live_racing_answers_store_exactly_one(live_store: Store, quiz: Quiz) -> None:
    """Twelve threads send the same student's answer at once: one row, one accepted."""
    session, _ = _start(live_store, quiz)
    ann, _ = d.join(live_store, session, "Ann")
    i = _index(quiz, Kind.MULTIPLE_CHOICE)
    q = quiz.questions[i]
    d.open_question(live_store, session.id, i)
    barrier = threading.Barrier(12)
    statuses: list[str] = []
    errors: list[BaseException] = []

    def send(choice: int) -> None:
        try:
            barrier.wait()
            got = d.submit_answer(
                live_store, session.id, ann.id, q.id, choice=choice % 4
            )
            statuses.append(got.status)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(statuses) == ["accepted"] + ["duplicate"] * 11
    assert len(d.answers(live_store, session.id)) == 1


def test_live_the_database_refuses_a_second_row(live_store: Store, quiz: Quiz) -> None:
    """The rule is the database's: a plain INSERT of a second answer fails."""
    session, _ = _start(live_store, quiz)
    ann, _ = d.join(live_store, session, "Ann")
    i = _index(quiz, Kind.MULTIPLE_CHOICE)
    d.open_question(live_store, session.id, i)
    d.submit_answer(live_store, session.id, ann.id, quiz.questions[i].id, choice=0)
    from quizgen.web.live.tables import live_answers

    with pytest.raises(sa.exc.IntegrityError), live_store.write() as conn:
        conn.execute(
            sa.insert(live_answers).values(
                session_id=session.id,
                participant_id=ann.id,
                question_id=quiz.questions[i].id,
                choice=1,
                answered_ms=1,
                shown=False,
            )
        )


def test_live_answers_only_to_the_open_question(live_store: Store, quiz: Quiz) -> None:
    session, _ = _start(live_store, quiz)
    ann, _ = d.join(live_store, session, "Ann")
    q0, q1 = quiz.questions[0], quiz.questions[1]
    with pytest.raises(d.LiveError) as info:  # in the lobby
        d.submit_answer(live_store, session.id, ann.id, q0.id, choice=0, text="x")
    assert info.value.reason == "closed"
    d.open_question(live_store, session.id, 1)
    with pytest.raises(d.LiveError, match="closed"):
        d.submit_answer(live_store, session.id, ann.id, q0.id, text="x")
    # an id not in the quiz gets the same answer as one not open: no probing
    with pytest.raises(d.LiveError, match="closed"):
        d.submit_answer(live_store, session.id, ann.id, "nope", choice=0)
    if q1.options:
        with pytest.raises(d.LiveError, match="no such option"):
            d.submit_answer(live_store, session.id, ann.id, q1.id, choice=9)
    d.reveal(live_store, session.id)
    with pytest.raises(d.LiveError, match="closed"):
        d.submit_answer(live_store, session.id, ann.id, q1.id, choice=0, text="x")
    assert d.answers(live_store, session.id) == []


def test_live_timer_refuses_late_answers(live_store: Store, quiz: Quiz) -> None:
    session, _ = _start(live_store, quiz)
    ann, _ = d.join(live_store, session, "Ann")
    bo, _ = d.join(live_store, session, "Bo")
    i = _index(quiz, Kind.MULTIPLE_CHOICE)
    q = quiz.questions[i]
    d.open_question(live_store, session.id, i, time_limit_s=10, at_ms=1_000_000)
    ok = d.submit_answer(
        live_store, session.id, ann.id, q.id, choice=0, at_ms=1_000_000 + 10_400
    )
    assert ok.answer.elapsed_ms == 10_400  # server time since the question opened
    with pytest.raises(d.LiveError) as info:
        d.submit_answer(
            live_store, session.id, bo.id, q.id, choice=0, at_ms=1_000_000 + 10_600
        )
    assert info.value.reason == "time-up"


def test_live_scores_from_stored_answers_and_server_time(
    live_store: Store, quiz: Quiz
) -> None:
    session, _ = _start(live_store, quiz, scoreboard=d.Scoreboard.SPEED)
    fast, _ = d.join(live_store, session, "Fast")
    slow, _ = d.join(live_store, session, "Slow")
    wrong, _ = d.join(live_store, session, "Wrong")
    i = _index(quiz, Kind.MULTIPLE_CHOICE)
    q = quiz.questions[i]
    t0 = 5_000_000
    d.open_question(live_store, session.id, i, time_limit_s=20, at_ms=t0)
    d.submit_answer(live_store, session.id, fast.id, q.id, choice=q.answer, at_ms=t0)
    d.submit_answer(
        live_store, session.id, slow.id, q.id, choice=q.answer, at_ms=t0 + 10_000
    )
    d.submit_answer(
        live_store,
        session.id,
        wrong.id,
        q.id,
        choice=(q.answer + 1) % 4,
        at_ms=t0 + 1,
    )
    session = d.get_session(live_store, session.id)
    people = d.participants(live_store, session.id)
    given = d.answers(live_store, session.id)
    board = d.scores(session, people, given, d.rounds(live_store, session.id))
    assert [(s.nickname, s.points, s.right, s.rank) for s in board] == [
        ("Fast", 1000, 1, 1),
        ("Slow", 750, 1, 2),  # half the time gone: 1000 * (1 - 0.5 * 0.5)
        ("Wrong", 0, 0, 3),
    ]
    stats = d.item_stats(session.quiz, given, len(people))[i]
    assert stats["answered"] == 3
    assert stats["share_right"] == pytest.approx(2 / 3)
    wrong_pick = [o for o in stats["options"] if o["index"] == (q.answer + 1) % 4][0]
    assert wrong_pick["count"] == 1


def test_live_cloze_and_discussion_answers(live_store: Store, quiz: Quiz) -> None:
    session, _ = _start(live_store, quiz)
    ann, _ = d.join(live_store, session, "Ann")
    c = _index(quiz, Kind.CLOZE)
    d.open_question(live_store, session.id, c)
    right = str(quiz.questions[c].answer)
    got = d.submit_answer(
        live_store, session.id, ann.id, quiz.questions[c].id, text=f"  {right.upper()} "
    )
    assert got.answer.correct is True
    k = _index(quiz, Kind.DISCUSSION)
    d.open_question(live_store, session.id, k)
    with pytest.raises(d.LiveError, match="too long"):
        d.submit_answer(
            live_store, session.id, ann.id, quiz.questions[k].id, text="x" * 1001
        )
    got = d.submit_answer(
        live_store, session.id, ann.id, quiz.questions[k].id, text="<b>Both</b>"
    )
    assert got.answer.correct is None
    assert d.set_shown(live_store, session.id, got.answer.id, True)
    assert not d.set_shown(live_store, "other", got.answer.id, True)
    shown = d.answers(live_store, session.id, question_id=quiz.questions[k].id)
    assert [a.shown for a in shown] == [True]


def test_live_self_paced_until_the_deadline(live_store: Store, quiz: Quiz) -> None:
    session, _ = _start(
        live_store, quiz, mode=d.Mode.SELF, deadline_ms=d.now_ms() + 60_000
    )
    ann, _ = d.join(live_store, session, "Ann")
    for q in quiz.questions[:3]:
        d.submit_answer(
            live_store,
            session.id,
            ann.id,
            q.id,
            choice=0 if q.options else None,
            text=None if q.options else "x",
        )
    d.submit_answer(live_store, session.id, ann.id, quiz.questions[3].id, skip=True)
    assert len(d.answers(live_store, session.id, participant_id=ann.id)) == 4
    with pytest.raises(d.LiveError) as info:
        d.submit_answer(
            live_store,
            session.id,
            ann.id,
            quiz.questions[4].id,
            skip=True,
            at_ms=d.now_ms() + 61_000,
        )
    assert info.value.reason == "ended"
    with pytest.raises(d.LiveError, match="self-paced"):
        d.open_question(live_store, session.id, 0)


def test_live_public_view_holds_no_answer(quiz: Quiz) -> None:
    for i, q in enumerate(quiz.questions):
        view = d.public_question(q, i, len(quiz.questions), handle="qopaque")
        assert view["id"] == "qopaque"  # never the bank's id
        assert q.id not in repr(view)
        assert set(view) == {
            "id",
            "kind",
            "prompt",
            "position",
            "number",
            "total",
            "options",
            "guiding",
        }
        text = repr(view)
        assert q.explanation not in text
        assert q.source.quote not in text
        for option in view["options"]:
            assert set(option) == {"index", "letter", "text"}
        shown = d.revealed_question(q, i, len(quiz.questions), handle="qopaque")
        assert shown["quote"] == q.source.quote
        assert shown["id"] == "qopaque"
        assert q.teacher_notes == "" or q.teacher_notes not in repr(shown)


def test_live_results_csv_has_bom_ids_and_no_formulas(
    live_store: Store, quiz: Quiz
) -> None:
    session, _ = _start(live_store, quiz)
    evil, _ = d.join(live_store, session, "=HYPERLINK(1)")
    li, _ = d.join(live_store, session, "李雷")
    i = _index(quiz, Kind.MULTIPLE_CHOICE)
    q = quiz.questions[i]
    d.open_question(live_store, session.id, i)
    d.submit_answer(live_store, session.id, li.id, q.id, choice=q.answer)
    session = d.end_session(live_store, session.id)
    text = d.results_csv(
        session,
        d.participants(live_store, session.id),
        d.answers(live_store, session.id),
        d.rounds(live_store, session.id),
    )
    assert text.startswith("\ufeffquestion_id,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2 * len(quiz.questions)
    assert {r["question_id"] for r in rows} == {q.id for q in quiz.questions}
    mine = [r for r in rows if r["question_id"] == q.id and r["nickname"] == "李雷"][0]
    assert mine["correct"] == "1"
    assert mine["answer"] == "ABCD"[q.answer]
    assert all(r["nickname"] in ("'=HYPERLINK(1)", "李雷") for r in rows)
    assert evil.nickname == "=HYPERLINK(1)"


def test_live_delete_removes_everything(live_store: Store, quiz: Quiz) -> None:
    session, _ = _start(live_store, quiz)
    ann, _ = d.join(live_store, session, "Ann")
    d.open_question(live_store, session.id, 0)
    d.submit_answer(
        live_store, session.id, ann.id, quiz.questions[0].id, text="x", choice=0
    )
    assert d.delete_session(live_store, session.id)
    assert d.get_session(live_store, session.id) is None
    assert d.participants(live_store, session.id) == []
    assert d.answers(live_store, session.id) == []
    assert not d.delete_session(live_store, session.id)


def test_live_remove_a_student_takes_their_answers_and_frees_the_name(
    live_store: Store, quiz: Quiz
) -> None:
    session, _ = _start(live_store, quiz)
    ann, ann_token = d.join(live_store, session, "Ann")
    bob, _ = d.join(live_store, session, "Bob")
    other, _ = _start(live_store, quiz)
    carl, _ = d.join(live_store, other, "Carl")
    i = _index(quiz, Kind.MULTIPLE_CHOICE)
    q = quiz.questions[i]
    d.open_question(live_store, session.id, i)
    for person in (ann, bob):
        d.submit_answer(live_store, session.id, person.id, q.id, choice=q.answer)
    before = d.revision(live_store, session.id)

    # another session's student cannot be removed through this one
    assert d.remove_participant(live_store, session.id, carl.id) is None
    assert d.remove_participant(live_store, session.id, ann.id) == ann
    assert d.revision(live_store, session.id) == before + 1
    assert d.participants(live_store, session.id) == [bob]
    assert [a.participant_id for a in d.answers(live_store, session.id)] == [bob.id]
    assert d.participant_by_token(live_store, session.id, ann_token) is None
    assert d.participants(live_store, other.id) == [carl]
    assert d.remove_participant(live_store, session.id, ann.id) is None  # once

    # an answer of Ann's that was already on its way is refused, not stored
    with pytest.raises(d.LiveError) as refused:
        d.submit_answer(live_store, session.id, ann.id, q.id, choice=q.answer)
    assert (refused.value.status, refused.value.reason) == (403, "not-joined")
    assert len(d.answers(live_store, session.id)) == 1

    again, _ = d.join(live_store, session, "Ann")  # the name is free again
    assert again.id != ann.id
    d.set_locked(live_store, session.id, True)
    with pytest.raises(d.LiveError):
        d.join(live_store, session, "Ann 2")


def test_live_reveal_shows_the_quote_once(shipped_bank) -> None:
    for lang in ("zh", "en"):
        quiz = generate(shipped_bank, Choices(lang=lang))[0]
        kept = 0
        for i, q in enumerate(quiz.questions):
            if q.kind == Kind.DISCUSSION:
                continue
            shown = d.revealed_question(q, i, len(quiz.questions), handle="q")
            lines = shown["explanation"].splitlines()
            assert shown["quote"] == q.source.quote
            assert lines[0] == q.explanation.splitlines()[0]  # the statement stays
            assert f"\u300c{q.source.quote}\u300d" not in shown["explanation"]
            kept += q.source.quote in lines[0]
        if lang == "zh":
            assert kept > 0  # statements that repeat their quote keep their line


def test_live_question_handles_are_opaque_per_session(
    live_store: Store, quiz: Quiz
) -> None:
    one, _ = _start(live_store, quiz)
    two, _ = _start(live_store, quiz)
    handles = [d.question_handle(one, q.id) for q in quiz.questions]
    assert len(set(handles)) == len(handles)
    assert all(len(h) == 17 and h.startswith("q") for h in handles)
    assert handles == [d.question_handle(one, q.id) for q in quiz.questions]
    assert not set(handles) & {d.question_handle(two, q.id) for q in quiz.questions}
    for q, h in zip(quiz.questions, handles, strict=True):
        assert d.question_by_handle(one, h) == q
        assert d.question_by_handle(two, h) is None
        assert not any(part in h for part in q.id.split(".") if len(part) > 3)
    assert d.question_by_handle(one, quiz.questions[0].id) is None
    assert d.question_by_handle(one, None) is None
