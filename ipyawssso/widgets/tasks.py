"""Background work for the panel, stoppable as a whole.

The kernel must stay free while a sign-in waits or thousands of roles load, so every network
call runs in a daemon thread. Each task gets its own ``threading.Event``; the runner sets them
all on ``close()``. A result that arrives after its task was cancelled is dropped, so a late
answer never repaints a panel that moved on (or was closed).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["Task", "TaskRunner"]

T = TypeVar("T")

log = logging.getLogger(__name__)


class Task:
    """One unit of background work: a thread and the event that asks it to stop."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cancel = threading.Event()
        self.finished = threading.Event()
        self.thread: threading.Thread | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def __repr__(self) -> str:
        state = "cancelled" if self.cancelled else "done" if self.finished.is_set() else "running"
        return f"<Task {self.name} {state}>"


class TaskRunner:
    """Starts named tasks; a new task replaces (cancels) a running one of the same name."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tasks: dict[str, Task] = {}
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def run(
        self,
        name: str,
        work: Callable[[threading.Event], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Task:
        """Run ``work(cancel)`` in a thread, then ``on_done(result)`` or ``on_error(exc)`` there.

        Neither callback runs if the task was cancelled meanwhile. A failing ``on_done`` is
        reported through ``on_error`` so no error is lost in a thread's traceback.
        """
        task = Task(name)
        with self._lock:
            if self._closed:
                task.cancel.set()
                task.finished.set()
                return task
            previous = self._tasks.get(name)
            if previous is not None:
                previous.cancel.set()
            self._tasks[name] = task
        thread = threading.Thread(
            target=self._main,
            args=(task, work, on_done, on_error),
            name=f"ipyawssso-{name}",
            daemon=True,
        )
        task.thread = thread
        thread.start()
        return task

    def _main(
        self,
        task: Task,
        work: Callable[[threading.Event], Any],
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
    ) -> None:
        try:
            try:
                result = work(task.cancel)
            except BaseException as exc:
                if not task.cancelled and on_error is not None:
                    on_error(exc)
                return
            if task.cancelled or on_done is None:
                return
            try:
                on_done(result)
            except BaseException as exc:
                if not task.cancelled and on_error is not None:
                    on_error(exc)
        except BaseException:
            # The error handler itself failed: the panel cannot show it, so the log must.
            log.exception("ipyawssso panel task %s failed while reporting an error", task.name)
        finally:
            task.finished.set()
            with self._lock:
                if self._tasks.get(task.name) is task:
                    del self._tasks[task.name]

    def cancel(self, *names: str) -> None:
        """Ask the named tasks to stop; their late results will be dropped."""
        with self._lock:
            for name in names:
                task = self._tasks.get(name)
                if task is not None:
                    task.cancel.set()

    def running(self) -> list[str]:
        with self._lock:
            return sorted(name for name, task in self._tasks.items() if not task.cancelled)

    def is_running(self, name: str) -> bool:
        with self._lock:
            task = self._tasks.get(name)
            return task is not None and not task.cancelled

    def close(self, timeout: float = 2.0) -> bool:
        """Cancel every task and wait up to ``timeout`` s in total; True if all threads ended.

        Threads are daemons, so one stuck in a network call (bounded by botocore's own
        timeouts) cannot keep the kernel from exiting; its result is dropped either way.
        """
        with self._lock:
            self._closed = True
            tasks = list(self._tasks.values())
            for task in tasks:
                task.cancel.set()
        current = threading.current_thread()
        deadline = time.monotonic() + timeout
        ended = True
        for task in tasks:
            if task.thread is None or task.thread is current:
                continue
            task.thread.join(max(0.0, deadline - time.monotonic()))
            ended = ended and not task.thread.is_alive()
        return ended
