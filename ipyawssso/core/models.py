"""Plain, frozen values passed between the layers.

They hold no behaviour that touches the network or disk, so the UI layers can show them and
tests can build them freely. Fields that hold secrets are excluded from ``repr`` so that a value
echoed in a notebook or a log never shows a token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

__all__ = [
    "Account",
    "DeviceAuthorization",
    "LoginStatus",
    "Profile",
    "Registration",
    "Role",
    "SsoSession",
    "Token",
    "utcnow",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SsoSession:
    """An ``[sso-session NAME]`` section: where and how to sign in."""

    name: str
    start_url: str
    region: str
    scopes: tuple[str, ...] = ("sso:account:access",)


@dataclass(frozen=True)
class Profile:
    """A ``[profile NAME]`` (or ``[default]``) section as far as SSO is concerned.

    ``sso_session`` is set for modern profiles; legacy profiles carry ``start_url`` and
    ``sso_region`` themselves. ``is_sso`` tells whether the profile signs in through SSO at all.
    """

    name: str
    sso_session: str | None = None
    start_url: str | None = None
    sso_region: str | None = None
    account_id: str | None = None
    role_name: str | None = None
    region: str | None = None
    output: str | None = None

    @property
    def is_sso(self) -> bool:
        return bool(self.sso_session or self.start_url)

    @property
    def is_legacy(self) -> bool:
        return self.sso_session is None and self.start_url is not None


@dataclass(frozen=True)
class DeviceAuthorization:
    """What a person needs to approve a sign-in: shown by the UI through ``on_pending``.

    The device code itself stays inside ``device_flow``; nothing here is secret.
    """

    user_code: str
    verification_uri: str
    verification_uri_complete: str
    expires_at: datetime
    interval: int
    start_url: str = ""
    session_name: str | None = None

    def seconds_left(self, now: datetime | None = None) -> float:
        return (self.expires_at - (now or utcnow())).total_seconds()


@dataclass(frozen=True)
class Registration:
    """An OIDC client registration, reused across sign-ins (the CLI keeps it ~90 days)."""

    client_id: str
    client_secret: str = field(repr=False)
    expires_at: datetime
    scopes: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Token:
    """An SSO access token as kept in ``~/.aws/sso/cache``."""

    start_url: str
    region: str
    access_token: str = field(repr=False)
    expires_at: datetime
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    registration_expires_at: datetime | None = None
    refresh_token: str | None = field(default=None, repr=False)

    def seconds_left(self, now: datetime | None = None) -> float:
        return (self.expires_at - (now or utcnow())).total_seconds()

    @property
    def refreshable(self) -> bool:
        """botocore refreshes only when all four of these are present (and not expired)."""
        return bool(
            self.refresh_token
            and self.client_id
            and self.client_secret
            and self.registration_expires_at
        )


@dataclass(frozen=True)
class Account:
    account_id: str
    name: str = ""
    email: str = ""


@dataclass(frozen=True)
class Role:
    account_id: str
    role_name: str
    account_name: str = ""
    account_email: str = ""


@dataclass(frozen=True)
class LoginStatus:
    """One sign-in (an sso-session or a legacy start URL) and the profiles that share it."""

    session_name: str | None
    start_url: str
    region: str
    expires_at: datetime | None
    profiles: tuple[str, ...] = ()
    refreshable: bool = False

    @property
    def signed_in(self) -> bool:
        return self.expires_at is not None and self.expires_at > utcnow()

    def time_left(self, now: datetime | None = None) -> timedelta:
        if self.expires_at is None:
            return timedelta(0)
        return max(self.expires_at - (now or utcnow()), timedelta(0))

    @property
    def key(self) -> str:
        """The name used for this sign-in in the UI: the session name, else the start URL."""
        return self.session_name or self.start_url
