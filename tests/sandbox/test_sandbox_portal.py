"""The SSO portal through stock botocore: paginators, credentials, throttling, faults, logout."""

from __future__ import annotations

import threading
import time

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from ipyawssso.sandbox.faults import TokenBucket


def _all(sso, operation, key, page_size=None, **params):
    config = {"PageSize": page_size} if page_size else {}
    pages = sso.get_paginator(operation).paginate(PaginationConfig=config, **params)
    return [item for page in pages for item in page[key]]


def test_paginators_walk_every_page(sandbox, sso, sign_in):
    sandbox.configure(accounts=7, roles_per_account=12)
    token = sign_in().access_token
    sandbox.reset_calls()
    accounts = _all(sso, "list_accounts", "accountList", 3, accessToken=token)
    assert [a["accountId"] for a in accounts] == [f"10000000000{i}" for i in range(1, 8)]
    assert accounts[0] == {
        "accountId": "100000000001",
        "accountName": "sandbox-ml-001",
        "emailAddress": "aws+sandbox-ml-001@example.com",
    }
    assert sandbox.calls["ListAccounts"] == 3
    roles = _all(
        sso, "list_account_roles", "roleList", 5, accessToken=token, accountId="100000000007"
    )
    assert sandbox.calls["ListAccountRoles"] == 3
    names = [r["roleName"] for r in roles]
    assert names[:3] == ["ReadOnly", "USS_AI_DEV_Bedrock_Access", "AdministratorAccess"]
    assert names[-2:] == ["CustomRole011", "CustomRole012"]
    assert {r["accountId"] for r in roles} == {"100000000007"}


def test_pages_hold_at_most_one_hundred(sandbox, sso, sign_in):
    sandbox.configure(accounts=250)
    token = sign_in().access_token
    sandbox.reset_calls()
    first = sso.list_accounts(accessToken=token)
    assert len(first["accountList"]) == 100
    assert first["nextToken"]
    assert len(_all(sso, "list_accounts", "accountList", 100, accessToken=token)) == 250
    assert sandbox.calls["ListAccounts"] == 4


def test_bad_next_token_is_an_invalid_request(sso, sign_in):
    token = sign_in().access_token
    with pytest.raises(sso.exceptions.InvalidRequestException):
        sso.list_accounts(accessToken=token, nextToken="not-a-token")


def test_roles_of_an_unknown_account(sso, sign_in):
    token = sign_in().access_token
    with pytest.raises(sso.exceptions.ResourceNotFoundException):
        sso.list_account_roles(accessToken=token, accountId="999999999999")


def test_role_credentials_expire_in_milliseconds(sandbox, sso, sign_in):
    token = sign_in().access_token
    before = time.time()
    creds = sso.get_role_credentials(
        accessToken=token, accountId="100000000002", roleName="ReadOnly"
    )["roleCredentials"]
    assert creds["accessKeyId"].startswith("ASIA")
    assert len(creds["accessKeyId"]) == 20
    assert creds["expiration"] / 1000 == pytest.approx(before + 3600, abs=5)
    assert {creds["secretAccessKey"], creds["sessionToken"]} <= sandbox.issued_secrets()


def test_role_not_assigned_is_forbidden_like_the_real_portal(sso, sign_in):
    token = sign_in().access_token
    with pytest.raises(sso.exceptions.ClientError) as caught:
        sso.get_role_credentials(accessToken=token, accountId="100000000001", roleName="Nope")
    error = caught.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("ForbiddenException", "No access")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_unknown_expired_and_logged_out_tokens_are_unauthorized(sandbox, oidc, sso, sign_in):
    with pytest.raises(sso.exceptions.UnauthorizedException) as caught:
        sso.list_accounts(accessToken="at-never-issued")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401

    first = sign_in()
    sandbox.expire_tokens()
    with pytest.raises(sso.exceptions.UnauthorizedException):
        sso.list_accounts(accessToken=first.access_token)

    second = sign_in()
    sso.logout(accessToken=second.access_token)
    with pytest.raises(sso.exceptions.UnauthorizedException):
        sso.list_accounts(accessToken=second.access_token)
    with pytest.raises(oidc.exceptions.InvalidGrantException):
        oidc.create_token(
            clientId=second.client_id,
            clientSecret=second.client_secret,
            grantType="refresh_token",
            refreshToken=second.refresh_token,
        )
    assert sandbox.calls["Logout"] == 1


