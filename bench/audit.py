"""Full-log hash verification and replay, next to a bare read and a read-and-decode of the same rows.

    .venv/bin/python -m bench.audit --events 100000 --store postgres

The log is filled with real hub events (children registered and given aliases, sealed
with their keys and chained by the recorder), many aggregates per transaction so that
10^6 events take minutes, not hours. Target (issue #7): replay and verification of 10^6
events in under 30 s, i.e. at least 33,334 events/s.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from bench.common import Row, fresh_store, table, write
from hub.actor import Actor
from hub.aggregates.child import Child
from hub.application import HubApplication
from hub.audit.replay import Replay

TARGET = 1_000_000 / 30  # events/s
PER_CHILD = 5  # a registration and four aliases
PER_SAVE = 400  # children per transaction
BATCH = 5000
CLERK = Actor(agency="cam-almaty", role="manager", user="bench")


def _fill(app: HubApplication, events: int) -> None:
    children = max(1, events // PER_CHILD)
    for start in range(0, children, PER_SAVE):
        batch = []
        for n in range(start, min(children, start + PER_SAVE)):
            child = Child(actor=CLERK, identity={"given_name": f"Child {n}", "city": "almaty"},
                          date_of_birth=date(2012, 1 + n % 12, 1 + n % 28), stated_age=None, categories=["unaccompanied"])
            for alias in range(PER_CHILD - 1):
                child.add_alias(CLERK, f"Alias {n}-{alias}")
            batch.append(child)
        app.save(*batch)


def _bare_read(app: HubApplication, decode: bool) -> tuple[int, float]:
    started, position, rows = time.perf_counter(), 0, 0
    while notifications := app.recorder.select_notifications(start=position + 1, limit=BATCH):
        if decode:
            for notification in notifications:
                app.mapper.to_domain_event(notification)
        rows += len(notifications)
        position = notifications[-1].id
    return rows, time.perf_counter() - started


def run(scale: int, store: str) -> list[Row]:
    with fresh_store(store) as fresh:
        app = HubApplication(fresh.env)
        _fill(app, scale)
        events = app.recorder.max_notification_id()
        read, read_s = _bare_read(app, decode=False)
        decoded, decoded_s = _bare_read(app, decode=True)
        report = app.verify_log()
        assert report.ok, report.problems  # a benchmark of a failing verification would measure nothing
        _, replayed, replay_s = Replay(app).whole_log()
        app.close()
    bare, decoding = read / read_s, decoded / decoded_s
    return [
        Row("hash verification of the whole log", events, store, report.events / report.seconds, "events/s",
            "bare read of the same rows", bare, TARGET,
            note=f"{report.seconds:.1f} s; reads every row and its chain entry, one SHA-256 each"),
        Row("replay of the whole log (decode + fold)", events, store, replayed / replay_s, "events/s",
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
