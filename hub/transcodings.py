"""How the hub's own value types are written into stored events."""

from __future__ import annotations

from _json import make_encoder
from collections.abc import Callable
from datetime import date
from json.encoder import JSONEncoder, encode_basestring, encode_basestring_ascii
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

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


class OneEncoder(JSONTranscoder):
    """The library's JSON transcoder, with the C encoder that ``json.JSONEncoder.encode`` builds for each value
    it encodes built once instead (issue #13: an event is encoded once or twice as it is sealed, five or more a
    command, and building the encoder was a ninth of sealing one). The same settings, so the same bytes; built
    without the dict in which each call looks for circular references, as a shared one would keep the marks of
    a call that failed: an event's values are a tree (a cycle would recurse until Python stops it, where the
    library's encoder names it). Stateless, so every thread shares it."""

    def __init__(self) -> None:
        super().__init__()
        self._encode = built_once(self.encoder)

    def encode(self, obj: Any) -> bytes:
        return self._encode(obj).encode("utf8")


def built_once(settings: JSONEncoder) -> Callable[[Any], str]:
    """``settings.encode``, by one C encoder built now rather than one a call, without the dict of marks
    (see :class:`OneEncoder`): the same text for a tree of values."""
    assert settings.indent is None  # as json itself, which builds its C encoder only without an indent
    encode = make_encoder(
        None, settings.default, encode_basestring_ascii if settings.ensure_ascii else encode_basestring,
        None, settings.key_separator, settings.item_separator, settings.sort_keys, settings.skipkeys,
        settings.allow_nan,
    )
    return lambda obj: "".join(encode(obj, 0))
