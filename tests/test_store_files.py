"""The embedded store's files are its owner's alone: the data directory 0700, the SQLite file, its WAL and
shared-memory files and the master key 0600, whatever the umask lets other files be."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.bootstrap import bootstrap
from tests.builders import register_agencies

OPEN_UMASK = 0o022  # the usual one: new files readable by everyone


@pytest.fixture
def usual_umask() -> Iterator[None]:
    previous = os.umask(OPEN_UMASK)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("setting", ["HUB_DATA_DIR", "HUB_DATABASE_URL"])
def test_a_new_embedded_store_is_readable_by_its_owner_only(tmp_path: Path, usual_umask: None, setting: str) -> None:
    data = tmp_path / "new" / "data"
    url = f"sqlite:///{data}/hub.sqlite"
    env = {"HUB_DATA_DIR": str(data)} if setting == "HUB_DATA_DIR" else {"HUB_DATABASE_URL": url}
    hub = bootstrap(env)
    try:
        register_agencies(hub)  # events written: the WAL and its index exist
        files = {path.name: _mode(path) for path in data.iterdir()}
    finally:
        hub.close()
    assert _mode(data) == 0o700
    assert {"hub.sqlite", "hub.sqlite-wal", "hub.sqlite-shm", "master.key"} <= set(files)
    assert files == dict.fromkeys(files, 0o600)


def test_an_existing_database_file_others_may_read_is_reported(
    tmp_path: Path, usual_umask: None, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "hub.sqlite"
    database.touch(mode=0o644)
    with caplog.at_level(logging.WARNING, logger="hub.store"):
        bootstrap({"HUB_DATABASE_URL": f"sqlite:///{database}"}).close()
    (warning,) = [r.getMessage() for r in caplog.records]
    assert str(database) in warning and "chmod 600" in warning
