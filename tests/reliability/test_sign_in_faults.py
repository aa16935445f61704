"""The device sign-in under faults: 5xx, hung calls, expiry, denial, rejected refresh tokens and
expired registrations. Each ends in one clear message, leaves nothing half-written, and the
next sign-in in the same process works."""

from __future__ import annotations

import json
import threading
import time

import pytest

import ipyawssso
from ipyawssso.core.device_flow import DeviceFlow, SignInTarget
from ipyawssso.core.errors import (
    AccessDenied,
    LoginCancelled,
    LoginExpired,
    LoginRequired,
    LoginTimeout,
    ServiceError,
)
from ipyawssso.core.token_cache import TokenCache
from tests.reliability.conftest import (
    ACCOUNT,
    SESSION,
    assert_no_leaks,
    config_file,
    error_texts,
    login,
    quick_client,
    snapshot,
    sso_cache,
    token_file,
)


def _nothing_written() -> None:
    assert not config_file().exists(), "the config was written by a failed sign-in"
    assert not token_file().exists(), "a token was saved by a failed sign-in"
    assert not list(sso_cache().glob("*.tmp")), "a temporary file was left behind"


def _works_again(sandbox, person) -> None:
    sandbox.clear_faults()
    session = login(sandbox, person)
    assert session.client("sts").get_caller_identity()["Account"] == ACCOUNT


def test_a_few_server_errors_on_each_sign_in_call_are_retried(sandbox, person):
    operations = ("RegisterClient", "StartDeviceAuthorization", "CreateToken")
    for operation in operations:
        sandbox.fail_next(operation, status=503, count=2)
    session = login(sandbox, person)
    assert session.client("sts").get_caller_identity()["Account"] == ACCOUNT
    assert all(sandbox.calls[operation] >= 3 for operation in operations), sandbox.calls


@pytest.mark.parametrize(
    ("operation", "status"), [("RegisterClient", 500), ("StartDeviceAuthorization", 400)]
)
def test_a_refused_or_failing_call_is_one_clear_service_error(sandbox, person, operation, status):
    sandbox.fail_next(operation, status=status, count=10)
    with pytest.raises(ServiceError, match=f"refused {operation} .*HTTP {status}") as caught:
        login(sandbox, person)
    assert "Try again" in str(caught.value) or "Check" in str(caught.value)
    assert_no_leaks(error_texts(caught.value), sandbox)
    _nothing_written()
    if operation == "RegisterClient":
        _works_again(sandbox, person)


def test_a_service_failing_through_the_whole_wait_says_so(sandbox, person):
    # A single-attempt client: botocore's own retries would stretch one poll past the wait.
    target = SignInTarget(sandbox.start_url, sandbox.region, SESSION, ("sso:account:access",))
    flow = DeviceFlow(TokenCache(), client_factory=lambda region: quick_client("sso-oidc", region))
    sandbox.configure(device_code_ttl=2)
    sandbox.fail_next("CreateToken", status=503, count=1000)
    started = time.monotonic()
    with pytest.raises(ServiceError, match=r"kept failing \(HTTP 503\)") as caught:
        flow.run(target, on_pending=person.approves)
    assert time.monotonic() - started < 5
    assert_no_leaks(error_texts(caught.value), sandbox)
    _nothing_written()


@pytest.mark.parametrize("operation", ["RegisterClient", "StartDeviceAuthorization"])
def test_a_timed_out_call_is_a_clear_service_error(sandbox, operation):
    sandbox.hang_next(operation, 3)
    target = SignInTarget(sandbox.start_url, sandbox.region, SESSION, ("sso:account:access",))
    flow = DeviceFlow(TokenCache(), client_factory=lambda region: quick_client("sso-oidc", region))
    started = time.monotonic()
    with pytest.raises(ServiceError, match=r"Could not reach IAM Identity Center \(ReadTimeout"):
        flow.run(target)
    assert time.monotonic() - started < 2.5
    assert not token_file().exists()


def _impatient(region: str):
    return quick_client("sso-oidc", region, read_timeout=0.3)


def test_timed_out_polls_lost_answer_then_retried_until_approval(sandbox, person):
    """1. The service issued the token but its answer timed out: the code is spent (RFC 8628),
    the next poll is refused: one clear message, nothing saved. 2. A poll that times out while
    the code is pending is retried, and the sign-in completes."""
    target = SignInTarget(sandbox.start_url, sandbox.region, SESSION, ("sso:account:access",))
    flow = DeviceFlow(TokenCache(), client_factory=lambda region: _impatient(region))
    sandbox.hang_next("CreateToken", 0.6)
    with pytest.raises(ServiceError, match="CreateToken") as caught:
        flow.run(target, on_pending=person.approves)
    assert_no_leaks(error_texts(caught.value), sandbox)
    assert not token_file().exists()

    sandbox.reset_calls()
    sandbox.hang_next("CreateToken", 0.6)

    def approve_after_the_hung_poll(auth):
        def approve():
            while sandbox.calls["CreateToken"] < 2:
                time.sleep(0.02)
            sandbox.approve(auth.user_code)

        threading.Thread(target=approve, daemon=True).start()

    token = flow.run(target, on_pending=approve_after_the_hung_poll)
    assert token.access_token in sandbox.issued_secrets()
    assert json.loads(token_file().read_text())["accessToken"] == token.access_token


