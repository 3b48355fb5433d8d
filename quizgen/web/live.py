"""The live in-class quiz on the web: the teacher's projector and control pages,
the students' join and play pages, and the small JSON API the pages poll.

Views stay thin: they read the request, check who is asking (teacher secret or
student token, both in cookies scoped to /live/), call live_domain, render.

Who may do what:

- the teacher: whoever holds the session's secret, in the cookie set when the
  session started or through the teacher link (another device);
- a student: whoever holds a participant token for this session, in the
  cookie set when they joined; it brings back the same participant after a
  reload, a lost connection or a switch of apps.

Students learn about changes by polling `GET /live/api/<sid>/version` (a tiny
answer, 204 when nothing changed, cached per process for LIVE_VERSION_CACHE_S)
and then fetching their panel, which is rendered from the explicit public view
of the question until it is revealed.
"""

from __future__ import annotations

import base64
import ipaddress
import socket
import threading
import time
from functools import lru_cache
from typing import Any

import qrcode
import qrcode.image.svg
from flask import (
    Blueprint,
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
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from quizgen.quiz import Kind
from quizgen.web import live_domain as d
from quizgen.web import store
from quizgen.web.live_i18n import gettext as _

bp = Blueprint("live", __name__, url_prefix="/live")

#: configuration keys of the live quiz, with their defaults
LIVE_DEFAULTS: dict[str, Any] = {
    # join attempts per client address: (burst, refill per second). A class
    # behind one NAT address joins in one burst, hence the large burst.
    "LIVE_JOIN_RATE": (300, 10.0),
    # joins with a code that names no session: (burst, refill per second)
    "LIVE_BAD_CODE_RATE": (10, 0.2),
    # largest request body the live pages accept (answers, forms)
    "LIVE_MAX_REQUEST_BYTES": 16 * 1024,
    # students poll the version this often (ms); the page shows changes within 2 s
    "LIVE_POLL_MS": 1000,
    # each process answers version polls from memory for this long
    "LIVE_VERSION_CACHE_S": 0.25,
    # the join URL's scheme://host:port; None: this request's, with the LAN address
    # instead of localhost
    "LIVE_PUBLIC_URL": None,
}

COOKIE_DAYS = 30


def init_app(app: Any) -> None:
    """Register the blueprint and its configuration defaults on `app`."""
    for key, value in LIVE_DEFAULTS.items():
        app.config.setdefault(key, value)
    app.jinja_env.globals["live_gettext"] = _
    app.register_blueprint(bp)
    app.before_request_funcs.setdefault(None, []).insert(0, _limit_size)


# ---------------------------------------------------------------------- helpers


def _render(template: str, status: int = 200, **context: Any) -> Response:
    response = make_response(render_template(template, _=_, **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _session_or_404(sid: str) -> d.Session:
    session = d.get_session(store(), sid)
    if session is None:
        abort(404)
    return session


def _teacher_cookie(sid: str) -> str:
    return f"qz_t_{sid}"


def _student_cookie(sid: str) -> str:
    return f"qz_p_{sid}"


def _set_cookie(response: Response, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=COOKIE_DAYS * 24 * 3600,
        path="/live/",
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


def _teacher_or_403(sid: str) -> d.Session:
    session = _session_or_404(sid)
    if not d.teacher_ok(session, request.cookies.get(_teacher_cookie(sid))):
        abort(403)
    return session


def _student(sid: str) -> tuple[d.Session, d.Participant | None]:
    session = _session_or_404(sid)
    person = d.participant_by_token(
        store(), sid, request.cookies.get(_student_cookie(sid))
    )
    return session, person


class _Bucket:
    """Token buckets per key (client address), in this process.

    At most MAX_KEYS keys: when the table is full, buckets that have refilled
    completely are dropped (they hold nothing a new bucket would not); if none
    has, a new key is refused rather than letting a flood of addresses wipe
    everyone's limits.
    """

    MAX_KEYS = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: dict[str, tuple[float, float]] = {}

    def take(self, key: str, burst: int, per_s: float) -> bool:
        now = time.monotonic()
        with self._lock:
            if key not in self._state and len(self._state) >= self.MAX_KEYS:
                full = [
                    k
                    for k, (tokens, last) in self._state.items()
                    if tokens + (now - last) * per_s >= burst
                ]
                for k in full:
                    del self._state[k]
                if len(self._state) >= self.MAX_KEYS:
                    return False
            tokens, last = self._state.get(key, (float(burst), now))
            tokens = min(float(burst), tokens + (now - last) * per_s)
            if tokens < 1:
                self._state[key] = (tokens, now)
                return False
            self._state[key] = (tokens - 1, now)
            return True


def _client_key(address: str | None) -> str:
    """The rate-limit key of a client: its IPv4 address, or its IPv6 /64."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "?"
    if ip.version == 6 and not ip.is_loopback:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _limited(config_key: str) -> bool:
    """True when this client address has used up its allowance for `config_key`."""
    buckets = current_app.extensions.setdefault("quizgen.live.buckets", {})
    bucket = buckets.setdefault(config_key, _Bucket())
    burst, per_s = current_app.config[config_key]
    return not bucket.take(_client_key(request.remote_addr), int(burst), float(per_s))


@lru_cache(maxsize=1)
def _lan_address() -> str | None:
    """This machine's address on the local network (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if ipaddress.ip_address(address).is_loopback else address


def join_url(code: str | None) -> str:
    """The URL students open to join (see lan_url)."""
    return lan_url(
        url_for("live.join_form", code=code) if code else url_for("live.join_form")
    )


def lan_url(path: str) -> str:
    """`path` on this server as another device on the network reaches it.

    A page opened as localhost gets the machine's LAN address instead (a phone
    cannot reach the teacher's localhost). LIVE_PUBLIC_URL overrides both.
    """
    base = current_app.config.get("LIVE_PUBLIC_URL")
    if base:
        return str(base).rstrip("/") + path
    host = request.host
    name, _sep, port = (
        host.rpartition(":") if not host.endswith("]") else (host, "", "")
    )
    if not _sep:
        name, port = host, ""
    if name in ("localhost", "127.0.0.1", "[::1]", "::1"):
        lan = _lan_address()
        if lan is not None:
            host = f"{lan}:{port}" if port else lan
    return f"{request.scheme}://{host}{path}"


@lru_cache(maxsize=256)
def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data URI (the `qrcode` package)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode(
        "ascii"
    )


_versions: dict[str, tuple[float, int | None]] = {}
_versions_lock = threading.Lock()


def _cached_revision(sid: str) -> int | None:
    ttl = float(current_app.config["LIVE_VERSION_CACHE_S"])
    now = time.monotonic()
    with _versions_lock:
        hit = _versions.get(sid)
    if hit is not None and now - hit[0] < ttl:
        return hit[1]
    value = d.revision(store(), sid)
    with _versions_lock:
        if len(_versions) > 10_000:
            _versions.clear()
        _versions[sid] = (now, value)
    return value


def _forget_revision(sid: str) -> None:
    with _versions_lock:
        _versions.pop(sid, None)


def _is_api() -> bool:
    return request.path.startswith("/live/api/")


def _limit_size() -> None:
    """Live requests are small: refuse a larger one before anything reads its body
    (init_app puts this first, ahead of the app-wide CSRF check that parses forms)."""
    if request.blueprint != "live":
        return
    limit = int(current_app.config["LIVE_MAX_REQUEST_BYTES"])
    request.max_content_length = limit
    request.max_form_memory_size = limit
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()


@bp.errorhandler(d.LiveError)
def _live_error(exc: d.LiveError) -> Any:
    if _is_api():
        return jsonify(error=str(exc), reason=exc.reason), exc.status
    return _render(
        "web/live/message.html",
        exc.status,
        title=_("That did not work"),
        message=str(exc),
    )


@bp.errorhandler(CSRFError)
def _csrf_error(_exc: CSRFError) -> Any:
    message = _("The page has expired. Reload it and try again.")
    if _is_api():
        return jsonify(error=message, reason="csrf"), 400
    return _render(
        "web/live/message.html", 400, title=_("The form has expired"), message=message
    )


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: RequestEntityTooLarge) -> Any:
    message = _("That is more than this page accepts.")
    if _is_api():
        return jsonify(error=message, reason="too-large"), 413
    return _render("web/live/message.html", 413, title=_("Too large"), message=message)


def _int(value: Any, low: int, high: int) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


# ---------------------------------------------------------------------- teacher


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
        feedback = d.Feedback(form.get("feedback", "each"))
        scoreboard = d.Scoreboard(form.get("scoreboard", "correct"))
    except ValueError:
        abort(400)
    timer = form.get("time_limit_s", "").strip()
    time_limit = _int(timer, 5, 600) if timer else None
    if timer and time_limit is None:
        raise d.LiveError(_("The timer must be from 5 to 600 seconds."))
    deadline_ms = None
    if mode == d.Mode.SELF:
        minutes = _int(form.get("deadline_min", ""), 1, 60 * 24 * 30)
        if minutes is None:
            raise d.LiveError(_("Give the deadline in minutes from now (1 to 43200)."))
        deadline_ms = d.now_ms() + minutes * 60_000
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
            deadline_ms=deadline_ms,
        ),
    )
    response = redirect(url_for("live.host", sid=session.id), code=303)
    _set_cookie(response, _teacher_cookie(session.id), token)
    return response


@bp.get("/<sid>/teacher")
def teacher_link(sid: str) -> Response:
    """The teacher link (with the secret): remember it in this browser, open the controls."""
    session = _session_or_404(sid)
    token = request.args.get("token", "")
    if not d.teacher_ok(session, token):
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
        "over": session.over(),
        "teacher_notes": "",
    }
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
        view["question"] = (
            d.revealed_question(q, session.current, total)
            if revealed
            else d.public_question(q, session.current, total)
        )
        if control:
            view["answer_key"] = d.revealed_question(q, session.current, total)
            view["teacher_notes"] = q.teacher_notes
        given = d.answers(s, session.id, question_id=q.id)
        view["stats"] = d.distribution(q, given)
        rnd = d.rounds(s, session.id).get(q.id)
        if rnd is not None and rnd.closes_ms is not None and not revealed:
            view["remaining_ms"] = max(0, rnd.closes_ms - d.now_ms())
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
    if session.mode == d.Mode.SELF:
        if session.deadline_ms is not None and not view["over"]:
            view["remaining_ms"] = max(0, session.deadline_ms - d.now_ms())
        given = d.answers(s, session.id)
        view["self_done"] = sum(
            1
            for p in people
            if len({a.question_id for a in given if a.participant_id == p.id}) >= total
        )
        view["self_answers"] = len(given)
    if (session.over() and session.scoreboard != d.Scoreboard.HIDDEN) or control:
        view["scores"] = d.scores(
            session, people, d.answers(s, session.id), d.rounds(s, session.id)
        )
    return view


