"""The operators register, list and revoke the Ed25519 public keys agencies sign their Kafka messages with, on
the command line and over the API; only public Ed25519 keys are taken (docs/decisions/0027)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind, City
from hub.api.app import create_app
from hub.bootstrap import Hub, bootstrap
from hub.cli.main import main
from tests.api_support import assert_problem, bearer
from tests.builders import ADMIN, INSPECTOR

OPERATOR = Actor("hub-ops", "admin", "ops.aliya")


def _public_pem(key: ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _key_id(key: ed25519.Ed25519PrivateKey) -> str:
    """What the agency computes on its side (adapters/README.md): the SHA-256 of the raw public key, 16 hex digits."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HUB_DATABASE_URL", raising=False)
    bootstrap().directory.register_agency(ADMIN, INSPECTOR.agency, "Juvenile Inspection", BodyKind.JUVENILE_POLICE,
                                          City.ALMATY)
    return tmp_path


def test_the_operator_adds_lists_and_revokes_an_agencys_keys(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    (data_dir / "ji.pem").write_bytes(_public_pem(key))
    assert main(["agencies", "key", "add", INSPECTOR.agency, "--public-key", str(data_dir / "ji.pem")]) == 0
    assert f"key-id: {_key_id(key)}" in capsys.readouterr().out
    assert main(["agencies", "key", "add", INSPECTOR.agency, "--public-key", str(data_dir / "ji.pem")]) == 2
    assert f"already has the key {_key_id(key)}" in capsys.readouterr().err
    assert main(["agencies", "key", "list", INSPECTOR.agency]) == 0
    assert capsys.readouterr().out.startswith(f"{_key_id(key)}  active")
    assert main(["agencies", "key", "revoke", INSPECTOR.agency, _key_id(key), "--reason", "rotated"]) == 0
    assert main(["agencies", "key", "list", INSPECTOR.agency]) == 0
    assert f"{_key_id(key)}  revoked" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (_public_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)), "an Ed25519 public key is needed"),
        (ed25519.Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
         "this is not a public key in PEM"),
    ],
    ids=["rsa", "a-private-key"],
)
def test_only_an_ed25519_public_key_is_taken(
    data_dir: Path, capsys: pytest.CaptureFixture[str], content: bytes, detail: str
) -> None:
    (data_dir / "key.pem").write_bytes(content)
    assert main(["agencies", "key", "add", INSPECTOR.agency, "--public-key", str(data_dir / "key.pem")]) == 2
    assert detail in capsys.readouterr().err
    assert bootstrap().agency_keys.keys(INSPECTOR.agency) == []


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    app.directory.register_agency(ADMIN, "hub-ops", "Hub operations", BodyKind.HUB, City.ASTANA)
    with TestClient(create_app(app)) as test_client:
        yield test_client


def test_the_operators_manage_an_agencys_keys_over_the_api(client: TestClient, app: Hub) -> None:
    admin = bearer(app, OPERATOR)
    key = ed25519.Ed25519PrivateKey.generate()
    path = f"/v1/agencies/{INSPECTOR.agency}/keys"
    added = client.post(path, json={"public_key": _public_pem(key).decode()}, headers=admin)
    assert added.status_code == 201, added.text
    assert (added.json()["key_id"], added.json()["state"]) == (_key_id(key), "active")
    assert [k["key_id"] for k in client.get(path, headers=admin).json()] == [_key_id(key)]
    assert_problem(client.post(path, json={"public_key": _public_pem(key).decode()}, headers=admin), 409, "rule-violation")
    rsa_key = _public_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)).decode()
    assert assert_problem(client.post(path, json={"public_key": rsa_key}, headers=admin), 422, "invalid-input")[
        "field"] == "public_key"
    assert assert_problem(client.post("/v1/agencies/nowhere/keys", json={"public_key": _public_pem(key).decode()},
                                      headers=admin), 422, "unknown-agency")["field"] == "agency"

    revoked = client.post(f"{path}/{_key_id(key)}/revoke", json={"reason": "rotated"}, headers=admin)
    assert (revoked.status_code, revoked.json()["state"]) == (200, "revoked")
    assert_problem(client.post(f"{path}/{_key_id(key)}/revoke", json={"reason": "again"}, headers=admin),
                   409, "illegal-transition")
    assert_problem(client.post(f"{path}/{'0' * 16}/revoke", json={"reason": "x"}, headers=admin), 404, "not-found")
    assert_problem(client.get(path, headers=bearer(app, INSPECTOR)), 403, "forbidden")  # an agency's keys are the hub's to manage
