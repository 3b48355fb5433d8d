"""Load on a live session: N students join, follow the questions the way the
page does, and answer, while the teacher opens and reveals each question.

    python benchmarks/live_quiz.py [--students 200 500 1000] [--db sqlite postgresql]
                                   [--questions 3] [--poll-ms 1000] [--processes 1 2]
                                   [--repeat 3]

The server is the one `quizgen serve` runs (waitress), in its own
process on 127.0.0.1 (`--processes 2`: two of them on one database, students
spread over both, as behind a load balancer), with one extra route: a minimal Flask endpoint
(`/bench/ping`, "ok") as the baseline; the same students poll it for a few
seconds at the same rate before the session starts. Students are asyncio
clients, one keep-alive connection each (as a phone keeps one), speaking
plain HTTP/1.1 on loopback; every run is bounded in requests and time.

The scenario: a join burst (waves of 50), every phone polling its panel
once a second as the page does (`?since=<revision>`: 204 while nothing
changed, the new panel when the teacher acted), the teacher opening each
question, each student answering 1 to 8 s after seeing it, the reveal,
then the end (every phone gets its end-of-quiz panel).

`--page version` makes the phones poll as the page did before: the version,
then the panel GET when it changed (to compare the two in one run).

Printed per database and N: join, answer POST, poll (the 204s), panel GET
(the polls that brought a new panel, or the panel GETs), end-of-quiz panel
GET and baseline ping latency (p50/p95/p99, and p95 as a ratio to the
ping's p95), the time from the teacher's click until each student has the
new question, and until each has the end-of-quiz panel (p95 and the
slowest: with the panel poll the panel request includes the poll's wait,
so compare these), how many students saw
every question, errors, and answers stored vs. acknowledged (a lost answer
is one acknowledged and not stored).

`--repeat K` runs every setup K times and ends with one line per setup: the
median over the runs of each figure's p95, and the errors and lost answers
of all runs added up (these machines are noisy: quote the medians).

PostgreSQL (127.0.0.1:5432, database test, or QUIZGEN_BENCH_POSTGRES) gets a
fresh schema per run, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_BANK = ROOT / "docs" / "example-bank.yaml"
POSTGRES = os.environ.get(
    "QUIZGEN_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')
QUESTION = re.compile(rb'data-question="([^"]+)"')
STAGE = re.compile(rb'data-stage="([a-z]+)"')
REVISION = re.compile(rb'data-rev="(\d+)"')
HOST = "127.0.0.1"
RUN_LIMIT_S = 480  # hard bound on one run


# ---------------------------------------------------------------------- server


def serve(
    port: int, database_url: str, instance: str, server: str, limits: str
) -> None:
    """The server process: the app plus the baseline endpoint, on `server`
    (waitress as `quizgen serve` runs it, or Werkzeug's threaded development
    server, which `quizgen serve` used before). `limits`: "open" lifts the join
    limits (every student is on 127.0.0.1), "default" keeps them."""
    from quizgen.web import create_app

    config: dict[str, object] = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "benchmark",
        "INSTANCE_PATH": instance,
        "BANK_PATHS": [str(EXAMPLE_BANK)],
    }
    if limits == "open":
        config["LIVE_JOIN_RATE"] = (100_000, 10_000.0)
        config["LIVE_MAX_PER_ADDRESS"] = 100_000
    app = create_app(config)

    @app.get("/bench/ping")
    def ping() -> str:
        return "ok"

    if server == "waitress":
        from quizgen.web.server import ServerSettings, make_server

        threads = int(os.environ.get("QUIZGEN_BENCH_THREADS", "0"))
        settings = ServerSettings(threads=threads) if threads else ServerSettings()
        make_server(app, HOST, port, settings).run()
        return
    from werkzeug.serving import WSGIRequestHandler, run_simple

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args: object, **kwargs: object) -> None:
            pass

    run_simple(
        HOST,
        port,
        app,
        threaded=True,
        use_reloader=False,
        use_debugger=False,
        request_handler=Quiet,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------------- client


class Http:
    """One keep-alive HTTP/1.1 connection with a cookie jar (a browser tab, roughly)."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies: dict[str, str] = {} if cookies is None else cookies
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
            self.writer = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request; return (status, headers, body). Reconnects once if the
        server closed the connection between requests."""
        for attempt in (1, 2):
            if self.writer is None:
                await self._open()
            try:
                return await self._exchange(method, path, body, headers or {})
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        assert self.reader is not None
        assert self.writer is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}"]
        if self.cookies:
            lines.append(
                "Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            )
        for k, v in headers.items():
            lines.append(f"{k}: {v}")
        lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        if not status_line:
            raise ConnectionError("closed")
        status = int(status_line.split()[1])
        got: dict[str, str] = {}
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                pair = value.split(";", 1)[0]
                k, _, v = pair.partition("=")
                if (
                    "max-age=0" in value.lower()
                    or "expires=thu, 01 jan 1970" in value.lower()
                ):
                    self.cookies.pop(k, None)
                else:
                    self.cookies[k] = v
            else:
                got[name] = value
        if got.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                data += chunk[:-2]
        elif "content-length" in got:
            data = await self.reader.readexactly(int(got["content-length"]))
        elif status in (204, 304):
            data = b""
        else:
            data = await self.reader.read()
            await self.close()
        if got.get("connection", "").lower() == "close":
            await self.close()
        return status, got, data

    async def form(
        self, path: str, fields: list[tuple[str, str]]
    ) -> tuple[int, dict[str, str], bytes]:
        return await self.request(
            "POST",
            path,
            body=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


@dataclass
class Figures:
    """What one run measured (seconds)."""

    join: list[float] = field(default_factory=list)
    answer: list[float] = field(default_factory=list)
    poll: list[float] = field(default_factory=list)
    panel: list[float] = field(default_factory=list)
    end_panel: list[float] = field(default_factory=list)  # the end-of-quiz panel
    ping: list[float] = field(default_factory=list)
    seen_at: dict[str, list[float]] = field(default_factory=dict)  # per question
    opened_at: dict[str, float] = field(default_factory=dict)  # the teacher's click
    ended_at: float = 0.0  # the teacher's click on end
    end_seen_at: list[float] = field(default_factory=list)  # each phone's end panel
    errors: list[str] = field(default_factory=list)
    acknowledged: int = 0
    stored: int = 0


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class Student:
    def __init__(
        self,
        n: int,
        port: int,
        sid: str,
        code: str,
        figures: Figures,
        rng: random.Random,
        page: str = "panel",
    ) -> None:
        self.n = n
        self.http = Http(port)
        # a second connection sharing the cookies: a browser sends the answer
        # while its poll may be waiting on the first
        self.post = Http(port, self.http.cookies)
        self.sid = sid
        self.code = code
        self.f = figures
        self.rng = rng
        self.token = ""
        self.rev = ""
        self.answered: set[str] = set()
        self.opened_at: dict[str, float] = {}
        self.ended = False
        self.page = page

    async def join(self) -> None:
        status, _h, page = await self.http.request(
            "GET", f"/live/join?code={self.code}"
        )
        self.token = TOKEN.search(page).group(1).decode()
        started = time.perf_counter()
        status, headers, _ = await self.http.form(
            "/live/join",
            [
                ("csrf_token", self.token),
                ("code", self.code),
                ("nickname", f"student {self.n}"),
            ],
        )
        self.f.join.append(time.perf_counter() - started)
        if status != 303:
            self.f.errors.append(f"join {status}")
            return
        status, _h, page = await self.http.request("GET", headers["location"])
        if status != 200:
            self.f.errors.append(f"play page {status}")

    async def ping(self, until: float, poll_s: float) -> None:
        await asyncio.sleep(self.rng.uniform(0, poll_s))
        while time.perf_counter() < until:
            started = time.perf_counter()
            status, _h, _b = await self.http.request("GET", "/bench/ping")
            self.f.ping.append(time.perf_counter() - started)
            if status != 200:
                self.f.errors.append(f"ping {status}")
            await asyncio.sleep(poll_s)

    async def follow(
        self, stop: asyncio.Event, poll_s: float, opened: dict[str, float]
    ) -> None:
        """Poll the panel as the page does (204 while the revision is the one
        this phone has, else the new panel); answer new questions."""
        await asyncio.sleep(self.rng.uniform(0, poll_s))
        while not stop.is_set():
            started = time.perf_counter()
            try:
                if self.page == "version":
                    status, body, took = await self.version_then_panel()
                else:
                    status, _h, body = await self.http.request(
                        "GET",
                        f"/live/{self.sid}/play/panel?since={self.rev}",
                    )
                    took = time.perf_counter() - started
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                self.f.errors.append(f"poll {exc.__class__.__name__}")
                await asyncio.sleep(poll_s)
                continue
            if status == 200:  # a new revision: the poll brought the panel
                found = REVISION.search(body)
                if found is not None:
                    self.rev = found.group(1).decode()
                self.seen(body, took)
            elif status == 204:
                self.f.poll.append(took)
            else:
                self.f.errors.append(f"poll {status}")
            await asyncio.sleep(poll_s)

    async def version_then_panel(self) -> tuple[int, bytes, float]:
        """The page before it polled its panel (`--page version`): poll the
        version; when it changed, fetch the panel. (status, body, seconds
        the panel GET took); 204 and the poll's time when nothing changed."""
        started = time.perf_counter()
        status, _h, body = await self.http.request(
            "GET", f"/live/api/{self.sid}/version?since={self.rev}"
        )
        if status != 200:
            return status, body, time.perf_counter() - started
        started = time.perf_counter()
        status, _h, body = await self.http.request(
            "GET", f"/live/{self.sid}/play/panel"
        )
        return status, body, time.perf_counter() - started

    def seen(self, body: bytes, took: float) -> None:
        """A panel arrived (`took` seconds after it was asked for)."""
        stage = STAGE.search(body)
        if stage is not None and stage.group(1) == b"ended":
            self.f.end_panel.append(took)
            if not self.ended:
                self.ended = True
                self.f.end_seen_at.append(time.perf_counter())
            return
        self.f.panel.append(took)
        found = QUESTION.search(body)
        if stage is None or found is None or stage.group(1) != b"question":
            return
        qid = found.group(1).decode()
        if qid in self.answered:
            return
        self.answered.add(qid)
        # when this student has the question (compared with the click later:
        # the teacher's own requests may come back after the students')
        self.f.seen_at.setdefault(qid, []).append(time.perf_counter())
        asyncio.get_running_loop().create_task(self.answer(qid, body))

    async def answer(self, qid: str, panel: bytes) -> None:
        await asyncio.sleep(self.rng.uniform(1.0, 8.0))  # reading and thinking
        choices = re.findall(rb'name="choice" value="(\d+)"', panel)
        body = {"question_id": qid}
        if choices:
            body["choice"] = int(self.rng.choice(choices))
        else:
            body["text"] = f"answer from student {self.n}"
        started = time.perf_counter()
        status, _h, _b = await self.post.request(
            "POST",
            f"/live/api/{self.sid}/answer",
            body=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.token},
        )
        self.f.answer.append(time.perf_counter() - started)
        if status == 200:
            self.f.acknowledged += 1
        else:
            self.f.errors.append(f"answer {status}")


