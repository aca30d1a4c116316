"""The log proves it was not altered: every edit made around the hub is named by ``hub audit verify``."""

from __future__ import annotations

import pytest

from hub.audit.signer import CheckpointKey
from hub.cli.main import main
from tests.conftest import TEST_MASTER_KEY
from tests.scenario import drive_to
from tests.tamper import Intruder


@pytest.fixture
def history(app):
    """A case taken some way along its lifecycle: a few dozen events."""
    drive_to(app, "care_plan_active")
    return app


def _problem(report) -> tuple[str, int]:
    assert not report.ok
    first = report.problems[0]
    return first.kind, first.position


def test_an_untouched_log_verifies_and_names_its_head(history):
    report = history.integrity.verify_log()
    assert report.ok, report.problems
    assert report.events == report.head == history.store.recorder.max_notification_id()


def test_an_altered_event_is_named_by_its_position(history, store_url):
    Intruder(history, store_url).alter(7)
    assert _problem(history.integrity.verify_log()) == ("altered", 7)


def test_a_deleted_event_is_named_by_its_position(history, store_url):
    Intruder(history, store_url).delete(5)
    report = history.integrity.verify_log()
    assert _problem(report) == ("missing", 5)
    assert report.problem_count == 1


def test_two_swapped_events_are_named_as_reordered(history, store_url):
    Intruder(history, store_url).swap(4, 9)
    report = history.integrity.verify_log()
    assert _problem(report) == ("reordered", 4)
    assert [(p.kind, p.position) for p in report.problems] == [("reordered", 4), ("reordered", 9)]
    assert "position 9" in report.problems[0].detail


def test_an_event_inserted_around_the_hub_is_named(history, store_url):
    position = Intruder(history, store_url).insert_copy_of(1)  # the policy's adoption
    assert _problem(history.integrity.verify_log()) == ("inserted", position)


def test_an_insert_is_still_named_after_the_hub_appends_more(history, store_url):
    position = Intruder(history, store_url).insert_copy_of(1)  # the policy's adoption
    drive_to(history, "intake")
    report = history.integrity.verify_log()
    assert _problem(report) == ("inserted", position)
    assert report.problem_count == 1


def test_a_rewritten_chain_is_caught_by_the_signed_checkpoint(history, store_url):
    assert history.integrity.seal_log() is not None
    intruder = Intruder(history, store_url)
    intruder.alter(3)
    intruder.rechain()
    report = history.integrity.verify_log()
    assert _problem(report) == ("checkpoint-mismatch", history.store.recorder.max_notification_id())


def test_a_truncated_log_is_caught_by_the_signed_checkpoint(history, store_url):
    sealed = history.integrity.seal_log()
    intruder = Intruder(history, store_url)
    intruder.delete(sealed.position)
    intruder.run("DELETE FROM hub_chain WHERE notification_id = ?", sealed.position)
    assert ("truncated", sealed.position) in [(p.kind, p.position) for p in history.integrity.verify_log().problems]


def test_a_checkpoint_from_another_key_is_refused(history):
    history.integrity.seal_log()
    other = CheckpointKey.from_pem(_other_public_pem())
    assert _problem(history.integrity.verify_log(other))[0] == "checkpoint-forged"


def test_a_checkpoint_is_signed_at_every_multiple_even_when_one_append_crosses_several(store_url, frozen):
    from hub.bootstrap import bootstrap
    from tests.builders import register_agencies

    app = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY, "HUB_CHECKPOINT_EVERY": "2"})
    register_agencies(app)
    drive_to(app, "care_plan_active")  # a referral's submission appends several events at once
    head = app.store.recorder.max_notification_id()
    assert [c.position for c in app.store.chain.checkpoints.after(0)] == list(range(2, head + 1, 2))
    report = app.integrity.verify_log()
    assert report.ok and report.checkpoints == head // 2
    app.close()


def test_hub_audit_verify_exits_non_zero_and_prints_the_position(history, store_url, monkeypatch, capsys):
    monkeypatch.setenv("HUB_DATABASE_URL", store_url)
    monkeypatch.setenv("HUB_MASTER_KEY", TEST_MASTER_KEY)
    assert main(["audit", "verify"]) == 0
    assert "verified" in capsys.readouterr().out
    Intruder(history, store_url).alter(6)
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "altered at position 6" in out


def test_hub_audit_verify_with_the_published_public_key(history, store_url, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("HUB_DATABASE_URL", store_url)
    monkeypatch.setenv("HUB_MASTER_KEY", TEST_MASTER_KEY)
    assert main(["audit", "seal"]) == 0
    capsys.readouterr()
    assert main(["audit", "public-key"]) == 0
    pem = tmp_path / "hub.pem"
    pem.write_text(capsys.readouterr().out)
    assert main(["audit", "verify", "--public-key", str(pem)]) == 0
    other = tmp_path / "other.pem"
    other.write_bytes(_other_public_pem())
    assert main(["audit", "verify", "--public-key", str(other)]) == 1


def _other_public_pem() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_an_append_that_cannot_be_chained_stores_nothing(app, monkeypatch):
    """A failure while chaining (not a database error) rolls the events back: none is ever stored unchained."""
    position = app.store.recorder.max_notification_id()

    def broken(*args, **kwargs):
        raise RuntimeError("chain store broken")

    monkeypatch.setattr(app.store.chain, "append", broken)
    with pytest.raises(RuntimeError, match="chain store broken"):
        drive_to(app, "intake")
    monkeypatch.undo()
    assert app.store.recorder.max_notification_id() == position


def test_a_checkpoint_is_signed_at_every_multiple_even_when_one_append_crosses_several(store_url, frozen):
    from hub.bootstrap import bootstrap
    from tests.builders import register_agencies

    app = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY, "HUB_CHECKPOINT_EVERY": "2"})
    register_agencies(app)
    drive_to(app, "care_plan_active")  # a referral's submission appends several events at once
    head = app.store.recorder.max_notification_id()
    assert [c.position for c in app.store.chain.checkpoints.after(0)] == list(range(2, head + 1, 2))
    report = app.integrity.verify_log()
    assert report.ok and report.checkpoints == head // 2