def _host_page(sid: str, control: bool) -> Response:
    session = _teacher_or_403(sid)
    view = host_view(session, control=control)
    url = join_url(session.code) if session.code else ""
    teacher = ""
    if control:
        token = request.cookies.get(_teacher_cookie(sid), "")
        # for the teacher's phone: the LAN address, like the join URL
        teacher = lan_url(url_for("live.teacher_link", sid=sid, token=token))
    bound = str(request.environ.get("SERVER_NAME", ""))
    return _render(
        "web/live/host.html",
        view=view,
        join_url=url,
        loopback_only=bound in ("127.0.0.1", "localhost", "::1")
        and not current_app.config.get("LIVE_PUBLIC_URL"),
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
    """A teacher action: open, next, reveal, end, lock, unlock, show, hide, remove."""
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
            d.end_session(s, sid)
        else:
            d.open_question(s, sid, following, time_limit_s=time_limit)
    elif action == "reveal":
        d.reveal(s, sid)
    elif action == "end":
        d.end_session(s, sid)
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

    if _limited("LIVE_JOIN_RATE"):
        return again(_("Too many tries from this network. Wait a minute."), 429)
    session = d.session_by_code(store(), code)
    if session is None:
        if _limited("LIVE_BAD_CODE_RATE"):
            return again(_("Too many wrong codes. Wait a minute."), 429)
        return again(_("No session has this code. Check the 6 digits."), 404)
    _sess, person = _student(session.id)
    if person is not None:
        return redirect(url_for("live.play", sid=session.id), code=303)
    try:
        person, token = d.join(store(), session, nickname)
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
        "revision": session.revision,
        "quiz_lang": session.lang,
    }
    over = session.over()

    def summary() -> list[dict[str, Any]]:
        return [
            {
                "question": d.revealed_question(q, i, total),
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
                row for row in summary() if row["question"]["id"] in shown_ids
            ]
        if session.scoreboard != d.Scoreboard.HIDDEN:
            board = d.scores(
                session, d.participants(s, session.id), d.answers(s, session.id), opened
            )
            me = next((b for b in board if b.participant_id == person.id), None)
            view["score"] = {
                "mine": me,
                "of": len(board),
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
            view["question"] = d.revealed_question(q, session.current, total)
            view["correct"] = a.correct if a is not None else None
            if q.kind == Kind.DISCUSSION:
                view["shown"] = [
                    x.text
                    for x in d.answers(s, session.id, question_id=q.id)
                    if x.shown and x.text
                ]
            return view
        view["stage"] = "answered" if a is not None else "question"
        view["question"] = d.public_question(q, session.current, total)
        rnd = d.rounds(s, session.id).get(q.id)
        if rnd is not None and rnd.closes_ms is not None:
            view["remaining_ms"] = max(0, rnd.closes_ms - d.now_ms())
        return view
    # self-paced
    if session.deadline_ms is not None:
        view["remaining_ms"] = max(0, session.deadline_ms - d.now_ms())
    last = max(mine.values(), key=lambda a: (a.answered_ms, a.id), default=None)
    if last is not None and session.feedback == d.Feedback.EACH:
        i = next(i for i, q in enumerate(quiz.questions) if q.id == last.question_id)
        view["feedback"] = {
            "question": d.revealed_question(quiz.questions[i], i, total),
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
    view["question"] = d.public_question(q, i, total)
    view["answered_count"] = len(mine)
    return view


def _play_or_join(sid: str) -> tuple[d.Session, d.Participant] | Response:
    session, person = _student(sid)
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
    question_id = data.get("question_id")
    if not isinstance(question_id, str) or len(question_id) > 200:
        raise d.LiveError(_("The request could not be understood."), status=400)
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
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise d.LiveError(_("The request could not be understood."), status=400)
    result, session, person = _answer(sid, data)
    fresh = d.get_session(store(), sid) or session
    html = render_template(
        "web/live/_play_panel.html", _=_, view=student_view(fresh, person)
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


@bp.app_template_global("live_remaining")
def live_remaining(ms: int | None) -> str:
    """m:ss for a countdown."""
    if ms is None:
        return ""
    seconds = max(0, int(ms // 1000))
    return f"{seconds // 60}:{seconds % 60:02d}"


__all__ = ["LIVE_DEFAULTS", "bp", "host_view", "init_app", "join_url", "student_view"]
