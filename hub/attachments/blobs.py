"""Where sealed files are kept: the event store's own database, or an S3-compatible bucket (decision 0047).

Every store keys a file by its child and its id, so an erasure removes a child's files at once.
"""

from __future__ import annotations

from typing import Protocol
from uuid import UUID


class BlobStore(Protocol):
    def put(self, child_id: UUID, attachment_id: UUID, sealed: bytes) -> None: ...

    def get(self, child_id: UUID, attachment_id: UUID) -> bytes | None: ...

    def delete_child(self, child_id: UUID) -> int:
        """Removes every file of the child; how many there were."""
        ...
