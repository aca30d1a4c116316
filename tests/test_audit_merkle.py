"""The Merkle tree the checkpoints sign is RFC 6962's, so any RFC 6962 verifier agrees with the hub; and one
event is proved in the signed log to whoever holds only the published public key."""

from __future__ import annotations

import json

import pytest

from hub.audit.merkle import EMPTY_ROOT, Frontier, inclusion_proof, leaf_hash, root_of, verifies_inclusion
from hub.audit.proof import check_proof, prove
from hub.audit.signer import CheckpointKey
from hub.cli.main import main
from tests.scenario import drive_to
from tests.tamper import Intruder
from tests.test_audit_chain import _other_public_pem

# Certificate Transparency's reference tree (RFC 6962 implementations test against it): eight leaves,
# the root of each prefix, and two audit paths in the tree of all eight.
CT_LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                        "606162636465666768696a6b6c6d6e6f")]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_PATHS = {
    0: ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    5: ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
}


def test_the_roots_are_rfc_6962s():
    leaves = [leaf_hash(data) for data in CT_LEAVES]
    assert root_of([]) == EMPTY_ROOT
    assert [root_of(leaves[:size]).hex() for size in range(1, 9)] == CT_ROOTS


def test_the_proofs_are_rfc_6962s_and_verify():
    leaves = [leaf_hash(data) for data in CT_LEAVES]
    root = bytes.fromhex(CT_ROOTS[-1])
    for index, path in CT_PATHS.items():
        assert [h.hex() for h in inclusion_proof(index, leaves)] == path
        assert verifies_inclusion(leaves[index], index, 8, [bytes.fromhex(h) for h in path], root)


def test_every_proof_in_trees_of_every_shape_verifies_and_nothing_else_does():
    leaves = [leaf_hash(bytes([n, n * 7 % 256])) for n in range(40)]
    for size in range(1, 41):
        root = root_of(leaves[:size])
        for index in range(size):
            path = inclusion_proof(index, leaves[:size])
            assert verifies_inclusion(leaves[index], index, size, path, root)
            assert not verifies_inclusion(leaves[(index + 1) % 40], index, size, path, root)  # another leaf
            if size > 1:
                assert not verifies_inclusion(leaves[index], (index + 1) % size, size, path, root)  # another place
                assert not verifies_inclusion(leaves[index], index, size, path, root_of(leaves[:size - 1]))  # another tree
                forged = [bytes(32), *path[1:]]
                assert not verifies_inclusion(leaves[index], index, size, forged, root)


def test_a_frontier_extends_the_tree_and_survives_storage():
    leaves = [leaf_hash(bytes([n])) for n in range(37)]
    frontier = Frontier()
    for count, leaf in enumerate(leaves, 1):
        frontier.append(leaf)
        stored = Frontier.from_bytes(frontier.to_bytes())
        assert (stored.size, stored.root()) == (count, root_of(leaves[:count]))
    with pytest.raises(ValueError, match="peaks"):
        Frontier(5, [bytes(32)])


# -- proofs of the hub's own events --------------------------------------------------------------


@pytest.fixture
def sealed(app):
    drive_to(app, "care_plan_active")
    app.integrity.seal_log()
    return app


def test_an_event_is_proved_in_the_signed_log_with_the_public_key_alone(sealed):
    head = sealed.store.recorder.max_notification_id()
    key = sealed.store.checkpoint_signer.public
    for position in (1, 17, head):
        proof = json.loads(json.dumps(prove(sealed.store.recorder, sealed.store.chain, position)))  # as it travels
        assert check_proof(proof, key) is None
        assert proof["checkpoint"]["position"] == head and len(proof["path"]) <= head.bit_length()


def test_a_proof_of_an_event_that_is_not_the_one_in_the_log_fails(sealed):
    key = sealed.store.checkpoint_signer.public
    proof = prove(sealed.store.recorder, sealed.store.chain, 7)
    forged = {**proof, "event": {**proof["event"], "state": "Zm9yZ2Vk"}}
    assert "not in the tree" in check_proof(forged, key)
    moved = {**proof, "event": {**proof["event"], "position": 8}}
    assert "not in the tree" in check_proof(moved, key)
    assert "does not verify with key" in check_proof(proof, CheckpointKey.from_pem(_other_public_pem()))


def test_hub_audit_prove_and_check_proof(sealed, store_url, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("HUB_DATABASE_URL", store_url)
    monkeypatch.setenv("HUB_MASTER_KEY", sealed.store.env["HUB_MASTER_KEY"])
    (tmp_path / "hub.pem").write_text(sealed.store.checkpoint_signer.public.pem())
    assert main(["audit", "prove", "12"]) == 0
    (tmp_path / "proof.json").write_text(capsys.readouterr().out)
    assert main(["audit", "check-proof", str(tmp_path / "proof.json"), "--public-key", str(tmp_path / "hub.pem")]) == 0
    assert "proved: the event at position 12 is in the log of" in capsys.readouterr().out

    Intruder(sealed, store_url).alter(12)
    assert main(["audit", "prove", "12"]) == 1
    assert "the event stored at position 12 is not the one chained there" in capsys.readouterr().err


def test_no_proof_past_the_last_checkpoint(app, capsys, store_url, monkeypatch):
    monkeypatch.setenv("HUB_DATABASE_URL", store_url)
    monkeypatch.setenv("HUB_MASTER_KEY", app.store.env["HUB_MASTER_KEY"])
    assert main(["audit", "prove", "3"]) == 1
    assert "no checkpoint covers position 3 yet: run `hub audit seal` first" in capsys.readouterr().err
