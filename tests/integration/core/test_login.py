"""A whole sign-in through ipyawssso.login, then stock boto3 and the aws command use it."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import subprocess
from pathlib import Path

import pytest

import ipyawssso
from ipyawssso.core.errors import InvalidValueError, LoginRequired
from ipyawssso.sandbox.leak_guard import find_leaks
from tests.integration.conftest import aws_cli, run_fresh

ACCOUNT = "100000000001"
ROLE = "USS_AI_DEV_Bedrock_Access"


def _expire_our_copy() -> None:
    """Make our cached token look expired too, as it would be hours later."""
    path = (
        Path(os.environ["HOME"]) / ".aws/sso/cache" / f"{hashlib.sha1(b'my-sso').hexdigest()}.json"
    )
    data = json.loads(path.read_text())
    data["expiresAt"] = "2001-01-01T00:00:00Z"
    path.write_text(json.dumps(data))


def _login(sandbox, person, **kw):
    kw.setdefault("account_id", ACCOUNT)
    kw.setdefault("role_name", ROLE)
    return ipyawssso.login(
        "ai-dev",
        start_url=sandbox.start_url,
        sso_region=sandbox.region,
        session_name="my-sso",
        on_pending=person.approves,
        **kw,
    )


@pytest.mark.interop
def test_new_profile_works_for_stock_boto3_and_the_aws_command(sandbox, person):
    session = _login(sandbox, person)
    assert len(person.seen) == 1
    me = session.client("sts").get_caller_identity()
    assert me["Account"] == ACCOUNT and f"/{ROLE}/" in me["Arn"]

    config = Path(os.environ["AWS_CONFIG_FILE"]).read_text()
    assert "[profile ai-dev]\nsso_session = my-sso\n" in config
    assert "[sso-session my-sso]\n" in config
    assert f"sso_start_url = {sandbox.start_url}\n" in config

    fresh = run_fresh(
        "import boto3, json\n"
        "s = boto3.Session(profile_name='ai-dev')\n"
        "print(json.dumps(s.client('sts').get_caller_identity()))"
    )
    assert fresh["Account"] == ACCOUNT and f"/{ROLE}/" in fresh["Arn"]

    cli = subprocess.run(
        [aws_cli(), "sts", "get-caller-identity", "--profile", "ai-dev", "--output", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr[-2000:]
    assert json.loads(cli.stdout)["Account"] == ACCOUNT
    print("interop: boto3 fresh process ->", fresh["Arn"])
    print("interop: aws sts get-caller-identity ->", json.loads(cli.stdout)["Arn"])


def test_our_files_have_the_clis_names_fields_and_modes(sandbox, person):
    _login(sandbox, person).client("sts").get_caller_identity()
    home = Path(os.environ["HOME"]) / ".aws"
    sso = home / "sso" / "cache"
    token_file = sso / f"{hashlib.sha1(b'my-sso').hexdigest()}.json"
    token = json.loads(token_file.read_text())
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
    regs = [json.loads(p.read_text()) for p in sso.glob("*.json") if p != token_file]
    assert [list(r) for r in regs] == [["clientId", "clientSecret", "expiresAt", "scopes"]]
    creds = [json.loads(p.read_text()) for p in (home / "cli" / "cache").glob("*.json")]
    assert len(creds) == 1
    assert list(creds[0]) == ["ProviderType", "Credentials"]
    assert list(creds[0]["Credentials"]) == [
        "AccessKeyId",
        "SecretAccessKey",
        "SessionToken",
        "Expiration",
        "AccountId",
    ]
    for folder in (sso, home / "cli" / "cache"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for f in folder.glob("*.json"):
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert stat.S_IMODE(Path(os.environ["AWS_CONFIG_FILE"]).stat().st_mode) == 0o600


def test_second_login_with_valid_token_makes_no_network_call(sandbox, person):
    _login(sandbox, person)
    sandbox.reset_calls()
    session = ipyawssso.login("ai-dev", on_pending=person.approves)
    assert sum(sandbox.calls.values()) == 0
    assert len(person.seen) == 1
    assert session.profile_name == "ai-dev"


def test_force_starts_a_new_sign_in_reusing_the_registration(sandbox, person):
    _login(sandbox, person)
    sandbox.reset_calls()
    ipyawssso.login("ai-dev", force=True, on_pending=person.approves)
    assert len(person.seen) == 2
    assert sandbox.calls["StartDeviceAuthorization"] == 1
    assert sandbox.calls["RegisterClient"] == 0


def test_expired_sign_in_asks_only_for_the_device_flow(sandbox, person):
    _login(sandbox, person)
    sandbox.expire_tokens()
    sandbox.revoke_refresh_tokens()
    _expire_our_copy()
    with pytest.raises(LoginRequired, match=r"Run `ipyawssso\.login\('ai-dev'\)`"):
        ipyawssso.session("ai-dev")
    before = Path(os.environ["AWS_CONFIG_FILE"]).read_bytes()
    session = ipyawssso.login("ai-dev", on_pending=person.approves)
    assert len(person.seen) == 2
    assert Path(os.environ["AWS_CONFIG_FILE"]).read_bytes() == before
    assert session.client("sts").get_caller_identity()["Account"] == ACCOUNT


def test_single_role_is_picked_without_asking(sandbox, person):
    sandbox.configure(accounts=1, roles_per_account=1)
    session = ipyawssso.login(
        "solo", start_url=sandbox.start_url, sso_region=sandbox.region, on_pending=person.approves
    )
    assert session.client("sts").get_caller_identity()["Account"] == ACCOUNT
    config = Path(os.environ["AWS_CONFIG_FILE"]).read_text()
    assert "[sso-session d-sandbox0001]" in config


def test_many_roles_need_a_choice(sandbox, person):
    with pytest.raises(InvalidValueError, match="account_id= and role_name="):
        ipyawssso.login(
            "multi",
            start_url=sandbox.start_url,
            sso_region=sandbox.region,
            on_pending=person.approves,
        )
    assert (
        "[profile multi]" not in Path(os.environ["AWS_CONFIG_FILE"]).read_text()
        if Path(os.environ["AWS_CONFIG_FILE"]).exists()
        else True
    )

    chosen = []

    def choose(catalog):
        roles = catalog.prefetch()
        chosen.append(roles[-1])
        return roles[-1]

    ipyawssso.login(
        "multi",
        start_url=sandbox.start_url,
        sso_region=sandbox.region,
        on_pending=person.approves,
        choose_role=choose,
    )
    assert ipyawssso.whoami("multi").role_name == chosen[0].role_name


def test_status_roles_whoami_and_logout(sandbox, person):
    _login(sandbox, person)
    [st] = ipyawssso.status()
    assert st.session_name == "my-sso" and st.signed_in and st.profiles == ("ai-dev",)
    roles = ipyawssso.roles("ai-dev")
    assert len(roles) == 3 * 2
    sandbox.reset_calls()
    assert ipyawssso.roles("ai-dev") == roles  # second open: from the cache
    assert sum(sandbox.calls.values()) == 0
    me = ipyawssso.whoami("ai-dev")
    assert (me.account_id, me.role_name) == (ACCOUNT, ROLE)
    assert me.account_name == "sandbox-ml-001"
    assert me.expires_at is not None

    assert ipyawssso.logout("ai-dev") == ["my-sso"]
    assert sandbox.calls["Logout"] == 1
    home = Path(os.environ["HOME"]) / ".aws"
    assert not [p for p in (home / "sso/cache").glob("*.json") if "scopes" not in p.read_text()]
    assert list((home / "sso/cache").glob("*.json"))  # the registration is kept
    assert not list((home / "cli/cache").glob("*.json"))
    with pytest.raises(LoginRequired):
        ipyawssso.session("ai-dev")


def test_no_secret_in_logs_or_errors(sandbox, person, caplog):
    """Everything at WARNING and above from anyone, and everything from our own loggers."""
    caplog.set_level(logging.WARNING)
    caplog.set_level(logging.DEBUG, logger="ipyawssso")
    _login(sandbox, person).client("sts").get_caller_identity()
    sandbox.expire_tokens()
    sandbox.revoke_refresh_tokens()
    _expire_our_copy()
    texts = []
    for attempt in (
        lambda: ipyawssso.login("ai-dev", force=True, timeout=0.5),
        lambda: ipyawssso.session("ai-dev").client("sts").get_caller_identity(),
        lambda: ipyawssso.whoami("ai-dev"),
    ):
        try:
            attempt()
        except Exception as exc:
            texts += [str(exc), repr(exc)]
    texts += [repr(ipyawssso.status()), repr(ipyawssso.profiles())]
    texts += [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    assert len(texts) >= 8  # three failures (str + repr), status, profiles
    assert find_leaks(texts, sandbox.issued_secrets()) == []


def test_whoami_names_the_account_even_before_any_listing(sandbox, person):
    _login(sandbox, person)
    me = ipyawssso.whoami("ai-dev")
    assert me.account_name == "sandbox-ml-001"
    assert me.arn.endswith(f"/{ROLE}/ada@example.com")