def test_login_timeout_bounds_a_hung_registration(sandbox, person):
    sandbox.hang_next("RegisterClient", 15)
    started = time.monotonic()
    with pytest.raises(LoginTimeout, match="timeout="):
        login(sandbox, person, timeout=1.5)
    assert time.monotonic() - started < 3
    _nothing_written()


def test_code_expiry_then_a_new_sign_in(sandbox, person):
    sandbox.configure(device_code_ttl=1)
    with pytest.raises(LoginExpired, match="expired before it was approved") as caught:
        ipyawssso.login(
            "ai-dev",
            start_url=sandbox.start_url,
            sso_region=sandbox.region,
            session_name=SESSION,
            account_id=ACCOUNT,
            role_name="ReadOnly",
        )
    assert_no_leaks(error_texts(caught.value), sandbox)
    _nothing_written()
    sandbox.configure(device_code_ttl=600)
    _works_again(sandbox, person)


def test_denial_then_a_new_sign_in(sandbox, person):
    with pytest.raises(AccessDenied, match="press Allow") as caught:
        ipyawssso.login(
            "ai-dev",
            start_url=sandbox.start_url,
            sso_region=sandbox.region,
            session_name=SESSION,
            account_id=ACCOUNT,
            role_name="ReadOnly",
            on_pending=person.denies,
        )
    assert_no_leaks(error_texts(caught.value), sandbox)
    _nothing_written()
    _works_again(sandbox, person)


def _expire_local_token() -> None:
    data = json.loads(token_file().read_text())
    data["expiresAt"] = "2001-01-01T00:00:00Z"
    token_file().write_text(json.dumps(data))


def test_rejected_refresh_token_asks_for_a_new_sign_in(signed_in, sandbox, person):
    sandbox.expire_tokens()
    sandbox.revoke_refresh_tokens()
    _expire_local_token()
    sandbox.reset_calls()
    with pytest.raises(
        LoginRequired,
        match=r"ai-dev: the sign-in expired and could not be renewed\. "
        r"Run `ipyawssso\.login\('ai-dev'\)`",
    ) as caught:
        ipyawssso.session("ai-dev")
    assert sandbox.calls["CreateToken"] == 1, "the refresh token was not even tried"
    assert_no_leaks(error_texts(caught.value), sandbox)
    config_before = config_file().read_bytes()
    session = ipyawssso.login("ai-dev", on_pending=person.approves)
    assert len(person.seen) == 1  # a device flow, nothing else asked
    assert config_file().read_bytes() == config_before
    assert session.client("sts").get_caller_identity()["Account"] == ACCOUNT


def test_refresh_failing_with_5xx_is_not_a_crash(signed_in, sandbox, person):
    sandbox.expire_tokens()
    _expire_local_token()
    sandbox.fail_next("CreateToken", status=500, count=10)
    with pytest.raises(LoginRequired):
        ipyawssso.session("ai-dev")
    sandbox.clear_faults()
    # The refresh token is still good: the next try renews without a device flow.
    sandbox.reset_calls()
    session = ipyawssso.session("ai-dev")
    assert sandbox.calls["StartDeviceAuthorization"] == 0
    assert session.client("sts").get_caller_identity()["Account"] == ACCOUNT


def test_registration_ended_at_the_service_is_replaced_not_reported(signed_in, sandbox, person):
    sandbox.expire_registrations()
    sandbox.reset_calls()
    session = ipyawssso.login("ai-dev", force=True, on_pending=person.approves)
    assert sandbox.calls["RegisterClient"] == 1
    assert sandbox.calls["StartDeviceAuthorization"] == 2  # refused once, then with the new one
    assert session.client("sts").get_caller_identity()["Account"] == ACCOUNT
    registrations = [p for p in sso_cache().glob("*.json") if "scopes" in p.read_text()]
    assert len(registrations) == 1  # replaced in place, not added


def test_registration_lifetime_running_out_gives_a_new_registration(signed_in, sandbox, person):
    """90 days later: the registration, the access token and its refresh are all over."""
    sandbox.expire_tokens()
    sandbox.expire_registrations()
    for path in sso_cache().glob("*.json"):
        data = json.loads(path.read_text())
        for key in ("expiresAt", "registrationExpiresAt"):
            if key in data:
                data[key] = "2001-01-01T00:00:00Z"
        path.write_text(json.dumps(data))
    sandbox.reset_calls()
    with pytest.raises(LoginRequired):
        ipyawssso.session("ai-dev")
    assert sandbox.calls["CreateToken"] == 0, "a refresh needs a live registration"
    session = ipyawssso.login("ai-dev", on_pending=person.approves)
    assert sandbox.calls["RegisterClient"] == 1
    assert session.client("sts").get_caller_identity()["Account"] == ACCOUNT


def test_cancel_while_a_call_hangs_leaves_nothing(sandbox, person):
    sandbox.hang_next("StartDeviceAuthorization", 10)
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    before = snapshot(sso_cache().parent.parent)
    started = time.monotonic()
    with pytest.raises(LoginCancelled):
        login(sandbox, person, cancel=cancel)
    assert time.monotonic() - started < 2
    after = snapshot(sso_cache().parent.parent)
    assert {k for k in after if "cache" in k and k not in before} <= {
        k for k in after if json.loads(after[k]).get("scopes")
    }, "only the registration may have been saved"
    assert not config_file().exists()
    _works_again(sandbox, person)
