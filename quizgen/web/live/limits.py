"""Join limits per client address: token buckets kept in the store.

Every process on the database shares them (one row per limit and address in
`live_limits`), so a student cannot get a fresh allowance by landing on
another process. A bucket is forgotten only once it has refilled completely
(it then holds nothing a new bucket would not): a flood of new addresses
cannot wipe the limits of the addresses already limited.
"""

from __future__ import annotations

import ipaddress
import math
import random

from flask import current_app, request
from sqlalchemy import delete, select, update

from quizgen.web import store
from quizgen.web.live import clock
from quizgen.web.live.tables import insert_new, live_limits
from quizgen.web.live.writes import write
from quizgen.web.store import Store

__all__ = ["client_key", "limited", "prune", "take"]

#: a take prunes this limit's full buckets once in this many calls
PRUNE_EVERY = 200


def client_key(address: str | None) -> str:
    """The limit key of a client: its IPv4 address, or its IPv6 /64."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return (address or "?")[:64]
    if ip.version == 6 and not ip.is_loopback:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def take(
    the_store: Store,
    limit: str,
    key: str,
    burst: int,
    per_s: float,
    *,
    at_ms: int | None = None,
) -> bool:
    """Take one token from the bucket (`limit`, `key`); False when it is empty.

    A bucket holds at most `burst` tokens and refills `per_s` a second. One
    write transaction (the row locked on PostgreSQL), so two processes never
    both take the last token.
    """
    now = clock.now_ms() if at_ms is None else at_ms
    row_key = f"{limit}:{key}"[:120]
    query = select(live_limits.c.tokens, live_limits.c.updated_ms).where(
        live_limits.c.key == row_key
    )
    with write(the_store) as conn:
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            new = conn.execute(
                insert_new(conn, live_limits)
                .values(key=row_key, tokens=float(burst) - 1, updated_ms=now)
                .returning(live_limits.c.key)
            ).first()
            if new is not None:
                allowed = burst >= 1
            else:  # another process made it first: use theirs
                row = conn.execute(query).first()
        if row is not None:
            tokens = min(
                float(burst), row.tokens + max(0, now - row.updated_ms) / 1000 * per_s
            )
            allowed = tokens >= 1
            conn.execute(
                update(live_limits)
                .where(live_limits.c.key == row_key)
                .values(tokens=tokens - 1 if allowed else tokens, updated_ms=now)
            )
    if random.randrange(PRUNE_EVERY) == 0:
        prune(the_store, limit, burst, per_s, at_ms=now)
    return allowed


def prune(
    the_store: Store, limit: str, burst: int, per_s: float, *, at_ms: int | None = None
) -> int:
    """Forget the buckets of `limit` that have refilled completely; return how many."""
    now = clock.now_ms() if at_ms is None else at_ms
    refill_ms = math.inf if per_s <= 0 else burst / per_s * 1000
    if refill_ms == math.inf:
        return 0
    with write(the_store) as conn:
        return int(
            conn.execute(
                delete(live_limits).where(
                    live_limits.c.key.startswith(f"{limit}:", autoescape=True),
                    live_limits.c.updated_ms < now - math.ceil(refill_ms),
                )
            ).rowcount
        )


def limited(config_key: str) -> bool:
    """True when this client address has used up its allowance for `config_key`
    (a `(burst, per second)` setting)."""
    burst, per_s = current_app.config[config_key]
    return not take(
        store(),
        config_key,
        client_key(request.remote_addr),
        int(burst),
        float(per_s),
    )