class Teacher:
    def __init__(self, port: int) -> None:
        self.http = Http(port)
        self.token = ""

    async def start(self, questions: int) -> tuple[str, str]:
        _s, _h, page = await self.http.request("GET", "/build/example-bank")
        self.token = TOKEN.search(page).group(1).decode()
        status, headers, body = await self.http.form(
            "/build/example-bank",
            [
                ("csrf_token", self.token),
                ("lang", "en"),
                ("seed", "1"),
                ("count", str(questions)),
                ("kinds", "multiple_choice:attribution"),
                ("kinds", "multiple_choice:fact"),
                ("kinds", "true_false:statement"),
                ("action", "build"),
            ],
        )
        assert status == 303, body[:500]
        code = headers["location"].rsplit("/", 1)[1]
        status, headers, body = await self.http.form(
            f"/live/start/{code}",
            [("csrf_token", self.token), ("mode", "teacher"), ("scoreboard", "speed")],
        )
        assert status == 303, body[:500]
        sid = headers["location"].split("/")[2]
        _s, _h, page = await self.http.request("GET", f"/live/{sid}/host")
        digits = re.search(rb'id="session-code"[^>]*>(\d{3}) (\d{3})<', page)
        return sid, (digits.group(1) + digits.group(2)).decode()

    async def act(self, sid: str, action: str, **data: str) -> None:
        fields = [("csrf_token", self.token), *data.items()]
        status, _h, body = await self.http.form(f"/live/{sid}/host/{action}", fields)
        assert status == 303, (action, status, body[:300])

    async def answered(self, sid: str) -> int:
        _s, _h, body = await self.http.request("GET", f"/live/{sid}/host/stats")
        found = re.search(rb'id="answered-count">(\d+)<', body)
        return int(found.group(1)) if found else 0


