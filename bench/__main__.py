"""Every benchmark in one command: prints one table and writes bench/results/all.json.

    .venv/bin/python -m bench                 # 10^4, 10^5 and 10^6 events, PostgreSQL and SQLite
    .venv/bin/python -m bench --quick         # 10^4 events only: a few minutes
    .venv/bin/python -m bench --scale 100000 --store postgres --only submit

Each module in MODULES exposes ``run(scale: int, store: str) -> list[bench.common.Row]``. They run
in this order on each store and scale, sharing one dataset (bench/dataset.py): the catch-up first,
while the views are still empty, then the queries on the views it built, then the submissions.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time

from bench.common import Row, curve, table, write
from bench.dataset import release

MODULES = ("catchup", "queries", "submit", "audit")
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
    load_at_start = os.getloadavg()  # other work on the machine skews every figure: say how much there was
    started = time.perf_counter()
    for store in stores:
        for scale in scales:
            for name in [m for m in MODULES if m in (args.only or MODULES)]:
                print(f"... {name} on {store} at {scale:,} events ({time.perf_counter() - started:.0f} s)", flush=True)
                rows += importlib.import_module(f"bench.{name}").run(scale, store)
            release(store, scale)
            # written after every store and scale, so that a run cut short keeps what it measured
            path = write("all", rows, scales=list(scales), stores=list(stores), load_at_start=load_at_start,
                         seconds=round(time.perf_counter() - started), command=" ".join(["python -m bench", *sys.argv[1:]]))
    print(table(rows))
    if len(scales) > 1:
        print()
        print(curve(rows))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
