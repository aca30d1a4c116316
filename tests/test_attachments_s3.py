"""Files kept in S3-compatible object storage (HUB_S3_*, docs/decisions/0047), against a real server
(SeaweedFS, tests/s3_support.py): the bucket holds only sealed bytes, and nothing of the child once erased."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.attachments.s3_blobs import S3Blobs
from hub.bootstrap import Hub, bootstrap
from hub.services.attachments import Upload
from tests.api_support import assert_problem, bearer
from tests.builders import INSPECTOR, MANAGER, register_agencies
from tests.conftest import TEST_MASTER_KEY
from tests.erasure_story import REASON
from tests.s3_support import S3Server, s3_env, s3_objects, s3_server  # noqa: F401 - fixtures
from tests.scenario import drive_to
from tests.test_attachments import MARKER, PDF, upload
from tests.test_erasure import database_bytes


@pytest.fixture
def s3_hub(store_url: str, frozen: object, s3_env: dict[str, str]) -> Iterator[Hub]:  # noqa: F811
    hub = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY, **s3_env})
    register_agencies(hub)
    yield hub
    hub.close()


def test_the_bucket_holds_the_file_sealed_and_nothing_once_the_child_is_erased(
    s3_hub: Hub, s3_server: S3Server, s3_env: dict[str, str], store_url: str,  # noqa: F811
) -> None:
    assert isinstance(s3_hub.attachments.blobs, S3Blobs)
    bucket = s3_env["HUB_S3_BUCKET"]
    case = drive_to(s3_hub, "closed")
    with TestClient(create_app(s3_hub)) as http:
        added = upload(http, f"/v1/cases/{case.id}/attachments", PDF, bearer(s3_hub, MANAGER))
        assert added.status_code == 201, added.text
        attachment_id = added.json()["id"]
        assert http.get(f"/v1/attachments/{attachment_id}/content", headers=bearer(s3_hub, MANAGER)).content == PDF
        assert_problem(http.get(f"/v1/attachments/{attachment_id}/content", headers=bearer(s3_hub, INSPECTOR)), 404, "not-found")
    stored = s3_objects(s3_server, bucket)
    assert list(stored) == [f"{case.child_id}/{attachment_id}"]
    assert MARKER not in stored[f"{case.child_id}/{attachment_id}"], "sealed with the child's key in the bucket"
    assert not [name for name, content in database_bytes(s3_hub, store_url).items() if MARKER in content]

    s3_hub.erasure.erase(MANAGER, case.child_id, REASON)
    assert s3_objects(s3_server, bucket) == {}, "the erasure deletes the child's objects, not only their key"
    with TestClient(create_app(s3_hub)) as http:
        assert_problem(http.get(f"/v1/attachments/{attachment_id}/content", headers=bearer(s3_hub, MANAGER)), 410, "child-erased")


def test_an_object_altered_in_the_bucket_is_refused_not_served(s3_hub: Hub, s3_server: S3Server) -> None:  # noqa: F811
    case = drive_to(s3_hub, "closed")
    attachment = s3_hub.attachments.add_file(MANAGER, "case", case.id, Upload(PDF, "letter.pdf"))
    blobs = s3_hub.attachments.blobs
    sealed = blobs.get(case.child_id, attachment.id)
    assert sealed is not None
    blobs.put(case.child_id, attachment.id, sealed[:-1] + bytes([sealed[-1] ^ 1]))
    with TestClient(create_app(s3_hub), raise_server_exceptions=False) as http:
        damaged = http.get(f"/v1/attachments/{attachment.id}/content", headers=bearer(s3_hub, MANAGER))
    assert_problem(damaged, 500, "attachment-damaged")
