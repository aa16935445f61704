"""A sign-in link to the AWS console for a profile's role, through the federation endpoint.

AWS's documented custom-broker flow: the role's temporary keys go to the partition's sign-in
host (``getSigninToken``), which answers a sign-in token; the link ``Action=login`` with that
token opens the console as the role, for 15 minutes, without a password.

That link is a bearer credential. :func:`console_url` returns it to a caller who opens it at
once (a browser window, never an output, a widget's state or a log); nothing here prints,
logs or caches it. ``AWS_ENDPOINT_URL_SIGNIN`` replaces the sign-in host (the sandbox uses it).
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request

from .errors import InvalidValueError, LoginRequired, ServiceError

__all__ = ["ENDPOINT_ENV", "console_destination", "console_url", "signin_endpoint"]

ENDPOINT_ENV = "AWS_ENDPOINT_URL_SIGNIN"
#: How long to wait for the sign-in host (it answers in well under a second).
TIMEOUT = 10.0
ISSUER = "ipyawssso"
_SERVICE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
# Partition by region prefix: sign-in host and console host.
_PARTITIONS = (
    ("cn-", "signin.amazonaws.cn", "console.amazonaws.cn"),
    ("us-gov-", "signin.amazonaws-us-gov.com", "console.amazonaws-us-gov.com"),
    ("", "signin.aws.amazon.com", "console.aws.amazon.com"),
)


def _partition(region: str | None) -> tuple[str, str]:
    for prefix, signin, console in _PARTITIONS:
        if (region or "").startswith(prefix):
            return signin, console
    raise AssertionError("the last partition matches every region")  # pragma: no cover


def signin_endpoint(region: str | None) -> str:
    """``https://signin.aws.amazon.com/federation`` for the region's partition."""
    override = os.environ.get(ENDPOINT_ENV)
    if override:
        return override.rstrip("/") + "/federation"
    return f"https://{_partition(region)[0]}/federation"


def console_destination(region: str | None, service: str | None = None) -> str:
    """The console page to land on: a service's home (``--service bedrock``) or the start."""
    host = _partition(region)[1]
    if service is not None and not _SERVICE.fullmatch(service):
        raise InvalidValueError(
            f"{service!r} is not a console service name. Give one like bedrock, s3 or sagemaker.",
            field="service",
            value=service,
        )
    if region:
        host = f"{region}.{host}"
    path = f"/{service}/home" if service else "/console/home"
    query = f"?region={region}" if region else ""
    return f"https://{host}{path}{query}"


def console_url(profile: str | None = None, *, service: str | None = None) -> str:
    """A one-time link that opens the AWS console as the profile's role (valid 15 min).

    Raises :class:`LoginRequired` when the sign-in has ended, :class:`ServiceError` when the
    sign-in host refuses or cannot be reached.
    """
    from .api import profile_name
    from .aws_config import AwsConfig
    from .credential_server import resolve_keys

    name = profile_name(profile)
    prof = AwsConfig.load().profile(name)
    region = prof.region or prof.sso_region
    keys = resolve_keys(name)
    if not keys.session_token:
        raise InvalidValueError(
            f"The profile {name!r} has long-term keys; the console federation needs a role's "
            "temporary keys. Use an SSO or role profile."
        )
    endpoint = signin_endpoint(region)
    session = json.dumps(
        {
            "sessionId": keys.access_key_id,
            "sessionKey": keys.secret_access_key,
            "sessionToken": keys.session_token,
        }
    )
    query = urllib.parse.urlencode({"Action": "getSigninToken", "Session": session})
    token = _signin_token(f"{endpoint}?{query}", name)
    login = urllib.parse.urlencode(
        {
            "Action": "login",
            "Issuer": ISSUER,
            "Destination": console_destination(region, service),
            "SigninToken": token,
        }
    )
    return f"{endpoint}?{login}"


_FEDERATION_CALL = "getSigninToken"


def _signin_token(url: str, profile: str) -> str:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=TIMEOUT) as answer:
            data = json.loads(answer.read(1 << 16))
    except urllib.error.HTTPError as error:
        if error.code in (400, 401, 403):
            raise LoginRequired(profile, "the console refused its keys") from None
        raise ServiceError(
            f"The AWS sign-in host answered HTTP {error.code} for the console link. Try again "
            "in a minute.",
            code=f"HTTP {error.code}",
            operation=_FEDERATION_CALL,
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError):
        raise ServiceError(
            "Could not reach the AWS sign-in host for the console link. Check your network "
            "(and proxy), then try again.",
            operation=_FEDERATION_CALL,
        ) from None
    except ValueError:
        raise ServiceError(
            "The AWS sign-in host sent an answer that is not JSON.", operation=_FEDERATION_CALL
        ) from None
    token = data.get("SigninToken") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token:
        raise ServiceError(
            "The AWS sign-in host sent no sign-in token. Try again.", operation=_FEDERATION_CALL
        )
    return token


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """The keys go to the sign-in host only, never to wherever it redirects."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
