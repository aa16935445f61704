"""Which sign-in a login uses, and what it asks the portal before a picker opens.

A token counts only for the start URL and region it was issued for; a legacy profile keeps its
own start URL; the picker opens after the account pages alone; a given account/role pair is
checked before the profile is written; a second kernel says it waits for the first one's sign-in.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

import pytest

import ipyawssso
from ipyawssso.core.errors import InvalidValueError, LoginTimeout
from ipyawssso.core.models import Role

ACCOUNT = "100000000001"


def _config() -> Path:
    return Path(os.environ["AWS_CONFIG_FILE"])


def _org_login(sandbox, person, profile: str = "dev", **kwargs):
    """Sign ``profile`` in to the sso-session ``org`` on the sandbox (person approving)."""
    options = dict(
        start_url=sandbox.start_url,
        sso_region=sandbox.region,
        session_name="org",
        account_id=ACCOUNT,
        role_name="ReadOnly",
        on_pending=person.approves,
    )
    options.update(kwargs)
    return ipyawssso.login(profile, **options)


def _token(name: str) -> dict:
    cache = Path(os.environ["HOME"]) / ".aws/sso/cache"
    return json.loads((cache / f"{hashlib.sha1(name.encode()).hexdigest()}.json").read_text())


def test_re_pointing_a_session_signs_in_anew(sandbox, person):
    _org_login(sandbox, person)
    new_url = "https://d-neworg0001.awsapps.com/start"
    _org_login(sandbox, person, start_url=new_url, sso_region=None)
    assert len(person.seen) == 2, "the old organisation's token was reused"
    assert person.seen[1].start_url == new_url
    assert _token("org")["startUrl"] == new_url
    assert f"sso_start_url = {new_url}\n" in _config().read_text()


def test_status_never_counts_another_start_urls_token(sandbox, person):
    _org_login(sandbox, person)
    text = _config().read_text().replace(sandbox.start_url, "https://elsewhere.awsapps.com/start")
    _config().write_text(text)  # re-pointed by hand, as a user edits the file
    (org,) = ipyawssso.status()
    assert not org.signed_in
    with pytest.raises(ipyawssso.core.errors.LoginRequired):
        ipyawssso.session("dev")


def test_a_legacy_profile_stays_legacy(sandbox, person):
    _config().write_text(
        "[profile other-org]\n"
        "sso_start_url = https://other-org.awsapps.com/start\n"
        f"sso_region = {sandbox.region}\n"
        "sso_account_id = 100000000002\n"
        "sso_role_name = ReadOnly\n"
        "[sso-session mine]\n"
        f"sso_start_url = {sandbox.start_url}\n"
        f"sso_region = {sandbox.region}\n"
    )
    ipyawssso.login(
        "other-org", account_id=ACCOUNT, role_name="ReadOnly", on_pending=person.approves
    )
    assert person.seen[0].start_url == "https://other-org.awsapps.com/start"
    assert person.seen[0].session_name is None
    text = _config().read_text()
    assert "sso_session" not in text.split("[sso-session mine]")[0]
    assert "sso_start_url = https://other-org.awsapps.com/start\n" in text
    assert f"sso_account_id = {ACCOUNT}\n" in text
    listed = {p.profile.name: p for p in ipyawssso.profiles()}
    assert listed["other-org"].profile.is_legacy and listed["other-org"].login.signed_in


def test_the_picker_opens_after_the_account_pages_only(sandbox, person):
    sandbox.configure(accounts=250, roles_per_account=3)
    asked: dict[str, int] = {}

    def choose(catalog) -> Role:
        asked.clear()
        asked.update(sandbox.calls)
        return catalog.roles_for(catalog.accounts()[7].account_id)[1]

    _org_login(sandbox, person, account_id=None, role_name=None, choose_role=choose)
    assert asked["ListAccounts"] == 3  # ceil(250 / 100)
    assert asked.get("ListAccountRoles", 0) == 0
    # The next picker opens from the role cache: no portal call at all before it.
    sandbox.reset_calls()
    ipyawssso.login("dev2", session_name="org", choose_role=choose)
    assert asked.get("ListAccounts", 0) == 0 and asked.get("ListAccountRoles", 0) == 0


def test_a_single_choice_is_taken_without_a_picker(sandbox, person):
    sandbox.configure(accounts=1, roles_per_account=1)

    def choose(catalog) -> Role:
        raise AssertionError("the listing proved one choice: no picker")

    session = _org_login(sandbox, person, account_id=None, role_name=None, choose_role=choose)
    assert session.profile_name == "dev"


@pytest.mark.parametrize(
    ("account", "role", "words"),
    [
        (ACCOUNT, "ReadOnyl", ["has no role 'ReadOnyl'", "Did you mean 'ReadOnly'?"]),
        (ACCOUNT, "readonly", ["Did you mean 'ReadOnly'?"]),
        ("100000000009", "ReadOnly", ["account 100000000009 is not one of", "100000000001"]),
    ],
)
def test_a_typo_in_the_pair_is_refused_before_anything_is_written(
    sandbox, person, account, role, words
):
    before = "# mine\n"
    _config().write_text(before)
    with pytest.raises(InvalidValueError) as info:
        _org_login(sandbox, person, account_id=account, role_name=role)
    message = str(info.value)
    assert message.startswith("Your sign-in has no matching account and role")
    for word in words:
        assert word in message
    assert _config().read_text() == before


def test_a_valid_pair_costs_one_role_listing(sandbox, person):
    sandbox.configure(accounts=150)
    _org_login(sandbox, person)
    assert sandbox.calls["ListAccountRoles"] == 1
    assert sandbox.calls["ListAccounts"] == 2


def test_a_start_url_with_a_password_is_refused_and_never_echoed(sandbox):
    for url in (
        "https://alice:hunter2@d-1234567890.awsapps.com:x/start",
        "https://alice:hunter2@d-1234567890.awsapps.com/start",
        "https:alice:hunter2@host/start",
    ):
        with pytest.raises(InvalidValueError) as info:
            ipyawssso.login("dev", start_url=url, sso_region="us-east-1")
        assert "hunter2" not in str(info.value) and "alice" not in str(info.value)
        assert "user name or password" in str(info.value)
    assert not _config().exists()


def test_a_second_kernel_says_it_waits_for_the_first_ones_sign_in(sandbox, person):
    first_pending = threading.Event()
    release = threading.Event()
    codes = []

    def slow_person(auth) -> None:
        codes.append(auth)
        first_pending.set()
        release.wait(10)
        person.approves(auth)

    kwargs = dict(
        start_url=sandbox.start_url,
        sso_region=sandbox.region,
        session_name="org",
        account_id=ACCOUNT,
        role_name="ReadOnly",
    )
    first = threading.Thread(
        target=lambda: ipyawssso.login("dev", on_pending=slow_person, **kwargs)
    )
    first.start()
    assert first_pending.wait(10)
    waiting = threading.Event()
    # A short wait ends with a message that names the other sign-in, not this one's code.
    with pytest.raises(LoginTimeout) as info:
        ipyawssso.login("dev2", on_waiting=waiting.set, timeout=0.6, **kwargs)
    assert waiting.is_set() and info.value.elsewhere
    assert "started in another notebook" in str(info.value)
    # A patient one ends with the first one's sign-in: no second code is shown.
    done = []
    second = threading.Thread(
        target=lambda: done.append(ipyawssso.login("dev3", on_pending=codes.append, **kwargs))
    )
    second.start()
    release.set()
    first.join(20)
    second.join(20)
    assert len(done) == 1 and len(codes) == 1


def test_a_legacy_profile_without_its_region_says_what_is_missing(sandbox, person):
    _config().write_text(
        "[profile half]\nsso_start_url = https://half.awsapps.com/start\n"
        "sso_account_id = 100000000001\nsso_role_name = ReadOnly\n"
    )
    before = _config().read_bytes()
    for call in (
        lambda: ipyawssso.login("half", on_pending=person.approves),
        lambda: ipyawssso.session("half"),
    ):
        with pytest.raises(InvalidValueError, match="has an sso_start_url but no sso_region"):
            call()
    assert _config().read_bytes() == before and not person.seen
