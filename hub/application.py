"""The hub application: the eventsourcing Application that runs every command."""

from __future__ import annotations

from collections.abc import Mapping

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder

from hub.services.consents import ConsentService
from hub.store import store_env
from hub.transcodings import ActorAsDict, DateAsISO


class HubApplication(ConsentService, Application):
    name = "hub"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__({**store_env(env), **(env or {})})

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(ActorAsDict())
        transcoder.register(DateAsISO())
