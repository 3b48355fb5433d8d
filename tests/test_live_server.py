"""The live quiz on real server processes (`quizgen serve`), driven over HTTP.

- Kill the server with SIGKILL in the middle of a burst of answers, start it
  again: the session goes on, every answer the server acknowledged is stored,
  students keep their cookies and their answers.
- Two server processes on one PostgreSQL database serve one session: a
  student joined through one answers through the other.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from liveutil import postgres_schema
from webutil import EXAMPLE_BANK

from quizgen.web.live import domain as d
from quizgen.web.store import Store

pytestmark = pytest.mark.slow

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(port: int, database_url: str, instance: Path) -> Iterator[subprocess.Popen]:
    """`quizgen serve` on `port` until the block ends (or the test kills it)."""
    env = dict(os.environ)
    env.update(
        QUIZGEN_DATABASE_URL=database_url,
        QUIZGEN_SECRET_KEY="live-server-test",
        QUIZGEN_INSTANCE_PATH=str(instance),
        QUIZGEN_BANK_PATHS=json.dumps([str(EXAMPLE_BANK)]),
        QUIZGEN_LIVE_JOIN_RATE="[1000, 100]",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "quizgen.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None, "the server stopped while starting"
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


def token_of(http: requests.Session, url: str) -> str:
    page = http.get(url, timeout=10)
    return TOKEN.search(page.text).group(1)


def start_session(base: str, teacher: requests.Session) -> tuple[str, str]:
    """Build a 3-question multiple-choice quiz and start a session; (sid, code)."""
    token = token_of(teacher, f"{base}/build/example-bank")
    built = teacher.post(
        f"{base}/build/example-bank",
        data={
            "csrf_token": token,
            "lang": "en",
            "seed": "5",
            "count": "3",
            "kinds": ["multiple_choice:attribution"],
            "action": "build",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert built.status_code == 303, built.text[:500]
    code = built.headers["Location"].rsplit("/", 1)[1]
    started = teacher.post(
        f"{base}/live/start/{code}",
        data={"csrf_token": token, "mode": "teacher"},
        allow_redirects=False,
        timeout=10,
    )
    assert started.status_code == 303, started.text[:500]
    sid = started.headers["Location"].split("/")[2]
    host = teacher.get(f"{base}/live/{sid}/host", timeout=10).text
    join_code = re.search(r'id="session-code"[^>]*>(\d{3}) (\d{3})<', host)
    return sid, "".join(join_code.groups())


def join(base: str, code: str, name: str) -> tuple[requests.Session, str]:
    http = requests.Session()
    token = token_of(http, f"{base}/live/join?code={code}")
    joined = http.post(
        f"{base}/live/join",
        data={"csrf_token": token, "code": code, "nickname": name},
        allow_redirects=False,
        timeout=10,
    )
    assert joined.status_code == 303, joined.text[:500]
    return http, token


def teacher_act(
    base: str, teacher: requests.Session, sid: str, action: str, **data: Any
):
    token = token_of(teacher, f"{base}/live/{sid}/control")
    done = teacher.post(
        f"{base}/live/{sid}/host/{action}",
        data={"csrf_token": token, **data},
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code == 303, done.text[:500]


def answer(
    base: str, http: requests.Session, token: str, sid: str, qid: str, choice: int
):
    return http.post(
        f"{base}/live/api/{sid}/answer",
        json={"question_id": qid, "choice": choice},
        headers={"X-CSRFToken": token},
        timeout=10,
    )


def current_question(base: str, http: requests.Session, sid: str) -> str:
    panel = http.get(f"{base}/live/{sid}/play/panel", timeout=10).text
    return re.search(r'data-question="([^"]+)"', panel).group(1)


def test_live_server_killed_mid_session_loses_no_answer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    teacher = requests.Session()
    acknowledged: dict[str, int] = {}
    with server(port, url, tmp_path / "inst") as proc:
        sid, code = start_session(base, teacher)
        students = [(f"s{n:02d}", *join(base, code, f"s{n:02d}")) for n in range(24)]
        teacher_act(base, teacher, sid, "open", index="0")
        qid = current_question(base, students[0][1], sid)

        def send(name: str, http: requests.Session, token: str) -> None:
            choice = int(name[1:]) % 4
            try:
                got = answer(base, http, token, sid, qid, choice)
            except requests.RequestException:
                return  # the server died under this request: not acknowledged
            if got.status_code == 200:
                acknowledged[name] = choice

        threads = []
        for n, (name, http, token) in enumerate(students):
            thread = threading.Thread(target=send, args=(name, http, token))
            thread.start()
            threads.append(thread)
            if n == 11:  # half the answers are on their way: kill the server
                deadline = time.monotonic() + 5
                while not acknowledged and time.monotonic() < deadline:
                    time.sleep(0.005)
                proc.kill()  # SIGKILL: no shutdown, no flush
        for thread in threads:
            thread.join()
        proc.wait(5)
    assert 0 < len(acknowledged) < 24
    with server(port, url, tmp_path / "inst"):
        # every acknowledged answer survived, as sent
        s = Store(url)
        stored = {a.participant_id: a for a in d.answers(s, sid)}
        names = {p.id: p.nickname for p in d.participants(s, sid)}
        kept = {names[pid]: a.choice for pid, a in stored.items()}
        assert {k: kept.get(k) for k in acknowledged} == acknowledged
        # the others send again with the same cookies: stored once, never twice
        for name, http, token in students:
            got = answer(base, http, token, sid, qid, int(name[1:]) % 4)
            if name in acknowledged:
                assert got.status_code == 409
                assert got.json()["status"] == "duplicate"
            else:
                assert got.status_code in (200, 409)  # 409: stored, reply lost
        assert len(d.answers(s, sid)) == 24
        assert len(d.participants(s, sid)) == 24
        # the page still knows each student and their answer
        assert "Answer received" in students[0][1].get(f"{base}/live/{sid}/play").text
        teacher_act(base, teacher, sid, "reveal")
        got = teacher.get(f"{base}/live/{sid}/results.csv", timeout=10)
        rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
        mine = [r for r in rows if r["number"] == "1"]  # qid is its handle
        assert len(mine) == 24
        assert all(r["answer"] for r in mine)
        s.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL for a fresh PostgreSQL schema, dropped afterwards."""
    with postgres_schema("quizgen_live_srv") as url:
        yield url


