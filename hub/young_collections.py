"""Only the young generations collected while a pass over the log runs (replay, verification, the views'
catch-up).

Such a pass keeps each batch of events alive until the next, and a replay or the views' fold keeps every
aggregate it folds: both push objects into the collector's oldest generation, and each full collection that
this sets off walks the whole heap again. Measured on 10^5 events (SQLite), full collections were a fifth
of reading and decoding, half of verifying and over two fifths of replaying, while finding no garbage
(the fold and the verification make no reference cycles); the catch-up's young passes, every 700
allocations, about a fifth of its CPU. So while a pass runs the automatic collector is off, and the pass
collects the young generations between its batches, which still frees any cycle a batch leaves behind, of
this thread or any other; whatever reaches the oldest generation waits for the collector's next full
collection once the last pass is done.

A long-running worker (``hub serve``'s workers, ``hub ingest``, ``hub relay``) also freezes what its start-up
made once it is ready (``start_up_done``).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_passes = 0
_was_enabled = False
_freezing = 0  # passes freezing their batches (``frozen_batches``) running now


def _collect_young() -> None:
    gc.collect(1)


@contextmanager
def only_young_collections() -> Iterator[Callable[[], None]]:
    """Automatic collection off for the block (and for any pass running beside it); yields what to call
    between batches. The collector is enabled again when the last such block ends, if it was before the first."""
    global _passes, _was_enabled
    with _lock:
        if _passes == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _passes += 1
    try:
        yield _collect_young
    finally:
        with _lock:
            _passes -= 1
            if _passes == 0 and _was_enabled:
                gc.enable()


@contextmanager
def frozen_batches() -> Iterator[Callable[[], None]]:
    """For a pass that keeps what it folds (a replay of the whole log, the views' catch-up): between batches what is
    tracked is frozen instead of collected, and unfrozen, into the oldest generation, when the last such pass
    ends. Collecting the young generations walks every object the fold keeps once (5.4 tracked objects an event:
    an eighth of replaying 10^6 events, 2.6-3.7 s of CPU); freezing moves them in one step, and only a full
    collection while the fold still lives would walk them. A cycle made meanwhile, by this thread or another,
    waits for that full collection instead of the next batch. Where start-up was frozen (``start_up_done``: the
    workers) the batches are collected as ``only_young_collections`` does: unfreezing would hand start-up back
    to every full collection."""
    global _freezing
    with _lock:
        freezing = _freezing > 0 or gc.get_freeze_count() == 0
        _freezing += freezing
    try:
        with only_young_collections() as collect:
            yield gc.freeze if freezing else collect
    finally:
        with _lock:
            _freezing -= freezing
            if freezing and _freezing == 0:
                gc.unfreeze()


def start_up_done() -> None:
    """What start-up made (modules, schemas, the policy's tables) lives as long as the process: left out of the
    collector's full passes, which otherwise walk it again each time the aggregates a worker saves and holds
    pile up (docs/decisions/0058: over 30 Kafka polls, 2.5 s of full collections fell to 1.5 s)."""
    gc.freeze()
