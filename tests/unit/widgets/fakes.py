"""Small stand-ins for the core, handed to the panel through its ``backend`` argument.

They keep the panel's view logic testable without a network: each records what the panel
asked for, and the tests decide when a sign-in is approved or a prefetch may finish. The real
core is exercised against the sandbox in ``test_panel_sandbox.py``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ipyawssso.core.errors import InvalidValueError, LoginCancelled
from ipyawssso.core.models import (
    Account,
    DeviceAuthorization,
    LoginStatus,
    Profile,
    Role,
    SsoSession,
    utcnow,
)

START_URL = "https://d-fake000001.awsapps.com/start"


def wait_for(condition: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Poll ``condition`` until truthy (background threads update the panel)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what or condition}")


def browser_update(widget: Any, **state: Any) -> None:
    """What the front end sends when a person edits a field: an ``update`` comm message."""
    widget._handle_msg(
        {
            "content": {"data": {"method": "update", "state": state, "buffer_paths": []}},
            "buffers": [],
        }
    )


def browser_click(button: Any) -> None:
    """What the front end sends when a person presses a button: a ``custom`` click event."""
    button._handle_msg(
        {"content": {"data": {"method": "custom", "content": {"event": "click"}}}, "buffers": []}
    )


def make_accounts(
    n_accounts: int, roles_per_account: int
) -> tuple[list[Account], dict[str, list[str]]]:
    names = ["ReadOnly", "DataScientist", "AdministratorAccess", "PowerUser", "Billing"]
    accounts = [
        Account(f"{100000000000 + i:012d}", f"team-{i:04d}", f"aws+team-{i:04d}@example.com")
        for i in range(1, n_accounts + 1)
    ]
    roles = {
        a.account_id: [
            names[j] if j < len(names) else f"Role{j:03d}" for j in range(roles_per_account)
        ]
        for a in accounts
    }
    return accounts, roles


class FakeCatalog:
    """Behaves like ``RoleCatalog`` for one sso-session, with a gate on the prefetch."""

    def __init__(
        self,
        accounts: list[Account],
        roles: dict[str, list[str]],
        *,
        cached: list[Role] | None = None,
        hold_prefetch: bool = False,
    ) -> None:
        self._accounts = accounts
        self._roles = roles
        self._cached = cached
        self._loaded: dict[str, list[Role]] = {}
        self._lock = threading.Lock()
        self.calls: list[tuple[str, Any]] = []
        self.release = threading.Event()
        if not hold_prefetch:
            self.release.set()
        self.fail_accounts: list[BaseException] = []
        self.fail_prefetch: list[BaseException] = []
        self.prefetch_cancel: threading.Event | None = None

    def _role_list(self, account_id: str) -> list[Role]:
        account = next(a for a in self._accounts if a.account_id == account_id)
        return [
            Role(account_id, name, account.name, account.email)
            for name in self._roles.get(account_id, [])
        ]

    def accounts(
        self, refresh: bool = False, cancel: threading.Event | None = None
    ) -> list[Account]:
        self.calls.append(("accounts", refresh))
        if self.fail_accounts:
            raise self.fail_accounts.pop(0)
        return list(self._accounts)

    def roles_for(self, account_id: str, cancel: threading.Event | None = None) -> list[Role]:
        self.calls.append(("roles_for", account_id))
        roles = self._role_list(account_id)
        with self._lock:
            self._loaded[account_id] = roles
        return roles

    def loaded(self) -> dict[str, list[Role]]:
        with self._lock:
            return {k: list(v) for k, v in self._loaded.items()}

    def cached(self) -> list[Role] | None:
        self.calls.append(("cached", None))
        return self._cached

    def prioritize(self, account_id: str) -> None:
        self.calls.append(("prioritize", account_id))

    def forget_roles(self) -> None:
        self.calls.append(("forget_roles", None))
        with self._lock:
            self._loaded.clear()

    def prefetch(
        self,
        on_progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[Role]:
        self.calls.append(("prefetch", None))
        self.prefetch_cancel = cancel
        cancel = cancel or threading.Event()
        total = len(self._accounts)
        if on_progress:
            on_progress(len(self.loaded()), total)
        while not self.release.wait(0.01):
            if cancel.is_set():
                raise LoginCancelled()
        if self.fail_prefetch:
            raise self.fail_prefetch.pop(0)
        for done, account in enumerate(self._accounts, start=1):
            if cancel.is_set():
                raise LoginCancelled()
            if account.account_id not in self.loaded():
                with self._lock:
                    self._loaded[account.account_id] = self._role_list(account.account_id)
            if on_progress:
                on_progress(done, total)
        return [r for a in self._accounts for r in self._role_list(a.account_id)]


@dataclass(frozen=True)
class FakeProfileStatus:
    profile: Profile
    login: LoginStatus | None


@dataclass
class FakeIdentity:
    profile: str
    account_id: str
    role_name: str
    arn: str
    user_id: str = "AROAFAKE:ada@example.com"
    region: str | None = "us-east-1"
    account_name: str = ""
    expires_at: Any = None


@dataclass
class FakeSession:
    profile_name: str


@dataclass
class FakeBackend:
    """The core as the panel sees it; ``approve`` lets a pending sign-in finish."""

    catalog_obj: FakeCatalog | None = None
    sessions: dict[str, SsoSession] = field(default_factory=dict)
    statuses: list[FakeProfileStatus] = field(default_factory=list)
    device_flow: bool = True
    approve: threading.Event = field(default_factory=threading.Event)
    sign_in_errors: list[BaseException] = field(default_factory=list)
    write_errors: list[BaseException] = field(default_factory=list)
    sign_in_calls: list[dict[str, Any]] = field(default_factory=list)
    cancel_events: list[threading.Event] = field(default_factory=list)
    saved: list[dict[str, Any]] = field(default_factory=list)
    written: dict[str, tuple[str, str]] = field(default_factory=dict)

    def sso_sessions(self) -> dict[str, SsoSession]:
        return dict(self.sessions)

    def profiles(self) -> list[FakeProfileStatus]:
        return list(self.statuses)

    def sign_in(
        self,
        profile: str | None = None,
        *,
        session_name: str | None = None,
        start_url: str | None = None,
        sso_region: str | None = None,
        force: bool = False,
        on_pending: Callable[[DeviceAuthorization], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> LoginStatus:
        self.sign_in_calls.append(
            {
                "profile": profile,
                "session_name": session_name,
                "start_url": start_url,
                "sso_region": sso_region,
                "force": force,
            }
        )
        cancel = cancel or threading.Event()
        self.cancel_events.append(cancel)
        if self.sign_in_errors:
            raise self.sign_in_errors.pop(0)
        if self.device_flow and on_pending is not None:
            on_pending(
                DeviceAuthorization(
                    user_code="WDJB-MJHT",
                    verification_uri="https://device.sso.us-east-1.amazonaws.com/",
                    verification_uri_complete=(
                        "https://device.sso.us-east-1.amazonaws.com/?user_code=WDJB-MJHT"
                    ),
                    expires_at=utcnow() + timedelta(minutes=10),
                    interval=1,
                    start_url=start_url or START_URL,
                    session_name=session_name,
                )
            )
            deadline = time.monotonic() + 20
            while not self.approve.wait(0.01):
                if cancel.is_set():
                    raise LoginCancelled()
                if time.monotonic() > deadline:
                    raise AssertionError("the test never approved the sign-in")
        if session_name and start_url and session_name not in self.sessions:
            # As the core does: a new [sso-session] is written once its sign-in succeeded.
            self.sessions[session_name] = SsoSession(
                session_name, start_url, sso_region or "us-east-1"
            )
        return LoginStatus(
            session_name=session_name or "fake",
            start_url=start_url or START_URL,
            region=sso_region or "us-east-1",
            expires_at=utcnow() + timedelta(hours=8),
        )

    def catalog(self, *, session_name: str) -> FakeCatalog:
        assert self.catalog_obj is not None, "this test gave the backend no catalog"
        return self.catalog_obj

    def suggest_profile_name(self, role: Role) -> str:
        return f"{role.role_name}-{role.account_id}"

    def preview_profile(
        self,
        profile: str,
        *,
        session_name: str,
        account_id: str,
        role_name: str,
        region: str | None = None,
        output: str | None = None,
        process_profile: bool = False,
    ) -> str:
        if any(c in profile for c in "[]\r\n"):
            raise InvalidValueError(f"The profile name {profile!r} holds a bracket or newline.")
        lines = [
            f"+[profile {profile}]",
            f"+sso_session = {session_name}",
            f"+sso_account_id = {account_id}",
            f"+sso_role_name = {role_name}",
        ]
        if region:
            lines.append(f"+region = {region}")
        if output:
            lines.append(f"+output = {output}")
        if process_profile:
            lines.append(f"+[profile {profile}-process]")
            lines.append(
                f"+credential_process = python -m ipyawssso credential-process --profile {profile}"
            )
        return "--- config (now)\n+++ config (after)\n@@ -0,0 +1 @@\n" + "\n".join(lines) + "\n"

    def save_profile(self, profile: str, **values: Any) -> None:
        if self.write_errors:
            raise self.write_errors.pop(0)
        self.saved.append({"profile": profile, **values})
        self.written[profile] = (values["account_id"], values["role_name"])

    def session(self, profile: str) -> FakeSession:
        return FakeSession(profile)

    def whoami(self, profile: str) -> FakeIdentity:
        account_id, role_name = self.written.get(profile, ("100000000001", "ReadOnly"))
        return FakeIdentity(
            profile=profile,
            account_id=account_id,
            role_name=role_name,
            arn=f"arn:aws:sts::{account_id}:assumed-role/{role_name}/ada@example.com",
            account_name="team",
            expires_at=utcnow() + timedelta(hours=8),
        )
