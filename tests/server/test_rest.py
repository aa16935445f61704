"""The server extension's REST API over HTTP: a real Jupyter server, the sandbox behind it."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from jupyter_process import UiHome, sso_config

from ipyawssso.sandbox import Sandbox
from ipyawssso.sandbox.leak_guard import find_leaks

ALPHA = ("100000000001", "ReadOnly")
BETA = ("100000000002", "ReadOnly")
GAMMA = ("100000000001", "USS_AI_DEV_Bedrock_Access")
DELTA = ("100000000003", "ReadOnly")


@pytest.fixture(scope="module", autouse=True)
def config(rest_home: UiHome, rest_sandbox: Sandbox) -> None:
    """Three sso-sessions on the sandbox and one profile that does not use SSO."""
    rest_home.write_config(
        sso_config(rest_sandbox, {"alpha": ALPHA, "beta": BETA}, session="sbx")
        + sso_config(rest_sandbox, {"gamma": GAMMA}, session="other")
        + sso_config(rest_sandbox, {"delta": DELTA}, session="third")
        + "[profile plain]\nregion = eu-west-1\n"
    )


def wait_state(rest: Any, job_id: str, states: set[str], timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        status, job = rest("GET", f"login/{job_id}")
        assert status == 200, job
        if job["state"] in states:
            return job
        assert time.monotonic() < deadline, f"still {job['state']} after {timeout} s: {job}"
        time.sleep(0.1)


def session_of(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(s for s in data["sessions"] if s["key"] == key)


def sign_in(rest: Any, sandbox: Sandbox, profile: str) -> dict[str, Any]:
    status, job = rest("POST", "login", {"profile": profile, "force": True})
    assert status in (200, 201), job
    job = wait_state(rest, job["id"], {"pending"})
    sandbox.approve(job["userCode"])
    return wait_state(rest, job["id"], {"signed_in"})


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "status", None),
        ("POST", "login", {"profile": "alpha"}),
        ("GET", "login/abc", None),
        ("DELETE", "login/abc", None),
        ("POST", "logout", {"all": True}),
    ],
)
@pytest.mark.parametrize("token", [None, "not-the-token"])
def test_unauthenticated_requests_are_refused(
    jupyter: Any, rest_sandbox: Sandbox, method: str, path: str, body: Any, token: str | None
) -> None:
    before = rest_sandbox.calls
    status, _, raw = jupyter.request(method, f"ipyawssso/api/{path}", body, token=token)
    assert status == 403, raw
    assert "userCode" not in raw and "sessions" not in raw
    assert rest_sandbox.calls == before  # nothing reached IAM Identity Center


def test_status_lists_every_sign_in_and_the_sso_profiles(rest: Any, rest_sandbox: Sandbox) -> None:
    status, data = rest("GET", "status")
    assert status == 200, data
    assert [s["key"] for s in data["sessions"]] == ["sbx", "other", "third"]
    sbx = session_of(data, "sbx")
    assert sbx["name"] == "sbx"
    assert sbx["startUrl"] == rest_sandbox.start_url
    assert sbx["region"] == rest_sandbox.region
    assert sbx["profiles"] == ["alpha", "beta"]
    assert {p["name"] for p in data["profiles"]} == {"alpha", "beta", "gamma", "delta"}
    assert next(p for p in data["profiles"] if p["name"] == "gamma") == {
        "name": "gamma",
        "key": "other",
        "accountId": GAMMA[0],
        "roleName": GAMMA[1],
        "region": rest_sandbox.region,
        "via": None,
        "roleArn": None,
    }
    datetime.strptime(data["now"], "%Y-%m-%dT%H:%M:%SZ")

    status, data = rest("GET", "status?profile=gamma")
    assert data["inUse"] == {"profile": "gamma", "key": "other", "source": "request"}
    status, data = rest("GET", "status?profile=plain")  # not SSO: cannot be "in use"
    assert data["inUse"] is None or data["inUse"]["profile"] != "plain"


def test_a_second_sign_in_to_the_same_session_joins_the_first(
    rest: Any, rest_sandbox: Sandbox, jupyter: Any
) -> None:
    rest_sandbox.reset_calls()
    status, first = rest("POST", "login", {"profile": "alpha"})
    assert status == 201, first
    assert first["joined"] is False and first["key"] == "sbx"
    pending = wait_state(rest, first["id"], {"pending"})
    assert pending["userCode"] in rest_sandbox.pending_user_codes()
    assert pending["verificationUri"] == f"{rest_sandbox.url}/device"
    assert pending["verificationUriComplete"].endswith(f"user_code={pending['userCode']}")
    assert datetime.strptime(pending["expiresAt"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=UTC
    ) > datetime.now(UTC)

    status, second = rest("POST", "login", {"profile": "beta"})  # same sso-session
    assert status == 200, second
    assert second["joined"] is True
    assert second["id"] == first["id"]
    assert second["userCode"] == pending["userCode"]
    assert rest_sandbox.calls["StartDeviceAuthorization"] == 1

    rest_sandbox.approve(pending["userCode"])
    done = wait_state(rest, first["id"], {"signed_in"})
    assert done["sessionExpiresAt"] is not None
    assert done["message"] is None

    status, data = rest("GET", "status")
    sbx = session_of(data, "sbx")
    assert sbx["signedIn"] is True and sbx["refreshable"] is True
    left = datetime.strptime(sbx["expiresAt"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert 7.9 * 3600 < (left - datetime.now(UTC)).total_seconds() <= 8 * 3600
    assert data["inUse"] == {"profile": "beta", "key": "sbx", "source": "recent"}
    assert session_of(data, "other")["signedIn"] is False

    # A valid sign-in is reused: no new code, no network.
    rest_sandbox.reset_calls()
    status, again = rest("POST", "login", {"profile": "alpha"})
    assert wait_state(rest, again["id"], {"signed_in"})["userCode"] is None
    assert rest_sandbox.calls["StartDeviceAuthorization"] == 0

    # The token is in the shared cache: another process (a kernel, say) uses it at once.
    script = (
        "import ipyawssso; s = ipyawssso.session('alpha'); "
        "print(s.client('sts').get_caller_identity()['Account'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=jupyter.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ALPHA[0]


def test_cancel_stops_a_pending_sign_in(rest: Any) -> None:
    status, job = rest("POST", "login", {"profile": "gamma"})
    assert status == 201, job
    wait_state(rest, job["id"], {"pending"})
    status, cancelled = rest("DELETE", f"login/{job['id']}")
    assert cancelled["id"] == job["id"]
    assert status == 200
    done = wait_state(rest, job["id"], {"cancelled"}, timeout=5)
    assert "cancelled" in done["message"].lower()
    _, data = rest("GET", "status")
    assert session_of(data, "other")["signedIn"] is False


def test_a_denied_sign_in_says_so(rest: Any, rest_sandbox: Sandbox) -> None:
    _, job = rest("POST", "login", {"profile": "delta"})
    job = wait_state(rest, job["id"], {"pending"})
    rest_sandbox.deny(job["userCode"])
    done = wait_state(rest, job["id"], {"denied"})
    assert "denied" in done["message"]
    assert done["sessionExpiresAt"] is None


def test_logout_ends_one_sign_in_or_all(
    rest: Any, rest_sandbox: Sandbox, rest_home: UiHome
) -> None:
    sign_in(rest, rest_sandbox, "alpha")
    sign_in(rest, rest_sandbox, "gamma")
    status, data = rest("POST", "logout", {"profile": "beta"})
    assert status == 200, data
    assert data == {"loggedOut": ["sbx"]}
    _, data = rest("GET", "status")
    assert session_of(data, "sbx")["expiresAt"] is None
    assert session_of(data, "sbx")["signedIn"] is False
    assert session_of(data, "other")["signedIn"] is True

    status, data = rest("POST", "logout", {"all": True})
    assert status == 200 and data["loggedOut"] == [rest_sandbox.start_url]
    _, data = rest("GET", "status")
    assert not any(s["signedIn"] for s in data["sessions"])
    assert not [p for p in rest_home.sso_cache.glob("*.json") if "accessToken" in p.read_text()]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({}, 400, "profile"),
        ({"profile": 3}, 400, "profile"),
        ({"profile": "nope"}, 404, "nope"),
        ({"profile": "plain"}, 400, "IAM Identity Center"),
    ],
)
def test_a_bad_sign_in_request_says_what_to_send(
    rest: Any, body: dict[str, Any], status: int, words: str
) -> None:
    got, data = rest("POST", "login", body)
    assert got == status, data
    assert words in data["message"]


def test_a_missing_profile_is_explained_in_the_labs_words(rest: Any) -> None:
    got, data = rest("POST", "login", {"profile": "nope"})
    assert got == 404 and data["error"] == "ProfileNotFound"
    assert (
        "`%aws_sso login nope --start-url URL --sso-region REGION` in a notebook"
        in (data["message"])
    )
    assert "ipyawssso.login(" not in data["message"]


def test_other_bad_requests(rest: Any, jupyter: Any) -> None:
    assert rest("POST", "logout", {})[0] == 400
    assert rest("GET", "login/no-such-job")[0] == 404
    assert rest("DELETE", "login/no-such-job")[0] == 404
    status, _, raw = jupyter.request(
        "POST", "ipyawssso/api/login", None, headers={"Content-Type": "application/json"}
    )
    assert status == 400, raw
    assert rest("POST", "login", ["alpha"])[0] == 400


def test_a_broken_config_is_explained_not_crashed_on(rest: Any, rest_home: UiHome) -> None:
    good = rest_home.aws_config.read_text()
    rest_home.write_config(good + "[profile broken\nregion = x\n")
    try:
        status, data = rest("GET", "status")
        assert status == 400, data
        assert data["error"] == "ConfigParseError"
        assert str(rest_home.aws_config) in data["message"] and "line" in data["message"]
        assert rest("POST", "login", {"profile": "alpha"})[0] == 400
    finally:
        rest_home.write_config(good)
    assert rest("GET", "status")[0] == 200


def test_no_answer_or_log_line_holds_a_secret(
    rest: Any, rest_sandbox: Sandbox, jupyter: Any
) -> None:
    """Every answer of this module (and the server's log) against every secret issued."""
    sign_in(rest, rest_sandbox, "delta")
    rest("GET", "status")
    rest("POST", "logout", {"profile": "delta"})
    secrets = rest_sandbox.issued_secrets()
    assert len(secrets) >= 3  # tokens, client secrets and device codes were issued
    assert len(rest.transcript) > 20
    leaks = find_leaks(
        [(f"answer {i}", text) for i, text in enumerate(rest.transcript)]
        + [("jupyter log", jupyter.log())],
        secrets,
    )
    assert not leaks, "\n".join(leaks)
