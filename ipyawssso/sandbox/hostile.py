"""A portal that misbehaves on purpose: answers a client must refuse, and names it must escape.

Two kinds of trouble, both for the reliability and security tests:

- ``corrupt_body(payload, kind)`` turns a correct JSON answer into a broken one: cut in half
  (``truncated``), an HTML proxy page instead of JSON (``not-json``), every value of the wrong
  type (``wrong-types``), an empty object (``empty``), or one many megabytes long
  (``oversized``: lists grow far past the page size, strings past any sane length).
- ``hostile_account_name(index)``: account names holding HTML, script, quotes, brackets and
  line breaks, which a UI must escape and ``~/.aws/config`` must never receive.

Everything here is pure: the server decides when to use it.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "CORRUPTIONS",
    "HOSTILE_NAMES",
    "OVERSIZED_BYTES",
    "corrupt_body",
    "hostile_account_name",
]

#: How an answer can be broken; see the module docstring.
CORRUPTIONS: frozenset[str] = frozenset(
    {"truncated", "not-json", "wrong-types", "empty", "oversized"}
)
#: An ``oversized`` answer is at least this long.
OVERSIZED_BYTES = 2 << 20

#: Account names a malicious or careless directory could hold (cycled by account index).
HOSTILE_NAMES: tuple[str, ...] = (
    '<img src=x onerror="alert(1)">',
    "<script>alert('pwned')</script>",
    "line one\nline two",
    "[profile evil]\nsso_role_name = Admin",
    "quote \" and ' and `back`",
    "amp & lt < gt > {{ curly }} ${shell}",
    "</td></tr></table><b>broken</b>",
    "javascript:alert(1)",
    "\u202egnp.exe",  # right-to-left override
    "tab\there\r\ncarriage",
)


def hostile_account_name(index: int) -> str:
    """The ``index``-th account's hostile name (unique: the account number is appended)."""
    return f"{HOSTILE_NAMES[index % len(HOSTILE_NAMES)]} #{index + 1:03d}"


def corrupt_body(payload: dict[str, Any] | None, kind: str) -> bytes:
    """The bytes to send instead of ``json.dumps(payload)``."""
    if kind not in CORRUPTIONS:
        raise ValueError(
            f"Unknown corruption {kind!r}; choose one of: {', '.join(sorted(CORRUPTIONS))}."
        )
    payload = payload or {}
    body = json.dumps(payload).encode()
    if kind == "truncated":
        return body[: max(1, len(body) // 2)]
    if kind == "not-json":
        return b"<html><head><title>502 Bad Gateway</title></head><body>proxy error</body></html>"
    if kind == "empty":
        return b"{}"
    if kind == "wrong-types":
        return json.dumps(_mangle(payload)).encode()
    return json.dumps(_grow(payload)).encode()


def _mangle(value: Any) -> Any:
    """Every value of the wrong JSON type: objects stay objects, everything else swaps."""
    if isinstance(value, dict):
        return {key: _mangle(item) for key, item in value.items()}
    if isinstance(value, list):
        return {"0": "not a list"}
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool | int | float):
        return "not a number"
    return 0


def _grow(payload: dict[str, Any]) -> dict[str, Any]:
    """Lists repeat their first item, strings repeat themselves, until the answer is huge."""
    lists = [key for key, value in payload.items() if isinstance(value, list) and value]
    if lists:
        key = lists[0]
        item = payload[key][0]
        each = len(json.dumps(item)) + 2
        return {**payload, key: [item] * (OVERSIZED_BYTES // each + 1)}
    strings = [key for key, value in payload.items() if isinstance(value, str) and value]
    grown = dict(payload)
    for key in strings:
        value = payload[key]
        grown[key] = value * (OVERSIZED_BYTES // (len(value) * max(1, len(strings))) + 1)
    if not strings:
        grown["padding"] = "x" * OVERSIZED_BYTES
    return grown
