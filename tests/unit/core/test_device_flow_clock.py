"""The device flow's timing rules, on a fake clock: each test runs in milliseconds.

A real botocore sso-oidc client answers through botocore's ``Stubber`` (its parameters and
answers are checked against the service model), and ``DeviceFlow`` gets a clock, a monotonic
time and a sleep that only move a number forward. What is measured is what the flow asked
for: how long it slept between polls, and when it stopped. The same rules over HTTP against
the sandbox are in tests/integration/core/test_device_flow.py.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.stub import ANY, Stubber

from ipyawssso.core.device_flow import GRANT_TYPE, DeviceFlow, SignInTarget
from ipyawssso.core.errors import (
    AccessDenied,
    LoginCancelled,
    LoginExpired,
    LoginTimeout,
    ServiceError,
)
from ipyawssso.core.models import DeviceAuthorization
from ipyawssso.core.token_cache import TokenCache

TARGET = SignInTarget(
    "https://acme.awsapps.com/start", "us-east-1", "acme", ("sso:account:access",)
)
EPOCH = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


class FakeTime:
    """Monotonic seconds, the wall clock that follows them, and a sleep that advances both.

    ``on_sleep`` runs after each sleep, as another thread would act while the flow waits."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.on_sleep: Any = None

    def monotonic(self) -> float:
        return self.now

    def clock(self) -> datetime:
        return EPOCH + timedelta(seconds=self.now)

    def sleep(self, seconds: float, cancel: threading.Event) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.on_sleep is not None:
            self.on_sleep(cancel)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture(scope="module")
def botocore_session() -> botocore.session.Session:
    return botocore.session.get_session()  # loads the service models once for the module


@pytest.fixture
def oidc(botocore_session: botocore.session.Session) -> Any:
    client = botocore_session.create_client(
        "sso-oidc",
        region_name="us-east-1",
        aws_access_key_id="unused",
        aws_secret_access_key="unused",
    )
    with Stubber(client) as stub:
        client.stub = stub
        yield client
        stub.assert_no_pending_responses()


def flow(tmp_path: Path, fake_time: FakeTime, client: Any) -> DeviceFlow:
    return DeviceFlow(
        TokenCache(tmp_path / "sso", tmp_path / "cli"),
        client_factory=lambda region: client,
        clock=fake_time.clock,
        monotonic=fake_time.monotonic,
        sleep=fake_time.sleep,
    )


def expect_sign_in_start(client: Any, *, interval: int | None = 5, expires_in: int = 600) -> None:
    stub = client.stub
    stub.add_response(
        "register_client",
        {
            "clientId": "client-id",
            "clientSecret": "client-secret",
            "clientSecretExpiresAt": int((EPOCH + timedelta(days=90)).timestamp()),
        },
        {"clientName": "botocore-client-acme", "clientType": "public", "scopes": ANY},
    )
    answer: dict[str, Any] = {
        "deviceCode": "device-code",
        "userCode": "ABCD-EFGH",
        "verificationUri": "https://device.sso.us-east-1.amazonaws.com/",
        "verificationUriComplete": "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH",
        "expiresIn": expires_in,
    }
    if interval is not None:
        answer["interval"] = interval
    stub.add_response(
        "start_device_authorization",
        answer,
        {"clientId": "client-id", "clientSecret": "client-secret", "startUrl": TARGET.start_url},
    )


POLL = {
    "clientId": "client-id",
    "clientSecret": "client-secret",
    "grantType": GRANT_TYPE,
    "deviceCode": "device-code",
}


def expect_poll(client: Any, code: str | None = None, *, status: int = 400) -> None:
    if code is None:
        client.stub.add_response(
            "create_token",
            {"accessToken": "access-token", "expiresIn": 28800, "refreshToken": "refresh"},
            POLL,
        )
    else:
        client.stub.add_client_error(
            "create_token", service_error_code=code, http_status_code=status, expected_params=POLL
        )


def test_it_polls_at_the_interval_the_service_gives(tmp_path, fake_time, oidc):
    expect_sign_in_start(oidc, interval=7)
    for _ in range(3):
        expect_poll(oidc, "AuthorizationPendingException")
    expect_poll(oidc)
    shown: list[DeviceAuthorization] = []
    token = flow(tmp_path, fake_time, oidc).run(TARGET, on_pending=shown.append)
    assert fake_time.sleeps == [7, 7, 7, 7]
    assert token.expires_at == EPOCH + timedelta(seconds=1000 + 28 + 28800)
    assert [a.user_code for a in shown] == ["ABCD-EFGH"]
    assert shown[0].expires_at == EPOCH + timedelta(seconds=1000 + 600)


