"""A whole-log pass turns automatic collection off while it runs: it must come back on, in a server too."""

from __future__ import annotations

import gc
import weakref

from hub.young_collections import frozen_batches, only_young_collections


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


def test_a_replay_freezes_what_it_folds_and_hands_it_back_when_it_ends() -> None:
    """What a whole-log replay keeps is not walked between its batches; once it ends, the collector has it again,
    a cycle made meanwhile included."""
    gc.unfreeze()  # a process as the command line's: nothing frozen at start-up
    with frozen_batches() as between_batches:
        cycle = weakref.ref(_Node())
        kept = [_Node() for _ in range(100)]
        between_batches()
        assert cycle() is not None  # frozen, not collected
        assert gc.get_freeze_count() >= len(kept)
        with frozen_batches() as beside:  # another thread's replay: the last one to end unfreezes
            beside()
        assert gc.get_freeze_count() >= len(kept)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    gc.collect()
    assert cycle() is None


def test_a_worker_that_froze_its_start_up_collects_a_replay_s_batches_instead() -> None:
    """Unfreezing after the replay would hand the worker's start-up (hub.young_collections.start_up_done) back to
    every full collection: its replay's batches are collected as any pass's are."""
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with frozen_batches() as between_batches:
            cycle = weakref.ref(_Node())
            between_batches()
            assert cycle() is None
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
