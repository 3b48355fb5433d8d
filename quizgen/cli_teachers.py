"""`quizgen teachers`: the teacher accounts of a school server.

The accounts live in the store the server uses (QUIZGEN_DATABASE_URL, or the
SQLite file in the instance folder), so run these with the server's settings.
Once an account exists the server is a school server: every teacher logs in
and loopback is no longer trusted (restart running servers after the first).
"""

from __future__ import annotations

import sys
import time

import click

from quizgen.errors import QuizgenError
from quizgen.i18n import t

__all__ = ["teachers"]


def _store():  # type: ignore[no-untyped-def]
    from quizgen.web import create_app, store

    return store(create_app())


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(
        click.prompt(
            t("Password", "密码"), hide_input=True, confirmation_prompt=True, err=True
        )
    )


def _fail(exc: QuizgenError) -> click.ClickException:
    from quizgen.cli import UserError

    return UserError(str(exc))


@click.group()
def teachers() -> None:
    """Teacher accounts of a school server (each teacher logs in and sees only
    their own quizzes and sessions).

    学校服务器的教师账号（每位教师登录后只能看到自己的测验和课堂测验）。
    """


@teachers.command("add")
@click.argument("name")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input. / 从标准输入读取密码。",
)
def add(name: str, password_stdin: bool) -> None:
    """Add a teacher account NAME (asks for its password). / 添加教师账号。"""
    from quizgen.web import teachers as accounts

    try:
        name = accounts.check_name(name)
        store = _store()
        first = accounts.count(store) == 0
        accounts.add(store, name, _password(password_stdin))
    except QuizgenError as exc:
        raise _fail(exc) from None
    click.echo(t(f"Teacher {name} added.", f"已添加教师 {name}。"))
    if first:
        click.echo(
            t(
                "This server is now a school server: teachers log in, and requests "
                "from this computer are no longer trusted. Restart running servers.",
                "这台服务器现在是学校服务器：教师需要登录，本机请求不再被信任。"
                "请重启正在运行的服务器。",
            )
        )


@teachers.command("password")
@click.argument("name")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input. / 从标准输入读取密码。",
)
def password(name: str, password_stdin: bool) -> None:
    """Give teacher NAME a new password; their logins end. / 修改教师密码。"""
    from quizgen.web import teachers as accounts

    try:
        store = _store()
        if not accounts.set_password(store, name, _password(password_stdin)):
            raise QuizgenError(
                t(f"no teacher named {name!r}", f"没有名为 {name!r} 的教师")
            )
    except QuizgenError as exc:
        raise _fail(exc) from None
    click.echo(t(f"New password set for {name}.", f"已为 {name} 设置新密码。"))


@teachers.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """Remove teacher NAME (their quizzes and sessions stay in the store). / 删除教师账号。"""
    from quizgen.web import teachers as accounts

    try:
        if not accounts.remove(_store(), name):
            raise QuizgenError(
                t(f"no teacher named {name!r}", f"没有名为 {name!r} 的教师")
            )
    except QuizgenError as exc:
        raise _fail(exc) from None
    click.echo(t(f"Teacher {name} removed.", f"已删除教师 {name}。"))


@teachers.command("list")
def listing() -> None:
    """List the teacher accounts. / 列出教师账号。"""
    from quizgen.web import teachers as accounts

    try:
        found = accounts.listing(_store())
    except QuizgenError as exc:
        raise _fail(exc) from None
    if not found:
        click.echo(
            t("No teacher accounts (a laptop server).", "没有教师账号（单机模式）。")
        )
    for teacher in found:
        when = time.strftime("%Y-%m-%d", time.localtime(teacher.created_at))
        click.echo(f"{teacher.name}\t{when}")
