"""The teacher's pages: start, projector, control page, actions, results."""

from __future__ import annotations

from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    request,
    url_for,
)

from quizgen.quiz import Kind
from quizgen.web import store
from quizgen.web.author import owner
from quizgen.web.live import clock, deadlines
from quizgen.web.live import domain as d
from quizgen.web.live.addresses import join_url, lan_url, qr_data_uri
from quizgen.web.live.deadline_views import deadline_view
from quizgen.web.live.pages import (
    _forget_revision,
    _int,
    _render,
    _session_or_404,
    _set_cookie,
    _teacher_cookie,
    _teacher_or_403,
    bp,
    teacher_token_ok,
)
from quizgen.web.live.texts import gettext as _

# ---------------------------------------------------------------------- teacher


def form_zone() -> str:
    """The zone a deadline on the start form is read in: the browser's (the
    form's `tz`, filled by a script), else the server's."""
    sent = deadlines.valid_zone(request.form.get("tz", ""))
    return sent or deadlines.server_zone(current_app.config.get("LIVE_TIME_ZONE"))


def deadline_from_form(form: Any) -> int:
    """The start form's deadline (`deadline`, a date and time) as Unix ms."""
    return deadlines.deadline_ms(
        form.get("deadline", ""), form_zone(), now_ms=clock.now_ms()
    )


def deadline_message(exc: deadlines.DeadlineError) -> str:
    """What the teacher reads when the deadline cannot be used (names the field)."""
    zone = form_zone()
    if exc.reason == "past":
        return _(
            "Deadline: that time has passed (now it is {now}). Give a date and time in the future.",
            now=exc.values["now"],
        )
    if exc.reason == "too-far":
        return _("Deadline: at most {days} days ahead.", days=exc.values["days"])
    if exc.reason == "skipped":
        return _(
            "Deadline: {time} does not exist in {zone} (the clocks go forward then). Give another time.",
            time=exc.values["time"],
            zone=zone,
        )
    return _("Deadline: give a date and time (self-paced).")


@bp.post("/start/<code>")
def start(code: str) -> Response:
    """Start a session from a saved selection (the preview's form); open its screen."""
    from quizgen.web.preview import load

    code, selection, entry = load(code)
    assert entry.bank is not None
    quizzes = selection.quizzes(entry.bank)
    version = _int(request.form.get("v", "1"), 1, len(quizzes)) or 1
    form = request.form
    try:
        mode = d.Mode(form.get("mode", "teacher"))
        # homework that counts: answers only once it is over, unless asked
        feedback = d.Feedback(form.get("feedback", "end"))
        scoreboard = d.Scoreboard(form.get("scoreboard", "correct"))
    except ValueError:
        abort(400)
    problems = []
    timer = form.get("time_limit_s", "").strip()
    time_limit = _int(timer, 5, 600) if timer else None
    if timer and time_limit is None:
        problems.append(_("The timer must be from 5 to 600 seconds."))
    deadline_ms = None
    if mode == d.Mode.SELF:
        try:
            deadline_ms = deadline_from_form(form)
        except deadlines.DeadlineError as exc:
            problems.append(deadline_message(exc))
    if problems:
        raise d.LiveError(" ".join(problems))
    session, token = d.create_session(
        store(),
        quiz=quizzes[version - 1],
        selection_code=code,
        bank_key=entry.key,
        version=version,
        options=d.Options(
            mode=mode,
            feedback=feedback,
            scoreboard=scoreboard,
            time_limit_s=time_limit,
            auto_reveal=form.get("auto_reveal") == "1",
            deadline_ms=deadline_ms,
        ),
        owner=owner(),
    )
    response = redirect(url_for("live.host", sid=session.id), code=303)
    _set_cookie(response, _teacher_cookie(session.id), token)
    return response


@bp.get("/<sid>/teacher")
def teacher_link(sid: str) -> Response:
    """The teacher link (with the secret): remember it in this browser, open the controls."""
    session = _session_or_404(sid)
    token = request.args.get("token", "")
    if not teacher_token_ok(session, token):
        abort(403)
    response = redirect(url_for("live.control", sid=sid), code=303)
    _set_cookie(response, _teacher_cookie(sid), token)
    response.headers["Cache-Control"] = "no-store"
    return response


