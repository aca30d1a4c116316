"""Secrets given as files: ``HUB_X_FILE`` sets ``HUB_X`` when a ``hub`` command starts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hub.cli.main import main
from hub.secret_files import read_secret_files
from hub.store import store_env


def test_a_setting_is_read_from_its_file_without_the_newline_an_editor_leaves(tmp_path: Path) -> None:
    (tmp_path / "key").write_text("c2VjcmV0\n")
    environ = {"HUB_MASTER_KEY_FILE": str(tmp_path / "key"), "PATH": "/bin"}
    read_secret_files(environ)
    assert environ["HUB_MASTER_KEY"] == "c2VjcmV0"


def test_a_setting_given_twice_or_a_file_that_cannot_be_read_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "key").write_text("one")
    with pytest.raises(ValueError, match="set HUB_MASTER_KEY or HUB_MASTER_KEY_FILE, not both"):
        read_secret_files({"HUB_MASTER_KEY": "two", "HUB_MASTER_KEY_FILE": str(tmp_path / "key")})
    with pytest.raises(ValueError, match="HUB_METRICS_TOKEN_FILE: cannot read .*nowhere"):
        read_secret_files({"HUB_METRICS_TOKEN_FILE": str(tmp_path / "nowhere")})


def test_the_checkpoint_key_file_is_left_to_the_hub_which_checks_where_it_is_kept(tmp_path: Path) -> None:
    environ = {"HUB_CHECKPOINT_KEY_FILE": str(tmp_path / "checkpoint.key")}
    read_secret_files(environ)
    assert "HUB_CHECKPOINT_KEY" not in environ


def test_the_database_password_comes_apart_from_the_url(tmp_path: Path) -> None:
    env = store_env({"HUB_DATABASE_URL": "postgresql://hub@db:5432/hub", "HUB_DATABASE_PASSWORD": "s3cret"})
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"], env["POSTGRES_HOST"]) == ("hub", "s3cret", "db")


def test_a_hub_command_refuses_to_start_with_a_secret_it_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HUB_MASTER_KEY_FILE", str(tmp_path / "missing"))
    assert main(["policy", "table"]) == 2
    assert "HUB_MASTER_KEY_FILE: cannot read" in capsys.readouterr().err
    assert "HUB_MASTER_KEY" not in os.environ
