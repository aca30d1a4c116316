"""``hub backup`` and ``hub restore`` (issue 17, docs/decisions/0033): a backup taken while referrals keep
arriving restores into an empty store with every referral acknowledged before it began, readable with the
keys kept apart, and a chain that verifies through the head the backup sealed."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from hub.backup.manifest import BackupError
from hub.backup.run import restore_backup, take_backup
from hub.bootstrap import Hub, bootstrap
from hub.cli.main import main
from tests.builders import INSPECTOR, MANAGER, register_agencies
from tests.conftest import POSTGRES_URL, TEST_MASTER_KEY
from tests.scenario import submit


@pytest.fixture
def source(store_url: str) -> dict[str, str]:
    return {"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY}


@pytest.fixture
def target(store_url: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """An empty store of the same kind; the embedded one without its master key, which the keys file brings."""
    if store_url.startswith("sqlite"):
        yield {"HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'restored' / 'hub.sqlite'}"}
        return
    database = f"hub_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    schema = store_url.rsplit("schema=", 1)[1]  # pg_restore puts the schema back under its own name
    yield {"HUB_DATABASE_URL": f"{POSTGRES_URL.rsplit('/', 1)[0]}/{database}?schema={schema}",
           "HUB_MASTER_KEY": TEST_MASTER_KEY}
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{database}" WITH (FORCE)')


def _submitting(hub: Hub, stop: threading.Event, acknowledged: list[uuid.UUID]) -> threading.Thread:
    def run() -> None:
        while not stop.is_set():
            acknowledged.append(submit(hub, INSPECTOR, child__given_name=f"Loaded{len(acknowledged)}").id)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_backup_under_load_restores_every_acknowledged_referral_readable_and_verifying(
    source: dict[str, str], target: dict[str, str], tmp_path: Path
) -> None:
    hub = bootstrap(source)
    register_agencies(hub)
    first = [submit(hub, INSPECTOR, child__given_name=f"Early{i}").id for i in range(5)]
    stop, during = threading.Event(), []
    load = _submitting(hub, stop, during)
    while len(during) < 3:  # the backup starts with submissions under way
        stop.wait(0.01)
    acknowledged_before = first + list(during)
    manifest = take_backup(source, tmp_path / "backup", keys_to=tmp_path / "keys.json")
    stop.set()
    load.join()
    hub.close()

    restored = restore_backup(target, tmp_path / "backup", keys_from=tmp_path / "keys.json")

    assert restored.verification.ok, restored.verification.problems
    assert restored.verification.head >= manifest.head["position"]
    again = bootstrap(target)
    try:
        for referral_id in acknowledged_before:
            shown = again.reads.show(MANAGER, "referral", referral_id)
            assert shown["content"]["child"]["given_name"].startswith(("Early", "Loaded"))  # the keys came back
        submit(again, INSPECTOR)  # the restored hub goes on
        assert again.integrity.verify_log().ok
    finally:
        again.close()


def test_a_restore_never_goes_into_a_store_that_holds_events(source: dict[str, str], tmp_path: Path) -> None:
    hub = bootstrap(source)
    register_agencies(hub)
    submit(hub, INSPECTOR)
    take_backup(source, tmp_path / "backup")
    events = hub.store.recorder.max_notification_id()
    hub.close()
    with pytest.raises(BackupError, match="already holds events"):
        restore_backup(source, tmp_path / "backup")
    with pytest.raises(BackupError, match="not empty"):
        take_backup(source, tmp_path / "backup")
    hub = bootstrap(source)
    assert hub.store.recorder.max_notification_id() == events
    hub.close()


def test_the_keys_are_kept_apart_and_an_embedded_restore_needs_them(tmp_path: Path) -> None:
    source = {"HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'live' / 'hub.sqlite'}"}  # its key beside it
    hub = bootstrap(source)
    register_agencies(hub)
    submit(hub, INSPECTOR)
    hub.close()
    with pytest.raises(BackupError, match="apart"):
        take_backup(source, tmp_path / "b1", keys_to=tmp_path / "b1" / "keys.json")
    take_backup(source, tmp_path / "b2")
    keys = (tmp_path / "live" / "master.key").read_text().strip()
    assert keys not in "".join(p.read_bytes().decode("latin-1") for p in (tmp_path / "b2").iterdir())
    empty = {"HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'new' / 'hub.sqlite'}"}
    with pytest.raises(BackupError, match="--keys-from"):
        restore_backup(empty, tmp_path / "b2")


def test_the_commands_print_json_and_exit_non_zero_on_a_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", f"sqlite:///{tmp_path / 'live' / 'hub.sqlite'}")
    hub = bootstrap()
    register_agencies(hub)
    submit(hub, INSPECTOR)
    hub.close()
    assert main(["backup", str(tmp_path / "backup"), "--keys-to", str(tmp_path / "keys.json"), "--json"]) == 0
    taken = json.loads(capsys.readouterr().out)
    assert taken["store"] == "sqlite" and taken["head"]["position"] > 0
    assert main(["restore", str(tmp_path / "backup")]) == 2  # the live store holds events: it cannot run as asked
    assert "already holds events" in capsys.readouterr().err
    monkeypatch.setenv("HUB_DATABASE_URL", f"sqlite:///{tmp_path / 'new' / 'hub.sqlite'}")
    assert main(["restore", str(tmp_path / "backup"), "--keys-from", str(tmp_path / "keys.json"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
