"""Referrals streaming into a running hub: half as agency messages on Kafka, half POSTed over HTTP, into
``hub serve`` and ``hub ingest`` (and ``hub project``) processes, with the ledger of what the hub owes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hub.kafka.settings import KafkaSettings
from tests.faults.ledger import Ledger
from tests.faults.load import HttpReferrals, KafkaReferrals
from tests.faults.processes import MakeProcesses
from tests.faults.store import Store

CLIENTS = 4


class Stream:
    def __init__(
        self,
        store: Store,
        settings: KafkaSettings,
        make_processes: MakeProcesses,
        referrals: int,
        timeout: float,
        names: Iterable[str] | Mapping[str, str] = ("serve", "ingest", "project"),
        env: Mapping[str, str] | None = None,
    ) -> None:
        """``names``: the processes, each the command of its name, or a mapping of names to commands
        (replicas: ``{"relay": "relay", "relay-2": "relay"}``); ``env``: settings of every process."""
        self.kafka = KafkaReferrals(store.hub, settings, referrals // 2, "message")
        commands = {
            "serve": ["serve"],
            "ingest": ["ingest", *(f"--adapter={a}" for a in self.kafka.adapters)],
            "project": ["project"],
            "relay": ["relay"],
        }
        kinds = names if isinstance(names, Mapping) else {name: name for name in names}
        self.processes = make_processes(settings, {name: commands[kind] for name, kind in kinds.items()}, env or {})
        self.http = HttpReferrals(
            store.hub, self.processes.base_url, referrals - self.kafka.referrals, CLIENTS, "http", timeout
        )
        self.ledger = Ledger(store.hub, self.kafka, self.http)

    def start(self, messages: int | None = None) -> None:
        """Starts the processes, produces the first ``messages`` messages (all by default), and sets the
        HTTP clients going."""
        self.processes.start()
        self.kafka.produce(self.kafka.messages[:messages])
        self.http.start()

    def __str__(self) -> str:
        return (f"{self.kafka.referrals} referrals in {len(self.kafka.messages)} messages, "
                f"{len(self.http.keys)} over HTTP")
