"""A plain (non-editable) wheel finds its templates, banks and seeds."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    (path,) = out.glob("quizgen-*.whl")
    return path


def test_wheel_maps_data_folders(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "quizgen/_data/question_banks/ai_panel_2024.yaml" in names
    assert "quizgen/_data/seeds/000_55bb846aed3be5ea.txt" in names
    assert any(n.startswith("quizgen/_data/templates/questions/zh/") for n in names)
    assert not any(n.startswith(("tests/", "drafts/", "question_banks/")) for n in names)


def test_installed_wheel_checks_and_builds(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
    )
    env = {
        **os.environ,
        # the installed copy first; the test venv's site-packages for the dependencies
        "PYTHONPATH": os.pathsep.join([str(target), sysconfig.get_paths()["purelib"]]),
        "QUIZGEN_LANG": "en",
    }
    run = {"cwd": tmp_path, "env": env, "capture_output": True, "text": True}
    where = subprocess.run([sys.executable, "-c", "import quizgen, sys; print(quizgen.__file__)"], **run)
    assert where.stdout.strip().startswith(str(target))
    check = subprocess.run([sys.executable, "-m", "quizgen.cli", "check"], **run)
    assert check.returncode == 0, check.stderr
    assert "ai_panel_2024.yaml" in check.stdout
    assert "paragraphs quoted" in check.stdout
    build = subprocess.run(
        [sys.executable, "-m", "quizgen.cli", "build", "ai_panel_2024", "-f", "json", "-n", "5", "-o", "out"], **run
    )
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "out" / "ai-panel-2024-zh.json").exists()
