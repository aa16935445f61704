"""The sandbox's hostile knobs themselves (corrupt_next, hostile_names, expire_registrations),
checked through stock botocore so the other tests can trust what they produce."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from ipyawssso.sandbox.hostile import (
    CORRUPTIONS,
    HOSTILE_NAMES,
    OVERSIZED_BYTES,
    corrupt_body,
    hostile_account_name,
)
from tests.reliability.conftest import quick_client

PAGE = {"accountList": [{"accountId": "100000000001", "accountName": "a"}], "nextToken": "t"}


def test_each_corruption_breaks_the_answer_as_described():
    assert corrupt_body(PAGE, "empty") == b"{}"
    with pytest.raises(json.JSONDecodeError):
        json.loads(corrupt_body(PAGE, "truncated"))
    assert corrupt_body(PAGE, "not-json").startswith(b"<html>")
    mangled = json.loads(corrupt_body(PAGE, "wrong-types"))
    assert isinstance(mangled["accountList"], dict) and isinstance(mangled["nextToken"], list)
    big = corrupt_body(PAGE, "oversized")
    assert len(big) >= OVERSIZED_BYTES and len(json.loads(big)["accountList"]) > 100
    grown = json.loads(corrupt_body({"userCode": "ABCD-EFGH"}, "oversized"))
    assert len(grown["userCode"]) >= OVERSIZED_BYTES
    with pytest.raises(ValueError, match="Unknown corruption"):
        corrupt_body(PAGE, "gentle")


def test_corrupt_next_checks_its_arguments(sandbox):
    with pytest.raises(ValueError, match="does not answer JSON"):
        sandbox.corrupt_next("Logout", "truncated")
    with pytest.raises(ValueError, match="Unknown corruption"):
        sandbox.corrupt_next("ListAccounts", "gentle")
    with pytest.raises(ValueError, match="Unknown operation"):
        sandbox.corrupt_next("DescribeEverything", "empty")
    assert {"truncated", "not-json", "wrong-types", "empty", "oversized"} == CORRUPTIONS


def test_a_corrupted_answer_arrives_once_then_answers_are_whole(sandbox):
    oidc = quick_client("sso-oidc")
    sandbox.corrupt_next("RegisterClient", "empty")
    assert "clientId" not in oidc.register_client(clientName="x", clientType="public")
    assert oidc.register_client(clientName="x", clientType="public")["clientId"]


def test_hostile_names_and_expired_registrations(sandbox, signed_in):
    from ipyawssso.core.token_cache import TokenCache

    sandbox.configure(hostile_names=True, accounts=12)
    token = TokenCache().load_token("my-sso", sandbox.start_url)
    sso = quick_client("sso")
    names = [
        a["accountName"]
        for a in sso.list_accounts(accessToken=token.access_token, maxResults=100)["accountList"]
    ]
    assert names == [hostile_account_name(i) for i in range(12)]
    assert names[len(HOSTILE_NAMES)].startswith(HOSTILE_NAMES[0])

    sandbox.expire_registrations()
    with pytest.raises(ClientError, match="InvalidClientException"):
        quick_client("sso-oidc").start_device_authorization(
            clientId=token.client_id, clientSecret=token.client_secret, startUrl=sandbox.start_url
        )
