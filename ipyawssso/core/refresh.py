"""Renew an SSO access token through its refresh token, as botocore does, without a browser.

botocore only refreshes tokens of ``sso_session`` profiles and only when a client needs one; we
also refresh legacy start-URL tokens the CLI v2 wrote with a refresh token, and do it up front
so ``session()`` can say "sign in again" right away instead of failing at the first API call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from . import clients
from .answers import PARSE_FAILURES, answer_number, answer_text
from .errors import ServiceError
from .models import Token, utcnow
from .token_cache import TokenCache

__all__ = ["REFRESH_WINDOW", "refresh_token"]

#: botocore's own window: a token with less than this left is refreshed before use.
REFRESH_WINDOW = timedelta(minutes=15)


def refresh_token(
    token: Token,
    session_name: str | None,
    *,
    cache: TokenCache,
    client: Any = None,
    clock: Callable[[], datetime] = utcnow,
) -> Token | None:
    """Return a renewed token (already saved), or None when it cannot be renewed.

    None covers a missing refresh token, an expired client registration and a refusal by the
    service (a revoked refresh token): in every case the answer is a new sign-in.
    """
    now = clock()
    if not token.refreshable or token.registration_expires_at is None:
        return None
    if token.registration_expires_at <= now:
        return None
    sso_oidc = client or clients.client("sso-oidc", token.region)
    try:
        response = sso_oidc.create_token(
            grantType="refresh_token",
            clientId=token.client_id,
            clientSecret=token.client_secret,
            refreshToken=token.refresh_token,
        )
        operation = "CreateToken"
        access_token = str(answer_text(response, "accessToken", operation))
        lifetime = answer_number(
            response, "expiresIn", operation, minimum=1, maximum=400 * 24 * 3600, default=3600
        )
        new_refresh = answer_text(response, "refreshToken", operation, required=False)
    except (ClientError, BotoCoreError, ServiceError, *PARSE_FAILURES):
        return None
    renewed = Token(
        start_url=token.start_url,
        region=token.region,
        access_token=access_token,
        expires_at=now + timedelta(seconds=lifetime),
        client_id=token.client_id,
        client_secret=token.client_secret,
        registration_expires_at=token.registration_expires_at,
        refresh_token=new_refresh or token.refresh_token,
    )
    cache.save_token(session_name, renewed)
    return renewed
