"""Shared fixtures: real banks, real output folders, and the rule for missing parts.

A test that needs a real part (Chromium, LibreOffice, PostgreSQL, Anki) calls
`require(available, reason)`: on a user's machine it skips with the reason;
with QUIZGEN_REQUIRE_ALL=1 (as .ci/run sets) a missing part fails the run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from quizgen.bank import Bank, load_bank
from quizgen.resources import bundled_banks

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_BANK = ROOT / "docs" / "example-bank.yaml"
SHIPPED_BANK = ROOT / "question_banks" / "ai_panel_2024.yaml"
#: a two-person dialogue in English (Plato's Euthyphro)
DIALOGUE_BANK = ROOT / "question_banks" / "euthyphro_jowett.yaml"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
POSTGRES_URL = os.environ.get(
    "QUIZGEN_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def require(available: bool, reason: str) -> None:
    """Skip (or, under QUIZGEN_REQUIRE_ALL=1, fail) when a real part is missing."""
    if available:
        return
    if os.environ.get("QUIZGEN_REQUIRE_ALL") == "1":
        pytest.fail(f"required part missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def dialogue_bank() -> Bank:
    """The shipped two-speaker English dialogue (source.language en, genre dialogue)."""
    return load_bank(DIALOGUE_BANK)


@pytest.fixture(scope="session")
def example_bank() -> Bank:
    """The small complete bank of docs/bank-format.md."""
    return load_bank(EXAMPLE_BANK)


@pytest.fixture(scope="session")
def shipped_bank() -> Bank:
    """The curated bank shipped for the seed text."""
    return load_bank(SHIPPED_BANK)


@pytest.fixture(scope="session")
def all_banks() -> list[Bank]:
    return [load_bank(p) for p in bundled_banks()]


@pytest.fixture
def app(tmp_path: Path):
    """The web app on a fresh SQLite store (a module may define its own)."""
    from webutil import make_app

    return make_app(tmp_path)


@pytest.fixture
def client(app):
    """A browser without cookies for the `app` fixture."""
    return app.test_client()


@pytest.fixture
def artifacts() -> Path:
    """Folder for files a person may want to look at after a run (screenshots, PDFs)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


#: Debian's Chromium as root, headless, on a machine with no network but loopback
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run, driven by Playwright."""
    require(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English unless a test asks for Chinese (QUIZGEN_LANG=zh)."""
    monkeypatch.setenv("QUIZGEN_LANG", "en")


@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """quizgen built as a plain wheel and installed, without its dependencies,
    into a folder of its own: (the wheel, the folder)."""
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        check=True,
    )
    (wheel,) = out.glob("quizgen-*.whl")
    site = out / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True
    )
    return wheel, site


def installed_env(site: Path, **extra: str) -> dict[str, str]:
    """An environment that imports quizgen from `site` first, and its dependencies
    from the test environment."""
    path = os.pathsep.join([str(site), sysconfig.get_paths()["purelib"]])
    return {**os.environ, "PYTHONPATH": path, "QUIZGEN_LANG": "en", **extra}
