"""Chinese punctuation in quizgen's own text: list the string literals to fix, or fix them.

Run: python scripts/zh_punctuation.py [--fix] [PATH ...]   (default: the quizgen package)

Every Python string literal with Chinese in it must read as Chinese: , : ? ; !
next to a Chinese character, and ( ) and " " around Chinese text, are full-width
(`quizgen.rules.zh_punctuation`). Bank texts are converted when questions
are generated and quotes never are; this is for messages, help and pages.
Raw literals (regular expressions) are not checked. --fix leaves a literal
with a backslash escape to be fixed by hand. Exits 1 while a literal needs
fixing.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizgen.rules import zh_punctuation  # noqa: E402

_CHINESE = re.compile("[\u3400-\u9fff]")
#: a literal's prefix (f, r, b, ...) and its opening quotes
_HEAD = re.compile(r"([A-Za-z]*)(\"\"\"|'''|\"|')")


def _fixed(literal: str) -> str:
    """The literal with its Chinese punctuation fixed: its quotes and an
    f-string's {expressions} untouched."""
    head = _HEAD.match(literal)
    assert head is not None, literal
    start, end = head.end(), len(literal) - len(head.group(2))
    body = literal[start:end]
    if "f" not in head.group(1).lower():
        return literal[:start] + zh_punctuation(body) + literal[end:]
    # swap each {expression} for a neutral placeholder, fix, swap back
    parts, kept, i = [], [], 0
    while i < len(body):
        ch = body[i]
        if body.startswith(("{{", "}}"), i):
            parts.append(body[i : i + 2])
            i += 2
        elif ch == "{":
            depth, j, inner = 0, i, ""
            while j < len(body):
                c = body[j]
                if inner:
                    inner = "" if c == inner else inner
                elif c in "'\"":
                    inner = c
                elif c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            parts.append(f"\0{len(kept)}\0")
            kept.append(body[i : j + 1])
            i = j + 1
        else:
            parts.append(ch)
            i += 1
    fixed = zh_punctuation("".join(parts))
    fixed = re.sub("\0(\\d+)\0", lambda m: kept[int(m.group(1))], fixed)
    return literal[:start] + fixed + literal[end:]


def _literals(source: str) -> list[tuple[tokenize.TokenInfo, str]]:
    """(token, fixed text) for each string literal with Chinese that needs fixing.

    Raw literals (regular expressions) are not checked: their marks are syntax.
    """
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.STRING or not _CHINESE.search(tok.string):
            continue
        head = _HEAD.match(tok.string)
        if head is not None and "r" in head.group(1).lower():
            continue
        fixed = _fixed(tok.string)
        if fixed != tok.string:
            out.append((tok, fixed))
    return out


def _by_hand(literal: str) -> bool:
    """A literal with a backslash escape is not rewritten: `\\"` would become `\\“`."""
    return "\\" in literal


def problems(path: Path) -> list[tuple[int, str, str]]:
    """(line, literal, fixed literal) for each string literal of `path` to fix."""
    source = path.read_text(encoding="utf-8")
    return [(tok.start[0], tok.string, fixed) for tok, fixed in _literals(source)]


def fix(path: Path) -> list[tuple[int, str, str]]:
    """Rewrite the literals of `path` in place; return those left to fix by hand."""
    source = path.read_text(encoding="utf-8")
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    edits = _literals(source)
    left = [(t.start[0], t.string, f) for t, f in edits if _by_hand(t.string)]
    for tok, fixed in reversed(edits):
        if _by_hand(tok.string):
            continue
        begin = starts[tok.start[0] - 1] + tok.start[1]
        end = starts[tok.end[0] - 1] + tok.end[1]
        source = source[:begin] + fixed + source[end:]
    if len(left) < len(edits):
        path.write_text(source, encoding="utf-8")
    return left


def files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths or [str(ROOT / "quizgen")]:
        p = Path(raw)
        out.extend(sorted(p.rglob("*.py")) if p.is_dir() else [p])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fix", action="store_true", help="rewrite the literals in place"
    )
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    found = 0
    for path in files(args.paths):
        todo = fix(path) if args.fix else problems(path)
        for line, literal, fixed in todo:
            found += 1
            print(f"{path}:{line}: {literal}\n  -> {fixed}")
    if found and args.fix:
        print(f"{found} literals hold a backslash escape: fix them by hand")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
