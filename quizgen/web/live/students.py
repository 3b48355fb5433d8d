"""The students' pages: join, play, answer, and the version they poll."""

from __future__ import annotations

from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from quizgen.quiz import Kind
from quizgen.web import store
from quizgen.web.live import clock
from quizgen.web.live import domain as d
from quizgen.web.live.deadline_views import deadline_view
from quizgen.web.live.limits import client_key, limited
from quizgen.web.live.pages import (
    _cached_revision,
    _int,
    _render,
    _set_cookie,
    _student,
    _student_cookie,
    bp,
)
from quizgen.web.live.panels import ranking
from quizgen.web.live.texts import gettext as _

# ---------------------------------------------------------------------- students


@bp.get("/join")
def join_form() -> Response:
    """The join page (the QR code leads here with the code filled in)."""
    code = request.args.get("code", "")
    session = d.session_by_code(store(), code) if code else None
    if session is not None:
        _sess, person = _student(session.id)
        if person is not None:
            return redirect(url_for("live.play", sid=session.id), code=303)
        if session.over():
            return _closed(session)
    return _render(
        "web/live/join.html",
        code="".join(ch for ch in code if ch.isdigit())[:6],
        nickname="",
        error="",
        max_nickname=d.MAX_NICKNAME,
    )


@bp.post("/join")
def join_submit() -> Response:
    """Join with code and nickname; a browser that joined before comes back as itself."""
    code = request.form.get("code", "")
    nickname = request.form.get("nickname", "")

    def again(error: str, status: int) -> Response:
        return _render(
            "web/live/join.html",
            status,
            code="".join(ch for ch in code if ch.isdigit())[:6],
            nickname=nickname[: d.MAX_NICKNAME],
            error=error,
            max_nickname=d.MAX_NICKNAME,
        )

    if limited("LIVE_JOIN_RATE"):
        return again(_("Too many tries from this network. Wait a minute."), 429)
    session = d.session_by_code(store(), code)
    if session is None:
        if limited("LIVE_BAD_CODE_RATE"):
            return again(_("Too many wrong codes. Wait a minute."), 429)
        return again(_("No session has this code. Check the 6 digits."), 404)
    _sess, person = _student(session.id)
    if person is not None:
        return redirect(url_for("live.play", sid=session.id), code=303)
    try:
        person, token = d.join(
            store(),
            session,
            nickname,
            client_key=client_key(request.remote_addr),
            max_per_address=int(current_app.config["LIVE_MAX_PER_ADDRESS"]),
        )
    except d.LiveError as exc:
        return again(str(exc), exc.status)
    response = redirect(url_for("live.play", sid=session.id), code=303)
    _set_cookie(response, _student_cookie(session.id), token)
    return response


