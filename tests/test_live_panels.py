"""The student panel's shared parts, rendered once per stored revision and
reused: the same HTML as rendered afresh at every stage, never another
student's answer or nickname, never an answer before its reveal."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from test_live_web import act, app, join, start  # noqa: F401 (app: the fixture)
from webutil import deadline_in

from quizgen.web.live import pages, panels

VOLATILE = (
    re.compile(r'name="csrf_token" value="[^"]+"'),
    re.compile(r'data-remaining-ms="\d+"'),
    re.compile(r'data-refresh-ms="\d+"'),
    re.compile(r'<span class="clock">[^<]*</span>'),
)


def steady(html: str) -> str:
    """The panel without what changes from one request to the next anyway
    (the CSRF token's signature, the countdown)."""
    for pattern in VOLATILE:
        html = pattern.sub("", html)
    return html


def both(app, student) -> tuple[str, str]:  # noqa: F811
    """The student's panel from the cache (warmed by the first fetch) and afresh."""
    url = f"/live/{student.sid}/play/panel"
    app.config["LIVE_PANEL_CACHE"] = True
    student.get(url)
    cached = student.get(url).get_data(as_text=True)
    app.config["LIVE_PANEL_CACHE"] = False
    fresh = student.get(url).get_data(as_text=True)
    app.config["LIVE_PANEL_CACHE"] = True
    return steady(cached), steady(fresh)


def mine(html: str) -> list[str]:
    """The student's own answer lines in a panel."""
    return re.findall(r'<p class="(?:mine|sent)[^"]*"[^>]*>(.*?)</p>', html, re.S)


def cached_parts() -> list[tuple[tuple[Any, ...], str]]:
    with panels._lock:
        return [(k, str(v)) for k, v in panels._parts.items()]


def test_live_cached_panel_equals_fresh_at_every_stage_teacher_paced(
    app,  # noqa: F811
) -> None:
    panels.forget()
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher, scoreboard="speed")
    # names with a space: no token or handle can hold them by chance
    ann, bo = join(app, "Ann Lee", code), join(app, "Bo Tan", code)
    stages: set[str] = set()

    def check() -> None:
        for s in (ann, bo):
            cached, fresh = both(app, s)
            assert cached == fresh, s.name
            stages.add(re.search(r'data-stage="([a-z]+)"', cached).group(1))

    check()  # lobby
    for i, q in enumerate(quiz.questions):
        act(teacher, sid, "open", index=str(i))
        check()  # question
        if q.options:
            assert ann.answer(q.id, choice=0).status_code == 200
            assert bo.answer(q.id, choice=len(q.options) - 1).status_code == 200
        else:
            assert ann.answer(q.id, text=f"Ann on {i}").status_code == 200
            assert bo.answer(q.id, text=f"Bo on {i}").status_code == 200
        check()  # answered
        act(teacher, sid, "reveal")
        check()  # reveal
        # each sees only their own answer, though both share the cached parts
        ann_panel = ann.get(f"/live/{sid}/play/panel").get_data(as_text=True)
        bo_panel = bo.get(f"/live/{sid}/play/panel").get_data(as_text=True)
        if q.options:
            assert mine(ann_panel)
            assert mine(bo_panel)
            assert f"{'A'}. {q.options[0]}" in " ".join(mine(ann_panel))
            last = f"{'ABCDEFGH'[len(q.options) - 1]}. {q.options[-1]}"
            assert last in " ".join(mine(bo_panel))
            assert last not in " ".join(mine(ann_panel))
        else:
            assert f"Bo on {i}" not in ann_panel
            assert f"Ann on {i}" not in bo_panel
    act(teacher, sid, "end")
    check()  # ended: summary, own score and place
    assert stages == {"lobby", "question", "answered", "reveal", "ended"}
    for s, other in ((ann, "Bo Tan"), (bo, "Ann Lee")):
        for _what, _status, body in s.log:
            assert other not in body, (s.name, _what)
    parts = cached_parts()
    assert parts
    for key, html in parts:
        for private in ("Ann Lee", "Bo Tan", "csrf_token", 'class="mine'):
            assert private not in html, key
        if not key[3]:  # a part rendered from the public view
            for secret in ("data-right", "explanation"):
                assert secret not in html, key


