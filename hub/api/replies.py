"""A command's answer, and the log position it wrote: a later read can ask the views to have reached it."""

from __future__ import annotations

from typing import Any

from fastapi import Response

from hub.services.commit import Reply

POSITION = "Hub-Position"  # on a command's answer: the log position its events reached
MIN_POSITION = "Hub-Min-Position"  # on a read: serve it from views that reached at least this position


def answered(reply: Reply, response: Response) -> dict[str, Any]:
    """What the caller may see of the record its command changed, with the position the command wrote."""
    if reply.position is not None:
        response.headers[POSITION] = str(reply.position)
    return reply.record()