def student_view(session: d.Session, person: d.Participant) -> dict[str, Any]:
    """What one student's phone shows now (built only from public views until reveal)."""
    s = store()
    quiz = session.quiz
    total = len(quiz.questions)
    mine = {
        a.question_id: a for a in d.answers(s, session.id, participant_id=person.id)
    }
    now = clock.now_ms()  # one reading: "over" and the deadline shown agree
    view: dict[str, Any] = {
        "session_id": session.id,
        "nickname": person.nickname,
        "title": session.title,
        "mode": str(session.mode),
        "total": total,
        "stage": "lobby",
        "question": None,
        "my_answer": None,
        "correct": None,
        "remaining_ms": None,
        "feedback": None,
        "shown": [],
        "summary": [],
        "score": None,
        "deadline_ms": session.deadline_ms,
        "deadline": deadline_view(session.deadline_ms, now_ms=now)
        if session.mode == d.Mode.SELF
        else None,
        "own": None,
        "revision": session.revision,
        "quiz_lang": session.lang,
    }
    over = session.over(now)

    def summary() -> list[dict[str, Any]]:
        return [
            {
                "question": d.revealed_question(
                    q, i, total, handle=d.question_handle(session, q.id)
                ),
                "answer": d.answer_view(q, mine.get(q.id)),
                "correct": mine[q.id].correct if q.id in mine else None,
            }
            for i, q in enumerate(quiz.questions)
        ]

    if over:
        view["stage"] = "ended"
        opened = d.rounds(s, session.id)
        if session.mode == d.Mode.SELF or session.state == d.State.ENDED:
            shown_ids = (
                set(opened)
                if session.mode == d.Mode.TEACHER
                else {q.id for q in quiz.questions}
            )
            view["summary"] = [
                row
                for q, row in zip(quiz.questions, summary(), strict=True)
                if q.id in shown_ids
            ]
        if session.mode == d.Mode.SELF:
            # the student's own score, whatever the scoreboard (it ranks no one)
            scored = [q for q in quiz.questions if q.kind != Kind.DISCUSSION]
            view["own"] = {
                "right": sum(1 for q in scored if q.id in mine and mine[q.id].correct),
                "of": len(scored),
            }
        if session.scoreboard != d.Scoreboard.HIDDEN:
            board = ranking(s, session)  # once per revision, not per student
            view["score"] = {
                "mine": board.by_participant.get(person.id),
                "of": board.of,
                "kind": str(session.scoreboard),
            }
        return view
    if session.mode == d.Mode.TEACHER:
        q = session.question()
        if q is None or session.state == d.State.LOBBY:
            return view
        a = mine.get(q.id)
        view["my_answer"] = d.answer_view(q, a)
        if session.state == d.State.REVEAL:
            view["stage"] = "reveal"
            view["question"] = d.revealed_question(
                q, session.current, total, handle=d.question_handle(session, q.id)
            )
            view["correct"] = a.correct if a is not None else None
            if q.kind == Kind.DISCUSSION:
                view["shown"] = [
                    x.text
                    for x in d.answers(s, session.id, question_id=q.id)
                    if x.shown and x.text
                ]
            return view
        view["stage"] = "answered" if a is not None else "question"
        view["question"] = d.public_question(
            q, session.current, total, handle=d.question_handle(session, q.id)
        )
        rnd = d.rounds(s, session.id).get(q.id)
        if rnd is not None and rnd.closes_ms is not None:
            view["remaining_ms"] = max(0, rnd.closes_ms - clock.now_ms())
        return view
    # self-paced
    if view["deadline"] is not None:
        view["remaining_ms"] = view["deadline"]["near_ms"]  # a countdown when near
    last = max(mine.values(), key=lambda a: (a.answered_ms, a.id), default=None)
    if last is not None and session.feedback == d.Feedback.EACH:
        i = next(i for i, q in enumerate(quiz.questions) if q.id == last.question_id)
        view["feedback"] = {
            "question": d.revealed_question(
                quiz.questions[i],
                i,
                total,
                handle=d.question_handle(session, quiz.questions[i].id),
            ),
            "answer": d.answer_view(quiz.questions[i], last),
            "correct": last.correct,
        }
    following = next(
        ((i, q) for i, q in enumerate(quiz.questions) if q.id not in mine), None
    )
    if following is None:
        view["stage"] = "done"
        if session.feedback == d.Feedback.EACH:
            view["summary"] = summary()
        return view
    i, q = following
    view["stage"] = "question"
    view["question"] = d.public_question(
        q, i, total, handle=d.question_handle(session, q.id)
    )
    view["answered_count"] = len(mine)
    return view


def _closed(session: d.Session) -> Response:
    """What someone who never joined sees of a session that is over."""
    return _render(
        "web/live/closed.html",
        session=session,
        deadline=deadline_view(session.deadline_ms)
        if session.mode == d.Mode.SELF
        else None,
    )


def _play_or_join(sid: str) -> tuple[d.Session, d.Participant] | Response:
    session, person = _student(sid)
    if person is None and session.over():
        response = _closed(session)
        if request.cookies.get(_student_cookie(sid)):
            response.delete_cookie(_student_cookie(sid), path="/live/")
        return response
    if person is None:
        response = redirect(
            url_for("live.join_form", code=session.code)
            if session.code
            else url_for("live.join_form"),
            code=303,
        )
        if request.cookies.get(_student_cookie(sid)):
            # this browser was in the session: the teacher removed the student
            flash(
                _(
                    "You are no longer in this session (the teacher may have removed you). Join again with a nickname."
                ),
                "error",
            )
            response.delete_cookie(_student_cookie(sid), path="/live/")
        return response
    return session, person


