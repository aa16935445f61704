"""The access portal under faults: 429 storms, 5xx and hung calls on ListAccounts,
ListAccountRoles, GetRoleCredentials and Logout. Listing still finds every role, failures are
one clear message, and the same catalog or session works once the portal recovers."""

from __future__ import annotations

import threading
import time

import pytest
from botocore.config import Config
from botocore.exceptions import ReadTimeoutError

import ipyawssso
from ipyawssso.core.errors import ServiceError
from ipyawssso.core.portal import RoleCatalog
from tests.reliability.conftest import (
    ACCOUNT,
    ROLE,
    SESSION,
    assert_no_leaks,
    error_texts,
    quick_client,
    token_file,
)


def _no_wait(seconds: float, cancel: threading.Event) -> bool:
    """The catalog's sleep seam: back off without waiting, so many retries take no time."""
    return cancel.is_set()


@pytest.fixture
def catalog(sandbox, signed_in):
    def make(*, accounts: int = 6, roles: int = 3, **kw):
        sandbox.configure(accounts=accounts, roles_per_account=roles)
        base = ipyawssso.catalog(session_name=SESSION)
        if not kw:
            return base
        return RoleCatalog(
            key=base.key,
            start_url=base.start_url,
            region=base.region,
            access_token=base._access_token,
            **kw,
        )

    return make


def _pairs(roles):
    return {(r.account_id, r.role_name) for r in roles}


def test_a_429_storm_while_listing_still_lists_every_role(sandbox, catalog):
    cat = catalog(accounts=8, roles=3)  # the stock catalog: 19 calls/s, 4 workers
    sandbox.configure(rate_limit=5)  # the portal allows far less than the catalog tries
    sandbox.fail_next("ListAccounts", status=429, count=3)
    sandbox.reset_calls()
    roles = cat.prefetch()
    assert len(_pairs(roles)) == len(roles) == 8 * 3
    assert cat.throttled > 0, "the storm did not happen"
    assert sandbox.calls["ListAccountRoles"] >= 8


@pytest.mark.parametrize("operation", ["ListAccounts", "ListAccountRoles"])
def test_a_few_server_errors_are_retried(sandbox, catalog, operation):
    cat = catalog(sleep=_no_wait)
    sandbox.fail_next(operation, status=502, count=3)
    assert len(_pairs(cat.prefetch())) == 6 * 3


@pytest.mark.parametrize("operation", ["ListAccounts", "ListAccountRoles"])
def test_a_failing_portal_is_one_clear_error_then_the_catalog_recovers(sandbox, catalog, operation):
    cat = catalog(sleep=_no_wait)
    sandbox.fail_next(operation, status=500, count=50)
    with pytest.raises(ServiceError, match=r"Listing AWS accounts failed \(Internal") as caught:
        cat.prefetch()
    assert "Try again" in str(caught.value)
    assert_no_leaks(error_texts(caught.value), sandbox)
    sandbox.clear_faults()
    assert len(_pairs(cat.prefetch())) == 6 * 3


@pytest.mark.parametrize("operation", ["ListAccounts", "ListAccountRoles"])
def test_hung_listing_calls_time_out_and_are_retried(sandbox, catalog, operation):
    cat = catalog(client=quick_client("sso", read_timeout=0.5), sleep=_no_wait)
    sandbox.hang_next(operation, 1.0, count=2)
    assert len(_pairs(cat.prefetch())) == 6 * 3


def test_a_portal_that_never_answers_is_one_clear_error(sandbox, catalog):
    cat = catalog(client=quick_client("sso", read_timeout=0.2), sleep=_no_wait)
    sandbox.hang_next("ListAccounts", 0.4, count=50)
    started = time.monotonic()
    with pytest.raises(ServiceError, match=r"Could not reach the AWS access portal \(ReadTimeout"):
        cat.accounts()
    assert time.monotonic() - started < 6
    sandbox.clear_faults()
    time.sleep(0.5)  # the last hung call ends
    assert len(cat.accounts()) == 6


def test_role_credentials_failing_then_recovering(signed_in, sandbox):
    sandbox.fail_next("GetRoleCredentials", status=500, count=20)
    with pytest.raises(ServiceError, match="ai-dev") as caught:
        ipyawssso.whoami("ai-dev")
    assert_no_leaks(error_texts(caught.value), sandbox)
    sandbox.clear_faults()
    assert ipyawssso.whoami("ai-dev").account_id == ACCOUNT


def test_hung_role_credentials_time_out_and_the_session_recovers(signed_in, sandbox):
    # A session whose role credentials are not fetched yet, with a short read timeout set
    # through botocore's own session API.
    session = ipyawssso.session("ai-dev")
    session._session.set_default_client_config(
        Config(connect_timeout=1, read_timeout=0.5, retries={"total_max_attempts": 1})
    )
    sandbox.hang_next("GetRoleCredentials", 1.0)
    with pytest.raises(ReadTimeoutError) as caught:
        session.client("sts").get_caller_identity()
    assert "GetRoleCredentials" in str(caught.value) or "federation" in str(caught.value)
    assert_no_leaks(error_texts(caught.value), sandbox)
    time.sleep(0.6)
    assert session.client("sts").get_caller_identity()["Arn"].split("/")[1] == ROLE


@pytest.mark.parametrize("fault", ["fail", "hang"])
def test_logout_ends_the_local_sign_in_even_when_the_portal_fails(signed_in, sandbox, fault):
    if fault == "fail":
        sandbox.fail_next("Logout", status=500, count=10)
    else:
        sandbox.hang_next("Logout", 30)
    started = time.monotonic()
    assert ipyawssso.logout("ai-dev") == [SESSION]
    assert time.monotonic() - started < 8, "logout waited too long for a hung portal"
    assert not token_file().exists()
    with pytest.raises(ipyawssso.core.errors.LoginRequired):
        ipyawssso.session("ai-dev")