def test_live_cached_panel_equals_fresh_self_paced_with_feedback(
    app,  # noqa: F811
) -> None:
    panels.forget()
    teacher = app.test_client()
    sid, code, quiz = start(
        app, teacher, count=6, mode="self", **deadline_in(30), feedback="each"
    )
    ann, bo = join(app, "Ann", code), join(app, "Bo", code)
    for i, q in enumerate(quiz.questions):
        for s in (ann, bo):
            cached, fresh = both(app, s)
            assert cached == fresh
        # Ann runs ahead: her revealed feedback must not reach Bo, still on it
        if q.options:
            assert ann.answer(q.id, choice=0).status_code == 200
        else:
            assert ann.answer(q.id, text=f"Ann on {i}").status_code == 200
        bo_panel = bo.get(f"/live/{sid}/play/panel").get_data(as_text=True)
        assert "data-right" not in bo_panel or i > 0
        assert f'data-revealed-question="{_handle(app, sid, q.id)}"' not in bo_panel
        cached, fresh = both(app, ann)
        assert cached == fresh
        if q.options:
            assert bo.answer(q.id, choice=0).status_code == 200
        else:
            assert bo.answer(q.id, text=f"Bo on {i}").status_code == 200
    for s in (ann, bo):  # done, with the summary
        cached, fresh = both(app, s)
        assert cached == fresh
        assert 'data-stage="done"' in cached
    act(teacher, sid, "end")
    for s in (ann, bo):
        cached, fresh = both(app, s)
        assert cached == fresh
        assert 'data-stage="ended"' in cached


def _handle(app, sid: str, qid: str) -> str:  # noqa: F811
    from test_live_web import handle

    return handle(app, sid, qid)


def test_live_end_ranking_is_computed_once_per_revision(
    app,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panels.forget()
    teacher = app.test_client()
    sid, code, quiz = start(app, teacher, count=2)
    crowd = [join(app, f"S{n}", code) for n in range(4)]
    q = quiz.questions[0]
    act(teacher, sid, "open", index="0")
    for n, s in enumerate(crowd):
        body = {"choice": q.answer} if n % 2 == 0 and q.options else {"choice": 0}
        if not q.options:
            body = {"text": "x"}
        assert s.answer(q.id, **body).status_code == 200
    act(teacher, sid, "reveal")
    act(teacher, sid, "end")
    calls = []
    real = panels.scores
    monkeypatch.setattr(panels, "scores", lambda *a: calls.append(1) or real(*a))
    places = []
    for s in crowd:
        panel = s.get(f"/live/{sid}/play/panel").get_data(as_text=True)
        places.append(re.search(r"place (\d+) of (\d+)", panel).groups())
    assert len(calls) == 1
    assert all(of == "4" for _place, of in places)
    # every phone at once (a new revision first): still computed once
    act(teacher, sid, "reopen")
    act(teacher, sid, "end")
    with ThreadPoolExecutor(len(crowd)) as pool:
        texts = list(
            pool.map(
                lambda s: s.client.get(f"/live/{sid}/play/panel").get_data(
                    as_text=True
                ),
                crowd,
            )
        )
    assert len(calls) == 2
    assert all(re.search(r"place \d+ of 4", text) for text in texts)
    # a change the teacher makes (a new revision) computes it again
    act(teacher, sid, "reopen")
    act(teacher, sid, "end")
    crowd[0].get(f"/live/{sid}/play/panel")
    assert len(calls) == 3


def test_live_version_poll_from_memory_matches_the_route(app) -> None:  # noqa: F811
    """A poll answered before Flask (from the cached revision) has the route's
    status, body and headers, and follows a teacher action within the cache time."""
    teacher = app.test_client()
    sid, code, _quiz = start(app, teacher, count=2)
    ann = join(app, "Ann", code)
    app.config["LIVE_VERSION_CACHE_S"] = 30.0
    url = f"/live/api/{sid}/version"
    pages._forget_revision(sid)
    by_app = ann.client.get(url)  # a miss: the route reads the store
    by_memory = ann.client.get(url)  # a hit: answered before Flask
    assert by_app.status_code == by_memory.status_code == 200
    assert by_app.get_json() == by_memory.get_json()
    v = by_app.get_json()["v"]
    skip = {"Content-Length", "Set-Cookie"}
    assert {k: x for k, x in by_app.headers.items() if k not in skip} == {
        k: x for k, x in by_memory.headers.items() if k not in skip
    }
    assert ann.client.get(f"{url}?since={v}").status_code == 204
    assert ann.client.get(f"{url}?since={v - 1}").get_json() == {"v": v}
    # the teacher's action forgets the cached revision in this process
    act(teacher, sid, "open", index="0")
    assert ann.client.get(url).get_json()["v"] > v
    # another process's action: seen once the cached value is older than the cache time
    app.config["LIVE_VERSION_CACHE_S"] = 0.0
    with app.app_context():
        from quizgen.web import store
        from quizgen.web.live import domain as d

        now = d.revision(store(app), sid)
    assert ann.client.get(url).get_json() == {"v": now}
    assert ann.client.get("/live/api/nosuchsession/version").status_code == 404
