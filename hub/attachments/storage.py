"""Which store keeps the sealed files: an S3-compatible bucket when ``HUB_S3_ENDPOINT`` is set, the event
store's database otherwise."""

from __future__ import annotations

from collections.abc import Mapping

from hub.attachments.blobs import BlobStore
from hub.attachments.database_blobs import DatabaseBlobs
from hub.attachments.s3_blobs import S3Blobs, S3Settings
from hub.crypto.tables import HubTables


def blob_store(env: Mapping[str, str], tables: HubTables) -> BlobStore:
    s3 = S3Settings.from_env(env)
    return DatabaseBlobs(tables) if s3 is None else S3Blobs(s3)
