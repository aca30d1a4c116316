"""Every step, in order. A new step is a new module ``vNNNN_name.py`` added at the end, never an edit of one
already released (a store that applied it would not see the edit)."""

from __future__ import annotations

from hub.migrations.step import Step
from hub.migrations.v0001_adopt import ADOPT
from hub.migrations.v0002_attachment_blobs import ATTACHMENT_BLOBS

STEPS: tuple[Step, ...] = (ADOPT, ATTACHMENT_BLOBS)
