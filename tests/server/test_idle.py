"""An idle user server costs nothing: no thread of ours, no call to AWS, no "activity".

On a JupyterHub, an idle culler stops servers whose last activity is old; the status bar's
timer must not count as activity, or every server with an open tab would live forever.
"""

from __future__ import annotations

import time
from typing import Any

import psutil

from ipyawssso.sandbox import Sandbox


def last_activity(jupyter: Any) -> str:
    status, data, raw = jupyter.request("GET", "api/status")
    assert status == 200, raw
    return str(data["last_activity"])


def our_threads(pid: int) -> int:
    """Threads of the server process (psutil sees every native thread, names or not)."""
    return psutil.Process(pid).num_threads()


def test_nothing_runs_and_nothing_calls_aws_while_the_server_idles(
    jupyter: Any, rest_sandbox: Sandbox
) -> None:
    rest_sandbox.reset_calls()
    before = our_threads(jupyter.process.pid)
    time.sleep(6)
    assert our_threads(jupyter.process.pid) <= before  # (a start-up thread may end meanwhile)
    assert sum(rest_sandbox.calls.values()) == 0, rest_sandbox.calls


def test_the_status_bars_requests_do_not_count_as_activity(jupyter: Any, rest: Any) -> None:
    # Something that counts first, so the mark is ours to compare with.
    status, _, raw = jupyter.request("GET", "api/contents")
    assert status == 200, raw
    mark = last_activity(jupyter)
    time.sleep(1.1)  # the mark has a millisecond resolution; leave no doubt
    for _ in range(3):  # the status bar's two timed questions
        for question in ("status", "status/stamp"):
            status, data = rest("GET", question)
            assert status == 200, (question, data)
    assert last_activity(jupyter) == mark
    # The same check notices a request that does count (so the one above can fail).
    status, _, raw = jupyter.request("GET", "api/contents")
    assert status == 200, raw
    assert last_activity(jupyter) > mark
