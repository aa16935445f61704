"""sso-oidc through stock botocore: registration, the device flow's states, refresh tokens."""

from __future__ import annotations

import re
import time

import pytest
from sandbox_helpers import DEVICE_GRANT, poll, register, start

from ipyawssso.sandbox import Sandbox


def test_registration_lives_ninety_days(oidc):
    reg = register(oidc)
    assert reg["clientId"].startswith("cid-")
    assert reg["clientSecretExpiresAt"] - reg["clientIdIssuedAt"] == pytest.approx(
        90 * 24 * 3600, abs=2
    )
    assert abs(reg["clientIdIssuedAt"] - time.time()) < 5


def test_device_authorization_gives_a_readable_code_and_links(sandbox, oidc):
    auth = start(oidc, sandbox, register(oidc))
    assert re.fullmatch(r"[A-Z]{4}-[A-Z]{4}", auth["userCode"])
    assert auth["verificationUri"] == f"{sandbox.url}/device"
    assert auth["verificationUriComplete"] == f"{sandbox.url}/device?user_code={auth['userCode']}"
    assert (auth["expiresIn"], auth["interval"]) == (600, 1)
    assert auth["deviceCode"] in sandbox.issued_secrets()
    assert sandbox.pending_user_codes() == [auth["userCode"]]


def test_wrong_client_secret_is_refused(sandbox, oidc):
    reg = register(oidc)
    with pytest.raises(oidc.exceptions.InvalidClientException) as caught:
        oidc.start_device_authorization(
            clientId=reg["clientId"], clientSecret="csec-wrong", startUrl=sandbox.start_url
        )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401
    assert caught.value.response["error"] == "invalid_client"


def test_start_url_must_be_https(oidc):
    reg = register(oidc)
    with pytest.raises(oidc.exceptions.InvalidRequestException):
        oidc.start_device_authorization(
            clientId=reg["clientId"],
            clientSecret=reg["clientSecret"],
            startUrl="http://d-1.awsapps.com/start",
        )


def test_pending_then_slow_down_then_pending_again(sandbox, oidc):
    reg = register(oidc)
    auth = start(oidc, sandbox, reg)
    with pytest.raises(oidc.exceptions.AuthorizationPendingException) as pending:
        poll(oidc, reg, auth)
    assert pending.value.response["error"] == "authorization_pending"
    assert pending.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(oidc.exceptions.SlowDownException) as slow:
        poll(oidc, reg, auth)
    assert slow.value.response["error"] == "slow_down"
    time.sleep(auth["interval"])
    with pytest.raises(oidc.exceptions.AuthorizationPendingException):
        poll(oidc, reg, auth)


def test_slow_down_penalty_widens_the_required_gap(sandbox, oidc):
    sandbox.configure(slow_down_penalty=1)
    reg = register(oidc)
    auth = start(oidc, sandbox, reg)
    with pytest.raises(oidc.exceptions.AuthorizationPendingException):
        poll(oidc, reg, auth)
    with pytest.raises(oidc.exceptions.SlowDownException):
        poll(oidc, reg, auth)
    time.sleep(1.2)  # enough for the advertised 1 s, not for the 2 s now required
    with pytest.raises(oidc.exceptions.SlowDownException):
        poll(oidc, reg, auth)


def test_approval_issues_bearer_tokens_once(sandbox, oidc):
    reg = register(oidc)
    auth = start(oidc, sandbox, reg)
    sandbox.approve(auth["userCode"].lower().replace("-", ""))  # typed loosely, as people do
    token = poll(oidc, reg, auth)
    assert token["tokenType"] == "Bearer"
    assert token["expiresIn"] == 28800
    assert token["accessToken"].startswith("at-")
    assert token["refreshToken"].startswith("rt-")
    assert {token["accessToken"], token["refreshToken"]} <= sandbox.issued_secrets()
    assert sandbox.pending_user_codes() == []
    with pytest.raises(oidc.exceptions.InvalidGrantException):
        poll(oidc, reg, auth)


def test_denial_is_access_denied(sandbox, oidc):
    reg = register(oidc)
    auth = start(oidc, sandbox, reg)
    sandbox.deny(auth["userCode"])
    with pytest.raises(oidc.exceptions.AccessDeniedException) as caught:
        poll(oidc, reg, auth)
    assert caught.value.response["error"] == "access_denied"
    with pytest.raises(ValueError, match="already denied"):
        sandbox.approve(auth["userCode"])