async def run(
    ports: list[int],
    students: int,
    questions: int,
    poll_s: float,
    seed: int,
    page: str = "panel",
) -> tuple[Figures, str]:
    rng = random.Random(seed)
    f = Figures()
    teacher = Teacher(ports[0])
    sid, code = await teacher.start(questions)
    crowd = [
        Student(
            n, ports[n % len(ports)], sid, code, f, random.Random(rng.random()), page
        )
        for n in range(students)
    ]
    # join in waves of 50, as a class does after the code goes up
    for i in range(0, students, 50):
        await asyncio.gather(*(s.join() for s in crowd[i : i + 50]))
    # baseline: the minimal endpoint, same clients, same rate, 4 seconds
    until = time.perf_counter() + 4
    await asyncio.gather(*(s.ping(until, poll_s) for s in crowd))
    stop = asyncio.Event()
    opened: dict[str, float] = {}
    followers = [asyncio.create_task(s.follow(stop, poll_s, opened)) for s in crowd]
    await asyncio.sleep(poll_s * 1.5)  # everyone in the lobby, polling
    for index in range(questions):
        started = time.perf_counter()
        await teacher.act(sid, "open", index=str(index))
        qid = await current_question(teacher, sid)
        opened[qid] = f.opened_at[qid] = started
        deadline = time.perf_counter() + 20
        while time.perf_counter() < deadline:
            if await teacher.answered(sid) >= students:
                break
            await asyncio.sleep(0.5)
        await teacher.act(sid, "reveal")
        await asyncio.sleep(1.0)
    # the end: every phone fetches its end-of-quiz panel (its own place)
    f.ended_at = time.perf_counter()
    await teacher.act(sid, "end", confirm="1")
    await asyncio.sleep(poll_s * 4)
    stop.set()
    await asyncio.gather(*followers)
    for s in crowd:
        await s.http.close()
        await s.post.close()
    await teacher.http.close()
    return f, sid


