"""How the hub's own value types are written into stored events."""

from __future__ import annotations

from datetime import date

from eventsourcing.persistence import Transcoding

from hub.actor import Actor


class ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, str]:
        return {"agency": obj.agency, "role": obj.role, "user": obj.user}

    def decode(self, data: dict[str, str]) -> Actor:
        return Actor(**data)


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)
