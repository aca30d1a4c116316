"""The key that signs checkpoints is its own secret (docs/decisions/0021): never derived from the master key,
never kept with the data, and required on PostgreSQL."""

from __future__ import annotations

import base64
import os
import stat

import pytest

from hub.audit.signer import CheckpointSigner
from hub.audit.signing_key import CheckpointKeyError, load_checkpoint_seed
from hub.bootstrap import bootstrap
from hub.crypto.derived import derived_key
from tests.conftest import TEST_CHECKPOINT_KEY, TEST_MASTER_KEY

SEED = base64.urlsafe_b64decode(TEST_CHECKPOINT_KEY)


@pytest.fixture
def unset(monkeypatch):
    """No checkpoint key in the environment, and a home of its own for the embedded default."""
    monkeypatch.delenv("HUB_CHECKPOINT_KEY", raising=False)
    monkeypatch.delenv("HUB_CHECKPOINT_KEY_FILE", raising=False)
    monkeypatch.delenv("HUB_MASTER_KEY", raising=False)
    return monkeypatch


def test_a_postgresql_store_without_a_checkpoint_key_refuses_to_start(postgres_url, unset):
    with pytest.raises(CheckpointKeyError, match="HUB_CHECKPOINT_KEY_FILE is not set"):
        bootstrap({"HUB_DATABASE_URL": postgres_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})


def test_the_embedded_store_makes_its_key_outside_the_data_directory(tmp_path_factory, unset, frozen):
    data, config = tmp_path_factory.mktemp("var"), tmp_path_factory.mktemp("config")
    unset.setenv("XDG_CONFIG_HOME", str(config))
    url = f"sqlite:///{data / 'hub.sqlite'}"
    hub = bootstrap({"HUB_DATABASE_URL": url})
    public = hub.store.checkpoint_signer.public.id
    hub.integrity.seal_log()
    hub.close()

    key_file = config / "referral-hub" / "checkpoint.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    seed = base64.urlsafe_b64decode(key_file.read_text().strip())
    for path in data.rglob("*"):  # the master key, the database and its journal
        content = path.read_bytes()
        assert seed not in content and key_file.read_text().strip().encode() not in content, path
    master_key = base64.urlsafe_b64decode((data / "master.key").read_text().strip())
    assert public not in {CheckpointSigner(k).public.id for k in (master_key, derived_key(master_key, "checkpoint signing"))}

    again = bootstrap({"HUB_DATABASE_URL": url})
    assert again.store.checkpoint_signer.public.id == public
    again.close()


def test_a_key_kept_in_the_data_directory_is_refused(tmp_path, unset):
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    unset.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    with pytest.raises(CheckpointKeyError, match="inside .* where the store keeps its data"):
        bootstrap({"HUB_DATABASE_URL": url})
    (tmp_path / "checkpoint.key").write_text(TEST_CHECKPOINT_KEY)
    with pytest.raises(CheckpointKeyError, match="HUB_CHECKPOINT_KEY_FILE .* is inside"):
        bootstrap({"HUB_DATABASE_URL": url, "HUB_CHECKPOINT_KEY_FILE": str(tmp_path / "checkpoint.key")})


def test_the_key_is_read_from_its_file_or_its_value_and_never_guessed(tmp_path_factory):
    secret = tmp_path_factory.mktemp("secrets") / "checkpoint_key"
    secret.write_text(TEST_CHECKPOINT_KEY + "\n")
    postgres = {"PERSISTENCE_MODULE": "eventsourcing.postgres"}
    assert load_checkpoint_seed({**postgres, "HUB_CHECKPOINT_KEY_FILE": str(secret)}) == SEED
    assert load_checkpoint_seed({**postgres, "HUB_CHECKPOINT_KEY": TEST_CHECKPOINT_KEY}) == SEED
    with pytest.raises(CheckpointKeyError, match="not both"):
        load_checkpoint_seed({**postgres, "HUB_CHECKPOINT_KEY": TEST_CHECKPOINT_KEY, "HUB_CHECKPOINT_KEY_FILE": str(secret)})
    with pytest.raises(CheckpointKeyError, match="not a readable file"):
        load_checkpoint_seed({**postgres, "HUB_CHECKPOINT_KEY_FILE": str(secret.with_name("absent"))})
    secret.write_text(TEST_MASTER_KEY[:20])
    with pytest.raises(CheckpointKeyError, match=f"{secret} is not a checkpoint signing key"):
        load_checkpoint_seed({**postgres, "HUB_CHECKPOINT_KEY_FILE": str(secret)})
