"""A whole-log pass turns automatic collection off while it runs: it must come back on, in a server too."""

from __future__ import annotations

import gc
import weakref

from hub.young_collections import only_young_collections


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_the_collector_is_on_again_after_the_last_of_overlapping_passes() -> None:
    assert gc.isenabled()
    with only_young_collections():
        assert not gc.isenabled()
        with only_young_collections():  # another thread's replay, say
            pass
        assert not gc.isenabled()  # the first pass is still running
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off() -> None:
    gc.disable()
    try:
        with only_young_collections():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_cycle_left_by_a_batch_is_freed_between_batches() -> None:
    with only_young_collections() as between_batches:
        left = weakref.ref(_Node())
        assert left() is not None
        between_batches()
        assert left() is None
