"""Device sign-ins waiting in kernels, as the Jupyter server sees them.

A login cell's wait lives in its kernel, and the card it drew lives in the notebook. When the
kernel restarts or dies, or when JupyterLab re-runs the cell (which clears the card while the
kernel goes on waiting), the card and the wait part ways. The server extension bridges them
through a folder it names in ``IPYAWSSSO_SIGNINS_DIR`` for the kernels it starts:

``<id>.json``
    written by the kernel when its card appears, and held under an exclusive ``flock`` for as
    long as the kernel waits; rewritten with the outcome when the wait ends. The operating
    system drops the lock when the process ends, however it ends (restart, crash, ``kill -9``),
    so "locked" means "a live kernel is waiting": no process ids to trust.
``<id>.stop``
    written by the server: the card's Cancel (``cancel``), or a new run of the same cell
    (``rerun``). The waiting kernel looks for it a few times a second.

Only ids, profile names, states and times are written: never a code, a token or a key. Files
whose lock is free are deleted after :data:`KEEP` seconds. Where ``flock`` does not exist
(Windows) nothing is registered and the cards behave as before. Standard library only: the
kernel side (``login_flow``) and the server side (``server.handlers``) both use it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: no registry, see the module docstring
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "ENV",
    "KEEP",
    "KernelSignIn",
    "probe",
    "prune",
    "request_stop",
    "signins_dir",
]

#: The variable the server extension sets for the kernels it starts.
ENV = "IPYAWSSSO_SIGNINS_DIR"
#: Seconds a finished (unlocked) registration stays readable, for a page that asks late.
KEEP = 600.0
#: How often the waiting kernel looks for a stop request.
WATCH_EVERY = 0.2
#: The reasons a stop request may give.
STOP_REASONS = ("cancel", "rerun")

_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def signins_dir() -> Path | None:
    """The folder named by the server, or None outside a Jupyter server with ipyawssso."""
    value = os.environ.get(ENV)
    return Path(value) if value and fcntl is not None else None


def valid_id(sign_in_id: str) -> bool:
    return 8 <= len(sign_in_id) <= 64 and set(sign_in_id) <= _ID_CHARS


def _write_json(fd: int, data: dict[str, Any]) -> None:
    raw = json.dumps(data).encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, raw, 0)


class KernelSignIn:
    """The kernel's side: one waiting sign-in, registered while it waits.

    ``open`` registers it (None when there is no folder to register in); ``watch`` calls
    ``on_stop(reason)`` from a thread when the server asks it to stop; ``finish`` records the
    outcome and lets go of the lock.
    """

    def __init__(self, folder: Path, sign_in_id: str, fd: int, profile: str) -> None:
        self.folder = folder
        self.id = sign_in_id
        self.profile = profile
        self._fd: int | None = fd
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    @classmethod
    def open(cls, profile: str) -> KernelSignIn | None:
        folder = signins_dir()
        if folder is None:
            return None
        sign_in_id = secrets.token_urlsafe(12)
        path = folder / f"{sign_in_id}.json"
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            return None  # a read-only or missing runtime folder: the card works without it
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _write_json(
                fd,
                {
                    "id": sign_in_id,
                    "pid": os.getpid(),
                    "profile": profile,
                    "state": "pending",
                    "updated": time.time(),
                },
            )
        except OSError:
            os.close(fd)
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        return cls(folder, sign_in_id, fd, profile)

    @property
    def path(self) -> Path:
        return self.folder / f"{self.id}.json"

    def stop_reason(self) -> str | None:
        """``cancel`` or ``rerun`` once the server asked this sign-in to stop, else None."""
        try:
            reason = (self.folder / f"{self.id}.stop").read_text().strip()
        except OSError:
            return None
        return reason if reason in STOP_REASONS else "cancel"

    def watch(self, on_stop: Callable[[str], None]) -> None:
        """Call ``on_stop(reason)`` (once, from a daemon thread) when a stop is requested."""

        def run() -> None:
            while not self._stop.wait(WATCH_EVERY):
                reason = self.stop_reason()
                if reason is not None:
                    on_stop(reason)
                    return

        self._watcher = threading.Thread(target=run, name="ipyawssso-stop-watch", daemon=True)
        self._watcher.start()

    def finish(self, state: str) -> None:
        """Record the outcome, stop watching and release the lock (once)."""
        self._stop.set()
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            data = {"id": self.id, "profile": self.profile, "state": state}
            _write_json(fd, {**data, "updated": time.time()})
        except OSError:
            pass
        finally:
            os.close(fd)  # releases the flock
        with contextlib.suppress(OSError):
            (self.folder / f"{self.id}.stop").unlink()


# --- the server's side ------------------------------------------------------------------------


def _locked(path: Path) -> bool | None:
    """True while a live process holds the file's lock; None when the file is missing."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # also drops the shared lock we may have taken
    return False


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def probe(folder: Path, sign_in_id: str) -> dict[str, Any]:
    """What became of a sign-in: ``{"id", "state", "profile"}``.

    ``waiting`` (its kernel holds the lock), the outcome the kernel wrote (``signed_in``,
    ``cancelled``, ``denied``, ``expired``, ``replaced``, ``error``), ``ended`` (the kernel
    went away while it waited) or ``unknown`` (no such registration here, or long gone).
    """
    path = folder / f"{sign_in_id}.json"
    locked = _locked(path) if fcntl is not None and valid_id(sign_in_id) else None
    if locked is None:
        return {"id": sign_in_id, "state": "unknown", "profile": None}
    data = _read(path)
    state = "waiting" if locked else str(data.get("state") or "pending")
    if state == "pending":
        state = "ended"
    profile = data.get("profile")
    return {
        "id": sign_in_id,
        "state": state,
        "profile": profile if isinstance(profile, str) else None,
    }


def request_stop(folder: Path, sign_in_id: str, reason: str) -> dict[str, Any]:
    """Ask a waiting kernel to stop (it notices within :data:`WATCH_EVERY`); returns ``probe``."""
    if reason not in STOP_REASONS:
        raise ValueError(f"reason must be one of {', '.join(STOP_REASONS)}")
    found = probe(folder, sign_in_id)
    if found["state"] == "waiting":
        stop = folder / f"{sign_in_id}.stop"
        tmp = folder / f".{sign_in_id}.stop.tmp"
        tmp.write_text(reason)
        os.replace(tmp, stop)
    return found


def prune(folder: Path, keep: float = KEEP, now: float | None = None) -> int:
    """Delete registrations no kernel holds any more once ``keep`` seconds old; the count."""
    if fcntl is None:
        return 0
    now = time.time() if now is None else now
    removed = 0
    try:
        entries = list(folder.iterdir())
    except OSError:
        return 0
    for path in entries:
        if path.suffix not in (".json", ".stop") or path.name.startswith("."):
            continue
        try:
            age = now - path.stat().st_mtime
        except OSError:
            continue
        if age < keep:
            continue
        registration = path if path.suffix == ".json" else path.with_suffix(".json")
        if _locked(registration):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed
