"""Inter-process locks that leave no file behind.

A lock file that stays after use is litter in a user's folder (an untracked file in the
dotfiles repo their ``~/.aws/config`` links to). So lock files live under ``~/.aws/`` (never
beside a symlink's target) and the holder deletes its file before letting go.

Deleting a POSIX lock file is safe only with a check on the way in: a process that opened the
file just before the holder deleted it would lock a file nobody else can find. After locking,
the holder therefore checks that the path still names the inode it locked, and starts over if
not (the classic ``flock`` + ``unlink`` protocol). Where ``fcntl`` is missing (Windows),
``filelock`` is used; it already deletes its file on release there.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .atomic_file import ensure_private_folder

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["LockTimeout", "PrivateLock", "aws_folder", "config_lock_path", "held"]


class LockTimeout(Exception):
    """The lock stayed held by another process for the whole wait."""


def aws_folder() -> Path:
    """``~/.aws``, where the AWS tools keep their state and ours."""
    return Path(os.path.expanduser(os.path.join("~", ".aws")))


def config_lock_path(config: Path) -> Path:
    """The lock that guards edits of ``config``: one per real file, wherever it lives."""
    real = os.path.realpath(config)
    digest = hashlib.sha1(real.encode("utf-8")).hexdigest()[:16]  # noqa: S324 - a name, not a secret
    return aws_folder() / f".ipyawssso-config-{digest}.lock"


class PrivateLock:
    """An exclusive lock on ``path`` across processes and threads; the file goes on release."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self._fallback = None if fcntl is not None else _filelock(self.path)
        self._thread_lock = threading.Lock()

    def try_acquire(self) -> bool:
        """Take the lock if it is free right now; never waits."""
        if not self._thread_lock.acquire(blocking=False):
            return False
        try:
            taken = self._try_fallback() if self._fallback is not None else self._try_posix()
        except BaseException:
            self._thread_lock.release()
            raise
        if not taken:
            self._thread_lock.release()
        return taken

    def _try_fallback(self) -> bool:  # pragma: no cover - Windows
        from filelock import Timeout

        assert self._fallback is not None
        ensure_private_folder(self.path.parent)
        try:
            self._fallback.acquire(timeout=0)
        except Timeout:
            return False
        return True

    def _try_posix(self) -> bool:
        assert fcntl is not None
        ensure_private_folder(self.path.parent)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            except BaseException:
                os.close(fd)
                raise
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self._fd = fd
                return True
            # The previous holder deleted the file after we opened it: try the new one.
            os.close(fd)

    def acquire(self, timeout: float, *, poll: float = 0.05) -> None:
        """Wait up to ``timeout`` seconds; raises :class:`LockTimeout` after that."""
        deadline = time.monotonic() + timeout
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                raise LockTimeout(str(self.path))
            time.sleep(poll)

    def release(self) -> None:
        """Delete the file while still holding it, then unlock (see the module docstring)."""
        try:
            if self._fallback is not None:  # pragma: no cover - Windows
                self._fallback.release()
            elif self._fd is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.path)
                os.close(self._fd)  # closing drops the flock
                self._fd = None
        finally:
            self._thread_lock.release()


def _filelock(path: Path) -> Any:  # pragma: no cover - Windows
    from filelock import FileLock

    return FileLock(str(path))


@contextlib.contextmanager
def held(path: Path, timeout: float) -> Iterator[None]:
    """``with held(path, 15):`` the lock for the block; :class:`LockTimeout` if it stays busy."""
    lock = PrivateLock(path)
    lock.acquire(timeout)
    try:
        yield
    finally:
        lock.release()
