"""Full-log hash verification and replay, each next to a bare read of what it reads.

    .venv/bin/python -m bench.audit --events 100000 --store postgres

Runs on the benchmarks' shared dataset (bench/dataset.py: referrals, cases and their reads,
sealed and chained by the hub itself). Targets: 10^6 events in under 30 s, i.e. at least 33,334
events/s (issue #7), and each at least 0.7 of its baseline (issue #13):

- verification reads every event and its chain entry and hashes them; replay reads, decodes and folds
  every event. The baseline of both is the issue's: reading and decoding the same events, in the same
  batches. Verification decodes nothing, so it is also set beside a stricter one in its note: reading the
  same events and the same chain rows and doing nothing with them.

The baselines run under the collector regime the hub's passes run under (hub/young_collections.py),
so that the ratio compares the work per event, not how often the collector happened to walk the heap.
On a shared machine the wall clock measures the neighbours too: each note gives the CPU time of this
process (SQLite's work included, PostgreSQL's server not) and the ratio of those.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from bench.common import Row, table, write
from bench.dataset import dataset
from hub.audit.chain_store import TABLES
from hub.audit.replay import Replay
from hub.audit.verify import BATCH
from hub.bootstrap import Hub
from hub.young_collections import only_young_collections

TARGET = 1_000_000 / 30  # events/s
TARGET_SHARE = 0.7  # of the baseline

_CHAIN_ROWS = "SELECT notification_id, digest, link FROM {hub_chain} WHERE notification_id > ? AND notification_id <= ?"


def read(app: Hub, *, decode: bool, chain: bool, batch: int = BATCH) -> int:
    """Every event read in the passes' batches (decoded, and its chain rows read, if asked); how many there were."""
    position, count = 0, 0
    with only_young_collections() as between_batches:
        while notifications := app.store.recorder.select_notifications(start=position + 1, limit=batch):
            if decode:
                for notification in notifications:
                    app.store.mapper.to_domain_event(notification)
            if chain:
                app.store.chain.sql.query(_CHAIN_ROWS, TABLES, [position, notifications[-1].id])
            position, count = notifications[-1].id, count + len(notifications)
            between_batches()
    return count


def timed(work: Callable[[], int]) -> tuple[int, float, float]:
    """(what ``work`` returned, wall seconds, CPU seconds of this process)."""
    started, cpu = time.perf_counter(), time.process_time()
    count = work()
    return count, time.perf_counter() - started, time.process_time() - cpu


def _verified(app: Hub) -> int:
    report = app.integrity.verify_log()
    if not report.ok:  # a benchmark of a failing verification would measure nothing
        raise RuntimeError(f"the dataset's log does not verify: {report.problems[:3]}")
    return report.events


def _row(name: str, store: str, measured: tuple[int, float, float], baseline_name: str,
         baseline: tuple[int, float, float], note: str) -> Row:
    events, seconds, cpu = measured
    base_events, base_seconds, base_cpu = baseline
    return Row(name, events, store, events / seconds, "events/s", baseline_name, base_events / base_seconds, TARGET,
               ratio_target=TARGET_SHARE,
               note=f"{seconds:.1f} s; {note}; CPU {cpu:.2f} s against {base_cpu:.2f} s (ratio {base_cpu / cpu:.2f})")


def run(scale: int, store: str) -> list[Row]:
    app = dataset(store, scale).app
    bare = timed(lambda: read(app, decode=False, chain=True))
    verified = timed(lambda: _verified(app))
    decoded = timed(lambda: read(app, decode=True, chain=False))
    replayed = timed(lambda: Replay(app.store, app.views).whole_log()[1])
    return [
        _row("hash verification of the whole log", store, verified, "read and decode of the same rows", decoded,
             f"reads every row and its chain entry: three SHA-256 each, and the Merkle tree; against a bare read of"
             f" the rows and chain entries, CPU ratio {bare[2] / verified[2]:.2f}"),
        _row("replay of the whole log (decode + fold)", store, replayed, "read and decode of the same rows",
             decoded, "every aggregate folded"),
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
