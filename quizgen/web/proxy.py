"""Behind a reverse proxy: believe X-Forwarded-* from the configured proxy only.

A school server sits behind a proxy that ends HTTPS (Caddy, nginx). The
client's address (join limits per address), the scheme (Secure cookies, the
join address) and the host name come from the proxy's X-Forwarded-For,
-Proto and -Host headers, but only when the request comes from an address in
`TRUSTED_PROXIES` (werkzeug's ProxyFix, one proxy deep). From anyone else
those headers are removed before the app sees them: a student cannot claim
another address. With no proxy configured, every such header is removed.

This runs in the app, so it works the same under `quizgen serve` (waitress)
and under another WSGI server such as gunicorn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

__all__ = ["TrustedProxy", "proxies_from"]

_FORWARDED = (
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
)


def proxies_from(value: Any) -> frozenset[str]:
    """The proxies' addresses from a setting: a list, or a comma-separated string."""
    if not value:
        return frozenset()
    items = value.split(",") if isinstance(value, str) else value
    return frozenset(str(item).strip() for item in items if str(item).strip())


class TrustedProxy:
    """WSGI middleware: ProxyFix for requests from `proxies`, headers removed otherwise."""

    def __init__(self, app: Callable[..., Iterable[bytes]], proxies: frozenset[str]):
        self.app = app
        self.proxies = proxies
        self.fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=1)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("REMOTE_ADDR") in self.proxies:
            return self.fixed(environ, start_response)
        for name in _FORWARDED:
            environ.pop(name, None)
        return self.app(environ, start_response)
