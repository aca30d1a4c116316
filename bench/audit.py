"""Full-log hash verification and replay, next to a bare read and a read-and-decode of the same rows.

    .venv/bin/python -m bench.audit --events 100000 --store postgres

Runs on the benchmarks' shared dataset (bench/dataset.py: referrals, cases and their reads,
sealed and chained by the hub itself). Target (issue #7): replay and verification of 10^6
events in under 30 s, i.e. at least 33,334 events/s.
"""

from __future__ import annotations

import argparse
import time

from bench.catchup import read_log
from bench.common import Row, table, write
from bench.dataset import dataset
from hub.audit.replay import Replay
from hub.bootstrap import Hub

TARGET = 1_000_000 / 30  # events/s


def _timed_read(app: Hub, decode: bool) -> float:
    started = time.perf_counter()
    rows = read_log(app, decode)
    return rows / (time.perf_counter() - started)


def run(scale: int, store: str) -> list[Row]:
    app = dataset(store, scale).app
    bare, decoding = _timed_read(app, decode=False), _timed_read(app, decode=True)
    report = app.integrity.verify_log()
    if not report.ok:  # a benchmark of a failing verification would measure nothing
        raise RuntimeError(f"the dataset's log does not verify: {report.problems[:3]}")
    _, replayed, replay_s = Replay(app.store, app.views).whole_log()
    return [
        Row("hash verification of the whole log", report.events, store, report.events / report.seconds, "events/s",
            "bare read of the same rows", bare, TARGET,
            note=f"{report.seconds:.1f} s; reads every row and its chain entry, one SHA-256 each"),
        Row("replay of the whole log (decode + fold)", replayed, store, replayed / replay_s, "events/s",
            "read and decode of the same rows", decoding, TARGET, note=f"{replay_s:.1f} s"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--store", choices=["postgres", "sqlite", "both"], default="both")
    args = parser.parse_args()
    rows = [row for store in (("postgres", "sqlite") if args.store == "both" else (args.store,))
            for row in run(args.events, store)]
    print(table(rows))
    print(f"written to {write('audit', rows)}")


if __name__ == "__main__":
    main()
