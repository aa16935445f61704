"""The access portal: which accounts and roles a signed-in user may use (docs/architecture.md §7).

Users have from one to thousands of accounts, the portal allows about 20 calls a second and a
page holds at most 100 items. So accounts are listed first (ceil(N/100) calls) and shown at once;
roles load per account on demand, the account in view first, and the rest are prefetched by a
few workers under a shared token bucket that backs off on ``TooManyRequestsException``. The
result is kept per sso-session in the user's cache folder (names and ids only, never a token) so
the next picker opens instantly.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from . import clients
from .answers import (
    MAX_NAME,
    MAX_SECRET,
    PARSE_FAILURES,
    answer_items,
    answer_text,
    malformed,
)
from .atomic_file import ensure_private_folder, write_atomic
from .cancellable import run_cancellable
from .errors import LoginCancelled, LoginRequired, ServiceError
from .models import Account, Role, utcnow
from .token_cache import format_time, parse_time
from .vocabulary import ACCOUNT_ID

__all__ = ["RateLimiter", "RoleCatalog", "role_cache_dir"]

PAGE_SIZE = 100
DEFAULT_RATE = 19.0  # calls/s: just under the portal's ~20/s, so a steady prefetch is not throttled
MAX_BACKOFF = 8.0
MAX_ATTEMPTS = 8
PREFETCH_WORKERS = 4
#: 100,000 accounts: a portal that keeps sending "next page" past this is misbehaving.
MAX_PAGES = 1000


def role_cache_dir() -> Path:
    """Where account/role lists are kept: ``IPYAWSSSO_CACHE_DIR`` or the platform's cache dir."""
    override = os.environ.get("IPYAWSSSO_CACHE_DIR")
    if override:
        return Path(override).expanduser() / "roles"
    import platformdirs

    return Path(platformdirs.user_cache_dir("ipyawssso", appauthor=False)) / "roles"


class RateLimiter:
    """A token bucket shared by every thread that calls the portal for one sign-in."""

    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        *,
        burst: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self._burst = burst
        self._tokens = burst
        self._last = monotonic()
        self._monotonic = monotonic
        self._lock = threading.Lock()

    def acquire(self, cancel: threading.Event) -> None:
        while True:
            with self._lock:
                now = self._monotonic()
                self._tokens = min(self._burst, self._tokens + (now - self._last) * self.rate)
                self._last = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                wait = (1 - self._tokens) / self.rate
            if cancel.wait(wait):
                raise LoginCancelled()


