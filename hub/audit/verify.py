"""Verification of the whole log against its chain and checkpoints: ``hub audit verify``.

Streams the events and the chain side by side in position order and names
every position where they disagree, first one first:

- ``altered``: the event's bytes hash to a digest no chain entry has;
- ``reordered``: the event's digest is the one chained at another position;
- ``inserted``: an event with no chain entry (written around the hub);
- ``missing``: a chain entry whose event is gone;
- ``chain-broken``: a link that does not follow from the one before (an entry
  removed, or the chain rewritten);
- ``checkpoint-forged`` / ``checkpoint-mismatch`` / ``truncated``: a checkpoint
  whose signature fails, whose link differs from the chain's, or that lies past
  the end of the log.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hub.audit.chain import GENESIS, content_digest, next_link
from hub.audit.chain_store import ChainEntry, ChainStore, Checkpoint
from hub.audit.signer import CheckpointKey

BATCH = 5000
SHOWN = 20  # problems listed in full; the count covers all of them


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
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, kind: str, position: int, detail: str) -> None:
        self.problem_count += 1
        if len(self.problems) < SHOWN:
            self.problems.append(Problem(kind, position, detail))

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "head": self.head,
            "head_link": self.head_link,
            "checkpoints": self.checkpoints,
            "problem_count": self.problem_count,
            "first_problem": vars(self.problems[0]) if self.problems else None,
            "problems": [vars(p) for p in self.problems],
            "seconds": round(self.seconds, 3),
        }


class LogVerifier:
    def __init__(self, recorder: Any, chain: ChainStore, key: CheckpointKey) -> None:
        self.recorder = recorder
        self.chain = chain
        self.key = key

    def verify(self) -> Verification:
        started = time.perf_counter()
        report = Verification()
        checkpoints = self.chain.checkpoints()
        signed = {c.position for c in checkpoints}
        link, head, links = GENESIS, 0, {}  # links kept only where a checkpoint needs them
        mismatched: list[tuple[int, bytes]] = []
        for position, event, entry in self._merged():
            if entry is not None:
                expected = next_link(link, entry.position, entry.digest)
                if entry.link != expected:
                    report.add("chain-broken", position, "this link does not follow from the one before it:"
                               " a chain entry was removed or the chain rewritten")
                link, head = entry.link, position
                if position in signed:
                    links[position] = link
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
        self._check_checkpoints(report, checkpoints, links, head)
        report.problems.sort(key=lambda p: (p.position, p.kind))
        report.head, report.head_link = head, link.hex()
        report.seconds = time.perf_counter() - started
        return report

    def _merged(self) -> Iterator[tuple[int, Any, ChainEntry | None]]:
        """(position, event or None, chain entry or None) in position order, read in batches."""
        after = 0
        while True:
            events = self.recorder.select_notifications(start=after + 1, limit=BATCH)
            up_to = events[-1].id if len(events) == BATCH else None
            entries = {e.position: e for e in self.chain.entries(after, up_to)}
            by_position = {e.id: e for e in events}
            for position in sorted(by_position.keys() | entries.keys()):
                yield position, by_position.get(position), entries.get(position)
            if up_to is None:
                return
            after = up_to

    def _check_checkpoints(
        self, report: Verification, checkpoints: list[Checkpoint], links: dict[int, bytes], last: int
    ) -> None:
        for checkpoint in checkpoints:
            report.checkpoints += 1
            if checkpoint.key_id != self.key.id or not self.key.verifies(checkpoint.position, checkpoint.link, checkpoint.signature):
                report.add("checkpoint-forged", checkpoint.position,
                           f"the checkpoint signed at {checkpoint.signed_at.isoformat()} does not verify with key {self.key.id}")
            elif checkpoint.position > last:
                report.add("truncated", checkpoint.position,
                           f"a checkpoint was signed at position {checkpoint.position} but the chain ends at {last}")
            elif links.get(checkpoint.position) != checkpoint.link:
                report.add("checkpoint-mismatch", checkpoint.position,
                           "the chain's link here is not the one the checkpoint signed: the chain was rewritten")