def test_live_two_processes_on_postgresql_serve_one_session(
    pg_url: str, tmp_path: Path
) -> None:
    a_port, b_port = free_port(), free_port()
    a, b = f"http://127.0.0.1:{a_port}", f"http://127.0.0.1:{b_port}"
    teacher = requests.Session()
    with (
        server(a_port, pg_url, tmp_path / "a") as proc_a,
        server(b_port, pg_url, tmp_path / "b"),
    ):
        sid, code = start_session(a, teacher)
        ann, ann_token = join(a, code, "Ann")  # joins through A
        bo, bo_token = join(b, code, "Bo")  # joins through B
        before = ann.get(f"{b}/live/api/{sid}/version", timeout=10).json()["v"]
        teacher_act(a, teacher, sid, "open", index="0")
        # B sees A's change within its short version cache
        deadline = time.monotonic() + 2
        while ann.get(f"{b}/live/api/{sid}/version", timeout=10).json()["v"] == before:
            assert time.monotonic() < deadline, "B never saw the question open"
            time.sleep(0.05)
        qid = current_question(b, ann, sid)
        assert answer(b, ann, ann_token, sid, qid, 1).status_code == 200  # through B
        assert answer(a, ann, ann_token, sid, qid, 2).status_code == 409  # A agrees
        assert answer(a, bo, bo_token, sid, qid, 0).status_code == 200
        # one process dies; the other carries on with the same session
        proc_a.kill()
        proc_a.wait(5)
        teacher_act(b, teacher, sid, "reveal")
        panel = bo.get(f"{b}/live/{sid}/play/panel", timeout=10).text
        assert f'data-revealed-question="{qid}"' in panel
        got = teacher.get(f"{b}/live/{sid}/results.csv", timeout=10)
        rows = [
            r
            for r in csv.DictReader(io.StringIO(got.content.decode("utf-8-sig")))
            if r["number"] == "1"  # the first question; qid is its handle
        ]
        assert sorted((r["nickname"], r["answer"]) for r in rows) == [
            ("Ann", "B"),
            ("Bo", "A"),
        ]


def test_live_cached_panels_follow_actions_made_in_another_process(
    pg_url: str, tmp_path: Path
) -> None:
    """Process A caches the shared parts of the panel; the teacher acts through
    B; A's next panel follows (the cache key is the stored revision)."""
    a_port, b_port = free_port(), free_port()
    a, b = f"http://127.0.0.1:{a_port}", f"http://127.0.0.1:{b_port}"
    teacher = requests.Session()
    with server(a_port, pg_url, tmp_path / "a"), server(b_port, pg_url, tmp_path / "b"):
        sid, code = start_session(a, teacher)
        ann, ann_token = join(a, code, "Ann")
        bo, _bo_token = join(a, code, "Bo")

        def panel_at_a(who: requests.Session) -> str:
            return who.get(f"{a}/live/{sid}/play/panel", timeout=10).text

        teacher_act(b, teacher, sid, "open", index="0")
        first = current_question(a, ann, sid)
        for _ in range(3):  # warm A's cache for this question
            assert 'data-stage="question"' in panel_at_a(bo)
        assert "data-right" not in panel_at_a(bo)
        assert answer(a, ann, ann_token, sid, first, 0).status_code == 200
        teacher_act(b, teacher, sid, "reveal")
        shown = panel_at_a(bo)
        assert f'data-revealed-question="{first}"' in shown
        assert "data-right" in shown
        assert "You did not answer this question." in shown  # Ann's is not his
        assert "Your answer" not in shown
        teacher_act(b, teacher, sid, "next")
        second = panel_at_a(bo)
        assert 'data-stage="question"' in second
        assert first not in second
        assert "data-right" not in second
        teacher_act(b, teacher, sid, "end", confirm="1")
        ended = [panel_at_a(who) for who in (ann, bo)]
        for text in ended:
            assert 'data-stage="ended"' in text
            assert re.search(r"of 2</p>", text)
