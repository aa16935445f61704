"""boto3 sessions for SSO profiles that keep themselves fresh, plus whoami and logout.

A session is ``boto3.Session(profile_name=...)`` underneath, so botocore's own SSO provider
fetches role credentials and, through the refresh token, renews the access token: the session
outlives both. We only swap in that provider's caches so that role credentials land in
``~/.aws/cli/cache`` like the CLI's (stock boto3 keeps them in memory) and so that the cache
folders follow ``HOME`` at call time (botocore fixes them at import time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import boto3
import botocore.session
from botocore.credentials import AssumeRoleProvider, ProfileProviderBuilder, SSOProvider
from botocore.exceptions import BotoCoreError, ClientError
from botocore.tokens import SSOTokenProvider

from . import clients
from .answers import PARSE_FAILURES, malformed
from .errors import LoginRequired, ServiceError
from .models import Profile, Token
from .token_cache import TokenCache

__all__ = ["Identity", "build_session", "caller_identity", "revoke"]

#: Logout's revoke is best effort (the token file is deleted either way): a hung portal must
#: not hold ``logout()`` for the 20 s read timeout (two tries of 3 s at most).
REVOKE_TIMEOUT = 3.0


@dataclass(frozen=True)
class Identity:
    """Who a profile signs in as, as STS sees it; nothing secret.

    STS answers with the ARN alone; the account's name and the sign-in's expiry are added
    from the local role list and token so that one card says who, where and for how long.

    :param profile: the profile that was asked about.
    :param account_id: the account STS reports.
    :param role_name: the role's name, read from the assumed-role ARN.
    :param arn: the caller's ARN (``arn:aws:sts::ACCOUNT:assumed-role/ROLE/USER``).
    :param user_id: STS's ``UserId`` (role id and session name).
    :param region: the profile's default region, or None.
    :param account_name: the account's name from the access portal, or empty.
    :param expires_at: when the SSO sign-in ends (UTC), or None for a profile without one.
    :param via: for a chained profile, the SSO profile it signs in through (its chain's root).
    """

    profile: str
    account_id: str
    role_name: str
    arn: str
    user_id: str
    region: str | None
    account_name: str = ""
    expires_at: datetime | None = None
    via: str | None = None


def build_session(profile: Profile, cache: TokenCache | None = None) -> boto3.Session:
    cache = cache or TokenCache()
    bc = botocore.session.Session(profile=profile.name)
    resolver = bc.get_component("credential_provider")
    for index, provider in enumerate(resolver.providers):
        if profile.is_sso and provider.METHOD == SSOProvider.METHOD:
            resolver.providers[index] = _sso_provider(bc, profile.name, cache)
        elif profile.kind == "chained" and isinstance(provider, AssumeRoleProvider):
            _source_from_our_caches(bc, provider, cache)
    return boto3.Session(botocore_session=bc)


def _source_from_our_caches(
    bc: botocore.session.Session, provider: AssumeRoleProvider, cache: TokenCache
) -> None:
    """A chain's source profiles get the same caches as a profile of ours: role credentials
    in ``~/.aws/cli/cache`` and the token from ``~/.aws/sso/cache`` under the current HOME.

    botocore gives the assume-role provider a builder for the source profile's providers but
    no way to pass it the SSO token cache (``create_credential_resolver`` does not take one),
    so the builder it holds is replaced by an equal one that has it.
    """
    if not hasattr(provider, "_profile_provider_builder"):
        return  # a botocore without the attribute: its default caches still work
    provider._profile_provider_builder = ProfileProviderBuilder(
        bc,
        cache=cache.cli_json_cache(),
        region_name=bc.get_config_variable("region"),
        sso_token_cache=cache.sso_json_cache(),
    )


def _sso_provider(bc: botocore.session.Session, name: str, cache: TokenCache) -> SSOProvider:
    sso_tokens = cache.sso_json_cache()
    return SSOProvider(
        load_config=lambda: bc.full_config,
        client_creator=bc.create_client,
        profile_name=name,
        cache=cache.cli_json_cache(),
        token_cache=sso_tokens,
        token_provider=SSOTokenProvider(bc, cache=sso_tokens, profile_name=name),
    )


def caller_identity(session: boto3.Session, profile: Profile) -> Identity:
    region = profile.region or profile.sso_region or session.region_name or "us-east-1"
    try:
        answer = session.client("sts", region_name=region).get_caller_identity()
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in {"UnauthorizedException", "ExpiredToken", "InvalidClientTokenId"}:
            raise LoginRequired(profile.name, "the sign-in expired") from None
        if getattr(exc, "operation_name", "") == "GetRoleCredentials":
            raise ServiceError(
                f"The AWS access portal did not give role credentials for {profile.name!r} "
                f"({code}). Try again in a minute; if it persists, check the profile's account "
                "and role, or sign in again.",
                code=code,
                operation="GetRoleCredentials",
            ) from None
        raise ServiceError(
            f"AWS STS refused to say who {profile.name!r} is ({code}). Check the profile's "
            "account and role, or sign in again.",
            code=code,
            operation=getattr(exc, "operation_name", None),
        ) from None
    except BotoCoreError as exc:
        name = type(exc).__name__
        if name in {"UnauthorizedSSOTokenError", "SSOTokenLoadError", "TokenRetrievalError"}:
            raise LoginRequired(profile.name, "the sign-in expired") from None
        raise ServiceError(
            f"Could not ask AWS who {profile.name!r} is ({name}). Check your network and the "
            "profile's region, then try again.",
            code=name,
            operation="GetCallerIdentity",
        ) from None
    except PARSE_FAILURES:
        # botocore's SSO credential fetcher indexes the portal's answer without checking it.
        raise malformed("GetRoleCredentials", "role credentials missing") from None
    arn = answer["Arn"]
    role = profile.role_name or ""
    if ":assumed-role/" in arn:
        role = arn.split(":assumed-role/", 1)[1].split("/", 1)[0]
    return Identity(
        profile=profile.name,
        account_id=answer["Account"],
        role_name=role,
        arn=arn,
        user_id=answer["UserId"],
        region=profile.region,
    )


def revoke(token: Token) -> None:
    """Tell the portal the token is done (``sso.Logout``); an already dead token is fine."""
    try:
        clients.client("sso", token.region, max_attempts=2, read_timeout=REVOKE_TIMEOUT).logout(
            accessToken=token.access_token
        )
    except (ClientError, BotoCoreError):
        return
