"""The sign-in jobs and the status answer, without a server: outcomes, joining, "in use".

The manager takes the core's ``sign_in`` as a constructor argument; here it gets functions
that end the way the core can end (approved, denied, expired, cancelled, failed).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ipyawssso.core.api import ProfileStatus
from ipyawssso.core.errors import (
    AccessDenied,
    LoginCancelled,
    LoginExpired,
    LoginRequired,
    ProfileNotFound,
    ServiceError,
)
from ipyawssso.core.models import DeviceAuthorization, LoginStatus, Profile
from ipyawssso.server.signins import SignInManager
from ipyawssso.server.views import StatusInputs, job_view, status_view

CONFIG = """\
[sso-session sbx]
sso_start_url = https://d-sandbox0001.awsapps.com/start
sso_region = us-east-1

[profile alpha]
sso_session = sbx
sso_account_id = 100000000001
sso_role_name = ReadOnly

[profile beta]
sso_session = sbx
sso_account_id = 100000000002
sso_role_name = ReadOnly

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 100000000003
sso_role_name = ReadOnly
"""

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
AUTH = DeviceAuthorization(
    user_code="ABCD-EFGH",
    verification_uri="http://127.0.0.1:1/device",
    verification_uri_complete="http://127.0.0.1:1/device?user_code=ABCD-EFGH",
    expires_at=NOW + timedelta(minutes=10),
    interval=1,
)


@pytest.fixture
def config(aws_home: Path) -> None:
    Path(aws_home, ".aws", "config").write_text(CONFIG)


def finishing_with(outcome: BaseException | None) -> Any:
    def sign_in(profile: str, **kwargs: Any) -> LoginStatus:
        kwargs["on_pending"](AUTH)
        if outcome is not None:
            raise outcome
        return LoginStatus("sbx", "https://x", "us-east-1", NOW + timedelta(hours=8), (profile,))

    return sign_in


@pytest.mark.parametrize(
    ("outcome", "state", "words"),
    [
        (None, "signed_in", None),
        (AccessDenied(), "denied", "denied"),
        (LoginExpired(), "expired", "expired"),
        (LoginCancelled(), "cancelled", "cancelled"),
        (ServiceError("IAM Identity Center failed; try again later."), "error", "try again"),
    ],
)
@pytest.mark.usefixtures("config")
def test_each_outcome_becomes_a_state_with_its_message(
    outcome: BaseException | None, state: str, words: str | None
) -> None:
    manager = SignInManager(finishing_with(outcome))
    job, joined = manager.start("alpha")
    assert not joined
    job = manager.wait(job.id, timeout=5)
    assert job is not None
    view = job_view(job)
    assert view["state"] == state
    assert view["userCode"] == "ABCD-EFGH"
    if words is None:
        assert view["message"] is None
        assert view["sessionExpiresAt"] == "2026-01-01T20:00:00Z"
    else:
        assert words in view["message"]


@pytest.mark.usefixtures("config")
def test_a_failed_sign_in_says_what_to_do_in_the_lab_not_in_python() -> None:
    """The lab shows the job's message as it is: its own Sign in…, or the magic to type in a
    notebook, never a Python call (tests/unit/test_front_end_wording.py has every front end)."""
    failures = [
        (LoginRequired("alpha", "the sign-in ended"), "Use Sign in… in the AWS status bar."),
        (
            ProfileNotFound("alpha", "/c"),
            "`%aws_sso login alpha --start-url URL --sso-region REGION` in a notebook",
        ),
    ]
    for error, words in failures:
        manager = SignInManager(finishing_with(error))
        job, _ = manager.start("alpha")
        job = manager.wait(job.id, timeout=5)
        assert job is not None and job.state == "error"
        message = job_view(job)["message"]
        assert words in message and "ipyawssso." not in message


@pytest.mark.usefixtures("config")
def test_an_unexpected_failure_is_reported_without_its_text() -> None:
    """Only our own errors are shown verbatim; anything else could carry what it holds."""
    manager = SignInManager(finishing_with(RuntimeError("at-secret-value")))
    job, _ = manager.start("alpha")
    job = manager.wait(job.id, timeout=5)
    assert job is not None and job.state == "error"
    assert "at-secret-value" not in job.message
    assert "RuntimeError" in job.message and "log" in job.message


@pytest.mark.usefixtures("config")
def test_profiles_of_one_session_share_one_job_until_it_ends() -> None:
    release = threading.Event()

    def sign_in(profile: str, **kwargs: Any) -> LoginStatus:
        kwargs["on_pending"](AUTH)
        release.wait(5)
        return LoginStatus("sbx", "https://x", "us-east-1", NOW, (profile,))

    manager = SignInManager(sign_in)
    first, _ = manager.start("alpha")
    second, joined = manager.start("beta")
    assert joined and second is first
    legacy, joined = manager.start("legacy")  # another sign-in: its own job
    assert not joined and legacy.key == "https://legacy.awsapps.com/start"
    assert {job.id for job in manager.active()} == {first.id, legacy.id}
    release.set()
    assert manager.wait(first.id, 5).state == "signed_in"
    third, joined = manager.start("alpha")  # the first one ended: a new job
    assert not joined and third.id != first.id
    manager.wait(third.id, 5)


@pytest.mark.usefixtures("config")
def test_cancel_and_shutdown_reach_the_running_sign_in() -> None:
    def sign_in(profile: str, **kwargs: Any) -> LoginStatus:
        kwargs["on_pending"](AUTH)
        if kwargs["cancel"].wait(5):
            raise LoginCancelled()
        raise AssertionError("never cancelled")

    manager = SignInManager(sign_in)
    job, _ = manager.start("alpha")
    manager.cancel(job.id)
    assert manager.wait(job.id, 5).state == "cancelled"
    other, _ = manager.start("legacy")
    manager.shutdown(timeout=5)
    assert other.state == "cancelled"


@pytest.mark.usefixtures("config")
def test_unknown_and_non_sso_profiles_are_refused_before_any_thread() -> None:
    manager = SignInManager(finishing_with(None))
    with pytest.raises(ProfileNotFound):
        manager.start("nope")
    assert manager.active() == []


def status_inputs(signed_in_at: dict[str, float], expires: datetime | None) -> StatusInputs:
    sbx = LoginStatus("sbx", "https://sbx", "us-east-1", expires, ("alpha", "beta"), True)
    legacy = LoginStatus(None, "https://legacy", "eu-west-1", None, ("legacy",))
    profiles = [
        ProfileStatus(Profile("alpha", sso_session="sbx"), sbx),
        ProfileStatus(Profile("beta", sso_session="sbx"), sbx),
        ProfileStatus(
            Profile("legacy", start_url="https://legacy", sso_region="eu-west-1"), legacy
        ),
        ProfileStatus(Profile("plain", region="eu-west-1"), None),
    ]
    return StatusInputs([sbx, legacy], profiles, signed_in_at, NOW)


def test_in_use_follows_the_request_then_the_latest_sign_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_PROFILE", raising=False)
    nobody = status_inputs({}, None)
    assert status_view(nobody)["inUse"] is None
    assert status_view(nobody, last_profile="beta")["inUse"]["profile"] == "beta"
    assert status_view(nobody, requested="plain")["inUse"] is None  # not an SSO profile

    both = status_inputs({"sbx": 100.0, "https://legacy": 200.0}, NOW + timedelta(hours=1))
    view = status_view(both)
    assert view["inUse"] == {"profile": "legacy", "key": "https://legacy", "source": "recent"}
    view = status_view(both, requested="alpha")
    assert view["inUse"] == {"profile": "alpha", "key": "sbx", "source": "request"}

    sbx_last = status_inputs({"sbx": 300.0, "https://legacy": 200.0}, NOW + timedelta(hours=1))
    assert status_view(sbx_last)["inUse"]["profile"] == "alpha"
    assert status_view(sbx_last, last_profile="beta")["inUse"]["profile"] == "beta"
    monkeypatch.setenv("AWS_PROFILE", "beta")
    assert status_view(sbx_last)["inUse"] == {
        "profile": "beta",
        "key": "sbx",
        "source": "environment",
    }
    # botocore reads AWS_DEFAULT_PROFILE first: the status bar names the profile boto3 uses.
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "alpha")
    assert status_view(sbx_last)["inUse"]["profile"] == "alpha"


def test_status_view_names_times_in_utc_and_nothing_else() -> None:
    view = status_view(status_inputs({"sbx": 0.0}, NOW + timedelta(hours=8)))
    sbx = view["sessions"][0]
    assert sbx == {
        "key": "sbx",
        "name": "sbx",
        "startUrl": "https://sbx",
        "region": "us-east-1",
        "expiresAt": "2026-01-01T20:00:00Z",
        "signedIn": True,
        "refreshable": True,
        "profiles": ["alpha", "beta"],
        "lastSignIn": "1970-01-01T00:00:00Z",
    }
    assert [p["name"] for p in view["profiles"]] == ["alpha", "beta", "legacy"]
    assert view["now"] == "2026-01-01T12:00:00Z"
