"""The cheap endpoints pages ask on a timer: the disk stamp and the kernels' sign-ins.

A real server; the stamp must change when a sign-in or the config changes on disk (that is how
the status bar learns of a terminal's log-out within seconds), and neither endpoint may count
as user activity (a hub's idle culler would never stop the server).
"""

from __future__ import annotations

import time
from typing import Any

from jupyter_process import UiHome


def stamp(rest: Any) -> str:
    status, data = rest("GET", "status/stamp")
    assert status == 200, data
    return str(data["stamp"])


def test_the_stamp_follows_tokens_and_the_config(rest: Any, rest_home: UiHome) -> None:
    first = stamp(rest)
    assert stamp(rest) == first  # nothing changed, nothing to refresh
    rest_home.write_config("[profile p]\nregion = us-east-1\n")
    second = stamp(rest)
    assert second != first
    rest_home.sso_cache.mkdir(parents=True, exist_ok=True)
    token = rest_home.sso_cache / "0123456789abcdef.json"
    token.write_text("{}")
    third = stamp(rest)
    assert third != second
    time.sleep(0.01)
    token.write_text('{"a": 1}')  # rewritten in place, as botocore refreshes a token
    assert stamp(rest) != third
    token.unlink()


def test_a_sign_in_no_kernel_registered_is_unknown_and_a_bad_id_refused(rest: Any) -> None:
    status, data = rest("GET", "kernel-signins/abcdefghijkl")
    assert status == 200, data
    assert data == {"id": "abcdefghijkl", "state": "unknown", "profile": None}
    status, data = rest("POST", "kernel-signins/abcdefghijkl/stop", {"reason": "rerun"})
    assert status == 200 and data["state"] == "unknown", data
    status, _ = rest("POST", "kernel-signins/abcdefghijkl/stop", {"reason": "explode"})
    assert status == 400
    status, _ = rest("GET", "kernel-signins/short")
    assert status == 400


def test_timer_requests_do_not_count_as_activity(jupyter: Any, rest: Any) -> None:
    status, _, raw = jupyter.request("GET", "api/contents")
    assert status == 200, raw
    _, before, _ = jupyter.request("GET", "api/status")
    time.sleep(1.1)
    stamp(rest)
    rest("GET", "kernel-signins/abcdefghijkl")
    _, after, _ = jupyter.request("GET", "api/status")
    assert after["last_activity"] == before["last_activity"]
