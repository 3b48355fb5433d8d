"""Benchmark: the web app's pages and downloads on the shipped bank.

Run: python benchmarks/web_requests.py [--runs R] [--count N]

Each page is requested R times through the Flask test client on a fresh SQLite
store (no network); the baseline is the work the page cannot avoid, done
directly in the same process: `generate()` for the preview and the builder,
`generate()` + `export("json")` for the JSON download. Prints medians in
milliseconds and the ratio page / baseline (the cost of the app around the
domain call: request, store, template).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from webutil import csrf_token, make_app  # noqa: E402

from quizgen.bank import load_bank  # noqa: E402
from quizgen.export import export  # noqa: E402
from quizgen.generate import Choices, generate  # noqa: E402

BANK = ROOT / "question_banks" / "ai_panel_2024.yaml"


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    bank = load_bank(BANK)
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp), BANK_PATHS=[BANK])
        client = app.test_client()
        key = BANK.stem
        token = csrf_token(client, f"/build/{key}")
        form = {
            "csrf_token": token,
            "lang": "zh",
            "seed": "5",
            "versions": "2",
            "count": str(args.count),
            "action": "build",
        }
        location = client.post(f"/build/{key}", data=form).headers["Location"]
        html = client.get(location).get_data(as_text=True)
        assert len(re.findall(r'class="question"', html)) == args.count

        choices = Choices(lang="zh", seed=5, versions=2, count=args.count)
        out = Path(tmp) / "out"

        def baseline_export() -> None:
            export("json", generate(bank, choices), out)

        rows = [
            (
                "generate() alone (baseline)",
                median_ms(lambda: generate(bank, choices), args.runs),
            ),
            (
                "generate() + export json (baseline)",
                median_ms(baseline_export, args.runs),
            ),
            ("GET / (home)", median_ms(lambda: client.get("/"), args.runs)),
            (
                "GET /build/<bank>",
                median_ms(lambda: client.get(f"/build/{key}"), args.runs),
            ),
            (
                "POST /build/<bank>/available (JSON)",
                median_ms(
                    lambda: client.post(
                        f"/build/{key}/available",
                        json={"lang": "zh", "difficulty": [1, 2]},
                        headers={"X-CSRFToken": token},
                    ),
                    args.runs,
                ),
            ),
            (
                "POST /build/<bank> (build + save)",
                median_ms(lambda: client.post(f"/build/{key}", data=form), args.runs),
            ),
            (
                "GET /q/<code> (preview)",
                median_ms(lambda: client.get(location), args.runs),
            ),
            (
                "GET /q/<code>/download/json",
                median_ms(lambda: client.get(f"{location}/download/json"), args.runs),
            ),
            (
                "GET /q/<code>/download/anki",
                median_ms(lambda: client.get(f"{location}/download/anki"), args.runs),
            ),
            (
                "GET /q/<code>/download/docx",
                median_ms(
                    lambda: client.get(f"{location}/download/docx"),
                    max(3, args.runs // 4),
                ),
            ),
            (
                "GET /source/<bank>",
                median_ms(lambda: client.get(f"/source/{key}"), args.runs),
            ),
        ]
        sizes = {
            "preview HTML": len(client.get(location).data),
            "source view HTML": len(client.get(f"/source/{key}").data),
            "json zip": len(client.get(f"{location}/download/json").data),
            "docx zip": len(client.get(f"{location}/download/docx").data),
        }
        store = app.extensions["quizgen.store"]
        store.dispose()
    print(
        f"bank {bank.id}: {len(bank.claims)} claims; quiz of {args.count} questions, "
        f"2 versions, zh; median of {args.runs} runs"
    )
    width = max(len(name) for name, _ in rows)
    gen = rows[0][1]
    exp = rows[1][1]
    for name, ms in rows:
        ratio = ""
        if name in ("GET /q/<code> (preview)", "POST /build/<bank> (build + save)"):
            ratio = f"  ({ms / gen:.1f}x generate)"
        if name == "GET /q/<code>/download/json":
            ratio = f"  ({ms / exp:.1f}x generate + export)"
        print(f"  {name:<{width}}  {ms:8.1f} ms{ratio}")
    for name, size in sizes.items():
        print(f"  {name}: {size / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