def host_view(session: d.Session, *, control: bool) -> dict[str, Any]:
    """Everything the projector (or the control page) shows, from the store."""
    s = store()
    people = d.participants(s, session.id)
    quiz = session.quiz
    total = len(quiz.questions)
    now = clock.now_ms()  # one reading: "over" and the deadline shown agree
    view: dict[str, Any] = {
        "session": session,
        "control": control,
        "people": people,
        "joined": len(people),
        "total": total,
        "question": None,
        "answer_key": None,
        "stats": None,
        "remaining_ms": None,
        "discussion": [],
        "shown": [],
        "scores": [],
        "over": session.over(now),
        "teacher_notes": "",
        # the kind of the question "next" opens: a discussion gets no timer
        "next_kind": "",
        "typed": [],
        "question_id": "",
    }
    following = session.question(session.current + 1)
    if following is not None:
        view["next_kind"] = str(following.kind)
    q = session.question()
    if (
        session.mode == d.Mode.TEACHER
        and q is not None
        and session.state
        in (
            d.State.QUESTION,
            d.State.REVEAL,
        )
    ):
        revealed = session.state == d.State.REVEAL
        handle = d.question_handle(session, q.id)
        view["question"] = (
            d.revealed_question(
                q,
                session.current,
                total,
                handle=handle,
                source_language=session.quiz.source_language,
            )
            if revealed
            else d.public_question(q, session.current, total, handle=handle)
        )
        if control:
            view["answer_key"] = d.revealed_question(
                q,
                session.current,
                total,
                handle=handle,
                source_language=session.quiz.source_language,
            )
            view["teacher_notes"] = q.teacher_notes
        given = d.answers(s, session.id, question_id=q.id)
        view["stats"] = d.distribution(q, given)
        if control and q.kind == Kind.CLOZE:
            view["typed"] = d.typed_answers(q, given)
            view["question_id"] = q.id
        rnd = d.rounds(s, session.id).get(q.id)
        if rnd is not None and rnd.closes_ms is not None and not revealed:
            view["remaining_ms"] = max(0, rnd.closes_ms - clock.now_ms())
        if q.kind == Kind.DISCUSSION:
            names = {p.id: p.nickname for p in people}
            view["discussion"] = [
                {
                    "id": a.id,
                    "text": a.text,
                    "shown": a.shown,
                    "nickname": names.get(a.participant_id, ""),
                }
                for a in given
                if a.text
            ]
            view["shown"] = [a.text for a in given if a.shown and a.text]
    view["deadline"] = None
    if session.mode == d.Mode.SELF:
        view["deadline"] = deadline_view(session.deadline_ms, now_ms=now)
        if view["deadline"] is not None and not view["over"]:
            view["remaining_ms"] = view["deadline"]["near_ms"]  # a countdown when near
        given = d.answers(s, session.id)
        view["self_done"] = sum(
            1
            for p in people
            if len({a.question_id for a in given if a.participant_id == p.id}) >= total
        )
        view["self_answers"] = len(given)
    between = session.state == d.State.REVEAL and session.mode == d.Mode.TEACHER
    shown = session.scoreboard != d.Scoreboard.HIDDEN
    if (view["over"] and shown) or control or (between and shown):
        view["scores"] = d.scores(
            session, people, d.answers(s, session.id), d.rounds(s, session.id)
        )
    # between questions the projector shows the top five (unless hidden)
    view["top"] = view["scores"][:5] if between and shown and people else []
    view["summary"] = results_summary(session, people) if view["over"] else None
    return view


