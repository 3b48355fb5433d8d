"""The version poll answered before Flask when this process knows the answer.

Every phone polls `GET /live/api/<sid>/version?since=<n>` once a second, so
500 phones make 500 requests a second that carry no news. Flask's request
machinery (the cookie session, the language, the hooks) costs several times
what the answer does. This WSGI layer answers a poll from the revision the
process read within `LIVE_VERSION_CACHE_S` (the same cache the route uses),
with the same status, body and headers as the route; a poll it cannot answer
from memory goes to the app, which reads the store and fills the cache. The
answer is the same in every process (the revision is stored), so it works
with several processes and behind a proxy.

The student's page polls its panel the same way: `GET /live/<sid>/play/panel
?since=<n>` is 204 when the revision is still n (answered here from memory
when this process knows it, else from the route, which reads the revision
as the version route does), else the new panel from the app. When the
teacher opens a question every phone then makes one request, not a version
poll followed by a panel GET, each waiting behind the class's others.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from quizgen.web.headers import SECURITY_HEADERS
from quizgen.web.live.pages import _versions, _versions_lock

_VERSION = re.compile(r"/live/api/([A-Za-z0-9_-]{1,64})/version")
_PANEL = re.compile(r"/live/([A-Za-z0-9_-]{1,64})/play/panel")
_SINCE = re.compile(r"(?:^|&)since=([0-9]{1,18})(?:&|$)")

#: the headers the app adds to every response (quizgen.web.headers), and no-store
HEADERS = [
    ("Cache-Control", "no-store"),
    *SECURITY_HEADERS,
    ("Vary", "Cookie, Accept-Language"),
]


class VersionPolls:
    """WSGI middleware: answers version polls from this process's cached revision."""

    def __init__(self, app: Any, wsgi: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.wsgi = wsgi

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        answer = None
        if environ.get("REQUEST_METHOD") == "GET":
            path = environ.get("PATH_INFO", "")
            if (found := _VERSION.fullmatch(path)) is not None:
                answer = self._from_memory(found.group(1), environ)
            elif (found := _PANEL.fullmatch(path)) is not None:
                answer = self._from_memory(found.group(1), environ)
                if answer is not None and answer[1]:
                    answer = None  # changed: the app renders the new panel
        if answer is not None:
            status, body = answer
            headers = list(HEADERS)
            if body:
                headers.append(("Content-Type", "application/json"))
            headers.append(("Content-Length", str(len(body))))
            start_response(status, headers)
            return [body]
        return self.wsgi(environ, start_response)

    def _from_memory(
        self, sid: str, environ: dict[str, Any]
    ) -> tuple[str, bytes] | None:
        ttl = float(self.app.config["LIVE_VERSION_CACHE_S"])
        with _versions_lock:
            hit = _versions.get(sid)
        if hit is None or hit[1] is None or time.monotonic() - hit[0] >= ttl:
            return None  # not known here, or stale: the app reads the store
        value = hit[1]
        since = _SINCE.search(environ.get("QUERY_STRING", ""))
        if since is not None and since.group(1) == str(value):
            return "204 No Content", b""
        return "200 OK", (
            json.dumps({"v": value}, separators=(",", ":")) + "\n"
        ).encode()
