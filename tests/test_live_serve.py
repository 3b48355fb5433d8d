"""`quizgen serve` as a teacher starts it for a class: a real server process.

- `quizgen serve --classroom` prints the address phones join at, and the
  preview's start panel says so; plain `quizgen serve` warns on the start
  panel (never on the projector) that phones cannot reach it.
- No development-server warning; no secret (author link, teacher link) in
  what the server prints.
- Slow clients: 1,100 connections that sent half a request do not keep the
  server from answering everyone else.
- Join limits and the per-address participant limit live in the store: two
  processes on one PostgreSQL database share them.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from liveutil import postgres_schema
from test_live_server import free_port, join, start_session, token_of
from webutil import EXAMPLE_BANK

pytestmark = pytest.mark.slow


@contextmanager
def serve(
    tmp_path: Path, *args: str, database_url: str | None = None, **env_extra: str
) -> Iterator[tuple[str, Path]]:
    """`quizgen serve ARGS --port P` until the block ends; (base URL, output file)."""
    port = free_port()
    out = tmp_path / f"serve-{port}.txt"
    env = dict(os.environ)
    env.update(
        QUIZGEN_SECRET_KEY="live-serve-test",
        QUIZGEN_INSTANCE_PATH=str(tmp_path / "inst"),
        QUIZGEN_BANK_PATHS=json.dumps([str(EXAMPLE_BANK)]),
        QUIZGEN_LANG="en",
        **env_extra,
    )
    if database_url:
        env["QUIZGEN_DATABASE_URL"] = database_url
    with out.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "quizgen.cli", "serve", *args, "--port", str(port)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None, out.read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield base, out
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _preview(base: str, http: requests.Session) -> str:
    token = token_of(http, f"{base}/build/example-bank")
    built = http.post(
        f"{base}/build/example-bank",
        data={"csrf_token": token, "lang": "en", "count": "3", "action": "build"},
        timeout=10,
    )
    assert built.status_code == 200
    return built.text


def test_serve_classroom_prints_the_join_address_and_the_start_panel_agrees(
    tmp_path: Path,
) -> None:
    with serve(tmp_path, "--classroom") as (base, out):
        http = requests.Session()
        page = _preview(base, http)
        sid, _code = start_session(base, http)
        projector = http.get(f"{base}/live/{sid}/host", timeout=10).text
        control = http.get(f"{base}/live/{sid}/control", timeout=10).text
        key = re.search(r"/author/([0-9a-f]+)", out.read_text()).group(1)
        assert requests.get(f"{base}/author/{key}", timeout=10).status_code == 200
    printed = out.read_text()
    port = base.rsplit(":", 1)[1]
    assert f"quizgen web app on http://127.0.0.1:{port}/" in printed
    lan = re.search(rf"Phones join at: (http://[\d.]+:{port}/live/join)", printed)
    if lan is None:  # a machine on no network: said so, at start-up
        assert "Phones cannot join: this computer is on no network" in printed
        assert 'id="live-reach-warning"' in page
    else:
        assert 'id="live-reach-warning"' not in page
        assert f"Phones will join at {lan.group(1)}" in page
        assert lan.group(1) in projector  # the projector's join URL is the same
    assert "live-reach-warning" not in projector
    assert "live-reach-warning" not in control
    assert "development server" not in printed.lower()
    assert "Traceback" not in printed
    # the server writes no access log: the teacher link's secret is not in it
    assert f"/author/{key}" not in printed.split("open once: ")[-1].split("\n", 2)[-1]
    assert "token=" not in printed


def test_serve_on_this_computer_only_warns_on_the_start_panel_not_the_projector(
    tmp_path: Path,
) -> None:
    with serve(tmp_path) as (base, out):
        http = requests.Session()
        page = _preview(base, http)
        sid, _code = start_session(base, http)
        projector = http.get(f"{base}/live/{sid}/host", timeout=10).text
        control = http.get(f"{base}/live/{sid}/control", timeout=10).text
    printed = out.read_text()
    assert "Phones cannot join: the server listens only on this computer" in printed
    assert "quizgen serve --classroom" in printed
    assert 'id="live-reach-warning"' in page
    assert "quizgen serve --classroom" in page
    assert 'id="live-reach-warning"' in control  # the teacher's own screen
    assert "live-reach-warning" not in projector
    assert "quizgen serve" not in projector


def test_serve_answers_while_1100_clients_send_half_a_request(tmp_path: Path) -> None:
    with serve(tmp_path) as (base, _out):
        port = int(base.rsplit(":", 1)[1])
        slow: list[socket.socket] = []
        try:
            for n in range(1100):
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                # a request line and part of the headers, then nothing
                s.sendall(f"GET /healthz?{n} HTTP/1.1\r\nHost: x\r\n".encode())
                slow.append(s)
            started = time.monotonic()
            ok = requests.get(f"{base}/healthz", timeout=10)
            took = time.monotonic() - started
            http = requests.Session()
            sid, code = start_session(base, http)
            student, _token = join(base, code, "Ann")
            assert student.get(f"{base}/live/{sid}/play", timeout=10).ok
        finally:
            for s in slow:
                s.close()
    assert ok.status_code == 200
    assert took < 2.0, f"a normal request took {took:.2f} s behind slow clients"


def _join_status(base: str, code: str, name: str) -> int:
    http = requests.Session()
    token = token_of(http, f"{base}/live/join?code={code}")
    return http.post(
        f"{base}/live/join",
        data={"csrf_token": token, "code": code, "nickname": name},
        allow_redirects=False,
        timeout=10,
    ).status_code


def test_limits_per_address_are_shared_by_two_processes(tmp_path: Path) -> None:
    with (
        postgres_schema("quizgen_serve") as url,
        serve(
            tmp_path,
            database_url=url,
            QUIZGEN_LIVE_MAX_PER_ADDRESS="5",
            QUIZGEN_LIVE_BAD_CODE_RATE="[3, 0.001]",
        ) as (one, _o1),
        serve(
            tmp_path,
            database_url=url,
            QUIZGEN_LIVE_MAX_PER_ADDRESS="5",
            QUIZGEN_LIVE_BAD_CODE_RATE="[3, 0.001]",
        ) as (two, _o2),
    ):
        teacher = requests.Session()
        _sid, code = start_session(one, teacher)
        statuses = [
            _join_status(one if n % 2 else two, code, f"s{n}") for n in range(7)
        ]
        assert statuses == [303] * 5 + [429, 429]
        bad = "000000" if code != "000000" else "111111"
        wrong = [_join_status(one if n % 2 else two, bad, "x") for n in range(5)]
        assert wrong == [404, 404, 404, 429, 429]
