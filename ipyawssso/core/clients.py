"""botocore clients for IAM Identity Center, made the way botocore's own SSO code makes them.

One place decides timeouts and retries so every network wait is bounded: sso-oidc and sso are
unsigned (they authenticate with client secrets and bearer tokens, not SigV4), and endpoint
overrides (``AWS_ENDPOINT_URL_SSO_OIDC``, ``AWS_ENDPOINT_URL_SSO``) are honoured by botocore
itself.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import botocore.session
from botocore import UNSIGNED
from botocore.config import Config

__all__ = ["botocore_session", "client", "env_profile"]

CONNECT_TIMEOUT = 5
READ_TIMEOUT = 20

_lock = threading.Lock()

#: botocore's own order (``configprovider``: ``'profile'``): the older name wins when both are set.
_PROFILE_VARIABLES = ("AWS_DEFAULT_PROFILE", "AWS_PROFILE")


def env_profile() -> str | None:
    """The profile the environment names, as boto3 reads it, so ``profile=None`` here and
    ``boto3.Session()`` never disagree; None when neither variable is set (or both are empty)."""
    for name in _PROFILE_VARIABLES:
        value = os.environ.get(name)
        if value:
            return value
    return None


def botocore_session(profile: str | None = None) -> botocore.session.Session:
    """A fresh botocore session that tolerates an ``AWS_PROFILE`` which does not exist yet.

    Users often export ``AWS_PROFILE=ai-dev`` before the first sign-in creates that profile;
    botocore would refuse to make any client then, even an unsigned one.
    """
    with _lock:
        session = botocore.session.Session()
        available = set(session.available_profiles)
        wanted = profile or env_profile()
        if wanted and wanted in available:
            session.set_config_variable("profile", wanted)
        elif wanted:
            session.set_config_variable("profile", "default")
        return session


def client(
    service: str,
    region: str,
    *,
    signed: bool = False,
    max_attempts: int = 3,
    read_timeout: float = READ_TIMEOUT,
    profile: str | None = None,
    session: botocore.session.Session | None = None,
) -> Any:
    config = Config(
        region_name=region,
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=read_timeout,
        # total_max_attempts counts the first request; botocore's "max_attempts" counts only
        # the retries, which made a "single attempt" client try twice.
        retries={"mode": "standard", "total_max_attempts": max_attempts},
        signature_version=None if signed else UNSIGNED,
    )
    return (session or botocore_session(profile)).create_client(service, config=config)
