"""`quizgen serve`: the web app on waitress, a production WSGI server.

Why waitress (see docs/web.md for the comparison): it is pure Python and runs
on the Windows and macOS laptops teachers have; it reads each request whole
(headers and body, up to the limits below) on its event loop before a worker
thread sees it, so a phone on a slow network, or a client that sends half a
request and stops, holds a socket but no thread; and it prints no
development-server warning. Several processes (each `quizgen serve` on its
own port, or the factory under another WSGI server) share one PostgreSQL
database through QUIZGEN_DATABASE_URL.

Thread settings: `threads` worker threads run the app (each request holds
one only while the app computes its answer: a version poll, a panel, an
answer); `connection_limit` open connections at most (every phone keeps one
open between polls); `channel_timeout` seconds of silence close a connection.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any

import click

from quizgen.errors import QuizgenError
from quizgen.i18n import t
from quizgen.web import _safe_url, create_app
from quizgen.web.author import is_loopback

__all__ = ["ServerSettings", "classroom_urls", "make_server", "run"]

#: what `quizgen serve --classroom` listens on: every IPv4 interface
CLASSROOM_HOST = "0.0.0.0"


@dataclass(frozen=True, kw_only=True)
class ServerSettings:
    """waitress's settings for `quizgen serve` (see the module docstring)."""

    threads: int = 8
    connection_limit: int = 2000
    channel_timeout_s: int = 60
    #: the listen queue of the socket (connections not yet accepted)
    backlog: int = 2048


def _raise_file_limit(wanted: int) -> None:
    """Allow this process `wanted` open files if the system lets it (one per
    connection); a no-op where there is no such limit (Windows)."""
    try:
        import resource  # POSIX only
    except ImportError:  # pragma: no cover - Windows
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        if soft != resource.RLIM_INFINITY and soft < target:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError):  # pragma: no cover - a locked-down system
        pass


def make_server(app: Any, host: str, port: int, settings: ServerSettings) -> Any:
    """A waitress server for `app` on host:port, not yet running.

    Raises QuizgenError when the address cannot be used (port taken, no such
    interface).
    """
    from waitress import create_server

    _raise_file_limit(settings.connection_limit + 200)
    try:
        return create_server(
            app,
            host=host,
            port=port,
            threads=settings.threads,
            connection_limit=settings.connection_limit,
            channel_timeout=settings.channel_timeout_s,
            backlog=settings.backlog,
            # poll() has no 1024-descriptor ceiling, unlike select()
            asyncore_use_poll=True,
            ident="quizgen",
            expose_tracebacks=False,
            # X-Forwarded-* reach the app, which believes them only from
            # TRUSTED_PROXIES and removes them otherwise (quizgen.web.proxy)
            clear_untrusted_proxy_headers=False,
        )
    except OSError as exc:
        raise QuizgenError(
            t(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}. "
                "Hint: another program (or another quizgen) may use this port; "
                f"try --port {port + 1}.",
                f"无法在 {host}:{port} 上监听：{exc.strerror or exc}。"
                f"提示：可能有其他程序（或另一个 quizgen）占用了这个端口；请试试 --port {port + 1}。",
            )
        ) from None


def classroom_urls(host: str, port: int) -> tuple[str | None, str | None]:
    """(the join URL phones use, the reason they cannot) for a server on host:port.

    Exactly one of the two is None.
    """
    from quizgen.web.live.addresses import phone_host

    reachable, reason = phone_host(host)
    if reachable is None:
        return None, reason
    shown = f"[{reachable}]" if ":" in reachable else reachable
    return f"http://{shown}:{port}/live/join", None


def _school_banner(public: str) -> None:
    """What a school server prints: where students join, who the teacher is."""
    if public:
        join = public.rstrip("/") + "/live/join"
        click.echo(t(f"Students join at: {join}", f"学生加入网址：{join}"))
    else:
        click.echo(
            t(
                "Set QUIZGEN_LIVE_PUBLIC_URL to the address students use (the proxy's).",
                "请把 QUIZGEN_LIVE_PUBLIC_URL 设为学生使用的地址（反向代理的地址）。",
            )
        )
    click.echo(
        t(
            "School server: teachers log in (quizgen teachers add NAME); requests "
            "from this computer are not trusted.",
            "学校服务器：教师需要登录（quizgen teachers add 用户名）；本机请求不被信任。",
        )
    )


def _laptop_banner(app: Any, host: str, port: int) -> None:
    """What a laptop's server prints: where phones join, and the teacher link."""
    join, reason = classroom_urls(host, port)
    if join is not None:
        click.echo(t(f"Phones join at: {join}", f"学生手机加入网址：{join}"))
    else:
        click.echo(t(f"Phones cannot join: {reason}", f"手机无法加入：{reason}"))
    if not is_loopback(host) and join is not None:
        from quizgen.web.author import author_key

        with app.app_context():
            link = join.replace("/live/join", f"/author/{author_key()}")
        click.echo(
            t(
                "Pages that show answers open only on this computer. To use them "
                f"from another device of yours, open once: {link}\n"
                "(keep this link to yourself; students join at /live/join)",
                "显示答案的页面只在本机打开。要在你自己的其他设备上使用，请先打开一次："
                f"{link}\n（请勿把此链接给学生；学生在 /live/join 加入）",
            )
        )


def run(
    host: str,
    port: int,
    *,
    settings: ServerSettings | None = None,
    new_author_link: bool = False,
) -> None:
    """Serve the app until interrupted; `new_author_link` first replaces the
    teacher link (the old one stops working). Raises QuizgenError when the
    store cannot open or the address cannot be used."""
    settings = settings or ServerSettings()
    app = create_app()
    if new_author_link:
        from quizgen.web.author import rotate_author_key

        rotate_author_key(app)
    app.config["SERVE_HOST"] = host
    app.config["SERVE_PORT"] = port
    server = make_server(app, host, port, settings)
    url = app.config["DATABASE_URL"]
    where = _safe_url(url) if url else app.instance_path
    # every interface: this computer opens it as 127.0.0.1
    local = "127.0.0.1" if host in (CLASSROOM_HOST, "::", "") else host
    shown_host = f"[{local}]" if ":" in local else local
    click.echo(
        t(
            f"quizgen web app on http://{shown_host}:{port}/ (store: {where}); Ctrl+C stops it",
            f"quizgen 网页应用：http://{shown_host}:{port}/（数据：{where}）；按 Ctrl+C 停止",
        )
    )
    public = app.config.get("LIVE_PUBLIC_URL")
    if app.config.get("SCHOOL_MODE"):
        _school_banner(str(public or ""))
    else:
        _laptop_banner(app, host, port)
    # waitress logs through `logging`: its warnings (a full task queue, a
    # socket error) go to the terminal; it writes no access log, so no URL
    # with a secret in it (teacher link, author link) is ever logged
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
