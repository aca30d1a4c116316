"""Every signed checkpoint leaves the database, once committed and only then (docs/decisions/0021): to the file
an operator ships elsewhere and to the Kafka topic the oversight bodies read."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hub.audit.checkpoint import Checkpoint, MalformedCheckpoint
from hub.audit.file_sink import FileSink
from hub.audit.publisher import CheckpointPublisher
from hub.audit.trusted_heads import read_head_file
from hub.cli.main import main
from hub.kafka.checkpoints import KafkaCheckpointSink, read_checkpoint_topic
from hub.kafka.settings import KafkaSettings
from tests.kafka_support import kafka_broker, kafka_settings, settings_env  # noqa: F401 - fixtures
from tests.scenario import drive_to
from tests.tamper import EVERY, sealed  # noqa: F401 - a fixture


def held_positions(sealed: Any) -> list[int]:
    return [head.position for head in read_head_file(sealed.held)]


def in_database(sealed: Any) -> list[Checkpoint]:
    return sealed.app.store.chain.checkpoints.after(0)


def test_hub_audit_seal_signs_the_head_and_ships_each_checkpoint_once(sealed, monkeypatch, capsys):
    for name, value in {**sealed.env, "HUB_CHECKPOINT_LOG": str(sealed.held)}.items():
        monkeypatch.setenv(name, value)
    drive_to(sealed.app, "care_plan_active")  # events enough for checkpoints more
    head = sealed.app.store.recorder.max_notification_id()
    new = [*range(sealed.checkpointed[-1] + EVERY, head, EVERY), head]  # and the seal at the new head
    assert main(["audit", "seal"]) == 0
    assert f"published {len(new)} checkpoint(s) to file" in capsys.readouterr().out
    assert read_head_file(sealed.held) == in_database(sealed)  # every one, in order, each once
    assert held_positions(sealed)[-len(new):] == new
    assert main(["audit", "seal"]) == 0  # nothing new: nothing shipped again
    assert "published" not in capsys.readouterr().out
    assert read_head_file(sealed.held) == in_database(sealed)
    assert sealed.verify().ok


def test_a_checkpoint_signed_in_an_append_that_rolled_back_is_never_published(sealed, monkeypatch):
    signed = []
    add = sealed.app.store.chain.checkpoints.add

    def add_then_fail(cursor, checkpoint, frontier):
        add(cursor, checkpoint, frontier)
        signed.append(checkpoint.position)
        raise RuntimeError("the append fails after its checkpoint was signed")

    monkeypatch.setattr(sealed.app.store.chain.checkpoints, "add", add_then_fail)
    with pytest.raises(RuntimeError, match="after its checkpoint was signed"):
        drive_to(sealed.app, "care_plan_active")
    monkeypatch.undo()
    assert signed and sealed.app.store.recorder.max_notification_id() < signed[0]
    assert sealed.publish() == 0
    assert signed[0] not in held_positions(sealed)

    drive_to(sealed.app, "care_plan_active")  # the log grows past it again: that checkpoint, committed, is shipped
    assert sealed.publish() > 0
    assert held_positions(sealed) == [c.position for c in in_database(sealed)]
    assert sealed.verify().ok


class Failing(FileSink):
    """A sink that is away (a full disk, a broker down) until told otherwise."""

    away = True

    def ship(self, checkpoints):
        if self.away:
            raise ConnectionError("the sink is away")
        super().ship(checkpoints)


def test_checkpoints_committed_while_the_sink_was_away_are_shipped_when_it_is_back(sealed):
    drive_to(sealed.app, "care_plan_active")
    sink = Failing(sealed.held)
    publisher = CheckpointPublisher(sealed.app.store.chain.sql, sealed.app.store.chain.checkpoints, [sink])
    with pytest.raises(ConnectionError):
        publisher.publish()
    assert publisher.shipped("file") == sealed.head
    sink.away = False
    assert publisher.publish() == len(in_database(sealed)) - sealed.heads
    assert held_positions(sealed) == [c.position for c in in_database(sealed)]


def test_checkpoints_shipped_again_after_a_crash_are_kept_once_by_the_verifier(sealed, monkeypatch):
    drive_to(sealed.app, "care_plan_active")
    publisher = CheckpointPublisher(sealed.app.store.chain.sql, sealed.app.store.chain.checkpoints, [FileSink(sealed.held)])

    def crash(*args):
        raise KeyboardInterrupt("killed after the file took them, before their position was recorded")

    monkeypatch.setattr(publisher, "_record", crash)
    with pytest.raises(KeyboardInterrupt):
        publisher.publish()
    monkeypatch.undo()
    new = [c.position for c in in_database(sealed)][sealed.heads:]
    assert publisher.publish() == len(new)
    assert held_positions(sealed)[-2 * len(new):] == new * 2
    report = sealed.verify()
    assert report.ok and report.trusted_heads == len(in_database(sealed))


def test_checkpoints_reach_the_topic_and_the_log_is_verified_against_it(
    sealed, kafka_settings: KafkaSettings, monkeypatch, capsys
) -> None:
    sink = KafkaCheckpointSink(kafka_settings)
    publisher = CheckpointPublisher(sealed.app.store.chain.sql, sealed.app.store.chain.checkpoints, [sink])
    try:
        assert publisher.publish() == sealed.heads
    finally:
        publisher.close()
    topic = kafka_settings.checkpoint_topic()
    assert read_checkpoint_topic(kafka_settings, topic) == in_database(sealed)

    for name, value in {**sealed.env, **settings_env(kafka_settings)}.items():
        monkeypatch.setenv(name, value)
    (sealed.held.parent / "hub.pem").write_text(sealed.pinned.pem())
    command = ["audit", "verify", "--trusted-topic", "--public-key", str(sealed.held.parent / "hub.pem"), "--json"]
    assert main(command) == 0
    assert json.loads(capsys.readouterr().out)["latest_trusted"] == sealed.head
    sealed.intruder.truncate(after=30)
    assert main(command) == 1
    assert json.loads(capsys.readouterr().out)["first_problem"] == {
        "kind": "truncated", "position": 35, "detail": "a head held outside was signed at position 35"
        " (2026-03-02T04:00:00+00:00) but the log ends at 30"}


def test_a_topic_that_does_not_exist_is_an_error_not_an_empty_series(sealed, kafka_settings, monkeypatch, capsys):
    for name, value in {**sealed.env, **settings_env(kafka_settings)}.items():
        monkeypatch.setenv(name, value)
    assert main(["audit", "verify", "--trusted-topic", "nowhere.audit.checkpoints"]) == 2
    assert "there is no topic nowhere.audit.checkpoints" in capsys.readouterr().err


def test_a_line_torn_by_a_crash_stays_a_line_of_its_own_and_is_named_when_read(sealed):
    with open(sealed.held, "ab") as file:
        file.write(b'{"type":"hub_checkpoint","position":4')  # a write cut short by a power cut
    drive_to(sealed.app, "care_plan_active")
    sealed.publish()
    lines = sealed.held.read_bytes().splitlines()
    assert lines[sealed.heads] == b'{"type":"hub_checkpoint","position":4'
    assert len(lines) == len(in_database(sealed)) + 1
    with pytest.raises(MalformedCheckpoint, match=rf"checkpoints.jsonl, line {sealed.heads + 1}: not JSON"):
        read_head_file(sealed.held)
