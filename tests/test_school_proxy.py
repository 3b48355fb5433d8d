"""The school server behind the nginx site IT copies (deploy/nginx.conf), with
HTTPS: a real nginx in front of two real `quizgen serve` processes on one
PostgreSQL database.

The site file is used as shipped, with only the addresses, ports and
certificate paths of this machine put in. Checked: loopback (every request
nginx passes on comes from 127.0.0.1) is not the teacher; a teacher logs in
over HTTPS (the login cookie is Secure) and the join address is
QUIZGEN_LIVE_PUBLIC_URL's; a student who sends a forged X-Forwarded-For is
recorded under the address nginx saw; another teacher reaches nothing of the
first one's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
import urllib3
from liveutil import postgres_schema
from test_live_serve import serve
from test_live_server import free_port
from webutil import EXAMPLE_BANK

from quizgen.web import create_app, store, teachers

from conftest import ROOT, require

pytestmark = pytest.mark.slow

NAME = "quiz.school.example"
PUBLIC = f"https://{NAME}"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _site(port: int, upstreams: tuple[int, int], cert: Path, key: Path) -> str:
    """deploy/nginx.conf with this machine's ports and certificate."""
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    text = text.replace("server 127.0.0.1:5001;", f"server 127.0.0.1:{upstreams[0]};")
    text = text.replace("server 127.0.0.1:5002;", f"server 127.0.0.1:{upstreams[1]};")
    text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;")
    text = text.replace("/etc/ssl/quizgen/fullchain.pem", str(cert))
    text = text.replace("/etc/ssl/quizgen/privkey.pem", str(key))
    # the plain-HTTP redirect listens on port 80: not on a test machine
    text = re.sub(r"server \{\s*listen 80;.*?\}\n", "", text, count=1, flags=re.S)
    assert "5001" not in text
    assert "listen 80" not in text
    return text


def _nginx_conf(tmp: Path, site: str) -> Path:
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{site}
}}
""",
        encoding="utf-8",
    )
    return conf


def _certificate(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            f"/CN={NAME}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class Browser(requests.Session):
    """A client of https://quiz.school.example that reaches nginx on this machine."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.verify = False  # a certificate made for the test
        self.trust_env = False  # no CA bundle or proxy from the environment
        self.headers["Host"] = NAME

    def page(self, path: str, **kw):
        return self.get(self.base + path, allow_redirects=False, timeout=10, **kw)

    def form(self, path: str, data: dict, **kw):
        headers = {"Referer": f"{PUBLIC}{path}", **kw.pop("headers", {})}
        return self.post(
            self.base + path,
            data=data,
            headers=headers,
            allow_redirects=False,
            timeout=10,
            **kw,
        )

    def token(self, path: str) -> str:
        return re.search(
            r'name="csrf_token" value="([^"]+)"', self.page(path).text
        ).group(1)


def _login(base: str, name: str) -> Browser:
    b = Browser(base)
    done = b.form(
        "/login",
        {"csrf_token": b.token("/login"), "name": name, "password": f"pw-{name}-12345"},
    )
    assert done.status_code == 303, done.text[-800:]
    assert "Secure" in done.headers["Set-Cookie"]
    return b