async def current_question(teacher: Teacher, sid: str) -> str:
    _s, _h, body = await teacher.http.request("GET", f"/live/{sid}/host/stats")
    return QUESTION.search(body).group(1).decode()


def stored_answers(database_url: str, sid: str) -> int:
    from quizgen.web.live import domain as d
    from quizgen.web.store import Store

    s = Store(database_url)
    try:
        return len(d.answers(s, sid))
    finally:
        s.dispose()


def fresh_postgres() -> tuple[str, str]:
    import sqlalchemy as sa

    schema = f"quizgen_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    admin.dispose()
    url = sa.engine.make_url(POSTGRES).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    return url.render_as_string(hide_password=False), schema


def drop_postgres(schema: str) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()


def start_servers(
    url: str, tmp: Path, processes: int, server: str, limits: str
) -> tuple[list[int], list[subprocess.Popen[bytes]]]:
    """`processes` server processes on the database `url`; (ports, processes)."""
    ports: list[int] = []
    procs: list[subprocess.Popen[bytes]] = []
    for k in range(processes):  # one after the other: the first one migrates
        port = free_port()
        proc = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--serve",
                str(port),
                url,
                str(tmp / f"instance{k}"),
                server,
                limits,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(proc)
        ports.append(port)
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection((HOST, port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
    return ports, procs


def one(
    db: str,
    students: int,
    questions: int,
    poll_s: float,
    processes: int = 1,
    server: str = "waitress",
    page: str = "panel",
) -> dict[str, object]:
    tmp = Path(tempfile.mkdtemp(prefix="quizgen-bench-"))
    schema = ""
    if db == "sqlite":
        url = f"sqlite:///{tmp / 'live.sqlite3'}"
    else:
        url, schema = fresh_postgres()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        ports, procs = start_servers(url, tmp, processes, server, "open")
        f, sid = asyncio.run(
            asyncio.wait_for(
                run(ports, students, questions, poll_s, seed=students, page=page),
                RUN_LIMIT_S,
            )
        )
        f.stored = stored_answers(url, sid)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)
        if schema:
            drop_postgres(schema)
        shutil.rmtree(tmp, ignore_errors=True)
    see = {
        qid: [t - f.opened_at[qid] for t in times]
        for qid, times in f.seen_at.items()
        if qid in f.opened_at
    }
    ends = [t - f.ended_at for t in f.end_seen_at]
    see_max = [max(v) for v in see.values()]
    see_all = [x for v in see.values() for x in v]
    return {
        "server": server,
        "db": db,
        "n": students,
        "processes": processes,
        "join": f.join,
        "answer": f.answer,
        "poll": f.poll,
        "panel": f.panel,
        "end_panel": f.end_panel,
        "ping": f.ping,
        "see_max": max(see_max) if see_max else float("nan"),
        "see_p95": pct(see_all, 95),
        "saw": min((len(v) for v in see.values()), default=0),
        "end_p95": pct(ends, 95),
        "end_max": max(ends, default=float("nan")),
        "page": page,
        "errors": f.errors,
        "acknowledged": f.acknowledged,
        "stored": f.stored,
        "sent": len(f.answer),
    }


def attacks(server: str) -> None:
    """One client joining fake students until refused, then 1,100 connections
    that send half a request and stop while a normal client pings; the
    server's default limits, SQLite."""
    tmp = Path(tempfile.mkdtemp(prefix="quizgen-bench-"))
    url = f"sqlite:///{tmp / 'live.sqlite3'}"
    procs: list[subprocess.Popen[bytes]] = []
    try:
        ports, procs = start_servers(url, tmp, 1, server, "default")
        port = ports[0]

        async def fill() -> tuple[int, int, float]:
            teacher = Teacher(port)
            sid, code = await teacher.start(1)
            accepted = refused = 0
            started = time.perf_counter()
            for n in range(1000):
                http = Http(port)  # a new browser each time: no cookie
                _s, _h, page = await http.request("GET", f"/live/join?code={code}")
                token = TOKEN.search(page).group(1).decode()
                fields = [("csrf_token", token), ("code", code), ("nickname", f"f{n}")]
                status, _h, _b = await http.form("/live/join", fields)
                await http.close()
                if status == 303:
                    accepted += 1
                else:
                    refused += 1
                    if refused >= 20:
                        break
            took = time.perf_counter() - started
            await teacher.http.close()
            return accepted, refused, took

        accepted, refused, took = asyncio.run(asyncio.wait_for(fill(), 120))
        print(
            f"\n{server}, one client filling the room: {accepted} fake students "
            f"joined, then {refused} refused in a row, in {took:.1f} s"
        )
        slow = []
        for n in range(1100):
            try:
                sock = socket.create_connection((HOST, port), timeout=5)
                sock.sendall(f"GET /bench/ping?{n} HTTP/1.1\r\nHost: x\r\n".encode())
                slow.append(sock)
            except OSError:
                break
        times, failures = [], 0
        for _ in range(20):
            started = time.perf_counter()
            try:
                with socket.create_connection((HOST, port), timeout=5) as sock:
                    sock.sendall(b"GET /bench/ping HTTP/1.1\r\nHost: x\r\n\r\n")
                    if not sock.recv(100).startswith(b"HTTP/1.1 200"):
                        failures += 1
                times.append(time.perf_counter() - started)
            except OSError:
                failures += 1
        for sock in slow:
            sock.close()
        print(
            f"{server}, {len(slow)} half-sent requests open: ping p50 "
            f"{ms(pct(times, 50)).strip()} ms, max {ms(max(times, default=0)).strip()} "
            f"ms, {failures}/20 failed or timed out (5 s)"
        )
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


def ms(x: float) -> str:
    return f"{x * 1000:7.1f}"


def report(r: dict[str, object]) -> None:
    join, answer, poll, ping = r["join"], r["answer"], r["poll"], r["ping"]
    print(
        f"\n{r['server']}, {r['db']}, {r['n']} students, {r['processes']} server process(es), "
        f"page polling {'the version, then the panel' if r['page'] == 'version' else 'its panel'} "
        f"({len(answer)} answers, {len(poll)} polls, {len(ping)} baseline pings)"
    )
    base50, base95 = pct(ping, 50), pct(ping, 95)
    print("                      p50      p95      p99   (ms)   p95 / ping p95")
    for name, values in (
        ("join", join),
        ("answer POST", answer),
        ("poll (204)", poll),
        ("panel GET", r["panel"]),
        ("end panel GET", r["end_panel"]),
        ("baseline ping", ping),
    ):
        print(
            f"  {name:<15} {ms(pct(values, 50))}  {ms(pct(values, 95))}  {ms(pct(values, 99))}"
            f"   {pct(values, 95) / base95:8.1f}x"
        )
    print(
        f"  every student saw each new question within {r['see_max']:.2f} s "
        f"(p95 {r['see_p95']:.2f} s; fewest students seeing a question: {r['saw']}/{r['n']})"
    )
    print(
        f"  every student had the end-of-quiz panel within {r['end_max']:.2f} s "
        f"of the click (p95 {r['end_p95']:.2f} s)"
    )
    print(
        f"  answers: sent {r['sent']}, acknowledged {r['acknowledged']}, stored {r['stored']}; "
        f"errors: {len(r['errors'])}"
        + (f" ({', '.join(sorted(set(r['errors'])))[:200]})" if r["errors"] else "")
    )
    print(
        f"  ended panels: {len(r['end_panel'])}/{r['n']}; "
        f"lost answers (acknowledged, not stored): {max(0, r['acknowledged'] - r['stored'])}"
    )
    print(
        f"  ratio to baseline: answer p95 {pct(answer, 95) / base95:.1f}x, "
        f"poll p50 {pct(poll, 50) / base50:.1f}x, join p50 {pct(join, 50) / base50:.1f}x"
    )


def medians(runs: dict[tuple[str, str, int, int], list[dict[str, object]]]) -> None:
    """One line per setup: the median over its runs of each run's p95 (ms, or s
    for the time until every phone has the news), and the sums of what must be 0."""
    print(
        "\nmedians of the runs' p95 (ms unless marked s); the last columns add up the runs"
    )
    print(
        f"  {'setup':<34} {'runs':>4} {'new q s':>8} {'panel':>7} {'answer':>7} "
        f"{'end GET':>8} {'end s':>6} {'ping':>5} {'saw all':>8} {'errors':>6} {'lost':>5}"
    )

    def median_of(
        rs: list[dict[str, object]], get: Callable[[dict[str, object]], float]
    ) -> float:
        return statistics.median(get(r) for r in rs)

    for (server, db, k, n), rs in runs.items():
        med = functools.partial(median_of, rs)
        errors = sum(len(r["errors"]) for r in rs)
        lost = sum(max(0, r["acknowledged"] - r["stored"]) for r in rs)
        saw_all = sum(1 for r in rs if r["saw"] == r["n"])
        print(
            f"  {f'{server}, {db}, {k} process(es), {n}':<34} {len(rs):>4} "
            f"{med(lambda r: r['see_p95']):8.2f} "
            f"{med(lambda r: pct(r['panel'], 95)) * 1000:7.0f} "
            f"{med(lambda r: pct(r['answer'], 95)) * 1000:7.0f} "
            f"{med(lambda r: pct(r['end_panel'], 95)) * 1000:8.0f} "
            f"{med(lambda r: r['end_p95']):6.2f} "
            f"{med(lambda r: pct(r['ping'], 95)) * 1000:5.1f} "
            f"{saw_all:>4}/{len(rs):<3} {errors:>6} {lost:>5}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[200, 500, 1000])
    parser.add_argument(
        "--db",
        nargs="+",
        default=["sqlite", "postgresql"],
        choices=["sqlite", "postgresql"],
    )
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--poll-ms", type=int, default=1000)
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=[1],
        help="server processes on one database; students spread over them",
    )
    parser.add_argument(
        "--server",
        nargs="+",
        default=["waitress"],
        choices=["waitress", "werkzeug"],
        help="waitress (what quizgen serve runs) or werkzeug (what it ran before)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=0,
        help="waitress worker threads (default: what quizgen serve uses)",
    )
    parser.add_argument(
        "--page",
        choices=["panel", "version"],
        default="panel",
        help="how the phones poll: their panel with ?since= (the page now), or "
        "the version and then the panel (the page before; for comparisons)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run every setup this many times and end with the medians",
    )
    parser.add_argument(
        "--attacks",
        action="store_true",
        help="also: one client filling the room, and 1,100 half-sent requests",
    )
    parser.add_argument(
        "--serve",
        nargs=5,
        metavar=("PORT", "URL", "INSTANCE", "SERVER", "LIMITS"),
        help=argparse.SUPPRESS,
    )
    args = parser.parse_args()
    if args.threads:
        os.environ["QUIZGEN_BENCH_THREADS"] = str(args.threads)  # for the servers
    if args.serve:
        port, url, instance, server, limits = args.serve
        serve(int(port), url, instance, server, limits)
        return
    print(
        f"live quiz load on {os.cpu_count()} cores, loopback; poll every {args.poll_ms} ms; "
        f"{args.questions} questions; each server in its own process"
    )
    runs: dict[tuple[str, str, int, int], list[dict[str, object]]] = {}
    for _round in range(max(1, args.repeat)):
        for server in args.server:
            for db in args.db:
                for k in args.processes:
                    for n in args.students:
                        r = one(
                            db,
                            n,
                            args.questions,
                            args.poll_ms / 1000,
                            k,
                            server,
                            args.page,
                        )
                        report(r)
                        runs.setdefault((server, db, k, n), []).append(r)
    if args.repeat > 1:
        medians(runs)
    if args.attacks:
        for server in args.server:
            attacks(server)


if __name__ == "__main__":
    main()
