"""Verification of the whole log against its chain, its checkpoints and the heads held outside the
database: ``hub audit verify``.

Streams the events and the chain side by side in position order and names
every position where they disagree, first one first:

- ``altered``: the event's bytes hash to a digest no chain entry has;
- ``reordered``: the event's digest is the one chained at another position;
- ``inserted``: an event with no chain entry (written around the hub);
- ``missing``: a chain entry whose event is gone;
- ``chain-broken``: a link that does not follow from the one before (an entry
  removed, or the chain rewritten);
- ``checkpoint-forged`` / ``checkpoint-mismatch`` / ``truncated``: a checkpoint
  in the database whose signature fails, whose link or Merkle root differs from
  the chain's, or that lies past the end of the log;
- ``checkpoint-missing``: a position where the log's length says a checkpoint
  was signed (the first at or past each multiple of ``HUB_CHECKPOINT_EVERY``)
  but the database has none.

Against the heads held outside (docs/decisions/0021), which an intruder in the
database cannot reach:

- ``head-forged``: a held head whose signature fails with the pinned key;
- ``head-conflict``: two validly signed heads at one position that differ (the
  signing key signed a rewritten log);
- ``head-mismatch``: the log at a held head's position is not what it signed
  (the log was rewritten at or before that position);
- ``truncated``: the log ends before a held head;
- ``head-missing``: a checkpoint due before the latest held head that was never
  published (a gap in the series held outside).
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from hub import progress
from hub.audit.chain import GENESIS, content_digest, next_link
from hub.audit.chain_store import ChainEntry, ChainStore, crosses
from hub.audit.checkpoint import Checkpoint
from hub.audit.merkle import Frontier
from hub.audit.signer import CheckpointKey
from hub.young_collections import only_young_collections

BATCH = 5000
SHOWN = 20  # problems listed in full, the first by position; the count covers all of them


@dataclass(frozen=True)
class Problem:
    kind: str
    position: int
    detail: str


@dataclass
class Verification:
    events: int = 0
    head: int = 0
    head_link: str = GENESIS.hex()
    checkpoints: int = 0
    trusted_heads: int = 0
    latest_trusted: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, kind: str, position: int, detail: str) -> None:
        """Counts every problem and keeps the first ``SHOWN`` by position, whatever order they are found in."""
        self.problem_count += 1
        bisect.insort(self.problems, Problem(kind, position, detail), key=lambda p: (p.position, p.kind))
        del self.problems[SHOWN:]

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "head": self.head,
            "head_link": self.head_link,
            "checkpoints": self.checkpoints,
            "trusted_heads": self.trusted_heads,
            "latest_trusted": self.latest_trusted,
            "problem_count": self.problem_count,
            "first_problem": vars(self.problems[0]) if self.problems else None,
            "problems": [vars(p) for p in self.problems],
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Tree:
    """The chain at one position: its link, and the Merkle tree's size and root there."""

    link: bytes
    size: int
    root: bytes

    def signed_by(self, checkpoint: Checkpoint) -> bool:
        return (self.link, self.size, self.root) == (checkpoint.link, checkpoint.tree_size, checkpoint.root)


