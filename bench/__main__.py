"""Every benchmark in one command: prints one table and writes bench/results/all.json.

    .venv/bin/python -m bench                 # 10^4, 10^5 and 10^6 events, PostgreSQL and SQLite
    .venv/bin/python -m bench --quick         # 10^4 events only: a few minutes
    .venv/bin/python -m bench --scale 100000 --store postgres --only submit

Each module in MODULES exposes ``run(scale: int, store: str) -> list[bench.common.Row]``.
"""

from __future__ import annotations

import argparse
import importlib
import time

from bench.common import Row, table, write

MODULES = ("audit",)
SCALES = (10_000, 100_000, 1_000_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10^4 events only")
    parser.add_argument("--scale", type=int, action="append", help="events; repeat for a curve")
    parser.add_argument("--store", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--only", action="append", choices=MODULES, help="one module; repeat for several")
    args = parser.parse_args()
    scales = args.scale or ((SCALES[0],) if args.quick else SCALES)
    stores = ("postgres", "sqlite") if args.store == "both" else (args.store,)
    rows: list[Row] = []
    started = time.perf_counter()
    for name in args.only or MODULES:
        module = importlib.import_module(f"bench.{name}")
        for store in stores:
            for scale in scales:
                print(f"... {name} on {store} at {scale:,} events", flush=True)
                rows += module.run(scale, store)
    print(table(rows))
    path = write("all", rows, scales=list(scales), stores=list(stores), seconds=round(time.perf_counter() - started))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
