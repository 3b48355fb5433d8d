"""quizgen's own Chinese (messages, help, pages) uses Chinese punctuation."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from quizgen.rules import zh_punctuation

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "zh_punctuation.py"
# full-width marks, spelled out: （ ） ， ； ： ？
L, R, C, S, K, Q = "\uff08", "\uff09", "\uff0c", "\uff1b", "\uff1a", "\uff1f"


def _script():
    spec = importlib.util.spec_from_file_location("zh_punctuation", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_chinese_literal_of_the_package_reads_as_chinese() -> None:
    script = _script()
    found = [
        f"{path.relative_to(ROOT)}:{line}: {literal}  ->  {fixed}"
        for path in script.files([])
        for line, literal, fixed in script.problems(path)
    ]
    assert len(script.files([])) > 30
    assert found == [], "run: python scripts/zh_punctuation.py --fix\n" + "\n".join(
        found
    )


def test_ui_rule_converts_marks_next_to_chinese_and_parentheses_around_it() -> None:
    assert (
        zh_punctuation("文件过大(12 字节;上限为 10)")
        == f"文件过大{L}12 字节{S}上限为 10{R}"
    )
    assert zh_punctuation("题目 'x':答案,对吗?") == f"题目 'x'{K}答案{C}对吗{Q}"
    for english in ("GPT-4, Claude: ok? (yes)", "--allow-fewer (see --help)"):
        assert zh_punctuation(english) == english
    assert zh_punctuation('文中"有限发展"应为"优先发展"') == (
        "文中\u201c有限发展\u201d应为\u201c优先发展\u201d"
    )
    assert zh_punctuation('"a" 和 "b"') == '"a" 和 "b"'  # pairs, not what is between
    # ASCII kept where it is code: an option name, a URL
    assert zh_punctuation("允许更少(--allow-fewer)") == "允许更少(--allow-fewer)"
    assert zh_punctuation("打开 http://a:8000/") == "打开 http://a:8000/"


def test_fixer_leaves_f_string_expressions_alone(tmp_path: Path) -> None:
    script = _script()
    assert script._fixed("f\"{t('all', '合计'):<14}{n}\"") == (
        "f\"{t('all', '合计'):<14}{n}\""
    )
    assert script._fixed("f\"格式 '{x}'(可选:{'、'.join(a)})\"") == (
        f"f\"格式 '{{x}}'{L}可选{K}{{'、'.join(a)}}{R}\""
    )
    assert script._fixed('f"{{c1::x}} 中:{y}"') == f'f"{{{{c1::x}}}} 中{K}{{y}}"'

    bad = tmp_path / "m.py"
    bad.write_text(
        'MESSAGE = f"{n} 道题,{m} 个文件:"\n'
        'CODE = "a, b: c"\n'
        'PATTERN = r"(?:第)(\\d+)段"\n'  # a regex: its marks are syntax
        'ESCAPED = "他说\\"你好\\",对吗"\n',  # fixed by hand, not rewritten
        "utf-8",
    )
    run = [sys.executable, str(SCRIPT), str(bad)]
    check = subprocess.run(run, capture_output=True, text=True, check=False)
    assert check.returncode == 1
    assert "m.py:1:" in check.stdout
    assert "m.py:3:" not in check.stdout
    assert "m.py:4:" in check.stdout
    fixing = subprocess.run(
        [*run[:2], "--fix", str(bad)], capture_output=True, text=True, check=False
    )
    assert fixing.returncode == 1
    assert "m.py:4:" in fixing.stdout
    assert "fix them by hand" in fixing.stdout
    assert bad.read_text("utf-8") == (
        f'MESSAGE = f"{{n}} 道题{C}{{m}} 个文件{K}"\n'
        'CODE = "a, b: c"\n'
        'PATTERN = r"(?:第)(\\d+)段"\n'
        'ESCAPED = "他说\\"你好\\",对吗"\n'
    )
    compile(bad.read_text("utf-8"), str(bad), "exec")
