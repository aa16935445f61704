"""Replace a file in one step, so a crash or a reader never sees half of it.

The new content goes to a temporary file in the same folder (same file system, so the rename
is atomic), is flushed to disk, takes over the old file's mode, and is renamed over the old
file. A symlinked target (dotfile managers link ~/.aws/config) is written through, not replaced.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
import time
from pathlib import Path

__all__ = ["ensure_private_folder", "real_target", "write_atomic"]

#: A temporary file this old was left by a writer that died (kill -9, power loss): no write
#: takes a minute, so the next writer removes it.
STALE_AFTER = 60.0


def real_target(path: Path) -> Path:
    """The file to replace: the symlink's target when ``path`` is a symlink."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def ensure_private_folder(folder: Path, mode: int = 0o700) -> None:
    """Create ``folder`` (and parents) if missing; only a folder we create gets ``mode``."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True, mode=mode)
    os.chmod(folder, mode)  # mkdir's mode is filtered by the umask


def write_atomic(path: Path, data: bytes, *, new_mode: int = 0o600, keep_mode: bool = True) -> None:
    """Write ``data`` to ``path`` atomically; keep an existing file's mode (unless
    ``keep_mode`` is False: caches of secrets are always ``new_mode``), else ``new_mode``.

    On any failure (a full disk, a read-only folder) the temporary file is removed, so nothing
    half-written is left behind, and the old file is untouched."""
    mode = new_mode
    if keep_mode:
        with contextlib.suppress(FileNotFoundError):
            mode = stat.S_IMODE(os.stat(path).st_mode)
    _remove_stale_temps(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_folder(path.parent)


def _remove_stale_temps(path: Path) -> None:
    """Delete what killed writers of ``path`` left: partial copies (of a config, or of a token)."""
    now = time.time()
    with contextlib.suppress(OSError):
        for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                if now - leftover.lstat().st_mtime > STALE_AFTER:
                    leftover.unlink()


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); not possible on every platform or file system."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