def test_without_an_interval_it_polls_every_five_seconds(tmp_path, fake_time, oidc):
    expect_sign_in_start(oidc, interval=None)
    expect_poll(oidc, "AuthorizationPendingException")
    expect_poll(oidc)
    flow(tmp_path, fake_time, oidc).run(TARGET)
    assert fake_time.sleeps == [5, 5]


def test_slow_down_adds_five_seconds_to_every_later_poll(tmp_path, fake_time, oidc):
    expect_sign_in_start(oidc, interval=5)
    expect_poll(oidc, "SlowDownException")
    expect_poll(oidc, "AuthorizationPendingException")
    expect_poll(oidc, "SlowDownException")
    expect_poll(oidc, "AuthorizationPendingException")
    expect_poll(oidc)
    flow(tmp_path, fake_time, oidc).run(TARGET)
    assert fake_time.sleeps == [5, 10, 10, 15, 15]


def test_it_stops_at_the_codes_expiry_without_another_poll(tmp_path, fake_time, oidc):
    expect_sign_in_start(oidc, interval=5, expires_in=12)
    expect_poll(oidc, "AuthorizationPendingException")
    expect_poll(oidc, "AuthorizationPendingException")
    with pytest.raises(LoginExpired):
        flow(tmp_path, fake_time, oidc).run(TARGET)
    # 5 + 5, then only the 2 s left: the last sleep is cut to the expiry, and no poll follows.
    assert fake_time.sleeps == [5, 5, 2]
    assert fake_time.now == 1000 + 12


def test_the_service_saying_expired_ends_it_too(tmp_path, fake_time, oidc):
    expect_sign_in_start(oidc)
    expect_poll(oidc, "ExpiredTokenException")
    with pytest.raises(LoginExpired):
        flow(tmp_path, fake_time, oidc).run(TARGET)


def test_the_callers_timeout_ends_the_wait_before_the_code_expires(tmp_path, fake_time, oidc):
    expect_sign_in_start(oidc, interval=5, expires_in=600)
    for _ in range(6):
        expect_poll(oidc, "AuthorizationPendingException")
    with pytest.raises(LoginTimeout) as info:
        flow(tmp_path, fake_time, oidc).run(TARGET, timeout=30)
    assert info.value.seconds == 30 and not info.value.elsewhere
    assert sum(fake_time.sleeps) == 30


def test_cancel_during_a_sleep_ends_it_before_the_next_poll(tmp_path, fake_time, oidc):
    expect_sign_in_start(oidc)
    expect_poll(oidc, "AuthorizationPendingException")
    naps = iter([False, True])  # the person presses Cancel during the second wait
    fake_time.on_sleep = lambda cancel: cancel.set() if next(naps) else None
    with pytest.raises(LoginCancelled):
        flow(tmp_path, fake_time, oidc).run(TARGET)
    assert fake_time.sleeps == [5, 5]  # the pending stub queue is empty: no third poll


def test_a_cancel_before_the_start_asks_nothing(tmp_path, fake_time, oidc):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(LoginCancelled):
        flow(tmp_path, fake_time, oidc).run(TARGET, cancel=cancel)
    assert fake_time.sleeps == []


def test_a_denied_request_ends_it_at_once(tmp_path, fake_time, oidc):
    expect_sign_in_start(oidc)
    expect_poll(oidc, "AccessDeniedException")
    with pytest.raises(AccessDenied):
        flow(tmp_path, fake_time, oidc).run(TARGET)
    assert fake_time.sleeps == [5]


def test_a_refusal_it_cannot_handle_is_a_service_error_with_its_facts(tmp_path, fake_time, oidc):
    expect_sign_in_start(oidc)
    expect_poll(oidc, "InvalidClientException")
    with pytest.raises(ServiceError) as info:
        flow(tmp_path, fake_time, oidc).run(TARGET)
    assert (info.value.code, info.value.operation) == ("InvalidClientException", "CreateToken")
    assert "client-secret" not in str(info.value)


def test_server_errors_back_off_and_the_code_stays_alive(tmp_path, fake_time, oidc):
    expect_sign_in_start(oidc, interval=5)
    expect_poll(oidc, "InternalServerException", status=500)
    expect_poll(oidc, "InternalServerException", status=500)
    expect_poll(oidc)
    flow(tmp_path, fake_time, oidc).run(TARGET)
    # each failure waits its backoff (5, then 10) on top of the interval
    assert fake_time.sleeps == [5, 5, 5, 10, 5]
