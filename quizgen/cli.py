"""The `quizgen` command: a thin layer over the Python API.

User mistakes (a bad bank, impossible choices) print a clean message and exit
1; nothing prints a traceback for them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from quizgen.bank import Bank, load_bank
from quizgen.errors import BankError, QuizgenError
from quizgen.i18n import t
from quizgen.resources import bundled_banks

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="quizgen")
def main() -> None:
    """quizgen: curated claims from a source text become quizzes.

    quizgen:把原文中经过整理的论断变成测验题。
    """


@main.command()
@click.argument("banks", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def check(banks: tuple[Path, ...]) -> None:
    """Validate banks against their sources (default: every bundled bank).

    校验题库与原文是否一致(默认:所有内置题库)。Prints every problem as
    file:line: [id] message, and exits 1 if there is any.
    """
    paths = list(banks) or bundled_banks()
    if not paths:
        raise click.ClickException(t("no banks found", "没有找到题库"))
    failed = 0
    for path in paths:
        try:
            bank = load_bank(path)
        except BankError as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(
                t(
                    f"{path}: {len(exc.problems)} problem(s)",
                    f"{path}:{len(exc.problems)} 个问题",
                ),
                err=True,
            )
            continue
        click.echo(f"{bank.path}: {bank.summary()}")
    if failed:
        sys.exit(1)


def open_bank(name: str) -> Bank:
    """Load a bank by path, or by the name of a bundled bank ('ai_panel_2024')."""
    path = Path(name)
    if not path.exists():
        for candidate in bundled_banks():
            if name in (candidate.stem, candidate.name):
                path = candidate
                break
        else:
            known = ", ".join(p.stem for p in bundled_banks())
            raise QuizgenError(
                t(
                    f"no bank '{name}' (bundled: {known})",
                    f"找不到题库 '{name}'(内置:{known})",
                )
            )
    return load_bank(path)


if __name__ == "__main__":  # pragma: no cover
    main()
