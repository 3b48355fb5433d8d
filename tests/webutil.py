"""Helpers for the web app's tests: a fresh app on a fresh SQLite file, CSRF tokens."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from quizgen.web import create_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_BANK = ROOT / "docs" / "example-bank.yaml"
EXAMPLE_SOURCE = ROOT / "docs" / "example-source.txt"
EXAMPLE_KEY = EXAMPLE_BANK.stem  # "example-bank"

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_app(tmp_path: Path, **config: Any) -> Flask:
    """A test app with its own instance folder and SQLite file, serving the example bank."""
    settings: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "BANK_PATHS": [EXAMPLE_BANK],
    }
    settings.update(config)
    return create_app(settings)


def csrf_token(client: FlaskClient, url: str = "/") -> str:
    """The CSRF token a page at `url` carries in its forms."""
    response = client.get(url)
    found = _TOKEN.search(response.get_data(as_text=True))
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def build(client: FlaskClient, key: str = EXAMPLE_KEY, **fields: Any) -> str:
    """Build a selection through the builder form; return its preview path."""
    data: dict[str, Any] = {
        "csrf_token": csrf_token(client, f"/build/{key}"),
        "lang": "en",
        "seed": "7",
        "versions": "1",
        "action": "build",
    }
    data.update(fields)
    response = client.post(f"/build/{key}", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    """Serve `app` on a free port in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def deadline_in(minutes: int, zone: str = "UTC") -> dict[str, str]:
    """The start form's deadline fields (a date and time, and the zone the
    browser sends) for `minutes` from now, rounded up to the minute."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    at = datetime.now(ZoneInfo(zone)) + timedelta(minutes=minutes, seconds=59)
    return {"deadline": at.strftime("%Y-%m-%dT%H:%M"), "tz": zone}
