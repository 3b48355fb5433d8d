"""Benchmark: saving a claim in the authoring workspace, against `quizgen check`.

Run: python benchmarks/workspace_save.py [--runs R]

For each shipped bank (the small example, Plato's Euthyphro, the panel), the
bank is opened in the workspace (a fresh SQLite store) and one of its claims is
saved again through the claim form (the Flask test client: the form parsed,
the bank written by the bank writer and checked by parse_bank, the store
updated, the redirect); then the claim's page is loaded (the questions it
gives, in both languages, and the drafts). The baseline is `quizgen check` of
the same bank (parse_bank of its file text against its source), measured in
the same process with the runs interleaved. Prints the medians and ratios.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from quizgen.bank import parse_bank
from quizgen.web import create_app, store
from quizgen.web import workspace_store as ws

ROOT = Path(__file__).resolve().parent.parent
BANKS = [
    (ROOT / "docs" / "example-bank.yaml", ROOT / "docs" / "example-source.txt"),
    (
        ROOT / "question_banks" / "euthyphro_jowett.yaml",
        ROOT / "seeds" / "001_euthyphro_jowett.txt",
    ),
    (
        ROOT / "question_banks" / "ai_panel_2024.yaml",
        ROOT / "seeds" / "000_55bb846aed3be5ea.txt",
    ),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "INSTANCE_PATH": tmp,
                "BANK_PATHS": [],
            }
        )
        client = app.test_client()
        page = client.get("/workspace").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        for bank_path, source_path in BANKS:
            raw = bank_path.read_text("utf-8")
            source = source_path.read_text("utf-8")
            data = yaml.safe_load(raw)
            with app.app_context():
                key = ws.create(
                    store(), title=bank_path.stem, source_name="s.txt",
                    source_text=source, data=data,
                )  # fmt: skip
            claim = data["claims"][len(data["claims"]) // 2]
            page = client.get(f"/workspace/{key}/claim/{claim['id']}").get_data(
                as_text=True
            )
            fields = {"csrf_token": token, "original": claim["id"], "action": "save"}
            for name, value in re.findall(
                r'<input type="text" id="([^"]+)" name="\1" value="([^"]*)"', page
            ):
                fields[name] = value
            for name, value in re.findall(
                r'<textarea id="([^"]+)" name="\1"[^>]*>([^<]*)<', page
            ):
                fields[name] = value
            for name in ("speaker", "topic", "attribution"):
                fields[name] = claim.get(name, "")
            fields = {
                k: v.replace("&#39;", "'")
                .replace("&#34;", '"')
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                for k, v in fields.items()
            }
            check, save, view = [], [], []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                parse_bank(raw, file=bank_path.name, source_text=source)
                check.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                response = client.post(f"/workspace/{key}/claim", data=fields)
                save.append(time.perf_counter() - t0)
                assert response.status_code == 303, response.get_data(as_text=True)[
                    :3000
                ]
                t0 = time.perf_counter()
                assert client.get(response.headers["Location"]).status_code == 200
                view.append(time.perf_counter() - t0)
            c, s, v = (statistics.median(x) * 1000 for x in (check, save, view))
            print(
                f"{bank_path.name}: {len(data['claims'])} claims; quizgen check "
                f"{c:.0f} ms; save {s:.0f} ms ({s / c:.1f}x check); claim page "
                f"with previews and drafts {v:.0f} ms ({v / c:.1f}x check)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
