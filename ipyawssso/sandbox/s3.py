"""A minimal S3 for tools that only speak S3 (pyarrow, DuckDB, Polars): buckets in memory.

Path-style requests signed with SigV4 for the ``s3`` service by keys the sandbox issued; the
HTTP layer checks the signature, this module keeps the objects and renders S3's XML. It answers
ListObjectsV2 (prefix, delimiter, max-keys, continuation), GetObject (with a single byte
range), HeadObject, HeadBucket, CreateBucket, PutObject (plain or ``aws-chunked`` bodies;
chunk signatures are not checked, the request's signature is) and the multipart upload that
pyarrow opens for every output stream. Nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .errors import ApiError

__all__ = ["OBJECT_OPERATIONS", "ObjectStore", "S3Object", "decode_aws_chunked", "s3_operation"]

S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/"
#: Operation name -> service, merged into ``wire.OPERATIONS``.
OBJECT_OPERATIONS = {
    "ListObjectsV2": "s3",
    "GetObject": "s3",
    "HeadObject": "s3",
    "HeadBucket": "s3",
    "CreateBucket": "s3",
    "PutObject": "s3",
    "CreateMultipartUpload": "s3",
    "UploadPart": "s3",
    "CompleteMultipartUpload": "s3",
    "AbortMultipartUpload": "s3",
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_MAX_KEYS = 1000


@dataclass(frozen=True)
class S3Object:
    key: str
    body: bytes
    modified: float

    @property
    def etag(self) -> str:
        return '"' + hashlib.md5(self.body).hexdigest() + '"'


def s3_operation(method: str, path: str, query: Mapping[str, str]) -> tuple[str, str, str]:
    """(operation, bucket, key) for a path-style request: ``/bucket`` or ``/bucket/key``."""
    bucket, _, key = path.lstrip("/").partition("/")
    if not bucket:
        raise ApiError("NotImplemented", 501, "ListBuckets is not offered by the sandbox.")
    if not key:
        if method == "GET" and query.get("list-type") == "2":
            return "ListObjectsV2", bucket, ""
        if method == "HEAD":
            return "HeadBucket", bucket, ""
        if method == "PUT":
            return "CreateBucket", bucket, ""
        raise ApiError(
            "NotImplemented", 501, "Only ListObjectsV2 and CreateBucket are offered on a bucket."
        )
    if "uploads" in query and method == "POST":
        return "CreateMultipartUpload", bucket, key
    if "uploadId" in query:
        multipart = {
            "PUT": "UploadPart",
            "POST": "CompleteMultipartUpload",
            "DELETE": "AbortMultipartUpload",
        }
        if method in multipart:
            return multipart[method], bucket, key
    operations = {"GET": "GetObject", "HEAD": "HeadObject", "PUT": "PutObject"}
    if method not in operations:
        raise ApiError("NotImplemented", 501, f"{method} on an object is not offered.")
    return operations[method], bucket, key


class ObjectStore:
    """Buckets of objects, safe to use from the server's threads and a test at once."""

    def __init__(self, buckets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[str, dict[str, S3Object]] = {name: {} for name in buckets}
        self._uploads: dict[str, tuple[str, str, dict[int, bytes]]] = {}

    def create_bucket(self, bucket: str) -> None:
        with self._lock:
            self._buckets.setdefault(bucket, {})

    def put(self, bucket: str, key: str, body: bytes) -> S3Object:
        with self._lock:
            objects = self._bucket(bucket)
            obj = S3Object(key, bytes(body), time.time())
            objects[key] = obj
            return obj

    def create_upload(self, bucket: str, key: str) -> str:
        with self._lock:
            self._bucket(bucket)
            upload_id = secrets.token_urlsafe(24)
            self._uploads[upload_id] = (bucket, key, {})
            return upload_id

    def upload_part(self, bucket: str, key: str, upload_id: str, number: str, body: bytes) -> str:
        with self._lock:
            parts = self._upload(bucket, key, upload_id)
            try:
                index = int(number)
            except ValueError:
                raise ApiError("InvalidArgument", 400, "partNumber must be a number.") from None
            parts[index] = bytes(body)
        return S3Object(key, body, 0).etag

    def complete_upload(self, bucket: str, key: str, upload_id: str) -> S3Object:
        """Joins the parts in number order (the part list in the request is not checked)."""
        with self._lock:
            parts = self._upload(bucket, key, upload_id)
            del self._uploads[upload_id]
        return self.put(bucket, key, b"".join(parts[n] for n in sorted(parts)))

    def abort_upload(self, bucket: str, key: str, upload_id: str) -> None:
        with self._lock:
            self._upload(bucket, key, upload_id)
            del self._uploads[upload_id]

    def _upload(self, bucket: str, key: str, upload_id: str) -> dict[int, bytes]:
        found = self._uploads.get(upload_id)
        if found is None or found[:2] != (bucket, key):
            raise ApiError("NoSuchUpload", 404, "The specified upload does not exist.")
        return found[2]

    def get(self, bucket: str, key: str) -> S3Object:
        with self._lock:
            obj = self._bucket(bucket).get(key)
        if obj is None:
            raise ApiError("NoSuchKey", 404, "The specified key does not exist.")
        return obj

    def keys(self, bucket: str) -> list[str]:
        with self._lock:
            return sorted(self._bucket(bucket))

    def check_bucket(self, bucket: str) -> None:
        with self._lock:
            self._bucket(bucket)

    def list_v2(self, bucket: str, query: Mapping[str, str]) -> bytes:
        prefix = query.get("prefix", "")
        delimiter = query.get("delimiter", "")
        try:
            max_keys = min(int(query.get("max-keys", _MAX_KEYS)), _MAX_KEYS)
        except ValueError:
            raise ApiError("InvalidArgument", 400, "max-keys must be a number.") from None
        after = query.get("continuation-token") or query.get("start-after") or ""
        if query.get("continuation-token"):
            after = base64.urlsafe_b64decode(after.encode()).decode()
        with self._lock:
            objects = sorted(self._bucket(bucket).values(), key=lambda o: o.key)
        contents: list[S3Object] = []
        prefixes: list[str] = []
        truncated = False
        last = ""
        for obj in objects:
            if not obj.key.startswith(prefix) or obj.key <= after:
                continue
            entry: S3Object | str = obj
            if delimiter:
                cut = obj.key.find(delimiter, len(prefix))
                if cut >= 0:
                    entry = obj.key[: cut + len(delimiter)]
                    if entry in prefixes or entry <= after:
                        continue
            if len(contents) + len(prefixes) >= max_keys:
                truncated = True
                break
            if isinstance(entry, str):
                prefixes.append(entry)
                last = entry + "\uffff"  # skip every key under this prefix next time
            else:
                contents.append(entry)
                last = entry.key
        parts = [
            f"<Name>{escape(bucket)}</Name>",
            f"<Prefix>{escape(prefix)}</Prefix>",
            f"<KeyCount>{len(contents) + len(prefixes)}</KeyCount>",
            f"<MaxKeys>{max_keys}</MaxKeys>",
        ]
        if delimiter:
            parts.append(f"<Delimiter>{escape(delimiter)}</Delimiter>")
        parts.append(f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>")
        if truncated:
            token = base64.urlsafe_b64encode(last.encode()).decode()
            parts.append(f"<NextContinuationToken>{token}</NextContinuationToken>")
        for obj in contents:
            parts.append(
                "<Contents>"
                f"<Key>{escape(obj.key)}</Key>"
                f"<LastModified>{_iso(obj.modified)}</LastModified>"
                f"<ETag>{escape(obj.etag)}</ETag>"
                f"<Size>{len(obj.body)}</Size>"
                "<StorageClass>STANDARD</StorageClass>"
                "</Contents>"
            )
        for common in prefixes:
            parts.append(f"<CommonPrefixes><Prefix>{escape(common)}</Prefix></CommonPrefixes>")
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<ListBucketResult xmlns="{S3_NAMESPACE}">{"".join(parts)}</ListBucketResult>'
        ).encode()

    def _bucket(self, bucket: str) -> dict[str, S3Object]:
        objects = self._buckets.get(bucket)
        if objects is None:
            raise ApiError("NoSuchBucket", 404, "The specified bucket does not exist")
        return objects


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(start, end)`` inclusive for a ``Range: bytes=a-b`` header, None for the whole."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None or not (match[1] or match[2]):
        return None
    if match[1]:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
    else:
        start, end = max(size - int(match[2]), 0), size - 1
    if start >= size or start > end:
        raise ApiError("InvalidRange", 416, "The requested range is not satisfiable")
    return start, end


def decode_aws_chunked(body: bytes) -> bytes:
    """The payload of an ``aws-chunked`` body: ``hex-size[;chunk-signature=...]\\r\\n data
    \\r\\n`` ... ``0...\\r\\n`` then optional trailers."""
    out = bytearray()
    pos = 0
    while True:
        end = body.find(b"\r\n", pos)
        if end < 0:
            raise ApiError("IncompleteBody", 400, "The aws-chunked body ended early.")
        try:
            size = int(body[pos:end].split(b";", 1)[0], 16)
        except ValueError:
            raise ApiError("InvalidRequest", 400, "Malformed aws-chunked body.") from None
        pos = end + 2
        if size == 0:
            return bytes(out)
        out += body[pos : pos + size]
        pos += size + 2


def multipart_document(element: str, fields: Mapping[str, str]) -> bytes:
    members = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{element} xmlns="{S3_NAMESPACE}">{members}</{element}>'
    ).encode()


def error_document(code: str, message: str, request_id: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
        f"<RequestId>{request_id}</RequestId></Error>"
    ).encode()


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(epoch))


def http_date(epoch: float) -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(epoch))
