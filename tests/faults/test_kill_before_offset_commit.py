"""SIGKILL in the window that batching opens (docs/decisions/0028): a poll's transaction is stored, its
offsets are not yet committed. ``hub ingest`` is stopped right there, every time - a hook installed in that
process alone (``sitecustomize``, no switch in the hub) holds the worker at its first offset commit of
a non-empty poll until the test kills it - and then started again: the redelivered poll changes nothing,
so every message is applied exactly once, every offset ends committed and nothing is dead-lettered."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.ledger import Ledger
from tests.faults.load import HttpReferrals, KafkaReferrals
from tests.faults.store import Store
from tests.kafka_support import settings_for, wait_for

pytestmark = pytest.mark.faults

REFERRALS = 60
WAIT = 300.0

# Runs when the interpreter of the hooked process starts (Python imports ``sitecustomize`` from its path).
HOOK = '''
import os
import pathlib
import threading

from hub.kafka import ingest

_commit = ingest.IngestWorker._commit


def _held_after_storing(self, done):
    if done:  # the poll's transaction is stored: say so, and never commit its offsets
        pathlib.Path(os.environ["HUB_TEST_STORED_MARK"]).write_text(repr(done))
        threading.Event().wait()
    _commit(self, done)


ingest.IngestWorker._commit = _held_after_storing
'''


def test_a_kill_between_the_transaction_and_the_offset_commit_redelivers_without_duplicates(
    store: Store, kafka_broker, hub_processes, tmp_path: Path
) -> None:
    settings = settings_for(kafka_broker)
    kafka = KafkaReferrals(store.hub, settings, REFERRALS, "message")
    http = HttpReferrals(store.hub, "http://127.0.0.1:9", 0, 1, "http", WAIT)  # Kafka alone here
    ledger = Ledger(store.hub, kafka, http)
    processes = hub_processes(settings, {"ingest": ["ingest", *(f"--adapter={a}" for a in kafka.adapters)]})
    ingest = processes["ingest"]
    hook, mark = tmp_path / "hook", tmp_path / "stored"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOOK)
    unhooked = dict(ingest.env)
    ingest.env = {**unhooked, "PYTHONPATH": str(hook), "HUB_TEST_STORED_MARK": str(mark)}

    kafka.produce(kafka.messages)
    processes.start()
    wait_for(mark.exists, WAIT, "a poll stored and its offsets about to be committed")
    stored = len(ledger.receipts.read())
    assert stored > 0, processes.logs()
    assert ledger.committed() != kafka.produced  # the kill comes before the offsets of that poll
    ingest.kill()

    ingest.env = unhooked
    processes.start()
    ledger.settle(WAIT, f"{stored} messages stored before the kill")
    assert processes.stop() == {"ingest": True}
    ledger.check(f"{stored} messages stored before the kill")
