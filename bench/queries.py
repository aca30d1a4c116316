"""Inbox and child-timeline queries at p95 on the dataset, next to the bare reads beneath them.

- the inbox of the Almaty centre, for each queue: the hub's ``inbox`` (catch-up, query, unsealing
  the names, the recorded read) against the bare ``SELECT ... LIMIT 51`` (bench/inbox.py);
- a child's records as the centre's manager may see them (``visible_records``: every record
  read through the policy, each read recorded) against reading the child's rows of the view;
- a case's timeline (``case_history``: the recorded read of the case, then its events) against
  reading and decoding the case's events.

Every read is recorded, so each figure includes a durable write (a commit) that the baselines
do not make. 200 queries each, over different children and cases.
"""

from __future__ import annotations

import itertools

from bench.common import Row
from bench.dataset import dataset, manager
from bench.inbox import percentiles, time_inbox, timed
from hub.actor import Actor
from hub.aggregates.vocabulary import City

QUERIES = 200
TARGET_MS = 50.0


def _row(name: str, scale: int, store: str, figures: dict[str, float], baseline_name: str,
         baseline: dict[str, float]) -> Row:
    return Row(name, scale, store, figures["p95_ms"], "ms p95", baseline_name, baseline["p95_ms"], target=TARGET_MS,
               higher_is_better=False, note=f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms")


def run(scale: int, store: str) -> list[Row]:
    ds = dataset(store, scale)
    app = ds.app
    app.views.catch_up()  # built by the catch-up benchmark when it ran first; not timed here
    city = City.ALMATY
    reader = Actor(manager(city).agency, "manager", "sw-07")  # "mine" is the cases of social worker sw-07
    rows = []
    inbox = time_inbox(app, reader, QUERIES)
    for queue, figures in inbox.items():
        if queue != "baseline_sql":
            rows.append(_row(f"inbox: {queue.removeprefix('inbox_')}", scale, store, figures, "bare SQL (LIMIT 51)",
                             inbox["baseline_sql"]))
    children = itertools.cycle(ds.children[city])
    cases = itertools.cycle(ds.case_ids[city])
    records = percentiles(timed(lambda: app.reads.visible_records(reader, next(children)), QUERIES))
    rows_only = percentiles(timed(lambda: app.views.store.rows_of_child(next(children)), QUERIES))
    rows.append(_row("child timeline: the child's records", scale, store, records, "the child's view rows", rows_only))
    history = percentiles(timed(lambda: app.reads.case_history(reader, next(cases)), QUERIES))
    events = percentiles(timed(lambda: list(app.store.events.get(next(cases))), QUERIES))
    rows.append(_row("child timeline: a case's events", scale, store, history, "read + decode the case's events", events))
    return rows
