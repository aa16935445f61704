"""Run a blocking core call in a worker thread while the cell's own thread keeps the UI alive.

The device flow waits minutes for a person. The cell must block meanwhile (so "Run All" runs the
next cell only once the session exists), yet output, widgets and interrupts must keep working.
So the core call runs in a worker thread and talks to the cell's thread through a queue: the
worker *notifies* (a device code is ready) or *asks* (which role?), and the cell's thread runs
the handler, because outputs sent from other threads can land in the wrong cell and
``input()`` only works there. A handler may answer at once or return a ``Future`` that a widget
resolves later.

Cancelling (a Cancel button, Ctrl-C, a kernel interrupt) sets the ``cancel`` event the core
polls and fails any open question, so the worker ends within about a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, InvalidStateError
from typing import Any, Generic, TypeVar

from ..core.errors import LoginCancelled

__all__ = ["WorkerCall", "settle"]

T = TypeVar("T")

#: How long the cell's thread sleeps between looks at the queue (and UI polls).
TICK = 0.05
#: How long a cancelled worker may take to notice before the cell gives up on it.
STOP_WAIT = 5.0

Handler = Callable[[Any], Any]


class WorkerCall(Generic[T]):
    """``work(call)`` runs in a thread; ``call.notify``/``call.ask`` reach the cell's thread."""

    def __init__(self, work: Callable[[WorkerCall[T]], T], handlers: Mapping[str, Handler]):
        self.cancel = threading.Event()
        self._work = work
        self._handlers = dict(handlers)
        self._inbox: queue.SimpleQueue[tuple[str, Any, Future[Any] | None]] = queue.SimpleQueue()
        self._outcome: Future[T] = Future()
        self._open: list[Future[Any]] = []
        self._thread = threading.Thread(target=self._run, name="ipyawssso-worker", daemon=True)

    # --- the worker's side ---------------------------------------------------------------

    def _run(self) -> None:
        try:
            result = self._work(self)
        except BaseException as exc:  # handed to the cell's thread, which re-raises it
            self._outcome.set_exception(exc)
        else:
            self._outcome.set_result(result)

    def notify(self, kind: str, payload: Any) -> None:
        self._inbox.put((kind, payload, None))

    def ask(self, kind: str, payload: Any) -> Any:
        """Block the worker until the cell's thread answers; ``LoginCancelled`` on cancel."""
        answer: Future[Any] = Future()
        self._inbox.put((kind, payload, answer))
        while True:
            if self.cancel.is_set() and not answer.done():
                raise LoginCancelled()
            try:
                return answer.result(timeout=TICK)
            except TimeoutError:
                continue

    # --- the cell's side -------------------------------------------------------------------

    def start(self) -> WorkerCall[T]:
        self._thread.start()
        return self

    def _drain(self) -> Iterator[tuple[str, Any, Future[Any] | None]]:
        while True:
            try:
                yield self._inbox.get_nowait()
            except queue.Empty:
                return

    def pump(self) -> bool:
        """Run the handlers for what the worker sent; True once the worker has finished."""
        for kind, payload, answer in self._drain():
            self._handle(kind, payload, answer)
        return self._outcome.done() and self._inbox.empty()

    def _handle(self, kind: str, payload: Any, answer: Future[Any] | None) -> None:
        try:
            result = self._handlers[kind](payload)
        except BaseException as exc:
            if answer is None:
                raise
            settle(answer, exc=exc)
            return
        if answer is None:
            return
        if isinstance(result, Future):
            self._open.append(result)
            result.add_done_callback(lambda done: _copy_outcome(done, answer))
        else:
            settle(answer, result=result)

    def stop(self) -> None:
        """Cancel the work and wait (bounded) for the worker to notice."""
        self.cancel.set()
        for pending in self._open:
            settle(pending, exc=LoginCancelled())
        self._thread.join(STOP_WAIT)
        self.pump_quietly()

    def pump_quietly(self) -> None:
        """Answer nothing more, but let notifications (a card update) through."""
        for kind, payload, answer in self._drain():
            if answer is not None:
                settle(answer, exc=LoginCancelled())
            else:
                self._handlers[kind](payload)

    def result(self) -> T:
        """The work's return value, or its exception raised here in the cell's thread."""
        return self._outcome.result()

    def wait(self, poll: Callable[[], None] | None = None) -> T:
        """Block the cell until done; ``poll`` keeps the front end's events flowing.

        Ctrl-C (or a kernel interrupt) arrives here as KeyboardInterrupt: the work is cancelled
        and ``LoginCancelled`` raised instead, so the user sees one line, not a traceback.
        """
        self.start()
        with self._stopped_on_error(KeyboardInterrupt):
            while not self.pump():
                if poll is not None:
                    poll()
                time.sleep(TICK)
        return self.result()

    async def wait_async(self) -> T:
        """Like :meth:`wait`, awaiting between looks so the kernel's event loop runs.

        ipykernel turns a kernel interrupt of an awaiting cell into ``CancelledError``; the
        work is cancelled and ``LoginCancelled`` raised instead.
        """
        self.start()
        with self._stopped_on_error(asyncio.CancelledError, KeyboardInterrupt):
            while not self.pump():
                await asyncio.sleep(TICK)
        return self.result()

    @contextlib.contextmanager
    def _stopped_on_error(self, *interrupts: type[BaseException]) -> Iterator[None]:
        """Whatever ends a wait early stops the work first; an interrupt becomes
        ``LoginCancelled``, anything else goes on as it was raised."""
        try:
            yield
        except interrupts:
            self.stop()
            raise LoginCancelled() from None
        except BaseException:
            self.stop()
            raise


def _copy_outcome(source: Future[Any], target: Future[Any]) -> None:
    exc = source.exception()
    if exc is not None:
        settle(target, exc=exc)
    else:
        settle(target, result=source.result())


def settle(future: Future[Any], *, result: Any = None, exc: BaseException | None = None) -> None:
    """Resolve ``future`` unless a Cancel already did: the first answer wins."""
    try:
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(result)
    except InvalidStateError:
        pass
