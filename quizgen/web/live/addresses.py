"""Where phones reach this server: the LAN address, the join URL, its QR code."""

from __future__ import annotations

import base64
import ipaddress
import socket
from functools import lru_cache

import qrcode
import qrcode.image.svg
from flask import (
    current_app,
    request,
    url_for,
)


@lru_cache(maxsize=1)
def _lan_address() -> str | None:
    """This machine's address on the local network (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if ipaddress.ip_address(address).is_loopback else address


def join_url(code: str | None) -> str:
    """The URL students open to join (see lan_url)."""
    return lan_url(
        url_for("live.join_form", code=code) if code else url_for("live.join_form")
    )


def lan_url(path: str) -> str:
    """`path` on this server as another device on the network reaches it.

    A page opened as localhost gets the machine's LAN address instead (a phone
    cannot reach the teacher's localhost). LIVE_PUBLIC_URL overrides both.
    """
    base = current_app.config.get("LIVE_PUBLIC_URL")
    if base:
        return str(base).rstrip("/") + path
    host = request.host
    name, _sep, port = (
        host.rpartition(":") if not host.endswith("]") else (host, "", "")
    )
    if not _sep:
        name, port = host, ""
    if name in ("localhost", "127.0.0.1", "[::1]", "::1"):
        lan = _lan_address()
        if lan is not None:
            host = f"{lan}:{port}" if port else lan
    return f"{request.scheme}://{host}{path}"


@lru_cache(maxsize=256)
def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data URI (the `qrcode` package)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode(
        "ascii"
    )
