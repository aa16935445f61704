"""Reads and checks AWS Signature Version 4 on requests signed with issued role keys.

The sandbox recomputes the signature the way botocore builds it (canonical request, string to
sign, HMAC chain), so a client that signs with the wrong secret, or for the wrong service, is
refused as AWS would refuse it. It does not enforce clock skew.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

__all__ = ["Authorization", "parse_authorization", "signature_matches"]

_ALGORITHM = "AWS4-HMAC-SHA256"


@dataclass(frozen=True)
class Authorization:
    access_key_id: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(header: str | None) -> Authorization | None:
    """The parts of ``AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
    SignedHeaders=a;b, Signature=hex``, or None when the header is absent or not SigV4."""
    if not header or not header.startswith(_ALGORITHM + " "):
        return None
    fields: dict[str, str] = {}
    for part in header[len(_ALGORITHM) :].split(","):
        name, sep, value = part.strip().partition("=")
        if sep:
            fields[name] = value
    scope = fields.get("Credential", "").split("/")
    if len(scope) != 5 or scope[4] != "aws4_request" or not all(scope):
        return None
    if "SignedHeaders" not in fields or "Signature" not in fields:
        return None
    return Authorization(
        access_key_id=scope[0],
        date=scope[1],
        region=scope[2],
        service=scope[3],
        signed_headers=tuple(fields["SignedHeaders"].split(";")),
        signature=fields["Signature"],
    )


def signature_matches(
    auth: Authorization,
    *,
    secret_access_key: str,
    method: str,
    raw_path: str,
    raw_query: str,
    headers: Mapping[str, list[str]],
    body: bytes,
    encode_path: bool = True,
) -> bool:
    """Recomputes the signature; ``headers`` maps lower-case names to every value received.

    S3 signs the path as sent (``encode_path=False``); every other service encodes it again.
    """
    amz_date = _first(headers, "x-amz-date")
    if amz_date is None or "host" not in auth.signed_headers:
        return False
    canonical_headers = []
    for name in auth.signed_headers:
        values = headers.get(name)
        if values is None:
            return False
        canonical_headers.append(f"{name}:{','.join(' '.join(v.split()) for v in values)}")
    payload_hash = _first(headers, "x-amz-content-sha256") or hashlib.sha256(body).hexdigest()
    canonical_request = "\n".join(
        [
            method.upper(),
            quote(raw_path or "/", safe="/~") if encode_path else (raw_path or "/"),
            _canonical_query(raw_query),
            "\n".join(canonical_headers) + "\n",
            ";".join(auth.signed_headers),
            payload_hash,
        ]
    )
    scope = f"{auth.date}/{auth.region}/{auth.service}/aws4_request"
    string_to_sign = "\n".join(
        [_ALGORITHM, amz_date, scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
    )
    key = ("AWS4" + secret_access_key).encode()
    for part in (auth.date, auth.region, auth.service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, auth.signature)


def _canonical_query(raw_query: str) -> str:
    if not raw_query:
        return ""
    pairs = [pair.partition("=")[::2] for pair in raw_query.split("&")]
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def _first(headers: Mapping[str, list[str]], name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None
