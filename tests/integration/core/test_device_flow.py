"""The device flow's edges against the sandbox: slow_down, expiry, denial, cancel, 5xx."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from ipyawssso.core.device_flow import DeviceFlow, SignInTarget
from ipyawssso.core.errors import (
    AccessDenied,
    InvalidValueError,
    LoginCancelled,
    LoginExpired,
    LoginTimeout,
)
from ipyawssso.core.token_cache import TokenCache


@pytest.fixture
def target(sandbox):
    return SignInTarget(sandbox.start_url, sandbox.region, "edge", ("sso:account:access",))


def test_slow_down_adds_five_seconds_to_the_interval(sandbox, target):
    """A client that polls too fast is told to slow down and must add 5 s each time."""
    asked: list[float] = []

    def hasty_sleep(seconds, cancel):
        asked.append(seconds)
        cancel.wait(0.05)  # ignores the interval: the sandbox answers SlowDown

    def approve_later(auth):
        threading.Timer(1.5, sandbox.approve, args=(auth.user_code,)).start()

    token = DeviceFlow(TokenCache(), sleep=hasty_sleep).run(target, on_pending=approve_later)
    assert token.access_token in sandbox.issued_secrets()
    assert asked[0] == 1
    steps = {b - a for a, b in itertools.pairwise(asked)}
    assert 5 in steps and steps <= {0, 5}, asked
    assert sandbox.calls["CreateToken"] >= 2


def test_code_expiry_ends_the_wait(sandbox, target):
    sandbox.configure(device_code_ttl=2)
    started = time.monotonic()
    with pytest.raises(LoginExpired, match="expired before it was approved"):
        DeviceFlow(TokenCache()).run(target)
    assert time.monotonic() - started < 5


def test_denial(sandbox, target, person):
    with pytest.raises(AccessDenied, match="denied"):
        DeviceFlow(TokenCache()).run(target, on_pending=person.denies)


def test_cancel_mid_poll_returns_within_a_second(sandbox, target):
    cancel = threading.Event()
    cancelled_at: list[float] = []

    def press_cancel():
        cancelled_at.append(time.monotonic())
        cancel.set()

    def on_pending(auth):
        threading.Timer(1.2, press_cancel).start()

    with pytest.raises(LoginCancelled):
        DeviceFlow(TokenCache()).run(target, on_pending=on_pending, cancel=cancel)
    assert time.monotonic() - cancelled_at[0] < 1.0


def test_cancel_during_a_hung_request_returns_within_a_second(sandbox, target):
    sandbox.hang_next("CreateToken", 10)
    cancel = threading.Event()
    threading.Timer(2.0, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(LoginCancelled):
        DeviceFlow(TokenCache()).run(target, cancel=cancel)
    assert time.monotonic() - started < 3.0


def test_server_errors_are_retried(sandbox, target, person):
    sandbox.fail_next("RegisterClient", status=500, count=1)
    sandbox.fail_next("CreateToken", status=503, count=4)
    token = DeviceFlow(TokenCache()).run(target, on_pending=person.approves)
    assert token.access_token in sandbox.issued_secrets()


def test_own_timeout(sandbox, target):
    with pytest.raises(LoginTimeout, match="timeout="):
        DeviceFlow(TokenCache()).run(target, timeout=1.5)


def test_registration_is_reused_until_it_nearly_expires(sandbox, target, person):
    cache = TokenCache()
    DeviceFlow(cache).run(target, on_pending=person.approves)
    DeviceFlow(cache).run(target, on_pending=person.approves)
    assert sandbox.calls["RegisterClient"] == 1
    sandbox.configure(registration_ttl=600)  # < 15 minutes: replaced at the next sign-in
    cache.sso_dir.joinpath("x").touch()
    for path in cache.sso_dir.glob("*.json"):
        path.unlink()
    DeviceFlow(cache).run(target, on_pending=person.approves)
    DeviceFlow(cache).run(target, on_pending=person.approves)
    assert sandbox.calls["RegisterClient"] == 3


def test_pkce_registration_is_not_reused(sandbox, target, person):
    import json

    cache = TokenCache()
    DeviceFlow(cache).run(target, on_pending=person.approves)
    [reg] = [p for p in cache.sso_dir.glob("*.json") if "scopes" in p.read_text()]
    data = json.loads(reg.read_text())
    data["grantTypes"] = ["authorization_code", "refresh_token"]
    reg.write_text(json.dumps(data))
    DeviceFlow(cache).run(target, on_pending=person.approves)
    assert sandbox.calls["RegisterClient"] == 2


@pytest.mark.parametrize("url", ["http://d-1.awsapps.com/start", "javascript:alert(1)", "start"])
def test_start_url_must_be_https_before_anything_else(sandbox, url):
    with pytest.raises(InvalidValueError):
        DeviceFlow(TokenCache()).run(SignInTarget(url, "us-east-1", "x"))
    assert sum(sandbox.calls.values()) == 0
