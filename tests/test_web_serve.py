"""`quizgen serve` from a plain (non-editable) wheel: a real server process."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import installed_env

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return (
                response.status,
                response.headers.get("Content-Type", ""),
                response.read().decode("utf-8"),
            )
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode("utf-8")


def test_serve_from_an_installed_wheel(installed_wheel, tmp_path: Path) -> None:
    _wheel, site = installed_wheel
    port = _free_port()
    env = installed_env(site, QUIZGEN_INSTANCE_PATH=str(tmp_path / "instance"))
    server = subprocess.Popen(
        [sys.executable, "-m", "quizgen.cli", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, _type, _body = _get(base + "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None:
                pytest.fail(f"server exited: {server.stdout.read()}")
            time.sleep(0.1)
        else:
            pytest.fail("server did not start")
        status, ctype, html = _get(base + "/")
        assert status == 200
        assert ctype.startswith("text/html")
        assert "Science 40" in html or "科学四十人" in html
        status, ctype, css = _get(base + "/static/app.css")
        assert status == 200
        assert "text/css" in ctype
        assert "--accent" in css
        status, _ctype, html = _get(base + "/build/ai_panel_2024")
        assert status == 200
        assert 'name="csrf_token"' in html
        status, _ctype, html = _get(base + "/no/such/page")
        assert status == 404
        assert "Page not found" in html
        assert (tmp_path / "instance" / "quizgen.sqlite3").is_file()
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=10)
    assert f"quizgen web app on http://127.0.0.1:{port}/" in out
    assert "Traceback" not in out
    # the templates came from the installed copy, not the checkout
    assert any(site.glob("quizgen/_data/templates/web/base.html"))
