"""`quizgen serve`: the web app on Werkzeug's threaded server."""

from __future__ import annotations

import click
from werkzeug.serving import run_simple

from quizgen.i18n import t
from quizgen.web import _safe_url, create_app

__all__ = ["run"]


def run(host: str, port: int) -> None:
    """Serve the app until interrupted. Raises QuizgenError when the store cannot open."""
    app = create_app()
    url = app.config["DATABASE_URL"]
    where = _safe_url(url) if url else app.instance_path
    click.echo(
        t(
            f"quizgen web app on http://{host}:{port}/ (store: {where}); Ctrl+C stops it",
            f"quizgen 网页应用:http://{host}:{port}/(数据:{where});按 Ctrl+C 停止",
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
