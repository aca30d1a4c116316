"""Fewer garbage collections while a batch of the log is folded into the views.

A batch makes tens of thousands of objects that live on (the fold's aggregates and dossiers) or die by
reference counting (records, rows): the collector's young-generation passes, every 700 allocations by
default, keep walking objects that are neither cyclic nor garbage. Raising that threshold for the
batch cut the catch-up's CPU by about a quarter (docs/benchmarks.md); cyclic garbage is still collected, later.
The threshold is the process's: the first batch to start raises it, the last to finish puts it back.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 100_000

_lock = threading.Lock()
_inside = 0
_saved: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    global _inside, _saved
    with _lock:
        if _inside == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(max(YOUNG_THRESHOLD, _saved[0]), _saved[1], _saved[2])
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0:
                gc.set_threshold(*_saved)
                gc.collect(0)  # what the raised threshold left young is the batch's to walk, not the next caller's
