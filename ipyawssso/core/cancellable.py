"""Wait for one blocking call in a way that Cancel (and a deadline) can interrupt at once.

botocore calls block their thread for up to the read timeout, and a kernel interrupt or the
panel's Cancel button must not wait that long. The call runs in a daemon worker; the caller
waits in short slices and leaves as soon as ``cancel`` is set or ``deadline`` passes. A worker
left behind holds nothing but its own answer and ends by the client's read timeout.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import TypeVar, cast

from .errors import LoginCancelled

__all__ = ["DeadlinePassed", "run_cancellable"]

T = TypeVar("T")

#: How often the waiting thread looks at ``cancel``: well under the 1 s users notice.
SLICE = 0.1


class DeadlinePassed(Exception):
    """The caller's time ran out while the call was still waiting for its answer."""


def run_cancellable(
    fn: Callable[[], T],
    cancel: threading.Event,
    *,
    deadline: float | None = None,
    monotonic: Callable[[], float] = time.monotonic,
    name: str = "ipyawssso-call",
) -> T:
    """Return ``fn()``, or raise what it raised, :class:`LoginCancelled` or
    :class:`DeadlinePassed` (``deadline`` is a ``monotonic()`` time)."""
    if cancel.is_set():
        raise LoginCancelled()
    # (True, the answer) or (False, what fn raised)
    results: queue.Queue[tuple[bool, T | BaseException]] = queue.Queue(maxsize=1)

    def work() -> None:
        try:
            results.put((True, fn()))
        except BaseException as exc:  # handed to the caller's thread
            results.put((False, exc))

    threading.Thread(target=work, name=name, daemon=True).start()
    while True:
        if cancel.is_set():
            raise LoginCancelled()
        if deadline is not None and monotonic() >= deadline:
            raise DeadlinePassed()
        try:
            ok, value = results.get(timeout=SLICE)
        except queue.Empty:
            continue
        if ok:
            return cast(T, value)
        raise cast(BaseException, value)