def results_summary(session: d.Session, people: list[d.Participant]) -> dict[str, Any]:
    """What the teacher's page shows once the session is over: how many took
    part and finished, the mean of right answers, and each question's share right."""
    given = d.answers(store(), session.id)
    quiz = session.quiz
    scored = sum(1 for q in quiz.questions if q.kind != Kind.DISCUSSION)
    right = sum(1 for a in given if a.correct)
    finished = sum(
        1
        for p in people
        if len({a.question_id for a in given if a.participant_id == p.id})
        >= len(quiz.questions)
    )
    return {
        "took_part": len(people),
        "finished": finished,
        "scored": scored,
        "mean_right": round(right / len(people), 1) if people else None,
        "questions": d.item_stats(quiz, given, len(people)),
    }


def _host_page(sid: str, control: bool) -> Response:
    session = _teacher_or_403(sid)
    view = host_view(session, control=control)
    url = join_url(session.code) if session.code else ""
    teacher = ""
    if control:
        token = request.cookies.get(_teacher_cookie(sid), "")
        # for the teacher's phone: the LAN address, like the join URL
        teacher = lan_url(url_for("live.teacher_link", sid=sid, token=token))
    return _render(
        "web/live/host.html",
        view=view,
        join_url=url,
        qr=qr_data_uri(url) if url else "",
        teacher_url=teacher,
        poll_ms=current_app.config["LIVE_POLL_MS"],
    )


@bp.get("/<sid>/host")
def host(sid: str) -> Response:
    """The projector screen: code, QR, question, answers coming in, reveal, scores."""
    return _host_page(sid, control=False)


@bp.get("/<sid>/control")
def control(sid: str) -> Response:
    """The teacher's control page: the projector's controls plus names, the right
    answer before reveal, discussion answers to show, and the teacher link."""
    return _host_page(sid, control=True)


@bp.get("/<sid>/host/stats")
def host_stats(sid: str) -> Response:
    """The part of the projector or control page that changes as students act."""
    session = _teacher_or_403(sid)
    control = request.args.get("view") == "control"
    return _render(
        "web/live/_host_stats.html", view=host_view(session, control=control)
    )


@bp.post("/<sid>/host/<action>")
def act(sid: str, action: str) -> Response:
    """A teacher action: open, next, reveal, end (confirmed), reopen, accept (a
    typed cloze answer), lock, unlock, show, hide, remove."""
    session = _teacher_or_403(sid)
    s = store()
    back = "live.control" if request.form.get("back") == "control" else "live.host"
    timer = request.form.get("time_limit_s", "").strip()
    time_limit = _int(timer, 5, 600) if timer else None
    if timer and time_limit is None:
        raise d.LiveError(_("The timer must be from 5 to 600 seconds."))
    if action == "open":
        index = _int(request.form.get("index"), 0, len(session.quiz.questions) - 1)
        if index is None:
            abort(400)
        d.open_question(s, sid, index, time_limit_s=time_limit)
    elif action == "next":
        following = session.current + 1
        if following >= len(session.quiz.questions):
            # the last question: ending is the one end button's job (confirmed)
            return redirect(
                url_for("live.end_form", sid=sid, back=back.split(".")[1]), code=303
            )
        d.open_question(s, sid, following, time_limit_s=time_limit)
    elif action == "reveal":
        d.reveal(s, sid)
    elif action == "end":
        if request.form.get("confirm") != "1":
            return redirect(
                url_for("live.end_form", sid=sid, back=back.split(".")[1]), code=303
            )
        d.end_session(s, sid)
    elif action == "reopen":
        d.reopen_session(s, sid)
        flash(_("The session is open again."), "ok")
    elif action == "accept":
        qid = request.form.get("question", "")
        changed = d.accept_answer(s, sid, qid, request.form.get("text", ""))
        flash(
            _("Accepted: {n} answer(s) now count as right.", n=changed),
            "ok",
        )
        if request.form.get("back") == "results":
            _forget_revision(sid)
            return redirect(url_for("live.results", sid=sid), code=303)
    elif action in ("lock", "unlock"):
        d.set_locked(s, sid, action == "lock")
    elif action == "remove":
        pid = _int(request.form.get("participant"), 1, 2**62)
        removed = d.remove_participant(s, sid, pid) if pid is not None else None
        if removed is None:
            abort(404)
        flash(_("{name} is removed from the session.", name=removed.nickname), "ok")
    elif action in ("show", "hide"):
        answer_id = _int(request.form.get("answer"), 1, 2**62)
        if answer_id is None or not d.set_shown(s, sid, answer_id, action == "show"):
            abort(404)
    else:
        abort(404)
    _forget_revision(sid)
    return redirect(url_for(back, sid=sid), code=303)


