"""The registry of kernels' waiting sign-ins, with real processes and real locks.

A card asks the server whether its kernel still waits; the answer rests on an OS file lock that
dies with the process, so these tests kill real processes rather than pretend.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ipyawssso import kernel_signins
from ipyawssso.kernel_signins import ENV, KernelSignIn, probe, prune, request_stop

pytestmark = pytest.mark.skipif(kernel_signins.fcntl is None, reason="flock is POSIX only")

HOLDER = """
import sys, time
from ipyawssso.kernel_signins import KernelSignIn
sign_in = KernelSignIn.open("ai-dev")
print(sign_in.id, flush=True)
time.sleep(60)
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "signins"
    monkeypatch.setenv(ENV, str(path))
    return path


def test_without_the_server_variable_nothing_is_registered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert KernelSignIn.open("ai-dev") is None


def test_a_wait_whose_process_dies_reads_ended(folder: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    try:
        assert holder.stdout is not None
        sign_in_id = holder.stdout.readline().strip()
        assert probe(folder, sign_in_id) == {
            "id": sign_in_id,
            "state": "waiting",
            "profile": "ai-dev",
        }
    finally:
        holder.send_signal(signal.SIGKILL)  # no clean-up code runs: only the OS drops the lock
        holder.wait(10)
    assert probe(folder, sign_in_id)["state"] == "ended"


def test_a_finished_wait_reads_its_outcome_and_is_pruned_later(folder: Path) -> None:
    sign_in = KernelSignIn.open("ai-dev")
    assert sign_in is not None
    sign_in.finish("denied")
    assert probe(folder, sign_in.id)["state"] == "denied"
    assert prune(folder, now=time.time() + 5) == 0
    assert prune(folder, now=time.time() + kernel_signins.KEEP + 1) == 1
    assert probe(folder, sign_in.id)["state"] == "unknown"


def test_a_stop_request_reaches_the_waiting_side_with_its_reason(folder: Path) -> None:
    sign_in = KernelSignIn.open("ai-dev")
    assert sign_in is not None
    heard: list[str] = []
    done = threading.Event()
    sign_in.watch(lambda reason: (heard.append(reason), done.set()))
    assert request_stop(folder, sign_in.id, "rerun")["state"] == "waiting"
    assert done.wait(5), "the watcher never saw the stop request"
    assert heard == ["rerun"]
    sign_in.finish("replaced")
    assert probe(folder, sign_in.id)["state"] == "replaced"
    assert not list(folder.glob("*.stop")), "the stop request is removed with the wait"
    # A stop for a wait that is over changes nothing.
    assert request_stop(folder, sign_in.id, "cancel")["state"] == "replaced"
    assert not list(folder.glob("*.stop"))


def test_ids_that_are_not_ours_are_refused(folder: Path) -> None:
    folder.mkdir()
    (folder.parent / "secret.json").write_text("{}")
    assert probe(folder, "../secret")["state"] == "unknown"
    with pytest.raises(ValueError, match="reason must be"):
        request_stop(folder, "abcdefghijkl", "explode")
