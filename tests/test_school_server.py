"""A school server as IT runs it: two `quizgen serve` processes on one
PostgreSQL database, QUIZGEN_MODE=school, a reverse proxy in front.

- Teacher accounts are added with `quizgen teachers add` (the real command).
- Two teachers, each logged in on a different process, never see each other's
  quizzes or sessions; a login made on one process holds on the other.
- A student joins a session through the other process and answers.
- Loopback without a login is not the teacher on either process.
- X-Forwarded-* count only from the configured proxy: process one trusts
  127.0.0.1 (a proxy on the same host), process two trusts nobody, so there
  a student cannot claim another address to get past the per-address limit.
- The join address is QUIZGEN_LIVE_PUBLIC_URL's.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from liveutil import postgres_schema
from test_live_serve import serve
from test_live_server import answer, current_question, teacher_act, token_of

pytestmark = pytest.mark.slow

PUBLIC = "https://quiz.school.example"


def _cli(
    env: dict[str, str], *args: str, stdin: str = ""
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "quizgen.cli", *args],
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _login(base: str, name: str) -> requests.Session:
    http = requests.Session()
    token = token_of(http, f"{base}/login")
    done = http.post(
        f"{base}/login",
        data={"csrf_token": token, "name": name, "password": f"pass-{name}-123"},
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code == 303, done.text[:800]
    return http


def _start(base: str, http: requests.Session, name: str) -> tuple[str, str, str]:
    """Build, save as `Quiz of NAME`, start; (saved quiz id, session id, join code)."""
    token = token_of(http, f"{base}/build/example-bank")
    built = http.post(
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
    saved = http.post(
        f"{base}/q/{code}/save",
        data={"csrf_token": token, "name": f"Quiz of {name}"},
        allow_redirects=False,
        timeout=10,
    )
    quiz_id = re.search(r"quiz=([\w-]+)", saved.headers["Location"]).group(1)
    started = http.post(
        f"{base}/live/start/{code}",
        data={"csrf_token": token, "mode": "teacher"},
        allow_redirects=False,
        timeout=10,
    )
    assert started.status_code == 303, started.text[:500]
    sid = started.headers["Location"].split("/")[2]
    host = http.get(f"{base}/live/{sid}/host", timeout=10).text
    join = re.search(r'id="join-url"[^>]*>([^<]+)<', host).group(1)
    assert join.startswith(f"{PUBLIC}/live/join?code=")
    return quiz_id, sid, join.rsplit("=", 1)[1]


def _join(base: str, code: str, name: str, forwarded: str | None = None):
    http = requests.Session()
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    token = token_of(http, f"{base}/live/join?code={code}")
    joined = http.post(
        f"{base}/live/join",
        data={"csrf_token": token, "code": code, "nickname": name},
        headers=headers,
        allow_redirects=False,
        timeout=10,
    )
    return http, token, joined


def test_two_processes_two_teachers_one_postgresql(tmp_path: Path) -> None:
    with postgres_schema("quizgen_school") as url:
        env = {
            "QUIZGEN_DATABASE_URL": url,
            "QUIZGEN_MODE": "school",
            "QUIZGEN_SECRET_KEY": "school-server-test",
            "QUIZGEN_INSTANCE_PATH": str(tmp_path / "inst"),
            "QUIZGEN_BANK_PATHS": json.dumps(
                [str(Path(__file__).parent.parent / "docs" / "example-bank.yaml")]
            ),
            "QUIZGEN_LANG": "en",
        }
        for name in ("ana", "ben"):
            added = _cli(
                env,
                "teachers",
                "add",
                name,
                "--password-stdin",
                stdin=f"pass-{name}-123\n",
            )
            assert added.returncode == 0, added.stderr
            assert f"Teacher {name} added." in added.stdout
        again = _cli(
            env, "teachers", "add", "ana", "--password-stdin", stdin="another-pass\n"
        )
        assert again.returncode == 1
        assert "exists already" in again.stderr
        assert "Traceback" not in again.stderr
        short = _cli(env, "teachers", "add", "cy", "--password-stdin", stdin="short\n")
        assert short.returncode == 1
        assert "at least 8 characters" in short.stderr
        listed = _cli(env, "teachers", "list")
        assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == [
            "ana",
            "ben",
        ]

        server_env = {
            "QUIZGEN_MODE": "school",
            "QUIZGEN_LIVE_PUBLIC_URL": PUBLIC,
            "QUIZGEN_LIVE_MAX_PER_ADDRESS": "2",
        }
        with (
            serve(
                tmp_path,
                database_url=url,
                QUIZGEN_TRUSTED_PROXIES='["127.0.0.1"]',
                **server_env,
            ) as (one, out1),
            serve(tmp_path, database_url=url, **server_env) as (two, out2),
        ):
            for printed in (out1, out2):
                text = printed.read_text()
                assert f"Students join at: {PUBLIC}/live/join" in text
                assert "/author/" not in text
                assert "Phones cannot join" not in text
            # loopback without a login is nobody on either process
            for base in (one, two):
                home = requests.get(f"{base}/", allow_redirects=False, timeout=10)
                assert home.status_code == 303
                assert "/login" in home.headers["Location"]
                assert (
                    requests.get(
                        f"{base}/sessions", allow_redirects=False, timeout=10
                    ).status_code
                    == 303
                )
            ana = _login(one, "ana")
            ben = _login(two, "ben")
            ana_quiz, ana_sid, ana_code = _start(one, ana, "ana")
            ben_quiz, ben_sid, _ben_code = _start(two, ben, "ben")

            # each sees their own only, on either process (one store, one secret)
            for base in (one, two):
                mine = ana.get(f"{base}/sessions", timeout=10).text
                assert ana_sid in mine
                assert ben_sid not in mine
                theirs = ben.get(f"{base}/sessions", timeout=10).text
                assert ben_sid in theirs
                assert ana_sid not in theirs
                assert "Quiz of ana" not in ben.get(f"{base}/quizzes", timeout=10).text
                for url in (
                    f"/live/{ana_sid}/results",
                    f"/live/{ana_sid}/results.csv",
                    f"/live/{ana_sid}/control",
                    f"/sessions/{ana_sid}/open/xlsx",
                    f"/quizzes/{ana_quiz}",
                ):
                    got = ben.get(f"{base}{url}", allow_redirects=False, timeout=10)
                    assert got.status_code == 404, (base, url, got.status_code)
                token = token_of(ben, f"{base}/quizzes")
                for url in (
                    f"/quizzes/{ana_quiz}/rename",
                    f"/quizzes/{ana_quiz}/delete",
                    f"/sessions/{ana_sid}/delete",
                ):
                    got = ben.post(
                        f"{base}{url}",
                        data={"csrf_token": token, "name": "mine now", "confirm": "1"},
                        allow_redirects=False,
                        timeout=10,
                    )
                    assert got.status_code == 404, (base, url, got.status_code)
            assert "Quiz of ana" in ana.get(f"{two}/quizzes", timeout=10).text

            # a student joins through process two; the teacher runs it on process one
            student, token, joined = _join(two, ana_code, "Dee")
            assert joined.status_code == 303
            teacher_act(one, ana, ana_sid, "open", index="0")
            qid = current_question(two, student, ana_sid)
            assert answer(two, student, token, ana_sid, qid, 1).status_code == 200
            rows = ana.get(
                f"{one}/live/{ana_sid}/results.csv", timeout=10
            ).content.decode("utf-8-sig")
            assert "Dee" in rows
            assert (
                ana.get(f"{two}/sessions/{ana_sid}/open/csv", timeout=10).status_code
                == 200
            )

            # process two trusts no proxy: a forged X-Forwarded-For changes nothing,
            # so its third student from this address is refused (at most 2)
            statuses = [
                _join(two, ana_code, f"p{n}", forwarded=f"198.51.100.{n}")[
                    2
                ].status_code
                for n in range(2)
            ]
            assert statuses == [303, 429]
            # process one trusts its proxy on 127.0.0.1: each forwarded address counts alone
            statuses = [
                _join(one, ana_code, f"q{n}", forwarded=f"203.0.113.{n}")[2].status_code
                for n in range(3)
            ]
            assert statuses == [303, 303, 303]
            _http, _token, secure = _join(
                one, ana_code, "Eve", forwarded="203.0.113.50"
            )
            assert secure.status_code == 303
            # X-Forwarded-Proto: https from the proxy makes the student's cookie Secure
            https = requests.Session()
            token = token_of(https, f"{one}/live/join?code={ana_code}")
            joined = https.post(
                f"{one}/live/join",
                data={"csrf_token": token, "code": ana_code, "nickname": "Fay"},
                headers={
                    "X-Forwarded-For": "203.0.113.60",
                    "X-Forwarded-Proto": "https",
                    # Flask-WTF checks the Referer of an HTTPS form post, as
                    # a browser sends it
                    "Referer": one.replace("http://", "https://") + "/live/join",
                },
                allow_redirects=False,
                timeout=10,
            )
            assert joined.status_code == 303, joined.text[-1500:]
            assert "Secure" in joined.headers["Set-Cookie"]
