"""The JSON the REST API answers with, built field by field from the core's values.

Only names, start URLs, regions, user codes, verification links and times leave the server.
Nothing here serialises a whole object (a ``Token`` or a job), so a field added to a core type
later cannot leak through the API by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core.api import ProfileStatus
from ..core.clients import env_profile
from ..core.models import LoginStatus
from ..core.token_cache import TokenCache
from ..core.vocabulary import iso_time
from .signins import SignInJob

__all__ = ["StatusInputs", "iso", "job_view", "status_view"]


def iso(value: datetime | None) -> str | None:
    """UTC ISO 8601 with a ``Z``, the form JavaScript's ``Date`` parses everywhere."""
    if value is None:
        return None
    return iso_time(value)


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


@dataclass(frozen=True)
class StatusInputs:
    """What the status answer is computed from (gathered off the event loop)."""

    logins: list[LoginStatus]
    profiles: list[ProfileStatus]
    signed_in_at: dict[str, float]  # sign-in key -> mtime of its token file
    now: datetime

    @classmethod
    def gather(cls) -> StatusInputs:
        from ..core import api

        logins = api.status()
        cache = TokenCache()
        signed_in_at = {}
        for login in logins:
            mtime = _mtime(cache.token_path(login.session_name, login.start_url))
            if mtime is not None:
                signed_in_at[login.key] = mtime
        return cls(logins, api.profiles(), signed_in_at, datetime.now(UTC))


def _session_view(login: LoginStatus, inputs: StatusInputs) -> dict[str, Any]:
    signed_in_at = inputs.signed_in_at.get(login.key)
    return {
        "key": login.key,
        "name": login.session_name,
        "startUrl": login.start_url,
        "region": login.region,
        "expiresAt": iso(login.expires_at),
        "signedIn": login.expires_at is not None and login.expires_at > inputs.now,
        "refreshable": login.refreshable,
        "profiles": list(login.profiles),
        "lastSignIn": (
            iso(datetime.fromtimestamp(signed_in_at, UTC)) if signed_in_at is not None else None
        ),
    }


def _profile_key(status: ProfileStatus) -> str | None:
    """The sign-in a profile uses: its own, or (chained) its SSO root's."""
    if status.login is not None:
        return status.login.key
    prof = status.profile
    return prof.sso_session or prof.start_url


def _signs_in(status: ProfileStatus) -> bool:
    """SSO profiles, and chained ones whose chain ends at one (shown through their root)."""
    return status.profile.is_sso or status.via is not None


def _in_use(
    inputs: StatusInputs, requested: str | None, last_profile: str | None
) -> dict[str, Any] | None:
    """Which profile the status bar shows, and why.

    The kernel's ``AWS_PROFILE`` is invisible to the server, so the page asks the current
    kernel and sends it (or the profile pinned in its settings) as ``requested``: that one when
    it is an SSO profile; else the sign-in whose token was written last (with the profile last
    signed in through the server, or the server's own ``AWS_PROFILE``, if either belongs to
    it); else the last profile signed in here, or ``AWS_PROFILE``, or ``default``, shown as
    signed out.
    """
    sso = {status.profile.name: status for status in inputs.profiles if _signs_in(status)}
    environment = env_profile()

    def view(name: str, source: str) -> dict[str, Any]:
        return {"profile": name, "key": _profile_key(sso[name]), "source": source}

    if requested and requested in sso:
        return view(requested, "request")
    if inputs.signed_in_at:
        recent = max(inputs.signed_in_at, key=lambda key: inputs.signed_in_at[key])
        members = [name for name, status in sso.items() if _profile_key(status) == recent]
        for candidate, source in ((last_profile, "recent"), (environment, "environment")):
            if candidate in members:
                return view(candidate, source)
        if members:
            return view(members[0], "recent")
    for candidate, source in (
        (last_profile, "recent"),
        (environment, "environment"),
        ("default", "default"),
    ):
        if candidate and candidate in sso:
            return view(candidate, source)
    return None


def status_view(
    inputs: StatusInputs, *, requested: str | None = None, last_profile: str | None = None
) -> dict[str, Any]:
    return {
        "now": iso(inputs.now),
        "sessions": [_session_view(login, inputs) for login in inputs.logins],
        "profiles": [
            {
                "name": status.profile.name,
                "key": _profile_key(status),
                "accountId": status.profile.account_id,
                "roleName": status.profile.role_name,
                "region": status.profile.region,
                "via": status.via,
                "roleArn": status.profile.role_arn,
            }
            for status in inputs.profiles
            if _signs_in(status)
        ],
        "inUse": _in_use(inputs, requested, last_profile),
    }


def job_view(job: SignInJob, *, joined: bool = False) -> dict[str, Any]:
    authorization = job.authorization
    view: dict[str, Any] = {
        "id": job.id,
        "key": job.key,
        "profile": job.profile,
        "state": job.state,
        "joined": joined,
        "userCode": None,
        "verificationUri": None,
        "verificationUriComplete": None,
        "expiresAt": None,
        "message": job.message or None,
        "sessionExpiresAt": iso(job.result.expires_at) if job.result else None,
    }
    if authorization is not None:
        view.update(
            userCode=authorization.user_code,
            verificationUri=authorization.verification_uri,
            verificationUriComplete=authorization.verification_uri_complete,
            expiresAt=iso(authorization.expires_at),
        )
    return view
