"""Loading and generation against bank size, with parsing the YAML alone as the baseline.

    python benchmarks/generate.py [--repeat 5]

Builds synthetic banks of 1,000 and 10,000 claims from the shipped one (its
claims copied under new ids, quoting the same source), then times, per size:
yaml.load with libyaml's C loader (the baseline; also with the cyclic garbage
collector paused, as load_bank runs it), load_bank (parse + check against the
source), generating 1,000 questions as a drill (siblings allowed), and
generating a quiz of every question the default rules allow (one per claim,
none giving another's answer away; the copies give each other away, so few
are taken, but each candidate is still compared with those taken). Prints
medians and ratios.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from quizgen.bank import load_bank
from quizgen.generate import Choices, generate

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "question_banks" / "ai_panel_2024.yaml"
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


def synthetic(size: int, folder: Path) -> Path:
    data = yaml.load(BANK.read_text(encoding="utf-8"), Loader=Loader)
    base = data["claims"]
    claims = []
    for i in range(size):
        claim = dict(base[i % len(base)])
        if i >= len(base):
            claim["id"] = f"{claim['id']}_x{i}"
        claims.append(claim)
    data["claims"] = claims
    data["source"]["file"] = str(ROOT / "seeds" / "000_55bb846aed3be5ea.txt")
    path = folder / f"bank-{size}.yaml"
    path.write_text(
        yaml.dump(data, Dumper=_NoAliases, allow_unicode=True), encoding="utf-8"
    )
    return path


def _without_gc(fn, *args, **kwargs):
    """The baseline as load_bank runs it: the cyclic collector paused."""
    gc.disable()
    try:
        return fn(*args, **kwargs)
    finally:
        gc.enable()


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(
        f"python {sys.version.split()[0]}, yaml loader {Loader.__name__}, repeat {args.repeat} (medians)"
    )
    print(
        f"{'claims':>7} {'MB':>6} {'yaml.load':>10} {'(gc off)':>10} {'load_bank':>10} "
        f"{'ratio':>6} {'(gc off)':>8} {'gen 1000':>9} {'gen/claim µs':>12} {'one/claim':>10}"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (1_000, 10_000):
            path = synthetic(size, Path(tmp))
            text = path.read_text(encoding="utf-8")
            t_yaml = median_time(
                lambda text=text: yaml.load(text, Loader=Loader), args.repeat
            )
            t_yaml_nogc = median_time(
                lambda text=text: _without_gc(yaml.load, text, Loader=Loader),
                args.repeat,
            )
            t_load = median_time(lambda path=path: load_bank(path), args.repeat)
            bank = load_bank(path)
            t_gen = median_time(
                lambda bank=bank: generate(
                    load_bank_cached(bank), Choices(count=1000, seed=1, siblings=True)
                ),
                args.repeat,
            )
            t_one = median_time(
                lambda bank=bank: generate(load_bank_cached(bank), Choices(seed=1)),
                args.repeat,
            )
            rows.append((size, t_gen))
            print(
                f"{size:>7} {path.stat().st_size / 1e6:>6.1f} {t_yaml:>9.3f}s {t_yaml_nogc:>9.3f}s "
                f"{t_load:>9.3f}s {t_load / t_yaml:>5.2f}x {t_load / t_yaml_nogc:>7.2f}x "
                f"{t_gen:>8.3f}s {t_gen / size * 1e6:>12.1f} {t_one:>9.3f}s"
            )
    (small, t_small), (large, t_large) = rows
    print(
        f"generation time ratio {large}/{small} claims: {t_large / t_small:.2f}x for {large / small:.0f}x the claims"
    )


def load_bank_cached(bank):
    # a fresh Bank object each run, so no per-bank cache is reused between runs
    from dataclasses import replace

    return replace(bank)


if __name__ == "__main__":
    main()
