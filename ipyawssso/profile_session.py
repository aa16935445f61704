"""The injected session: a ``boto3.Session`` that shows who it is, never what it holds.

Its only change is how it shows itself: profile, account, role, region and sign-in time left.
A subclass (rather than a proxy) keeps ``isinstance(session, boto3.Session)`` true for
libraries that check it (LangChain's Bedrock classes do). It shares the original session's
botocore session, so credentials keep refreshing through the provider the core installed.
"""

from __future__ import annotations

import copy
from datetime import datetime
from html import escape

import boto3

from .core import api
from .core.models import utcnow
from .display import clean, format_time_left

__all__ = ["ProfileSession"]


class ProfileSession(boto3.Session):
    """A ``boto3.Session`` for one profile that shows who it is, not what it holds."""

    ipyawssso_profile: str = ""

    @classmethod
    def wrap(cls, session: boto3.Session, profile: str) -> ProfileSession:
        """The same session (same botocore session, same credential provider), relabelled."""
        wrapped = copy.copy(session)
        wrapped.__class__ = cls
        wrapped.ipyawssso_profile = profile
        return wrapped

    def describe(self) -> dict[str, str]:
        """Profile, account, role, region and sign-in time left, from the config and cache."""
        found = next((p for p in api.profiles() if p.profile.name == self.ipyawssso_profile), None)
        expires: datetime | None = found.login.expires_at if found and found.login else None
        prof = found.profile if found else None
        account = prof.account_id if prof else None
        role = prof.role_name if prof else None
        if prof is not None and prof.role_arn and not account:
            # A chained profile: the role it assumes, arn:aws:iam::ACCOUNT:role/path/NAME.
            parts = prof.role_arn.split(":")
            account = parts[4] if len(parts) > 5 else None
            role = prof.role_arn.rsplit("/", 1)[-1]
        return {
            "profile": self.ipyawssso_profile,
            "account": account or "-",
            "role": role or "-",
            "region": self.region_name or "-",
            "expires in": "-" if expires is None else format_time_left(expires - utcnow()),
        }

    def _describe_safely(self) -> dict[str, str]:
        try:
            return self.describe()
        except Exception:  # a repr must never raise, even with a broken config file
            return {"profile": self.ipyawssso_profile, "region": self.region_name or "-"}

    def __repr__(self) -> str:
        fields = self._describe_safely().items()
        shown = " ".join(f"{key.replace(' ', '_')}={clean(value)!r}" for key, value in fields)
        return f"<boto3.Session {shown}>"

    def _repr_html_(self) -> str:
        rows = "".join(
            f'<tr><th style="text-align:left;padding-right:12px">{escape(k)}</th>'
            f'<td style="text-align:left">{escape(clean(v))}</td></tr>'
            for k, v in self._describe_safely().items()
        )
        return f"<div><code>boto3.Session</code><table>{rows}</table></div>"