class RoleCatalog:
    """Accounts and roles for one sign-in; thread-safe, so a UI can read while workers load.

    :func:`ipyawssso.catalog` makes one for a sign-in; the other parameters are seams for
    tests and benchmarks, with real defaults.

    :param key: what the local list is kept under: the sso-session's name, else the start URL.
    :param start_url: the access portal URL; a local list saved for another one is ignored.
    :param region: the region of the IAM Identity Center (the portal's endpoint).
    :param access_token: called before each batch of calls, so that a token refreshed
        meanwhile is picked up.
    :param client: an ``sso`` client (unsigned, single attempt: retries are the catalog's);
        None makes one.
    :param limiter: the token bucket every call waits on; None allows 19 calls a second.
    :param cache_dir: where the local list is kept; None means :func:`role_cache_dir`.
    :param workers: how many accounts' roles ``prefetch`` loads at once.
    :param sleep: waits between retries, as ``sleep(seconds, cancel) -> cancelled``.
    """

    def __init__(
        self,
        *,
        key: str,
        start_url: str,
        region: str,
        access_token: Callable[[], str],
        client: Any = None,
        limiter: RateLimiter | None = None,
        cache_dir: Path | None = None,
        workers: int = PREFETCH_WORKERS,
        sleep: Callable[[float, threading.Event], bool] | None = None,
    ) -> None:
        self.key = key
        self.start_url = start_url
        self.region = region
        self._access_token = access_token
        self._client = client
        self._limiter = limiter or RateLimiter()
        self._cache_dir = cache_dir
        self._workers = workers
        self._sleep = sleep or (lambda seconds, cancel: cancel.wait(seconds))
        self._lock = threading.RLock()
        self._accounts: list[Account] | None = None
        self._roles: dict[str, list[Role]] = {}
        self._priority: list[str] = []
        self.calls = 0
        self.throttled = 0

    # --- public -----------------------------------------------------------------------

    def accounts(
        self, refresh: bool = False, cancel: threading.Event | None = None
    ) -> list[Account]:
        """The accounts, listed once (one call per 100) and then kept, so a picker opens at once.

        :param refresh: list them again; roles of accounts that still exist are kept.
        :param cancel: set it to stop the listing.
        :returns: the accounts sorted by name, then id.
        :raises LoginRequired: the sign-in expired or was revoked.
        :raises LoginCancelled: ``cancel`` was set.
        :raises ServiceError: the portal refused, or kept failing after retries.
        """
        with self._lock:
            if self._accounts is not None and not refresh:
                return list(self._accounts)
        cancel = cancel or threading.Event()
        items = self._paginate("list_accounts", "accountList", {}, cancel)
        accounts = sorted(
            {a.account_id: a for a in items}.values(),
            key=lambda a: (a.name.lower(), a.account_id),
        )
        with self._lock:
            self._accounts = accounts
            # A quiet refresh keeps what is known of accounts that still exist, so reopening
            # the picker costs ceil(N/100) calls, not a new listing of every role.
            current = {a.account_id for a in accounts}
            self._roles = {k: v for k, v in self._roles.items() if k in current}
        self._save()
        return list(accounts)

    def forget_roles(self, account_id: str | None = None) -> None:
        """Drop the known role lists, so the portal is asked again (a role may be new).

        :param account_id: the account whose roles to forget; None forgets every account's.
        """
        with self._lock:
            if account_id is None:
                self._roles.clear()
            else:
                self._roles.pop(account_id, None)

    def roles_for(self, account_id: str, cancel: threading.Event | None = None) -> list[Role]:
        """One account's roles, asked of the portal only the first time (the picker asks for
        the account in view, so it must not wait for the others).

        :param account_id: the account, as :meth:`accounts` lists it.
        :param cancel: set it to stop the listing.
        :returns: its roles sorted by name, each with the account's name and e-mail.
        :raises LoginRequired: the sign-in expired or was revoked.
        :raises LoginCancelled: ``cancel`` was set.
        :raises ServiceError: the portal refused, or kept failing after retries.
        """
        with self._lock:
            if account_id in self._roles:
                return list(self._roles[account_id])
            account = self._account(account_id)
        cancel = cancel or threading.Event()
        items = self._paginate("list_account_roles", "roleList", {"accountId": account_id}, cancel)
        roles = sorted(
            {
                name: Role(
                    account_id=account_id,
                    role_name=name,
                    account_name=account.name,
                    account_email=account.email,
                )
                for name in items
            }.values(),
            key=lambda r: r.role_name.lower(),
        )
        with self._lock:
            self._roles[account_id] = roles
        return list(roles)

    def loaded(self) -> dict[str, list[Role]]:
        """Roles loaded so far, so a view can show progress while ``prefetch`` runs.

        :returns: a snapshot: account id -> its roles.
        """
        with self._lock:
            return {k: list(v) for k, v in self._roles.items()}

    def prioritize(self, account_id: str) -> None:
        """Load this account's roles next: the person is looking at it.

        :param account_id: the account ``prefetch`` should take before the others.
        """
        with self._lock:
            if account_id in self._priority:
                self._priority.remove(account_id)
            self._priority.insert(0, account_id)

    def prefetch(
        self,
        on_progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[Role]:
        """Every role of every account, a few accounts at a time under the rate limit, so a
        search can cover them all; saved to the local list for the next session.

        :param on_progress: called as ``on_progress(done, total)`` after each account.
        :param cancel: set it to stop loading.
        :returns: every role, account by account in :meth:`accounts` order.
        :raises LoginRequired: the sign-in expired or was revoked.
        :raises LoginCancelled: ``cancel`` was set.
        :raises ServiceError: the portal refused, or kept failing after retries.
        """
        cancel = cancel or threading.Event()
        accounts = self.accounts(cancel=cancel)
        total = len(accounts)
        pending = [a.account_id for a in accounts]
        done = total - len([a for a in pending if a not in self._roles])
        if on_progress:
            on_progress(done, total)
        errors: list[BaseException] = []

        def next_account() -> str | None:
            with self._lock:
                while self._priority:
                    candidate = self._priority.pop(0)
                    if candidate not in self._roles and candidate in pending:
                        pending.remove(candidate)
                        return candidate
                while pending:
                    candidate = pending.pop(0)
                    if candidate not in self._roles:
                        return candidate
                return None

        progress_lock = threading.Lock()

        def worker() -> None:
            nonlocal done
            while not cancel.is_set() and not errors:
                account_id = next_account()
                if account_id is None:
                    return
                try:
                    self.roles_for(account_id, cancel)
                except BaseException as exc:  # surfaced to the caller below
                    errors.append(exc)
                    return
                with progress_lock:
                    done += 1
                    if on_progress:
                        on_progress(done, total)

        with ThreadPoolExecutor(max_workers=max(1, self._workers)) as pool:
            for _ in range(max(1, self._workers)):
                pool.submit(worker)
        if cancel.is_set():
            raise LoginCancelled()
        if errors:
            raise errors[0]
        self._save()
        return self.all_roles()

    def all_roles(self) -> list[Role]:
        """The roles known so far, in account order; no network, unlike :meth:`prefetch`.

        :returns: the roles of every account whose roles are loaded.
        """
        with self._lock:
            accounts = list(self._accounts or [])
            return [role for a in accounts for role in self._roles.get(a.account_id, [])]

    def cached(self) -> list[Role] | None:
        """The roles saved by an earlier session, so a picker opens before any portal call;
        they are loaded into the catalog too.

        :returns: the saved roles, or None when nothing was saved for this start URL.
        """
        path = self._cache_path()
        try:
            with path.open(encoding="utf-8") as f:
                data = json.load(f)
            if data.get("startUrl") != self.start_url:
                return None
            accounts = [
                Account(a["accountId"], a.get("accountName", ""), a.get("emailAddress", ""))
                for a in data["accounts"]
            ]
            by_id = {a.account_id: a for a in accounts}
            roles = {
                acct: [Role(acct, name, by_id[acct].name, by_id[acct].email) for name in names]
                for acct, names in data.get("roles", {}).items()
                if acct in by_id
            }
        except (OSError, ValueError, KeyError, TypeError):
            return None
        with self._lock:
            if self._accounts is None:
                self._accounts = accounts
            for acct, rl in roles.items():
                self._roles.setdefault(acct, rl)
        return [r for a in accounts for r in roles.get(a.account_id, [])]

    def cached_at(self) -> datetime | None:
        """When the local list was saved, so a view can say how old what it shows is.

        :returns: the time (UTC ``datetime``), or None when there is no local list.
        """
        try:
            with self._cache_path().open(encoding="utf-8") as f:
                return parse_time(json.load(f)["savedAt"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    # --- internals ----------------------------------------------------------------------

    def _account(self, account_id: str) -> Account:
        for a in self._accounts or []:
            if a.account_id == account_id:
                return a
        return Account(account_id)

    def _sso(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = clients.client("sso", self.region, max_attempts=1)
        return self._client

    def _paginate(
        self, operation: str, key: str, params: dict[str, str], cancel: threading.Event
    ) -> list[Any]:
        """Follow every page, resuming from the last page token after a throttle, a 5xx or
        an answer that cannot be read (a proxy's error page); each item is checked."""
        paginator = self._sso().get_paginator(operation)
        items: list[Any] = []
        next_token: str | None = None
        attempt = 0
        page_count = 0
        while True:
            config: dict[str, Any] = {"PageSize": PAGE_SIZE}
            if next_token:
                config["StartingToken"] = next_token
            page_iter = iter(
                paginator.paginate(
                    accessToken=self._access_token(), PaginationConfig=config, **params
                )
            )
            try:
                while True:
                    self._limiter.acquire(cancel)
                    with self._lock:
                        self.calls += 1
                    try:
                        # In a worker, so Cancel ends even a hung page at once.
                        page = run_cancellable(
                            partial(next, page_iter), cancel, name="ipyawssso-portal"
                        )
                    except StopIteration:
                        return items
                    except PARSE_FAILURES:
                        # botocore could not parse the page (a value of the wrong type).
                        name = _operation_name(operation)
                        raise _Unreadable(malformed(name, "wrong value types")) from None
                    items.extend(_page_items(operation, key, page))
                    attempt = 0
                    next_token = answer_text(
                        page, "nextToken", operation, max_len=MAX_SECRET, required=False
                    )
                    page_count += 1
                    if not next_token:
                        return items
                    if page_count >= MAX_PAGES:
                        raise ServiceError(
                            f"The AWS access portal kept sending more pages to {operation} "
                            f"(over {MAX_PAGES}). Try again later; if it persists, ask your AWS "
                            "administrator.",
                            operation=_operation_name(operation),
                        )
            except _Unreadable as exc:
                if attempt >= MAX_ATTEMPTS:
                    raise exc.error from None
                self._backoff(attempt, cancel)
                attempt += 1
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
                if code == "UnauthorizedException" or status == 401:
                    raise LoginRequired(None, "the sign-in expired or was revoked") from None
                retryable = code == "TooManyRequestsException" or status == 429 or status >= 500
                if not retryable or attempt >= MAX_ATTEMPTS:
                    raise ServiceError(
                        f"Listing AWS accounts failed ({code or 'HTTP ' + str(status)}) after "
                        f"{attempt + 1} attempts. Try again in a minute; if it persists, ask your "
                        "AWS administrator whether the access portal is reachable.",
                        code=code or None,
                        operation=_operation_name(operation),
                    ) from None
                if code == "TooManyRequestsException" or status == 429:
                    with self._lock:
                        self.throttled += 1
                self._backoff(attempt, cancel)
                attempt += 1
            except BotoCoreError as exc:
                if attempt >= MAX_ATTEMPTS:
                    raise ServiceError(
                        f"Could not reach the AWS access portal ({type(exc).__name__}). Check "
                        "your network, then try again.",
                        code=type(exc).__name__,
                        operation=_operation_name(operation),
                    ) from None
                self._backoff(attempt, cancel)
                attempt += 1

    def _backoff(self, attempt: int, cancel: threading.Event) -> None:
        delay = min(MAX_BACKOFF, 0.25 * (2**attempt)) * (0.5 + random.random() / 2)
        if self._sleep(delay, cancel) or cancel.is_set():
            raise LoginCancelled()

    def _cache_path(self) -> Path:
        digest = hashlib.sha1(f"{self.key}\n{self.start_url}".encode()).hexdigest()  # noqa: S324
        return (self._cache_dir or role_cache_dir()) / f"{digest}.json"

    def _save(self) -> None:
        with self._lock:
            if self._accounts is None:
                return
            data = {
                "version": 1,
                "startUrl": self.start_url,
                "region": self.region,
                "savedAt": format_time(utcnow()),
                "accounts": [
                    {"accountId": a.account_id, "accountName": a.name, "emailAddress": a.email}
                    for a in self._accounts
                ],
                "roles": {
                    acct: [r.role_name for r in roles] for acct, roles in self._roles.items()
                },
            }
        path = self._cache_path()
        try:
            ensure_private_folder(path.parent)
            write_atomic(path, json.dumps(data).encode("utf-8"))
        except OSError:
            # The cache only saves time; failing to write it must not fail the listing.
            return


class _Unreadable(Exception):
    """A page whose content cannot be used; retried like a 5xx."""

    def __init__(self, error: ServiceError) -> None:
        super().__init__(str(error))
        self.error = error


def _operation_name(operation: str) -> str:
    """botocore's method name as the API names the call: ``list_accounts`` -> ``ListAccounts``."""
    return "".join(word.capitalize() for word in operation.split("_"))


def _page_items(operation: str, key: str, page: Any) -> list[Any]:
    """The page's accounts (as :class:`Account`) or role names, each checked."""
    operation = _operation_name(operation)
    try:
        raw = answer_items(page, key, operation, max_items=PAGE_SIZE)
        if key == "accountList":
            return [
                Account(
                    account_id=str(answer_text(a, "accountId", operation, pattern=ACCOUNT_ID)),
                    name=answer_text(a, "accountName", operation, max_len=MAX_NAME, required=False)
                    or "",
                    email=answer_text(
                        a, "emailAddress", operation, max_len=MAX_NAME, required=False
                    )
                    or "",
                )
                for a in raw
            ]
        return [answer_text(r, "roleName", operation, max_len=MAX_NAME) for r in raw]
    except ServiceError as error:
        raise _Unreadable(error) from None


def filter_roles(roles: Iterable[Role], text: str) -> list[Role]:
    """Case-insensitive match of every word against account name, id, email and role."""
    words = text.lower().split()
    if not words:
        return list(roles)
    out = []
    for r in roles:
        hay = f"{r.account_name} {r.account_id} {r.account_email} {r.role_name}".lower()
        if all(w in hay for w in words):
            out.append(r)
    return out
