"""Sealed files in an S3-compatible bucket (MinIO, SeaweedFS, a cloud's), through the ``minio`` client.

An object is named ``<child id>/<attachment id>``: an erasure lists the child's prefix and removes
every object under it. The bucket is made on the first write if it is missing.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit
from uuid import UUID

from minio import Minio
from minio.error import S3Error

ENDPOINT = "HUB_S3_ENDPOINT"
BUCKET = "HUB_S3_BUCKET"
ACCESS_KEY = "HUB_S3_ACCESS_KEY"  # secrets: given as HUB_S3_ACCESS_KEY_FILE / HUB_S3_SECRET_KEY_FILE (0038)
SECRET_KEY = "HUB_S3_SECRET_KEY"
REGION = "HUB_S3_REGION"
_MISSING = ("NoSuchKey", "NoSuchBucket")


@dataclass(frozen=True)
class S3Settings:
    endpoint: str  # host:port
    secure: bool  # https
    bucket: str
    access_key: str
    secret_key: str
    region: str | None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> S3Settings | None:
        """None where no endpoint is configured: the files stay in the database."""
        url = env.get(ENDPOINT)
        if not url:
            return None
        parts = urlsplit(url if "://" in url else f"https://{url}")
        missing = [name for name in (BUCKET, ACCESS_KEY, SECRET_KEY) if not env.get(name)]
        if missing or parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"{ENDPOINT} is set, so {', '.join(missing) or ENDPOINT} must be too"
                f" ({ENDPOINT} as http(s)://host:port)"
            )
        return cls(
            endpoint=parts.netloc, secure=parts.scheme == "https", bucket=env[BUCKET], access_key=env[ACCESS_KEY],
            secret_key=env[SECRET_KEY], region=env.get(REGION) or None,
        )


class S3Blobs:
    def __init__(self, settings: S3Settings) -> None:
        self.bucket = settings.bucket
        self.client = Minio(
            settings.endpoint, access_key=settings.access_key, secret_key=settings.secret_key,
            secure=settings.secure, region=settings.region,
        )
        self._bucket_made = False

    def put(self, child_id: UUID, attachment_id: UUID, sealed: bytes) -> None:
        if not self._bucket_made:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket)
            self._bucket_made = True
        self.client.put_object(
            self.bucket, _name(child_id, attachment_id), io.BytesIO(sealed), len(sealed),
            content_type="application/octet-stream",
        )

    def get(self, child_id: UUID, attachment_id: UUID) -> bytes | None:
        try:
            answer = self.client.get_object(self.bucket, _name(child_id, attachment_id))
        except S3Error as error:
            if error.code in _MISSING:
                return None
            raise
        try:
            return answer.read()
        finally:
            answer.close()
            answer.release_conn()

    def delete_child(self, child_id: UUID) -> int:
        try:
            names = [o.object_name for o in self.client.list_objects(self.bucket, prefix=f"{child_id}/", recursive=True)]
        except S3Error as error:
            if error.code in _MISSING:
                return 0
            raise
        for name in names:
            if name is not None:
                self.client.remove_object(self.bucket, name)
        return len(names)


def _name(child_id: UUID, attachment_id: UUID) -> str:
    return f"{child_id}/{attachment_id}"
