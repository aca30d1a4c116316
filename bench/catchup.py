"""Projection catch-up from an empty view, next to reading and decoding the same events.

The projection is the per-agency views runner (hub/projections/agency_views.py): it writes the
views, the inbox, the name index and the read log together, in one transaction per batch of
5,000 events. It starts from the dataset's log with nothing projected. The baseline reads the
same notifications in the same batches and decodes (decrypts) each, projecting nothing, under the
same collector regime (hub/young_collections.py); it runs second, so it finds the children's keys
already unwrapped in memory, which can only make the ratio look worse for the hub, never better.
"""

from __future__ import annotations

import gc
import time

from bench.audit import read
from bench.common import Row
from bench.dataset import dataset
from hub.projections.agency_views import BATCH

TARGET = 50_000  # events/s
TARGET_SHARE = 0.5  # of read-and-decode


def run(scale: int, store: str) -> list[Row]:
    ds = dataset(store, scale)
    app = ds.app
    if app.views.store.position() != 0:
        raise RuntimeError("the views were built already: the catch-up benchmark must run first on a dataset")
    gc.collect()  # neither side walks the garbage of what ran before it
    started, cpu = time.perf_counter(), time.process_time()
    app.views.catch_up()
    projected, projected_cpu = time.perf_counter() - started, time.process_time() - cpu
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    decoded = read(app, decode=True, chain=False, batch=BATCH)
    baseline, baseline_cpu = time.perf_counter() - started, time.process_time() - cpu
    # On a machine shared with other work the wall clock measures the neighbours too: the CPU time of
    # this process (SQLite's work included, PostgreSQL's server not) says what each side costs.
    return [Row(
        "projection catch-up from empty (agency views)", scale, store, decoded / projected, "events/s",
        "read + decode the same events", decoded / baseline, target=TARGET, ratio_target=TARGET_SHARE,
        note=f"{decoded:,} events, {ds.cases:,} cases; {projected:.1f} s; CPU {projected_cpu:.2f} s against"
             f" {baseline_cpu:.2f} s (ratio {baseline_cpu / projected_cpu:.2f})",
    )]
