"""A plain (non-editable) wheel finds its templates, banks and seeds."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import installed_env


def test_wheel_maps_data_folders(installed_wheel):
    wheel, _site = installed_wheel
    names = zipfile.ZipFile(wheel).namelist()
    assert "quizgen/_data/question_banks/ai_panel_2024.yaml" in names
    assert "quizgen/_data/seeds/000_55bb846aed3be5ea.txt" in names
    assert any(n.startswith("quizgen/_data/templates/questions/zh/") for n in names)
    assert not any(
        n.startswith(("tests/", "drafts/", "question_banks/")) for n in names
    )


def test_installed_wheel_checks_and_builds(installed_wheel, tmp_path):
    _wheel, site = installed_wheel
    run = {
        "cwd": tmp_path,
        "env": installed_env(site),
        "capture_output": True,
        "text": True,
    }
    where = subprocess.run(
        [sys.executable, "-c", "import quizgen, sys; print(quizgen.__file__)"], **run
    )
    assert where.stdout.strip().startswith(str(site))
    check = subprocess.run([sys.executable, "-m", "quizgen.cli", "check"], **run)
    assert check.returncode == 0, check.stderr
    assert "ai_panel_2024.yaml" in check.stdout
    assert "paragraphs quoted" in check.stdout
    cli = [sys.executable, "-m", "quizgen.cli"]
    build = subprocess.run(
        [*cli, "build", "ai_panel_2024", "-f", "json", "-n", "5", "-o", "out"], **run
    )
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "out" / "ai-panel-2024-zh.json").exists()