def test_device_code_expires(sandbox, oidc):
    sandbox.configure(device_code_ttl=0.3)
    reg = register(oidc)
    auth = start(oidc, sandbox, reg)
    assert auth["expiresIn"] == 1
    time.sleep(0.4)
    with pytest.raises(oidc.exceptions.ExpiredTokenException) as caught:
        poll(oidc, reg, auth)
    assert caught.value.response["error"] == "expired_token"
    with pytest.raises(ValueError, match="expired"):
        sandbox.approve(auth["userCode"])


def test_device_code_of_another_client_is_an_invalid_grant(sandbox, oidc):
    mine, other = register(oidc), register(oidc)
    auth = start(oidc, sandbox, mine)
    sandbox.approve(auth["userCode"])
    with pytest.raises(oidc.exceptions.InvalidGrantException):
        poll(oidc, other, auth)


def test_unknown_user_code_cannot_be_approved(sandbox):
    with pytest.raises(ValueError, match="not known"):
        sandbox.approve("BCDF-GHJK")


def test_auto_approve_after(sandbox, oidc):
    sandbox.configure(auto_approve_after=0.3)
    reg = register(oidc)
    auth = start(oidc, sandbox, reg)
    with pytest.raises(oidc.exceptions.AuthorizationPendingException):
        poll(oidc, reg, auth)
    time.sleep(1.0)
    assert poll(oidc, reg, auth)["tokenType"] == "Bearer"


def test_refresh_token_grant_gives_a_working_access_token(sandbox, oidc, sso, sign_in):
    first = sign_in()
    refreshed = oidc.create_token(
        clientId=first.client_id,
        clientSecret=first.client_secret,
        grantType="refresh_token",
        refreshToken=first.refresh_token,
    )
    assert refreshed["accessToken"] != first.access_token
    assert refreshed["refreshToken"] != first.refresh_token
    assert refreshed["expiresIn"] == 28800
    assert sso.list_accounts(accessToken=refreshed["accessToken"])["accountList"]


def test_revoked_refresh_token_is_an_invalid_grant(sandbox, oidc, sign_in):
    first = sign_in()
    sandbox.revoke_refresh_tokens()
    with pytest.raises(oidc.exceptions.InvalidGrantException) as caught:
        oidc.create_token(
            clientId=first.client_id,
            clientSecret=first.client_secret,
            grantType="refresh_token",
            refreshToken=first.refresh_token,
        )
    assert caught.value.response["error"] == "invalid_grant"


def test_refresh_token_of_another_client_is_an_invalid_grant(sandbox, oidc, sign_in):
    first = sign_in()
    other = register(oidc)
    with pytest.raises(oidc.exceptions.InvalidGrantException):
        oidc.create_token(
            clientId=other["clientId"],
            clientSecret=other["clientSecret"],
            grantType="refresh_token",
            refreshToken=first.refresh_token,
        )


def test_expired_registration_is_an_invalid_client(sandbox, oidc):
    sandbox.configure(registration_ttl=0.2)
    reg = register(oidc)
    time.sleep(0.3)
    with pytest.raises(oidc.exceptions.InvalidClientException):
        start(oidc, sandbox, reg)


def test_unsupported_grant_type(oidc):
    reg = register(oidc)
    with pytest.raises(oidc.exceptions.UnsupportedGrantTypeException):
        oidc.create_token(
            clientId=reg["clientId"],
            clientSecret=reg["clientSecret"],
            grantType="authorization_code",
            code="x",
        )


def test_only_public_clients(oidc):
    with pytest.raises(oidc.exceptions.InvalidClientMetadataException):
        oidc.register_client(clientName="x", clientType="confidential")


def test_injected_failure_is_retried_by_botocore(sandbox, client):
    sandbox.fail_next("RegisterClient", status=500)
    once = client("sso-oidc")
    with pytest.raises(once.exceptions.InternalServerException) as caught:
        register(once)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    sandbox.fail_next("RegisterClient", status=503)
    sandbox.reset_calls()
    assert register(client("sso-oidc", attempts=3))["clientId"]
    assert sandbox.calls["RegisterClient"] == 2


def test_fail_next_refuses_unknown_operations():
    with pytest.raises(ValueError, match="Unknown operation 'ListAcounts'"):
        Sandbox().fail_next("ListAcounts")


def test_grant_constant_is_what_the_cli_sends():
    assert DEVICE_GRANT == "urn:ietf:params:oauth:grant-type:device_code"