@bp.get("/<sid>/play")
def play(sid: str) -> Response:
    """The student's page: lobby, question, answer sent, reveal, results."""
    found = _play_or_join(sid)
    if isinstance(found, Response):
        return found
    session, person = found
    return _render(
        "web/live/play.html",
        view=student_view(session, person),
        poll_ms=current_app.config["LIVE_POLL_MS"],
    )


@bp.get("/<sid>/play/panel")
def play_panel(sid: str) -> Response:
    """The changing part of the student's page (fetched when the version changes)."""
    session, person = _student(sid)
    if person is None:
        abort(403)
    return _render("web/live/_play_panel.html", view=student_view(session, person))


def _answer(sid: str, data: Any) -> tuple[d.AnswerResult, d.Session, d.Participant]:
    session, person = _student(sid)
    if person is None:
        raise d.LiveError(_("Join the session first."), status=403, reason="not-joined")
    handle = data.get("question_id")  # the question's opaque handle
    if not isinstance(handle, str) or len(handle) > 200:
        raise d.LiveError(_("The request could not be understood."), status=400)
    found = d.question_by_handle(session, handle)
    # an unknown handle is answered as an unknown id is: closed, or no such question
    question_id = found.id if found is not None else ""
    raw_choice = data.get("choice")
    choice = None
    if raw_choice is not None and raw_choice != "":
        choice = _int(raw_choice, 0, 25)
        if choice is None:
            raise d.LiveError(_("No such option."), reason="choice")
    text = data.get("text")
    if text is not None and not isinstance(text, str):
        raise d.LiveError(_("The request could not be understood."), status=400)
    skip = data.get("skip") in (True, "1", "true")
    if skip and session.mode != d.Mode.SELF:
        raise d.LiveError(_("The request could not be understood."), status=400)
    result = d.submit_answer(
        store(), sid, person.id, question_id, choice=choice, text=text, skip=skip
    )
    return result, session, person


def _answer_message(result: d.AnswerResult) -> str:
    if result.status == "accepted":
        return _("Your answer is in.")
    return _("You already answered this question; your first answer counts.")


@bp.post("/<sid>/play/answer")
def answer_form(sid: str) -> Response:
    """Answer from the plain form (pages without JavaScript); back to the page."""
    try:
        result, _session, _person = _answer(sid, request.form)
    except d.LiveError as exc:
        if exc.status in (403, 404):
            raise
        flash(str(exc), "error")
        return redirect(url_for("live.play", sid=sid), code=303)
    flash(_answer_message(result), "ok" if result.status == "accepted" else "error")
    return redirect(url_for("live.play", sid=sid), code=303)


@bp.post("/api/<sid>/answer")
def answer_json(sid: str) -> Response:
    """JSON answer: {question_id, choice | text | skip}. Returns the status, a
    message and the student's new panel. A second answer returns 409 with
    status "duplicate"; the first is kept."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes: not an answer
        data = None
    if not isinstance(data, dict):
        raise d.LiveError(_("The request could not be understood."), status=400)
    result, session, person = _answer(sid, data)
    # the session as this request read it: a teacher action since then reaches
    # the phone with its next poll, so the reply needs no second read
    html = render_template(
        "web/live/_play_panel.html", _=_, view=student_view(session, person)
    )
    response = jsonify(status=result.status, message=_answer_message(result), html=html)
    response.status_code = 200 if result.status == "accepted" else 409
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/api/<sid>/version")
def version(sid: str) -> Response:
    """The session's revision: 204 when it equals ?since=, else {"v": n}."""
    value = _cached_revision(sid)
    if value is None:
        return make_response(jsonify(error="gone"), 404)
    if request.args.get("since") == str(value):
        response = make_response("", 204)
    else:
        response = jsonify(v=value)
    response.headers["Cache-Control"] = "no-store"
    return response
