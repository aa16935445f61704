"""The device card, identity card and tables: contract, escaping, and the code's disappearance."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from ipyawssso.core.api import ProfileStatus
from ipyawssso.core.models import DeviceAuthorization, LoginStatus, Profile, Role
from ipyawssso.core.sessions import Identity
from ipyawssso.display import (
    DEVICE_MIME,
    device_bundle,
    format_time_left,
    identity_bundle,
    profiles_bundle,
    roles_bundle,
    status_bundle,
    table_bundle,
)

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
HOSTILE = '<img src=x onerror="alert(1)">\x1b[2J'


def auth(**changes) -> DeviceAuthorization:
    values = {
        "user_code": "ABCD-EFGH",
        "verification_uri": "https://device.sso.us-east-1.amazonaws.com/",
        "verification_uri_complete": "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH",
        "expires_at": datetime.now(UTC) + timedelta(minutes=10),
        "interval": 5,
    }
    values.update(changes)
    return DeviceAuthorization(**values)


def test_the_mime_payload_has_exactly_the_contracted_keys():
    bundle = device_bundle(auth(expires_at=NOW), "ai-dev")
    assert set(bundle) == {DEVICE_MIME, "text/html", "text/plain"}
    assert bundle[DEVICE_MIME] == {
        "userCode": "ABCD-EFGH",
        "verificationUri": "https://device.sso.us-east-1.amazonaws.com/",
        "verificationUriComplete": "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH",
        "expiresAt": "2026-11-01T12:00:00Z",
        "state": "pending",
        "profile": "ai-dev",
    }
    json.dumps(bundle)  # a display bundle must be JSON


def test_pending_card_shows_code_link_page_countdown_and_hint():
    bundle = device_bundle(auth(), "ai-dev", cancel_hint="Press Ctrl-C to cancel.")
    html = bundle["text/html"]
    assert html.count("ABCD-EFGH") >= 2  # the big code and the copy button's data
    assert 'href="https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "ipyawssso-countdown" in html and "<script>" in html
    assert "check that it shows this code" in html
    text = bundle["text/plain"]
    assert "ABCD-EFGH" in text and "Press Ctrl-C to cancel." in text
    assert "expires in 9m" in text or "expires in 10m" in text


@pytest.mark.parametrize("state", ["signed_in", "expired", "denied", "cancelled"])
def test_every_outcome_drops_the_code(state):
    bundle = device_bundle(auth(), "ai-dev", state, "A note.")
    dumped = json.dumps(bundle)
    assert "ABCD-EFGH" not in dumped
    assert bundle[DEVICE_MIME]["state"] == state
    assert bundle[DEVICE_MIME]["message"] == "A note."
    assert "\n" not in bundle["text/plain"]


def test_server_values_are_escaped_and_javascript_links_are_not_links():
    bundle = device_bundle(
        auth(
            user_code=HOSTILE,
            verification_uri="javascript:alert(1)",
            verification_uri_complete="javascript:alert(2)",
        ),
        HOSTILE,
    )
    html = bundle["text/html"]
    assert "<img" not in html and 'onerror="' not in html
    assert 'href="javascript' not in html
    assert "\x1b" not in html and "\x1b" not in bundle["text/plain"]
    # the countdown script holds no server value, only a random id of ours
    script = html[html.index("<script>") :]
    assert "alert" not in script and "javascript" not in script


def test_identity_card():
    identity = Identity(
        profile="ai-dev",
        account_id="123456789012",
        role_name="DataScientist",
        arn="arn:aws:sts::123456789012:assumed-role/DataScientist/ada",
        user_id="AROAEXAMPLE:ada",
        region="eu-west-1",
        account_name=HOSTILE,
        expires_at=NOW + timedelta(hours=7, minutes=12, seconds=30),
    )
    bundle = identity_bundle(identity, now=NOW)
    text = bundle["text/plain"]
    assert "123456789012" in text and "DataScientist" in text and "eu-west-1" in text
    assert "7h12m left (until 19:12 UTC)" in text
    assert "<img" not in bundle["text/html"]


def test_tables_align_text_and_escape_html():
    bundle = table_bundle(("A", "Longer"), [("x", HOSTILE), ("yyyy", "z")], title="T")
    lines = bundle["text/plain"].splitlines()
    assert lines[0] == "T"
    assert lines[1].startswith("A     Longer")
    assert lines[3].startswith("x     <img")
    assert "<img" not in bundle["text/html"] and "&lt;img" in bundle["text/html"]
    empty = table_bundle(("A",), [], empty="Nothing here.")
    assert empty["text/plain"] == "Nothing here."


def test_status_profiles_and_roles_tables():
    status = LoginStatus(
        "acme",
        "https://acme.awsapps.com/start",
        "us-east-1",
        NOW + timedelta(minutes=14),
        ("ai-dev", "prod"),
    )
    text = status_bundle([status], now=NOW)["text/plain"]
    assert "acme" in text and "14m" in text and "ai-dev, prod" in text
    assert "--start-url" in status_bundle([])["text/plain"]

    profiles = [
        ProfileStatus(Profile("ai-dev", "acme", account_id="1" * 12, role_name="Dev"), status),
        ProfileStatus(Profile("static", static_keys=True), None),
        ProfileStatus(
            Profile(
                "bedrock",
                role_arn="arn:aws:iam::222222222222:role/bedrock-user",
                source_profile="ai-dev",
            ),
            status,
            via="ai-dev",
        ),
    ]
    lines = profiles_bundle(profiles, now=NOW)["text/plain"].splitlines()
    assert lines[3].split() == ["ai-dev", "1" * 12, "Dev", "-", "acme", "14m"]
    assert lines[4].split() == ["static", "-", "-", "-", "access", "keys", "-"]
    assert lines[5].split() == [
        "bedrock",
        "222222222222",
        "bedrock-user",
        "-",
        "via",
        "ai-dev",
        "14m",
    ]

    roles = [Role("1" * 12, "Dev", "ml")]
    text = roles_bundle(roles, total=5, filter_text="dev")["text/plain"]
    assert "1 of 5 account/role pairs match 'dev'." in text


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (None, "-"),
        (-5, "expired"),
        (0, "expired"),
        (30, "<1m"),
        (14 * 60, "14m"),
        (7 * 3600 + 12 * 60, "7h12m"),
    ],
)
def test_format_time_left(seconds, shown):
    assert format_time_left(seconds) == shown


def test_a_chained_profile_shows_the_sso_profile_it_goes_through():
    from ipyawssso.display import identity_bundle
    from ipyawssso.widgets.profiles_list import describe_status

    identity = Identity(
        "bedrock",
        "222222222222",
        "bedrock-user",
        "arn:aws:sts::222222222222:assumed-role/bedrock-user/botocore-session-1",
        "AROA:botocore-session-1",
        "us-west-2",
        expires_at=NOW + timedelta(hours=2),
        via="login",
    )
    card = identity_bundle(identity, now=NOW)
    assert (
        "Through    profile 'login', whose SSO sign-in the role is assumed from"
        in (card["text/plain"])
    )
    status = LoginStatus(
        "corp", "https://c.awsapps.com/start", "us-east-1", NOW + timedelta(hours=2)
    )
    chained = ProfileStatus(
        Profile("bedrock", role_arn="arn:aws:iam::222222222222:role/b", source_profile="login"),
        status,
        via="login",
    )
    expected = ("signed-in", "signed in through login · 2h00m left")
    assert describe_status(chained, now=NOW) == expected
    assert describe_status(ProfileStatus(Profile("keys", static_keys=True), None))[0] == "other"
