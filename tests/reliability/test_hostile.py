"""Hostile input: names that would break the config, start URLs that are not https, account
names full of HTML, and a portal answering with broken or oversized JSON. The config refuses
(byte-identical file, no network call), the cards escape, and broken answers are one clear
ServiceError, never a hang and never a secret in a traceback."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from botocore.configloader import raw_config_parse

import ipyawssso
from ipyawssso.core.errors import ConfigError, InvalidValueError, ServiceError
from ipyawssso.core.portal import RoleCatalog
from ipyawssso.sandbox.hostile import CORRUPTIONS, HOSTILE_NAMES
from tests.reliability.conftest import (
    ACCOUNT,
    SESSION,
    assert_inert,
    assert_no_leaks,
    config_file,
    error_texts,
    login,
    token_file,
)

# Refused everywhere: they would end the line, open a section or vanish.
UNSAFE = [
    "line\nbreak",
    "carriage\rreturn",
    "[profile evil]",
    "bra]cket",
    "para\u2029graph",
    "nul\x00byte",
    " padded ",
    "",
]
# Refused as names only: botocore reads quotes and backslashes in a header as shell quoting.
UNSAFE_NAMES = [*UNSAFE, 'double"quote', "single'quote", "back\\slash"]
ODD_BUT_SAFE = ["<script>alert(1)</script>", "ümlaut-ß", "a b c", "x=y;z", "&amp;"]
START_URLS = [
    "http://d-1234567890.awsapps.com/start",
    "javascript:alert(document.cookie)",
    "not a url",
    "d-1234567890.awsapps.com/start",
    "https://",
    "https://user:secret@d-1.awsapps.com/start",
    "https://d-1.awsapps.com/start\n[profile x]",
    "ftp://d-1.awsapps.com/start",
    "data:text/html,<script>alert(1)</script>",
    "",
]


@pytest.fixture
def team_config(aws_home):
    text = (
        "# ours\n[sso-session team]\nsso_start_url = https://d-team.awsapps.com/start\n"
        "sso_region = us-east-1\n"
    )
    config_file().write_text(text)
    return text.encode()


@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_unsafe_profile_and_session_names_are_refused_untouched(team_config, name):
    attempts = [
        lambda: ipyawssso.save_profile(
            name, session_name="team", account_id=ACCOUNT, role_name="ReadOnly"
        ),
        lambda: ipyawssso.preview_profile(
            "fine",
            session_name=name,
            account_id=ACCOUNT,
            role_name="ReadOnly",
            start_url="https://d-1.awsapps.com/start",
            sso_region="us-east-1",
        ),
    ]
    if name in UNSAFE:
        attempts.append(
            lambda: ipyawssso.save_profile(
                "fine", session_name="team", account_id=ACCOUNT, role_name=name
            )
        )
    for attempt in attempts:
        with pytest.raises(InvalidValueError) as caught:
            attempt()
        message = str(caught.value)
        assert "\n" not in message.strip() or "\\n" in message, "the message broke its line"
        assert config_file().read_bytes() == team_config


@pytest.mark.parametrize("name", ODD_BUT_SAFE)
def test_odd_but_safe_names_read_back_as_themselves(team_config, name):
    ipyawssso.save_profile(name, session_name="team", account_id=ACCOUNT, role_name="ReadOnly")
    sections = raw_config_parse(str(config_file()))
    from botocore.configloader import build_profile_map

    assert name in build_profile_map(sections)["profiles"]
    assert config_file().read_bytes().startswith(team_config)


@pytest.mark.parametrize("url", START_URLS)
def test_start_urls_that_are_not_https_are_refused_before_any_call(sandbox, url):
    config_file().write_text("[default]\nregion = eu-west-1\n")
    before = config_file().read_bytes()
    for attempt in (
        lambda: ipyawssso.login(
            "x", start_url=url, sso_region="us-east-1", account_id=ACCOUNT, role_name="R"
        ),
        lambda: ipyawssso.sign_in(session_name="x", start_url=url, sso_region="us-east-1"),
        lambda: ipyawssso.preview_profile(
            "x",
            session_name="x",
            account_id=ACCOUNT,
            role_name="R",
            start_url=url,
            sso_region="us-east-1",
        ),
    ):
        # An empty URL counts as "not given": then the missing sso-session is the message.
        with pytest.raises(ConfigError, match=r"start URL|sso-session") as caught:
            attempt()
        assert "secret" not in str(caught.value), "a password in the URL was echoed"
    assert sum(sandbox.calls.values()) == 0
    assert config_file().read_bytes() == before


def test_hostile_account_names_are_kept_exactly_escaped_when_shown_and_never_configured(
    signed_in, sandbox, person
):
    sandbox.configure(hostile_names=True, accounts=len(HOSTILE_NAMES), roles_per_account=2)
    cat = ipyawssso.catalog(session_name=SESSION)
    roles = cat.prefetch()
    names = {r.account_name for r in roles}
    assert {n.rsplit(" #", 1)[0] for n in names} == set(HOSTILE_NAMES)
    assert ipyawssso.catalog(session_name=SESSION).cached() == roles  # the cache round-trips

    from ipyawssso import display

    bundle = display.roles_bundle(roles, total=len(roles))
    assert_inert(bundle["text/html"])
    for r in roles:  # plain text: one line per row, control characters gone
        assert display.clean(r.account_name) in bundle["text/plain"]
        assert "\n" not in r.account_name or r.account_name not in bundle["text/plain"]

    evil = next(r for r in roles if r.account_name.startswith("[profile evil]"))
    ipyawssso.login(
        "picked",
        session_name=SESSION,
        account_id=evil.account_id,
        role_name=evil.role_name,
        on_pending=person.approves,
    )
    text = config_file().read_text()
    assert "evil" not in text and "<" not in text
    me = ipyawssso.whoami("picked")
    assert me.account_name == evil.account_name  # the raw name, for code; cards escape it
    assert_inert(display.identity_bundle(me)["text/html"])


def test_hostile_role_names_never_reach_the_config(signed_in, sandbox, person):
    sandbox.configure(accounts=1, role_names=("Admin\n[profile evil]", "<b>Bold</b>"))
    before = config_file().read_bytes()
    chosen = []

    def choose(catalog):
        role = next(r for r in catalog.prefetch() if "\n" in r.role_name)
        chosen.append(role)
        return role

    with pytest.raises(InvalidValueError, match="sso_role_name"):
        ipyawssso.login(
            "picked", session_name=SESSION, on_pending=person.approves, choose_role=choose
        )
    assert chosen and config_file().read_bytes() == before


def test_a_javascript_verification_link_never_reaches_the_card(sandbox, aws_home):
    """Only a man-in-the-middle could send one; the device flow refuses it (see answers.py)."""
    from ipyawssso.core.answers import answer_link

    for link in ("javascript:alert(1)", "http://evil.example/device", "https://x/\n<b>", ""):
        with pytest.raises(ServiceError, match="StartDeviceAuthorization"):
            answer_link(
                {"verificationUri": link},
                "verificationUri",
                "StartDeviceAuthorization",
                required=True,
            )
    assert answer_link({"v": "http://127.0.0.1:9/device"}, "v", "X", required=True)


# CreateToken answers only after a poll (a second each): its three distinct failure paths.
BROKEN_SIGN_IN_ANSWERS = [
    *((op, kind) for op in ("RegisterClient", "StartDeviceAuthorization") for kind in CORRUPTIONS),
    *(("CreateToken", kind) for kind in ("empty", "wrong-types", "oversized")),
]


@pytest.mark.parametrize(("operation", "kind"), sorted(BROKEN_SIGN_IN_ANSWERS))
def test_broken_sign_in_answers_are_one_clear_error(sandbox, person, operation, kind):
    sandbox.corrupt_next(operation, kind)
    started = time.monotonic()
    with pytest.raises(ServiceError, match=operation) as caught:
        login(sandbox, person)
    assert time.monotonic() - started < 8
    message = str(caught.value)
    assert "try again" in message.lower() and len(message) < 400
    assert_no_leaks(error_texts(caught.value), sandbox)
    assert not config_file().exists() and not token_file().exists()


def test_after_a_broken_answer_the_next_sign_in_works(sandbox, person):
    sandbox.corrupt_next("CreateToken", "oversized")
    with pytest.raises(ServiceError):
        login(sandbox, person)
    assert login(sandbox, person).client("sts").get_caller_identity()["Account"] == ACCOUNT


def _no_wait(seconds: float, cancel: threading.Event) -> bool:
    return cancel.is_set()


@pytest.mark.parametrize("operation", ["ListAccounts", "ListAccountRoles"])
def test_broken_portal_pages_are_retried_then_one_clear_error(signed_in, sandbox, operation):
    sandbox.configure(accounts=3, roles_per_account=2)
    base = ipyawssso.catalog(session_name=SESSION)
    cache_dir = Path(os.environ["HOME"]) / "roles"

    def fresh(workers: int = 4) -> RoleCatalog:
        return RoleCatalog(
            key=base.key,
            start_url=base.start_url,
            region=base.region,
            access_token=base._access_token,
            sleep=_no_wait,
            cache_dir=cache_dir,
            workers=workers,
        )

    for kind in sorted(CORRUPTIONS):
        sandbox.corrupt_next(operation, kind, count=2)  # a proxy's bad moment: retried
        assert len(fresh().prefetch()) == 6, kind
    # A broken portal: one clear error. Three ways to be broken: no list, a value botocore
    # cannot parse, far more items than asked for (checked once: 2 MB answers are slow).
    broken = ("empty", "wrong-types", "oversized" if operation == "ListAccounts" else "not-json")
    for kind in broken:
        sandbox.corrupt_next(operation, kind, count=1000)
        started = time.monotonic()
        with pytest.raises(ServiceError, match=operation) as caught:
            fresh(workers=1).prefetch()
        assert time.monotonic() - started < 10, kind
        assert_no_leaks(error_texts(caught.value), sandbox)
        sandbox.clear_faults()
        cached = json.loads(next(cache_dir.glob("*.json")).read_text())
        assert len(cached["accounts"]) == 3, "a broken answer replaced the good cache"


def test_broken_role_credentials_are_one_clear_error(signed_in, sandbox):
    for kind in ("truncated", "wrong-types"):
        sandbox.corrupt_next("GetRoleCredentials", kind)
        with pytest.raises(ServiceError, match="GetRoleCredentials") as caught:
            ipyawssso.whoami("ai-dev")
        assert_no_leaks(error_texts(caught.value), sandbox)
    assert ipyawssso.whoami("ai-dev").account_id == ACCOUNT
