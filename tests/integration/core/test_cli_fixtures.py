"""The reverse direction: files the real AWS CLI v2 wrote work for us with no new login."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import ipyawssso
from ipyawssso.core.token_cache import parse_time

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "awscli-v2"


def _epoch(text: str) -> float:
    return parse_time(text).timestamp()


@pytest.fixture
def cli_home(sandbox):
    """The CLI's home copied into ours, its secrets known to the sandbox, tokens made fresh."""
    home = Path(os.environ["HOME"]) / ".aws"
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(FIXTURES / "home" / ".aws", home)
    for path in home.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    os.environ["AWS_CONFIG_FILE"] = str(home / "config")
    sso = home / "sso" / "cache"
    tokens, registrations = [], []
    for path in sso.glob("*.json"):
        data = json.loads(path.read_text())
        if "accessToken" in data:
            tokens.append(path)
        else:
            registrations.append({**data, "expiresAt": _epoch(data["expiresAt"])})
    # Both role-credential files the CLI wrote are for the ReadOnly role (README step 3 and 4).
    role_credentials = []
    for path in (home / "cli" / "cache").glob("*.json"):
        creds = json.loads(path.read_text())["Credentials"]
        role_credentials.append(
            {**creds, "Expiration": _epoch(creds["Expiration"]), "RoleName": "ReadOnly"}
        )
    sandbox.adopt(registrations=registrations, role_credentials=role_credentials)

    def set_expiry(delta: timedelta) -> None:
        adopted = []
        for path in tokens:
            data = json.loads(path.read_text())
            data["expiresAt"] = (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")
            path.write_text(json.dumps(data))
            adopted.append(
                {
                    **data,
                    "expiresAt": _epoch(data["expiresAt"]),
                    "registrationExpiresAt": _epoch(data["registrationExpiresAt"]),
                }
            )
        sandbox.adopt(tokens=adopted)

    return set_expiry


def test_cli_sign_in_is_used_with_no_new_login(sandbox, cli_home):
    cli_home(timedelta(hours=6))
    sandbox.reset_calls()
    session = ipyawssso.session("ai-dev")
    me = session.client("sts").get_caller_identity()
    assert me["Account"] == "100000000002"
    assert "/USS_AI_DEV_Bedrock_Access/" in me["Arn"]
    legacy = ipyawssso.session("legacy-readonly").client("sts").get_caller_identity()
    assert legacy["Account"] == "100000000002" and "/ReadOnly/" in legacy["Arn"]
    for op in ("RegisterClient", "StartDeviceAuthorization", "CreateToken"):
        assert sandbox.calls[op] == 0, op
    assert ipyawssso.login("ai-dev").profile_name == "ai-dev"
    assert sandbox.calls["StartDeviceAuthorization"] == 0


def test_token_with_five_minutes_left_is_refreshed(sandbox, cli_home):
    cli_home(timedelta(minutes=5))
    sandbox.reset_calls()
    session = ipyawssso.session("ai-dev")
    assert sandbox.calls["CreateToken"] == 1
    assert sandbox.calls["StartDeviceAuthorization"] == 0
    [st] = [s for s in ipyawssso.status() if s.session_name == "my-sso-session"]
    assert st.time_left() > timedelta(hours=1)
    token = json.loads(
        (
            Path(os.environ["HOME"])
            / ".aws/sso/cache/b755b5ec73400c04400e978208d8559ad1f39053.json"
        ).read_text()
    )
    assert list(token) == [
        "startUrl",
        "region",
        "accessToken",
        "expiresAt",
        "clientId",
        "clientSecret",
        "registrationExpiresAt",
        "refreshToken",
    ]
    assert token["accessToken"] in sandbox.issued_secrets()
    assert session.client("sts").get_caller_identity()["Account"] == "100000000002"


def test_status_lists_the_clis_sign_ins(sandbox, cli_home):
    cli_home(timedelta(hours=2))
    by_key = {s.key: s for s in ipyawssso.status()}
    assert by_key["my-sso-session"].profiles == ("ai-dev",)
    assert by_key["https://d-1234567890.awsapps.com/start"].profiles == ("legacy-readonly",)
    assert all(s.signed_in for s in by_key.values())
