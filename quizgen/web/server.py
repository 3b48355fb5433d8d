"""`quizgen serve`: the web app on Werkzeug's threaded server."""

from __future__ import annotations

import click
from werkzeug.serving import run_simple

from quizgen.i18n import t
from quizgen.web import _safe_url, create_app
from quizgen.web.author import is_loopback

__all__ = ["run"]


def run(host: str, port: int) -> None:
    """Serve the app until interrupted. Raises QuizgenError when the store cannot open."""
    app = create_app()
    url = app.config["DATABASE_URL"]
    where = _safe_url(url) if url else app.instance_path
    click.echo(
        t(
            f"quizgen web app on http://{host}:{port}/ (store: {where}); Ctrl+C stops it",
            f"quizgen 网页应用：http://{host}:{port}/（数据：{where}）；按 Ctrl+C 停止",
        )
    )
    if not is_loopback(host):
        from quizgen.web.author import author_key
        from quizgen.web.live.addresses import _lan_address

        shown = _lan_address() or host
        with app.app_context():
            link = f"http://{shown}:{port}/author/{author_key()}"
        click.echo(
            t(
                "Pages that show answers open only on this computer. To use them "
                f"from another device of yours, open once: {link}\n"
                "(keep this link to yourself; students join at /live/join)",
                "显示答案的页面只在本机打开。要在你自己的其他设备上使用，请先打开一次："
                f"{link}\n（请勿把此链接给学生；学生在 /live/join 加入）",
            )
        )
    run_simple(
        host,
        port,
        app,
        threaded=True,
        use_reloader=False,
        use_debugger=False,
    )