def test_rate_limit_answers_429_and_botocore_retries_through_it(sandbox, client, sign_in):
    token = sign_in().access_token
    sandbox.configure(rate_limit=2)
    once = client("sso")
    statuses = []
    for _ in range(10):
        try:
            once.list_accounts(accessToken=token)
            statuses.append(200)
        except once.exceptions.TooManyRequestsException as error:
            statuses.append(error.response["ResponseMetadata"]["HTTPStatusCode"])
    assert statuses[:2] == [200, 200]  # a second's worth passes at once
    assert 429 in statuses
    assert set(statuses) == {200, 429}
    sandbox.configure(rate_limit=None)
    assert client("sso", attempts=5).list_accounts(accessToken=token)["accountList"]


def test_the_bucket_refills_at_the_rate(sandbox, client, sign_in):
    token = sign_in().access_token
    sandbox.configure(rate_limit=1)
    once = client("sso")
    once.list_accounts(accessToken=token)
    with pytest.raises(once.exceptions.TooManyRequestsException):
        once.list_accounts(accessToken=token)
    time.sleep(1.05)
    assert once.list_accounts(accessToken=token)["accountList"]


def test_token_bucket_on_a_fake_clock():
    now = [0.0]
    bucket = TokenBucket(lambda: now[0])
    assert bucket.take()  # no limit
    bucket.set_rate(20)
    assert sum(bucket.take() for _ in range(25)) == 20
    now[0] += 0.1
    assert sum(bucket.take() for _ in range(5)) == 2
    now[0] += 10
    assert sum(bucket.take() for _ in range(30)) == 20  # never more than a second's worth
    bucket.set_rate(0.5)
    assert bucket.take()
    assert not bucket.take()
    now[0] += 2
    assert bucket.take()


def test_fail_next_500_then_retry_succeeds(sandbox, client, sign_in):
    token = sign_in().access_token
    sandbox.fail_next("ListAccounts", status=500)
    once = client("sso")
    with pytest.raises(once.exceptions.ClientError) as caught:
        once.list_accounts(accessToken=token)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    sandbox.fail_next("ListAccounts", status=502, count=2)
    sandbox.reset_calls()
    assert client("sso", attempts=3).list_accounts(accessToken=token)["accountList"]
    assert sandbox.calls["ListAccounts"] == 3


def test_hang_next_makes_the_client_time_out(sandbox, client, sign_in):
    token = sign_in().access_token
    sandbox.hang_next("ListAccounts", 3)
    impatient = client("sso", read_timeout=0.3)
    started = time.monotonic()
    with pytest.raises(ReadTimeoutError):
        impatient.list_accounts(accessToken=token)
    assert time.monotonic() - started < 2
    assert impatient.list_accounts(accessToken=token)["accountList"]


def test_latency_delays_every_call(sandbox, sso, sign_in):
    token = sign_in().access_token
    sandbox.configure(latency=0.3)
    started = time.monotonic()
    sso.list_accounts(accessToken=token)
    assert time.monotonic() - started >= 0.3


def test_many_threads_at_once(sandbox, client, sign_in):
    sandbox.configure(accounts=30)
    token = sign_in().access_token
    sandbox.reset_calls()
    failures = []

    def work():
        sso = client("sso", attempts=1)
        try:
            for _ in range(10):
                assert len(sso.list_accounts(accessToken=token)["accountList"]) == 30
        except Exception as error:  # collected and asserted below
            failures.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert sandbox.calls["ListAccounts"] == 80


def test_named_accounts_come_first_and_hold_the_same_roles(sandbox, sso, sign_in):
    """What the docs' examples run against: ids such as 123456789012, as written."""
    sandbox.configure(named_accounts=(("123456789012", "ml-dev"),), accounts=1)
    token = sign_in().access_token
    accounts = _all(sso, "list_accounts", "accountList", 1, accessToken=token)
    assert [(a["accountId"], a["accountName"]) for a in accounts] == [
        ("123456789012", "ml-dev"),
        ("100000000001", "sandbox-ml-001"),
    ]
    roles = _all(sso, "list_account_roles", "roleList", accessToken=token, accountId="123456789012")
    assert [r["roleName"] for r in roles] == ["ReadOnly", "USS_AI_DEV_Bedrock_Access"]
    keys = sso.get_role_credentials(
        accessToken=token, accountId="123456789012", roleName="ReadOnly"
    )["roleCredentials"]
    assert keys["accessKeyId"].startswith("ASIA")
    with pytest.raises(ClientError, match="ForbiddenException"):
        sso.get_role_credentials(accessToken=token, accountId="210987654321", roleName="ReadOnly")


def test_named_account_ids_are_checked():
    from ipyawssso.sandbox import SandboxConfig

    with pytest.raises(ValueError, match="12 digits"):
        SandboxConfig(named_accounts=(("1234", "short"),))
    with pytest.raises(ValueError, match="differ"):
        SandboxConfig(named_accounts=(("123456789012", "a"), ("123456789012", "b")))
