"""A cheap fingerprint of the sign-in state on disk, so pages learn of a change in seconds.

The status bar asks for the full status every 30 s (it reads every token and the config).
A sign-in or log-out made in a kernel, a terminal or another tab changes the token cache or
the config file, so the page asks for this fingerprint every two seconds and refreshes only
when it changed. Only ``stat`` calls: no file is opened, nothing secret is read.

botocore rewrites a refreshed token in place (its folder's time does not change), so the
fingerprint takes each cache file's time and size, not only the folder's.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..core.aws_config import config_path
from ..core.token_cache import sso_cache_dir

__all__ = ["disk_stamp"]


def _stat(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return f"{path.name}:-"
    return f"{path.name}:{info.st_ino}:{info.st_mtime_ns}:{info.st_size}"


def disk_stamp() -> str:
    """Changes whenever a token, a registration or the AWS config file is written or removed."""
    parts = [_stat(config_path())]
    folder = sso_cache_dir()
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries if entry.name.endswith(".json"))
    except OSError:
        names = []
    parts.extend(_stat(folder / name) for name in names)
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()
