"""The worker/cell hand-off: questions answered on the cell's thread, and cancelling ends it."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import Future

import pytest

from ipyawssso.core.errors import LoginCancelled
from ipyawssso.magics.waiting import WorkerCall


def test_notifications_and_questions_run_on_the_cells_thread():
    seen: list[tuple[str, object, str]] = []
    cell = threading.current_thread().name

    def work(call: WorkerCall[str]) -> str:
        call.notify("note", 1)
        answer = call.ask("question", "which?")
        return f"got {answer}"

    def note(payload):
        seen.append(("note", payload, threading.current_thread().name))

    def question(payload):
        seen.append(("question", payload, threading.current_thread().name))
        return "this one"

    result = WorkerCall(work, {"note": note, "question": question}).wait()
    assert result == "got this one"
    assert seen == [("note", 1, cell), ("question", "which?", cell)]


def test_a_future_answer_is_awaited_by_the_worker():
    later: Future[str] = Future()
    threading.Timer(0.2, lambda: later.set_result("clicked")).start()
    call = WorkerCall(lambda c: c.ask("pick", None), {"pick": lambda _p: later})
    assert call.wait() == "clicked"


def test_errors_in_the_worker_reach_the_cell():
    def work(call):
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        WorkerCall(work, {}).wait()


def test_keyboard_interrupt_cancels_the_worker_and_says_cancelled():
    stopped = threading.Event()

    def work(call):
        call.cancel.wait(30)
        stopped.set()
        raise LoginCancelled()

    polls = iter(range(1000))

    def poll():
        if next(polls) == 3:
            raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(LoginCancelled):
        WorkerCall(work, {}).wait(poll)
    assert stopped.wait(1) and time.monotonic() - started < 2


def test_cancel_while_the_worker_waits_for_an_answer():
    never: Future[str] = Future()
    errors: list[BaseException] = []

    def work(call):
        try:
            return call.ask("pick", None)
        except BaseException as exc:
            errors.append(exc)
            raise

    call = WorkerCall(work, {"pick": lambda _p: never})
    threading.Timer(0.3, call.cancel.set).start()
    with pytest.raises(LoginCancelled):
        call.wait()
    assert isinstance(errors[0], LoginCancelled)


def test_cancelling_the_awaiting_task_is_a_clean_cancel():
    def work(call):
        call.cancel.wait(30)
        raise LoginCancelled()

    async def main():
        task = asyncio.ensure_future(WorkerCall(work, {}).wait_async())
        await asyncio.sleep(0.2)
        task.cancel()  # what ipykernel does on a kernel interrupt of an awaiting cell
        with pytest.raises(LoginCancelled):
            await task

    asyncio.run(main())
