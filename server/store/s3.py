"""A pack store on an S3-compatible object service (for scale), through boto3.

`s3://BUCKET/PREFIX?endpoint_url=URL&region=REGION`: credentials come from boto3's usual chain
(environment, shared config, instance role), never from the URL or the command line. A PUT is
atomic on S3 (an object appears whole or not at all), so no temporary names are needed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

from server.store import ObjectNotFound, StoredObject
from server.store.folder import check_key

_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}


class S3Store:
    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self._client = client
        self._bucket = bucket
        self._prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    @classmethod
    def from_url(cls, url: str) -> S3Store:
        import boto3

        parsed = urlparse(url)
        options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        if not parsed.netloc:
            raise ValueError("an s3:// storage URL needs a bucket: s3://BUCKET/PREFIX")
        client = boto3.client(
            "s3", endpoint_url=options.get("endpoint_url"), region_name=options.get("region")
        )
        return cls(client, parsed.netloc, parsed.path)

    def _name(self, key: str) -> str:
        check_key(key)
        return self._prefix + key

    def writer(self, key: str) -> _BufferedWriter:
        return _BufferedWriter(self, key)

    def put(self, key: str, chunks: Sequence[bytes]) -> None:
        body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        self._client.put_object(Bucket=self._bucket, Key=self._name(key), Body=body)

    def get(self, key: str, start: int = 0, length: int | None = None) -> bytes:
        options: dict[str, str] = {}
        if start or length is not None:
            end = "" if length is None else str(start + length - 1)
            if length == 0:
                return b""
            options["Range"] = f"bytes={start}-{end}"
        try:
            reply = self._client.get_object(Bucket=self._bucket, Key=self._name(key), **options)
        except self._client.exceptions.ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                raise ObjectNotFound(key) from None
            if _code(exc) == "InvalidRange":
                return b""
            raise
        return bytes(reply["Body"].read())

    def read_blocks(self, key: str, block_size: int = 1 << 20) -> Iterator[bytes]:
        try:
            reply = self._client.get_object(Bucket=self._bucket, Key=self._name(key))
        except self._client.exceptions.ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                raise ObjectNotFound(key) from None
            raise
        yield from reply["Body"].iter_chunks(block_size)

    def size(self, key: str) -> int | None:
        try:
            reply = self._client.head_object(Bucket=self._bucket, Key=self._name(key))
        except self._client.exceptions.ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                return None
            raise
        return int(reply["ContentLength"])

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self._bucket, Key=self._name(key))

    def list(self, prefix: str = "") -> Iterator[StoredObject]:
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket, Prefix=self._prefix + prefix
        )
        for page in pages:
            for item in page.get("Contents", ()):
                modified = item["LastModified"]
                if modified.tzinfo is None:
                    modified = modified.replace(tzinfo=UTC)
                yield StoredObject(
                    key=item["Key"][len(self._prefix) :], size=int(item["Size"]), modified=modified
                )

    def clean_temporary(self, older_than: datetime) -> int:
        """Single-request PUTs leave nothing behind; abandoned multipart uploads would."""
        removed = 0
        pages = self._client.get_paginator("list_multipart_uploads").paginate(
            Bucket=self._bucket, Prefix=self._prefix
        )
        for page in pages:
            for upload in page.get("Uploads", ()):
                if upload["Initiated"] < older_than:
                    self._client.abort_multipart_upload(
                        Bucket=self._bucket, Key=upload["Key"], UploadId=upload["UploadId"]
                    )
                    removed += 1
        return removed

    def check(self) -> None:
        self._client.head_bucket(Bucket=self._bucket)


class _BufferedWriter:
    """Keeps the pieces (a pack is at most a few hundred MiB) and sends them in one PUT."""

    def __init__(self, store: S3Store, key: str) -> None:
        store._name(key)  # refuse a bad key up front
        self._store = store
        self._key = key
        self._chunks: list[bytes] = []

    def write(self, chunk: bytes) -> None:
        self._chunks.append(chunk)

    def commit(self) -> None:
        self._store.put(self._key, self._chunks)
        self._chunks = []

    def abort(self) -> None:
        self._chunks = []


def _code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))
