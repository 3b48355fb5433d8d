"""Join limits per client address (token buckets)."""

from __future__ import annotations

import ipaddress
import threading
import time

from flask import (
    current_app,
    request,
)


class _Bucket:
    """Token buckets per key (client address), in this process.

    At most MAX_KEYS keys: when the table is full, buckets that have refilled
    completely are dropped (they hold nothing a new bucket would not); if none
    has, a new key is refused rather than letting a flood of addresses wipe
    everyone's limits.
    """

    MAX_KEYS = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: dict[str, tuple[float, float]] = {}

    def take(self, key: str, burst: int, per_s: float) -> bool:
        now = time.monotonic()
        with self._lock:
            if key not in self._state and len(self._state) >= self.MAX_KEYS:
                full = [
                    k
                    for k, (tokens, last) in self._state.items()
                    if tokens + (now - last) * per_s >= burst
                ]
                for k in full:
                    del self._state[k]
                if len(self._state) >= self.MAX_KEYS:
                    return False
            tokens, last = self._state.get(key, (float(burst), now))
            tokens = min(float(burst), tokens + (now - last) * per_s)
            if tokens < 1:
                self._state[key] = (tokens, now)
                return False
            self._state[key] = (tokens - 1, now)
            return True


def _client_key(address: str | None) -> str:
    """The rate-limit key of a client: its IPv4 address, or its IPv6 /64."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "?"
    if ip.version == 6 and not ip.is_loopback:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _limited(config_key: str) -> bool:
    """True when this client address has used up its allowance for `config_key`."""
    buckets = current_app.extensions.setdefault("quizgen.live.buckets", {})
    bucket = buckets.setdefault(config_key, _Bucket())
    burst, per_s = current_app.config[config_key]
    return not bucket.take(_client_key(request.remote_addr), int(burst), float(per_s))
