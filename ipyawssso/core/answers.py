"""Checks on what IAM Identity Center answered, before any of it is used, shown or stored.

botocore parses whatever arrives and never refuses a 200: a proxy's HTML page becomes an
empty answer, a value of the wrong type is passed through, and nothing bounds a field's
length. Unchecked, a portal page that lost its list reads as "no accounts" (and is cached as
such), a user code megabytes long lands on a card, and a ``javascript:`` verification link
becomes a button. So each field we use is checked for presence, type, length and form, and
anything else is a :class:`ServiceError` that names the operation. Values are never echoed:
some of them are secrets.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from .errors import ServiceError

__all__ = [
    "MAX_NAME",
    "MAX_SECRET",
    "PARSE_FAILURES",
    "answer_items",
    "answer_link",
    "answer_number",
    "answer_text",
    "malformed",
]

#: Tokens, secrets and device codes: real ones are a few hundred to ~2,000 characters.
MAX_SECRET = 16 * 1024
#: Account, role and e-mail names (AWS allows 50-320 characters; this is generous).
MAX_NAME = 512
#: What botocore's response parser raises on a value of the wrong type (it does not wrap them).
PARSE_FAILURES = (ValueError, TypeError, AttributeError, KeyError)
_LOOPBACK_NAMES = {"localhost"}


def malformed(operation: str, problem: str) -> ServiceError:
    return ServiceError(
        f"IAM Identity Center sent an answer to {operation} that ipyawssso cannot use "
        f"({problem}). A proxy or firewall may be rewriting the traffic: try again, and if it "
        "persists, check your network or proxy settings.",
        operation=operation,
    )


def answer_text(
    answer: Any,
    key: str,
    operation: str,
    *,
    max_len: int = MAX_SECRET,
    pattern: re.Pattern[str] | None = None,
    required: bool = True,
) -> str | None:
    """``answer[key]`` as a non-empty, bounded string (or None when optional and absent)."""
    if not isinstance(answer, dict):
        raise malformed(operation, "not a JSON object")
    value = answer.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise malformed(operation, f"{key} is missing or not text")
    if len(value) > max_len:
        raise malformed(operation, f"{key} is {len(value):,} characters long")
    if pattern is not None and not pattern.fullmatch(value):
        raise malformed(operation, f"{key} has an unexpected form")
    return value


def answer_number(
    answer: dict[str, Any],
    key: str,
    operation: str,
    *,
    minimum: int,
    maximum: int,
    default: int | None = None,
) -> int:
    """``answer[key]`` as an integer in ``[minimum, maximum]``; ``default`` when absent."""
    value = answer.get(key)
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise malformed(operation, f"{key} is missing or not a number")
    if not minimum <= value <= maximum:
        raise malformed(operation, f"{key} is out of range")
    return value


def answer_items(answer: Any, key: str, operation: str, *, max_items: int) -> list[dict[str, Any]]:
    """``answer[key]`` as a list of at most ``max_items`` JSON objects."""
    if not isinstance(answer, dict):
        raise malformed(operation, "not a JSON object")
    value = answer.get(key)
    if not isinstance(value, list):
        raise malformed(operation, f"{key} is missing or not a list")
    if len(value) > max_items:
        raise malformed(operation, f"{key} holds {len(value):,} items, more than asked for")
    if not all(isinstance(item, dict) for item in value):
        raise malformed(operation, f"{key} holds something other than objects")
    return value


def answer_link(answer: dict[str, Any], key: str, operation: str, *, required: bool) -> str | None:
    """A link a person will open: https, or plain http only to this machine (the sandbox)."""
    link = answer_text(answer, key, operation, max_len=2048, required=required)
    if link is None:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ch in "<>\"'`" for ch in link):
        raise malformed(operation, f"{key} is not a plain link")
    try:
        parts = urlsplit(link)
        host = parts.hostname or ""
    except ValueError:
        raise malformed(operation, f"{key} is not a link") from None
    if parts.scheme == "https" and host:
        return link
    if parts.scheme == "http" and _is_loopback(host):
        return link
    raise malformed(operation, f"{key} is not an https link")


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
