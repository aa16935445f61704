"""Listing accounts and roles at scale: pages, throttling, retries, priority, the local cache."""

from __future__ import annotations

import json
import threading
import time

import pytest

import ipyawssso
from ipyawssso.core.errors import LoginCancelled, LoginRequired
from ipyawssso.core.portal import RateLimiter, RoleCatalog
from ipyawssso.sandbox.leak_guard import find_leaks


@pytest.fixture
def signed_in(sandbox, person):
    def make(**knobs):
        sandbox.configure(**knobs)
        ipyawssso.sign_in(
            session_name="big",
            start_url=sandbox.start_url,
            sso_region=sandbox.region,
            on_pending=person.approves,
        )
        return ipyawssso.catalog(session_name="big")

    return make


def test_accounts_come_in_pages_of_100(sandbox, signed_in):
    cat = signed_in(accounts=250, roles_per_account=2)
    sandbox.reset_calls()
    accounts = cat.accounts()
    assert len(accounts) == 250
    assert sandbox.calls["ListAccounts"] == 3
    assert accounts[0].name == "sandbox-ml-001" and accounts[0].email


def test_throttling_is_absorbed_and_every_role_listed(sandbox, signed_in):
    cat = signed_in(accounts=60, roles_per_account=3)
    sandbox.configure(rate_limit=15)
    fast = RoleCatalog(
        key=cat.key,
        start_url=cat.start_url,
        region=cat.region,
        access_token=cat._access_token,
        limiter=RateLimiter(60, burst=4),
        workers=6,
    )
    roles = fast.prefetch()
    assert len(roles) == 180
    assert fast.throttled > 0, "the sandbox should have pushed back"
    assert len({(r.account_id, r.role_name) for r in roles}) == 180


def test_server_errors_are_retried(sandbox, signed_in):
    cat = signed_in(accounts=5, roles_per_account=2)
    sandbox.fail_next("ListAccounts", status=500, count=2)
    sandbox.fail_next("ListAccountRoles", status=502, count=2)
    assert len(cat.prefetch()) == 10


def test_the_account_in_view_loads_first(sandbox, signed_in):
    cat = signed_in(accounts=20, roles_per_account=1)
    cat = RoleCatalog(
        key=cat.key,
        start_url=cat.start_url,
        region=cat.region,
        access_token=cat._access_token,
        workers=1,
    )
    last = cat.accounts()[-1].account_id
    cat.prioritize(last)
    first_loaded = []
    cat.prefetch(
        on_progress=lambda done, total: (
            first_loaded.append(list(cat.loaded())) if done == 1 else None
        )
    )
    assert first_loaded[0] == [last]


def test_prefetch_is_cancellable(sandbox, signed_in):
    cat = signed_in(accounts=40, roles_per_account=1)
    sandbox.configure(latency=0.2)
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    with pytest.raises(LoginCancelled):
        cat.prefetch(cancel=cancel)


def test_second_open_comes_from_the_cache_without_secrets(sandbox, signed_in, tmp_path):
    cat = signed_in(accounts=30, roles_per_account=3)
    roles = cat.prefetch()
    sandbox.reset_calls()
    again = ipyawssso.catalog(session_name="big")
    assert again.cached() == roles
    assert sum(sandbox.calls.values()) == 0
    path = again._cache_path()
    assert find_leaks([path], sandbox.issued_secrets()) == []
    assert set(json.loads(path.read_text())) == {
        "version",
        "startUrl",
        "region",
        "savedAt",
        "accounts",
        "roles",
    }


def test_expired_sign_in_while_listing_says_sign_in_again(sandbox, signed_in):
    cat = signed_in(accounts=3, roles_per_account=1)
    sandbox.expire_tokens()
    with pytest.raises(LoginRequired):
        cat.accounts(refresh=True)


def test_a_hung_page_is_cancelled_at_once(sandbox, signed_in):
    cat = signed_in(accounts=3, roles_per_account=1)
    sandbox.hang_next("ListAccounts", 15)
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(LoginCancelled):
        cat.accounts(refresh=True, cancel=cancel)
    assert time.monotonic() - started < 1.5
