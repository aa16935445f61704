"""Encodes messages of the AWS event stream (``application/vnd.amazon.eventstream``).

Each message: a 12-byte prelude (total length, headers length, CRC32 of those 8 bytes), the
headers (name length, name, type 7 = string, value length, value), the payload, and a CRC32 of
everything before it; integers big-endian. This is what botocore's ``EventStreamBuffer``
decodes for ConverseStream.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from typing import Any

__all__ = ["encode_event", "encode_message"]

_STRING = 7


def encode_message(headers: Mapping[str, str], payload: bytes) -> bytes:
    encoded_headers = b"".join(_header(name, value) for name, value in headers.items())
    total = 12 + len(encoded_headers) + len(payload) + 4
    prelude = total.to_bytes(4, "big") + len(encoded_headers).to_bytes(4, "big")
    message = prelude + zlib.crc32(prelude).to_bytes(4, "big") + encoded_headers + payload
    return message + zlib.crc32(message).to_bytes(4, "big")


def encode_event(event_type: str, body: Mapping[str, Any]) -> bytes:
    """A modelled event (``messageStart``, ``contentBlockDelta``...) with a JSON payload."""
    return encode_message(
        {
            ":event-type": event_type,
            ":content-type": "application/json",
            ":message-type": "event",
        },
        json.dumps(body, separators=(",", ":")).encode(),
    )


def _header(name: str, value: str) -> bytes:
    raw_name = name.encode()
    raw_value = value.encode()
    return (
        len(raw_name).to_bytes(1, "big")
        + raw_name
        + _STRING.to_bytes(1, "big")
        + len(raw_value).to_bytes(2, "big")
        + raw_value
    )