@bp.get("/<sid>/end")
def end_form(sid: str) -> Response:
    """Ask the teacher to confirm ending the session (it can be reopened)."""
    session = _teacher_or_403(sid)
    if session.over():
        return redirect(url_for("live.control", sid=sid), code=303)
    back = "control" if request.args.get("back") == "control" else "host"
    unanswered = len(session.quiz.questions) - len(d.rounds(store(), sid))
    return _render(
        "web/live/end.html",
        session=session,
        back=back,
        unopened=unanswered if session.mode == d.Mode.TEACHER else 0,
    )


@bp.get("/<sid>/students/<pid>/remove")
def remove_form(sid: str, pid: str) -> Response:
    """Ask the teacher to confirm taking a student (and their answers) out."""
    session = _teacher_or_403(sid)
    number = _int(pid, 1, 2**62)
    person = d.participant(store(), sid, number) if number is not None else None
    if person is None:
        abort(404)
    count = sum(1 for a in d.answers(store(), sid) if a.participant_id == person.id)
    return _render(
        "web/live/remove.html",
        session=session,
        person=person,
        answers=count,
        over=session.over(),
    )


@bp.get("/<sid>/results")
def results(sid: str) -> Response:
    """Scores, every student's answers, and item statistics (teacher only)."""
    session = _teacher_or_403(sid)
    s = store()
    people = d.participants(s, sid)
    given = d.answers(s, sid)
    opened = d.rounds(s, sid)
    table = {(a.participant_id, a.question_id): a for a in given}
    quiz = session.quiz
    grid = [
        {
            "person": p,
            "cells": [
                {
                    "answer": d.answer_view(q, table.get((p.id, q.id))),
                    "correct": table[(p.id, q.id)].correct
                    if (p.id, q.id) in table
                    else None,
                }
                for q in quiz.questions
            ],
        }
        for p in people
    ]
    return _render(
        "web/live/results.html",
        session=session,
        quiz=quiz,
        scores=d.scores(session, people, given, opened),
        items=d.item_stats(quiz, given, len(people)),
        typed={
            q.id: d.typed_answers(q, given)
            for q in quiz.questions
            if q.kind == Kind.CLOZE
        },
        grid=grid,
    )


@bp.get("/<sid>/results.csv")
def results_csv(sid: str) -> Response:
    """Every answer as CSV (UTF-8 with BOM), one row per student and question id."""
    session = _teacher_or_403(sid)
    s = store()
    text = d.results_csv(
        session, d.participants(s, sid), d.answers(s, sid), d.rounds(s, sid)
    )
    response = make_response(text.encode("utf-8"))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="live-{session.id}-results.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<sid>/results.xlsx")
def results_xlsx(sid: str) -> Response:
    """The results as an Excel workbook: an overview, a sheet per student and a
    sheet per question, headers in the interface's language (teacher only)."""
    from quizgen.web.live.workbook import results_xlsx as workbook

    session = _teacher_or_403(sid)
    s = store()
    data = workbook(
        session, d.participants(s, sid), d.answers(s, sid), d.rounds(s, sid), _
    )
    response = make_response(data)
    response.headers["Content-Type"] = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="live-{session.id}-results.xlsx"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<sid>/delete")
def delete(sid: str) -> Response:
    """Delete the session and every answer in it (teacher only)."""
    _teacher_or_403(sid)
    if request.form.get("confirm") != "1":
        flash(_("Tick the box to confirm the deletion."), "error")
        return redirect(url_for("live.results", sid=sid), code=303)
    d.delete_session(store(), sid)
    _forget_revision(sid)
    flash(_("The session and its answers are deleted."), "ok")
    response = redirect(url_for("home.index"), code=303)
    response.delete_cookie(_teacher_cookie(sid), path="/live/")
    return response
