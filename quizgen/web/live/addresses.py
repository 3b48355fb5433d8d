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

from quizgen.i18n import t
from quizgen.web.author import is_loopback

#: why phones cannot reach the server (see phone_host)
LOOPBACK = "loopback"
NO_NETWORK = "no-network"


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


def phone_host(bound: str) -> tuple[str | None, str | None]:
    """(the address phones use for a server listening on `bound`, None) or
    (None, why they cannot reach it), the reason in the terminal's language."""
    problem = _problem(bound)
    if problem == LOOPBACK:
        return None, t(
            "the server listens only on this computer. For a class, start it "
            "with: quizgen serve --classroom",
            "服务器只在这台电脑上监听。上课时请这样启动：quizgen serve --classroom",
        )
    if problem == NO_NETWORK:
        return None, t(
            "this computer is on no network. Join the classroom's Wi-Fi, then "
            "start quizgen again",
            "这台电脑没有连接网络。请连上教室的无线网络，再重新启动 quizgen",
        )
    return (_lan_address() if bound in ("0.0.0.0", "::", "") else bound), None


def _problem(bound: str) -> str | None:
    if is_loopback(bound):
        return LOOPBACK
    if bound in ("0.0.0.0", "::", "") and _lan_address() is None:
        return NO_NETWORK
    return None


def reach_problem() -> str | None:
    """Why phones cannot reach this server (LOOPBACK, NO_NETWORK), or None.

    Known only when `quizgen serve` started the app (it sets SERVE_HOST);
    LIVE_PUBLIC_URL means someone set up the way in, so None.
    """
    if current_app.config.get("LIVE_PUBLIC_URL"):
        return None
    bound = current_app.config.get("SERVE_HOST")
    return None if bound is None else _problem(str(bound))
