"""Trouble on purpose: the portal's rate limit, and injected failures and hangs.

The rate limit is a token bucket refilled at ``rate`` calls per second holding at most one
second's worth (never less than one call), which is how a client experiences the real portal's
throttling: short bursts pass, sustained speed above the rate gets 429s.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Faults", "Injected", "TokenBucket"]


class TokenBucket:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._mono = monotonic
        self._lock = threading.Lock()
        self._rate: float | None = None
        self._tokens = 0.0
        self._last = monotonic()

    def set_rate(self, rate: float | None) -> None:
        with self._lock:
            if rate != self._rate:
                self._rate = rate
                self._tokens = max(1.0, rate or 0.0)
                self._last = self._mono()

    def take(self) -> bool:
        """True when the call may proceed, False when it should get a 429."""
        with self._lock:
            if self._rate is None:
                return True
            now = self._mono()
            capacity = max(1.0, self._rate)
            self._tokens = min(capacity, self._tokens + (now - self._last) * self._rate)
            self._last = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return True
            return False


@dataclass(frozen=True)
class Injected:
    status: int | None = None  # answer with this HTTP error status
    hang: float = 0.0  # wait this long before answering
    corrupt: str | None = None  # answer 200 with a broken body (see hostile.CORRUPTIONS)


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: defaultdict[str, deque[Injected]] = defaultdict(deque)

    def add(self, operation: str, injected: Injected, count: int) -> None:
        with self._lock:
            self._queues[operation].extend([injected] * count)

    def take(self, operation: str) -> Injected | None:
        with self._lock:
            queue = self._queues.get(operation)
            return queue.popleft() if queue else None

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()