def test_behind_the_shipped_nginx_site_with_https(tmp_path: Path) -> None:
    require(
        Path(NGINX).exists(),
        f"nginx not found at {NGINX} (apt-get install nginx-light)",
    )
    require(shutil.which("openssl") is not None, "openssl not found")
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    cert, key = _certificate(tmp_path)
    with postgres_schema("quizgen_proxy") as url:
        settings = {
            "QUIZGEN_MODE": "school",
            "QUIZGEN_LIVE_PUBLIC_URL": PUBLIC,
            "QUIZGEN_TRUSTED_PROXIES": '["127.0.0.1"]',
            "QUIZGEN_SESSION_COOKIE_SECURE": "true",
        }
        app = create_app(
            {
                "DATABASE_URL": url,
                "INSTANCE_PATH": str(tmp_path / "setup"),
                "SECRET_KEY": "x",
                "BANK_PATHS": [str(EXAMPLE_BANK)],
            }
        )
        for name in ("ana", "ben"):
            teachers.add(store(app), name, f"pw-{name}-12345")
        with (
            serve(tmp_path, database_url=url, **settings) as (one, _o1),
            serve(tmp_path, database_url=url, **settings) as (two, _o2),
        ):
            port = free_port()
            upstreams = (int(one.rsplit(":", 1)[1]), int(two.rsplit(":", 1)[1]))
            conf = _nginx_conf(tmp_path, _site(port, upstreams, cert, key))
            check = subprocess.run(
                [NGINX, "-t", "-c", str(conf)], capture_output=True, text=True
            )
            assert check.returncode == 0, check.stderr
            proxy = subprocess.Popen(
                [NGINX, "-c", str(conf), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            base = f"https://127.0.0.1:{port}"
            try:
                deadline = time.monotonic() + 20
                last: object = None
                while True:
                    try:
                        last = Browser(base).page("/healthz")
                        if last.ok:
                            break
                    except requests.ConnectionError as exc:
                        last = exc
                    assert proxy.poll() is None, (tmp_path / "error.log").read_text()
                    assert time.monotonic() < deadline, f"nginx did not start: {last}"
                    time.sleep(0.1)

                # every request comes from 127.0.0.1 (nginx): nobody is the teacher without a login
                anon = Browser(base)
                home = anon.page("/")
                assert home.status_code == 303
                assert "/login" in home.headers["Location"]

                ana = _login(base, "ana")
                token = ana.token("/build/example-bank")
                built = ana.form(
                    "/build/example-bank",
                    {
                        "csrf_token": token,
                        "lang": "en",
                        "seed": "5",
                        "count": "3",
                        "kinds": ["multiple_choice:attribution"],
                        "action": "build",
                    },
                )
                assert built.status_code == 303, built.text[-800:]
                code = built.headers["Location"].rsplit("/", 1)[1]
                started = ana.form(
                    f"/live/start/{code}", {"csrf_token": token, "mode": "teacher"}
                )
                assert started.status_code == 303, started.text[-800:]
                sid = started.headers["Location"].split("/")[2]
                host = ana.page(f"/live/{sid}/host").text
                join_url = re.search(r'id="join-url"[^>]*>([^<]+)<', host).group(1)
                assert join_url.startswith(f"{PUBLIC}/live/join?code=")
                join_code = join_url.rsplit("=", 1)[1]

                # a student from home, through nginx, with a forged address
                student = Browser(base)
                joined = student.form(
                    "/live/join",
                    {
                        "csrf_token": student.token(f"/live/join?code={join_code}"),
                        "code": join_code,
                        "nickname": "Dee",
                    },
                    headers={"X-Forwarded-For": "10.9.9.9"},
                )
                assert joined.status_code == 303, joined.text[-800:]
                assert "Secure" in joined.headers["Set-Cookie"]
                assert student.page(joined.headers["Location"]).status_code == 200
                engine = sa.create_engine(url)
                with engine.connect() as conn:
                    keys = (
                        conn.execute(
                            sa.text("SELECT client_key FROM live_participants")
                        )
                        .scalars()
                        .all()
                    )
                engine.dispose()
                assert keys == [
                    "127.0.0.1"
                ]  # what nginx saw, not what the client claimed

                ben = _login(base, "ben")
                for path in ("/sessions", "/quizzes"):
                    assert sid not in ben.page(path).text
                for path in (
                    f"/live/{sid}/results",
                    f"/live/{sid}/control",
                    f"/sessions/{sid}/open/csv",
                ):
                    assert ben.page(path).status_code == 404, path
                assert ana.page(f"/live/{sid}/results").status_code == 200
            finally:
                proxy.terminate()
                proxy.wait(10)
        store(app).dispose()
