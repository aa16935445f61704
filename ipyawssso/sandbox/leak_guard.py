"""Finds secrets where they must not be: outputs, logs, widget state, files.

``find_leaks(sources, secrets)`` returns one line per leak saying where it was found (file,
line, column, how often) and which secret it was, named by kind and a short SHA-256
fingerprint; the secret itself never appears in what it returns, so a failing assertion
cannot leak it a second time::

    leaks = find_leaks([captured.out, caplog.text, tmp_path / "notebook.ipynb"],
                       sandbox.issued_secrets())
    assert not leaks, "\\n".join(leaks)

A source is text (``str``), raw ``bytes``, a ``(label, text_or_bytes)`` pair, or a path
(``os.PathLike``): a file, or a folder searched recursively. ``exclude`` names folders or files
to skip while walking (the token caches, where secrets belong).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TypeAlias

__all__ = ["Source", "describe_secret", "find_leaks"]

Source: TypeAlias = "str | bytes | os.PathLike[str] | tuple[str, str | bytes]"

_KINDS = {
    "at-": "access token",
    "rt-": "refresh token",
    "csec-": "client secret",
    "dc-": "device code",
    "st-": "console sign-in token",
}


def find_leaks(
    texts_or_paths: Source | Iterable[Source],
    secrets: Iterable[str],
    *,
    exclude: Iterable[str | os.PathLike[str]] = (),
) -> list[str]:
    needles = sorted({s for s in secrets if s}, key=lambda s: (len(s), s))
    if not needles:
        return []
    skipped = {Path(p).resolve() for p in exclude}
    leaks: list[str] = []
    for label, data in _expand(texts_or_paths, skipped):
        for secret in needles:
            leaks.extend(_hits(label, data, secret))
    return leaks


def describe_secret(secret: str) -> str:
    """``access token sha256:1a2b3c4d (43 characters)``: enough to find it, nothing to use."""
    kind = next((name for prefix, name in _KINDS.items() if secret.startswith(prefix)), "secret")
    fingerprint = hashlib.sha256(secret.encode()).hexdigest()[:8]
    return f"{kind} sha256:{fingerprint} ({len(secret)} characters)"


def _expand(sources: Source | Iterable[Source], skipped: set[Path]) -> Iterable[tuple[str, bytes]]:
    if isinstance(sources, str | bytes | os.PathLike | tuple):
        sources = [sources]
    for index, source in enumerate(sources):
        if isinstance(source, tuple):
            label, data = source
            yield label, data.encode() if isinstance(data, str) else data
        elif isinstance(source, str):
            yield f"text #{index}", source.encode()
        elif isinstance(source, bytes):
            yield f"bytes #{index}", source
        else:
            yield from _files(Path(source), skipped)


def _files(path: Path, skipped: set[Path]) -> Iterable[tuple[str, bytes]]:
    if path.resolve() in skipped:
        return
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if not child.is_symlink():
                yield from _files(child, skipped)
    elif path.is_file():
        try:
            yield f"file {path}", path.read_bytes()
        except OSError as error:
            yield f"file {path} (unreadable: {error.strerror})", b""


def _hits(label: str, data: bytes, secret: str) -> list[str]:
    needle = secret.encode()
    first = data.find(needle)
    if first < 0:
        return []
    count = data.count(needle)
    line = data.count(b"\n", 0, first) + 1
    column = first - (data.rfind(b"\n", 0, first) + 1) + 1
    times = "once" if count == 1 else f"{count} times"
    return [f"{label}, line {line}, column {column}: {describe_secret(secret)}, found {times}"]