class LogVerifier:
    def __init__(
        self, recorder: Any, chain: ChainStore, key: CheckpointKey, trusted: Sequence[Checkpoint] = ()
    ) -> None:
        self.recorder = recorder
        self.chain = chain
        self.key = key
        self.trusted = trusted

    def verify(self) -> Verification:
        started = time.perf_counter()
        report = Verification()
        checkpoints = self.chain.checkpoints.after(0)
        held = self._vetted(report)
        wanted = {c.position for c in checkpoints} | held.keys()
        trees: dict[int, Tree] = {}  # kept only where a checkpoint or a held head needs them
        due: list[int] = []
        link, head, frontier = GENESIS, 0, Frontier()
        mismatched: list[tuple[int, bytes]] = []
        for position, event, entry in self._merged():
            if entry is not None:
                expected = next_link(link, entry.position, entry.digest)
                if entry.link != expected:
                    report.add("chain-broken", position, "this link does not follow from the one before it:"
                               " a chain entry was removed or the chain rewritten")
                if crosses(head, position, self.chain.every):
                    due.append(position)
                link, head = entry.link, position
                frontier.append(entry.leaf)
                if position in wanted:
                    trees[position] = Tree(link, frontier.size, frontier.root())
            if event is None:
                report.add("missing", position, "the chain records an event here that the log no longer holds")
                continue
            report.events += 1
            digest = content_digest(event.originator_id, event.originator_version, event.topic, event.state)
            if entry is None:
                report.add("inserted", position, f"event {event.originator_id} v{event.originator_version}"
                           " is in the log but was never chained: it was written around the hub")
            elif digest != entry.digest:
                mismatched.append((position, digest))
        for position, digest in mismatched:
            elsewhere = [p for p in self.chain.positions_of(digest) if p != position]
            if elsewhere:
                report.add("reordered", position, f"the event here is the one chained at position {elsewhere[0]}")
            else:
                report.add("altered", position, "the stored event differs from the one chained here")
        self._check_checkpoints(report, checkpoints, trees, head, due)
        self._check_held(report, held, trees, head, due)
        report.head, report.head_link = head, link.hex()
        report.seconds = time.perf_counter() - started
        return report

    def _merged(self) -> Iterator[tuple[int, Any, ChainEntry | None]]:
        """(position, event or None, chain entry or None) in position order, read in batches."""
        after, total = 0, self.recorder.max_notification_id() or 0
        with only_young_collections() as between_batches:
            while True:
                progress.report("verify", after, total)
                events = self.recorder.select_notifications(start=after + 1, limit=BATCH)
                up_to = events[-1].id if len(events) == BATCH else None
                yield from _paired(events, self.chain.entries(after, up_to))
                between_batches()
                if up_to is None:
                    progress.report("verify", total, total)
                    return
                after = up_to

    def _check_checkpoints(
        self, report: Verification, checkpoints: list[Checkpoint], trees: dict[int, Tree], last: int, due: list[int]
    ) -> None:
        for checkpoint in checkpoints:
            report.checkpoints += 1
            tree = trees.get(checkpoint.position)
            if not self.key.verifies(checkpoint):
                report.add("checkpoint-forged", checkpoint.position,
                           f"the checkpoint signed at {checkpoint.signed_at.isoformat()} does not verify with key {self.key.id}")
            elif checkpoint.position > last:
                report.add("truncated", checkpoint.position,
                           f"a checkpoint was signed at position {checkpoint.position} but the chain ends at {last}")
            elif tree is None or not tree.signed_by(checkpoint):
                report.add("checkpoint-mismatch", checkpoint.position,
                           "the chain here is not the one the checkpoint signed: the chain was rewritten")
        signed = {c.position for c in checkpoints}
        for position in due:
            if position not in signed:
                report.add("checkpoint-missing", position, f"the log's length says a checkpoint was signed here"
                           f" (every {self.chain.every} events) but the database has none: checkpoints were deleted")

    def _vetted(self, report: Verification) -> dict[int, Checkpoint]:
        """The held heads whose signature verifies, one per position."""
        held: dict[int, Checkpoint] = {}
        conflicting: set[int] = set()
        for head in self.trusted:
            if not self.key.verifies(head):
                report.add("head-forged", head.position,
                           f"the head held outside for position {head.position} does not verify with key {self.key.id}")
            elif head.position in held and held[head.position] != head:
                conflicting.add(head.position)
            else:
                held[head.position] = head
        for position in sorted(conflicting):
            report.add("head-conflict", position, "two different heads for this position are both validly signed:"
                       " the signing key was used to sign a rewritten log")
        report.trusted_heads = len(held)
        report.latest_trusted = max(held, default=0)
        return held

    def _check_held(
        self, report: Verification, held: dict[int, Checkpoint], trees: dict[int, Tree], last: int, due: list[int]
    ) -> None:
        for position, head in sorted(held.items()):
            tree = trees.get(position)
            if position > last:
                report.add("truncated", position, f"a head held outside was signed at position {position}"
                           f" ({head.signed_at.isoformat()}) but the log ends at {last}")
            elif tree is None or not tree.signed_by(head):
                report.add("head-mismatch", position, "the log up to here is not the one whose head is held outside:"
                           " it was rewritten at or before this position")
        for position in due:
            if position < report.latest_trusted and position not in held:
                report.add("head-missing", position, "a checkpoint due here was never published outside the database,"
                           f" though later ones were (up to {report.latest_trusted})")


def _paired(events: Sequence[Any], entries: Sequence[ChainEntry]) -> Iterator[tuple[int, Any, ChainEntry | None]]:
    """A batch's events beside its chain entries, position by position. An untouched log has one entry per
    event at the same positions, which one comparison of the two lists shows, and the pairs are then the
    lists zipped; a log with events or entries inserted or removed is matched up by position."""
    positions = [e.id for e in events]
    if positions == [e.position for e in entries]:
        return zip(positions, events, entries, strict=True)
    by_position = dict(zip(positions, events, strict=True))
    chained = {e.position: e for e in entries}
    return ((p, by_position.get(p), chained.get(p)) for p in sorted(by_position.keys() | chained.keys()))
