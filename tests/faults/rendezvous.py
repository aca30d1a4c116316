"""Two commands made certain to race: the first save each makes of the record they both act on waits
until the other has got as far, so both decided on the same version of it. Two managers pressing their
buttons at the same moment do that now and then; here it happens every time."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

from hub.bootstrap import Hub

TIMEOUT = 10.0


class SavesMeet:
    def __init__(self, hub: Hub, record_id: UUID, parties: int = 2) -> None:
        self.hub, self.record_id = hub, record_id
        self.barrier = threading.Barrier(parties, timeout=TIMEOUT)
        self.waiting = parties
        self.lock = threading.Lock()
        self.save = hub.store.save

    def __enter__(self) -> SavesMeet:
        self.hub.store.save = self._meet_then_save  # type: ignore[method-assign]  # shadows the class's for this hub only
        return self

    def __exit__(self, *exc: object) -> None:
        del self.hub.store.save

    def _meet_then_save(self, *records: Any, **kwargs: Any) -> Any:
        if any(getattr(r, "id", None) == self.record_id for r in records) and self._first_of_its_command():
            self.barrier.wait()
        return self.save(*records, **kwargs)

    def _first_of_its_command(self) -> bool:
        with self.lock:
            self.waiting -= 1
            return self.waiting >= 0
