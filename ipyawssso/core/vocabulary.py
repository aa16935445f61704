"""The words ipyawssso shares with the AWS tools, each kept in one place.

The magic, the terminal command, the panel, the server extension and the core all check or
write these values; when each kept its own copy they drifted (the magic took a region the
core refused). Everything here comes from the AWS CLI v2 and botocore, which decide what a
value means, so this module imports only the standard library: ``%load_ext ipyawssso`` reads
it without loading boto3.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

__all__ = [
    "ACCOUNT_ID",
    "ISO_TIME_FORMAT",
    "OUTPUT_FORMATS",
    "REGION",
    "iso_time",
]

#: The AWS CLI's ``output`` values, in the order ``aws configure`` documents them.
OUTPUT_FORMATS: tuple[str, ...] = ("json", "yaml", "yaml-stream", "text", "table")
#: An AWS account id: exactly twelve digits (leading zeros included).
ACCOUNT_ID = re.compile(r"\d{12}")
#: A region name such as ``us-east-1``, ``eu-central-2`` or ``us-gov-west-1``; the number has
#: one or two digits, so a typo like ``us-east-100`` is refused before it reaches an endpoint.
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
#: UTC with a ``Z``: the AWS CLI's caches, the credential JSON of the SDKs, and the form
#: JavaScript's ``Date`` parses everywhere.
ISO_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def iso_time(moment: datetime) -> str:
    """``moment`` in :data:`ISO_TIME_FORMAT`, converted to UTC first."""
    return moment.astimezone(UTC).strftime(ISO_TIME_FORMAT)
