"""Plain, frozen values passed between the layers.

They hold no behaviour that touches the network or disk, so the UI layers can show them and
tests can build them freely. Fields that hold secrets are excluded from ``repr`` so that a value
echoed in a notebook or a log never shows a token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

__all__ = [
    "Account",
    "DeviceAuthorization",
    "LoginStatus",
    "Profile",
    "ProfileKind",
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
    """An ``[sso-session NAME]`` section: where and how to sign in.

    Profiles name a session instead of repeating its start URL and region, so one sign-in
    (one token) serves every profile of the same organisation.

    :param name: the section's name, also the token cache file's key.
    :param start_url: the AWS access portal URL (https) the sign-in starts at.
    :param region: the region of the IAM Identity Center instance (``sso_region``).
    :param scopes: the OIDC registration scopes (``sso_registration_scopes``).
    """

    name: str
    start_url: str
    region: str
    scopes: tuple[str, ...] = ("sso:account:access",)


#: How botocore gets a profile's credentials, in the order its providers try them.
ProfileKind = Literal[
    "chained",  # role_arn + source_profile: assumes a role with another profile's credentials
    "credential-source",  # role_arn + credential_source (environment, EC2, ECS)
    "web-identity",  # role_arn + web_identity_token_file
    "sso",  # sso_session, or a legacy sso_start_url
    "static",  # aws_access_key_id in ~/.aws/credentials or ~/.aws/config
    "process",  # credential_process
    "plain",  # no credentials of its own (a [default] holding only region, say)
]


@dataclass(frozen=True)
class Profile:
    """A profile as botocore resolves it, from ``~/.aws/config`` and ``~/.aws/credentials``.

    ``sso_session`` is set for modern SSO profiles; legacy ones carry ``start_url`` and
    ``sso_region`` themselves. The other credential settings are kept only as facts about the
    profile (never a key's value), so that a profile ipyawssso does not manage is shown for what
    it is and never edited. ``is_sso`` is true only when botocore would use the SSO keys: a
    ``role_arn`` beside them wins in botocore, so such a profile is ``chained``.

    :param name: the profile's name (``default`` for ``[default]``).
    :param sso_session: the ``[sso-session]`` it signs in through (modern SSO profiles).
    :param start_url: ``sso_start_url`` of a legacy SSO profile.
    :param sso_region: ``sso_region`` of a legacy SSO profile.
    :param account_id: ``sso_account_id``: the account whose role it uses.
    :param role_name: ``sso_role_name``: the role (permission set) in that account.
    :param region: the default region for clients made from it.
    :param output: the AWS CLI output format.
    :param role_arn: the role a chained (or web-identity) profile assumes.
    :param source_profile: the profile whose credentials a chained profile assumes it with.
    :param credential_source: ``Environment``, ``Ec2InstanceMetadata`` or ``EcsContainer``.
    :param web_identity: whether it names a ``web_identity_token_file``.
    :param credential_process: whether a program gives its credentials.
    :param static_keys: whether it holds ``aws_access_key_id`` (the key itself is never kept).
    :param files: where its section lives: ``"config"``, ``"credentials"`` or both.
    """

    name: str
    sso_session: str | None = None
    start_url: str | None = None
    sso_region: str | None = None
    account_id: str | None = None
    role_name: str | None = None
    region: str | None = None
    output: str | None = None
    role_arn: str | None = None
    source_profile: str | None = None
    credential_source: str | None = None
    web_identity: bool = False
    credential_process: bool = False
    static_keys: bool = False
    #: Where its section lives: "config", "credentials" or both.
    files: tuple[str, ...] = ("config",)

    @property
    def kind(self) -> ProfileKind:
        if self.role_arn and self.web_identity:
            return "web-identity"
        if self.role_arn and self.credential_source:
            return "credential-source"
        if self.role_arn and self.source_profile:
            return "chained"
        if self.web_identity:
            return "web-identity"
        if self.sso_session or self.start_url:
            return "sso"
        if self.static_keys:
            return "static"
        if self.credential_process:
            return "process"
        return "plain"

    @property
    def is_sso(self) -> bool:
        return self.kind == "sso"

    @property
    def is_legacy(self) -> bool:
        return self.is_sso and self.sso_session is None

    @property
    def managed(self) -> bool:
        """Whether ipyawssso may write this profile: SSO, or a bare one that holds no
        credentials, and only when it lives in ``~/.aws/config``."""
        return self.kind in ("sso", "plain") and self.role_arn is None and "config" in self.files


@dataclass(frozen=True)
class DeviceAuthorization:
    """What a person needs to approve a sign-in: shown by the UI through ``on_pending``.

    The device code itself stays inside ``device_flow``; nothing here is secret.

    :param user_code: the code the person checks on the page (``ABCD-EFGH``).
    :param verification_uri: the page where the code is typed in.
    :param verification_uri_complete: the same page with the code filled in: the link to
        show, so that confirming is one click.
    :param expires_at: when the code stops working (UTC); a countdown shows it.
    :param interval: seconds between polls, as IAM Identity Center asked.
    :param start_url: the access portal being signed in to, to say which organisation asks.
    :param session_name: the sso-session being signed in to, if any.
    """

    user_code: str
    verification_uri: str
    verification_uri_complete: str
    expires_at: datetime
    interval: int
    start_url: str = ""
    session_name: str | None = None

    def seconds_left(self, now: datetime | None = None) -> float:
        """What a countdown shows; negative once the code has expired.

        :param now: the time to count from (UTC); None means now, a test passes a fixed one.
        :returns: seconds until :attr:`expires_at`.
        """
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
    """An AWS account the sign-in may use, as the access portal lists it.

    :param account_id: the 12-digit account id.
    :param name: the account's name in AWS Organizations (empty when the portal gave none).
    :param email: the account's root e-mail address, which tells same-named accounts apart.
    """

    account_id: str
    name: str = ""
    email: str = ""


@dataclass(frozen=True)
class Role:
    """An account/role pair the sign-in may use: what a profile is written for.

    The account's name and e-mail travel with the role so that a picker can show and search
    them without a second lookup.

    :param account_id: the 12-digit account id.
    :param role_name: the role (permission set) name, ``sso_role_name`` in a profile.
    :param account_name: the account's name, for people to recognise it.
    :param account_email: the account's e-mail address.
    """

    account_id: str
    role_name: str
    account_name: str = ""
    account_email: str = ""


@dataclass(frozen=True)
class LoginStatus:
    """One sign-in (an sso-session or a legacy start URL) and the profiles that share it.

    Status is per sign-in, not per profile, because one token serves every profile of a
    session: signing out of one signs out of all of them.

    :param session_name: the sso-session, or None for a legacy profile's own start URL.
    :param start_url: the access portal URL the token was issued for.
    :param region: the region of that IAM Identity Center.
    :param expires_at: when the cached token ends (UTC), or None when there is none.
    :param profiles: the profiles that use this sign-in, chained ones included.
    :param refreshable: whether botocore can renew the token without a new device sign-in.
    """

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
        """What a status line shows (``7h12m``); never negative, so an ended one shows 0.

        :param now: the time to count from (UTC); None means now.
        :returns: the time until :attr:`expires_at`, or zero.
        """
        if self.expires_at is None:
            return timedelta(0)
        return max(self.expires_at - (now or utcnow()), timedelta(0))

    @property
    def key(self) -> str:
        """The name used for this sign-in in the UI: the session name, else the start URL."""
        return self.session_name or self.start_url
