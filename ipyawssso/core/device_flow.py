"""The OAuth 2.0 device authorization grant (RFC 8628) against IAM Identity Center's sso-oidc.

Protocol only: no printing and no UI. The caller learns the code through ``on_pending`` and
shows it however it likes (a card, a widget, a REST answer). Only the registration and the
resulting token are persisted, through :class:`~.token_cache.TokenCache`, in the CLI's formats.

Where this differs from the AWS CLI, on purpose:
- the poll stops at the device code's own expiry (RFC 8628 §3.5); the CLI polls forever;
- every wait (each sleep, each HTTP call) is cancellable through a ``threading.Event`` and ends
  within a fraction of a second of ``cancel.set()``;
- a transient 5xx or connection failure while polling is retried until the deadline instead of
  ending the sign-in, so one bad answer does not waste the code the user is typing.

Clock, monotonic time and sleep are constructor arguments so tests drive time themselves.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from . import clients
from .answers import (
    MAX_SECRET,
    PARSE_FAILURES,
    answer_link,
    answer_number,
    answer_text,
    malformed,
)
from .aws_config import validate_start_url
from .cancellable import DeadlinePassed, run_cancellable
from .errors import AccessDenied, LoginCancelled, LoginExpired, LoginTimeout, ServiceError
from .models import DeviceAuthorization, Registration, SsoSession, Token, utcnow
from .token_cache import TokenCache

__all__ = ["GRANT_TYPE", "DeviceFlow", "SignInTarget"]

#: RFC 8628 §3.4: the device code grant type.
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code"
#: RFC 8628 §3.5: default polling interval when the server sends none, and the SlowDown step.
DEFAULT_INTERVAL = 5
SLOW_DOWN_STEP = 5
#: Like the CLI: a cached registration that expires within this window is replaced.
REGISTRATION_REFRESH_WINDOW = timedelta(minutes=15)
#: Transient failures while polling back off up to this many seconds.
MAX_ERROR_BACKOFF = 30
#: Bounds on what StartDeviceAuthorization and CreateToken may answer (seconds).
MAX_CODE_LIFETIME = 24 * 3600
MAX_INTERVAL = 600
MAX_TOKEN_LIFETIME = 400 * 24 * 3600
_USER_CODE = re.compile(r"[A-Za-z0-9-]{4,64}")

T = TypeVar("T")


@dataclass(frozen=True)
class SignInTarget:
    """What to sign in to: an sso-session (modern) or a bare start URL (legacy profile)."""

    start_url: str
    region: str
    session_name: str | None = None
    scopes: tuple[str, ...] | None = None

    @classmethod
    def for_session(cls, session: SsoSession) -> SignInTarget:
        """An ``[sso-session]``; no scopes registers without any, as the CLI does."""
        return cls(session.start_url, session.region, session.name, session.scopes or None)


def _wait(seconds: float, cancel: threading.Event) -> None:
    cancel.wait(seconds)


class DeviceFlow:
    """Runs one device sign-in; ``client_factory(region)`` makes the sso-oidc client."""

    def __init__(
        self,
        cache: TokenCache | None = None,
        *,
        client_factory: Callable[[str], Any] | None = None,
        clock: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float, threading.Event], None] = _wait,
    ) -> None:
        self._cache = cache or TokenCache()
        self._client_factory = client_factory or (lambda region: clients.client("sso-oidc", region))
        self._now = clock
        self._monotonic = monotonic
        self._sleep = sleep

    def run(
        self,
        target: SignInTarget,
        *,
        on_pending: Callable[[DeviceAuthorization], None] | None = None,
        cancel: threading.Event | None = None,
        timeout: float | None = None,
    ) -> Token:
        validate_start_url(target.start_url)
        cancel = cancel or threading.Event()
        started = self._monotonic()
        client = self._client_factory(target.region)
        overall = None if timeout is None else started + timeout
        try:
            registration, reused = self._registration(client, target, cancel, overall)
            try:
                response = self._start(client, registration, target, cancel, overall)
            except _Refused as refused:
                if not (reused and refused.code == "InvalidClientException"):
                    raise
                # The cached registration ended early (revoked, or a clock off by days): like
                # an expired one, it is replaced rather than reported.
                registration, _ = self._registration(client, target, cancel, overall, fresh=True)
                response = self._start(client, registration, target, cancel, overall)
        except _Refused as refused:
            raise _service_error(refused.error) from None
        except DeadlinePassed:
            raise LoginTimeout(timeout or 0) from None
        operation = "StartDeviceAuthorization"
        expires_in = answer_number(
            response, "expiresIn", operation, minimum=1, maximum=MAX_CODE_LIFETIME, default=600
        )
        interval = answer_number(
            response,
            "interval",
            operation,
            minimum=1,
            maximum=MAX_INTERVAL,
            default=DEFAULT_INTERVAL,
        )
        device_code = answer_text(response, "deviceCode", operation)
        user_code = answer_text(response, "userCode", operation, pattern=_USER_CODE)
        verification_uri = answer_link(response, "verificationUri", operation, required=True)
        complete = answer_link(response, "verificationUriComplete", operation, required=False)
        auth = DeviceAuthorization(
            user_code=str(user_code),
            verification_uri=str(verification_uri),
            verification_uri_complete=complete or str(verification_uri),
            expires_at=self._now() + timedelta(seconds=expires_in),
            interval=interval,
            start_url=target.start_url,
            session_name=target.session_name,
        )
        if on_pending is not None:
            on_pending(auth)

        deadline = started + expires_in if timeout is None else started + min(timeout, expires_in)
        raw = self._poll(
            client,
            registration,
            str(device_code),
            interval,
            deadline,
            cancel,
            timeout,
            started + expires_in,
        )
        token = Token(
            start_url=target.start_url,
            region=target.region,
            access_token=str(answer_text(raw, "accessToken", "CreateToken")),
            expires_at=self._now()
            + timedelta(
                seconds=answer_number(
                    raw,
                    "expiresIn",
                    "CreateToken",
                    minimum=1,
                    maximum=MAX_TOKEN_LIFETIME,
                    default=3600,
                )
            ),
            client_id=registration.client_id,
            client_secret=registration.client_secret,
            registration_expires_at=registration.expires_at,
            refresh_token=answer_text(raw, "refreshToken", "CreateToken", required=False),
        )
        self._cache.save_token(target.session_name, token)
        return token

    # --- steps ----------------------------------------------------------------------------

    def _start(
        self,
        client: Any,
        registration: Registration,
        target: SignInTarget,
        cancel: threading.Event,
        deadline: float | None,
    ) -> dict[str, Any]:
        return self._call(
            cancel,
            lambda: client.start_device_authorization(
                clientId=registration.client_id,
                clientSecret=registration.client_secret,
                startUrl=target.start_url,
            ),
            "StartDeviceAuthorization",
            deadline=deadline,
        )

    def _registration(
        self,
        client: Any,
        target: SignInTarget,
        cancel: threading.Event,
        deadline: float | None,
        *,
        fresh: bool = False,
    ) -> tuple[Registration, bool]:
        """The registration to use, and whether it came from the cache."""
        cached = None
        if not fresh:
            cached = self._cache.load_registration(
                target.start_url, target.region, target.scopes, target.session_name
            )
        if cached is not None:
            registration, raw = cached
            pkce = "authorization_code" in (raw.get("grantTypes") or [])
            if not pkce and registration.expires_at - self._now() > REGISTRATION_REFRESH_WINDOW:
                return registration, True

        kwargs: dict[str, Any] = {
            "clientName": _client_name(target.session_name, self._now()),
            "clientType": "public",
        }
        if target.scopes:
            kwargs["scopes"] = list(target.scopes)
        response = self._call(
            cancel, lambda: client.register_client(**kwargs), "RegisterClient", deadline=deadline
        )
        operation = "RegisterClient"
        registration = Registration(
            client_id=str(answer_text(response, "clientId", operation, max_len=MAX_SECRET)),
            client_secret=str(answer_text(response, "clientSecret", operation)),
            expires_at=datetime.fromtimestamp(
                answer_number(
                    response, "clientSecretExpiresAt", operation, minimum=1, maximum=2**37
                ),
                tz=self._now().tzinfo,
            ),
            scopes=target.scopes,
        )
        self._cache.save_registration(
            target.start_url, target.region, target.scopes, target.session_name, registration
        )
        return registration, False

    def _poll(
        self,
        client: Any,
        registration: Registration,
        device_code: str,
        interval: int,
        deadline: float,
        cancel: threading.Event,
        timeout: float | None,
        code_expiry: float,
    ) -> dict[str, Any]:
        error_backoff = interval
        failing: str | None = None  # what the last poll failed with, while it keeps failing
        while True:
            remaining = deadline - self._monotonic()
            if remaining <= 0:
                raise self._deadline_error(timeout, code_expiry, failing)
            self._sleep(min(interval, remaining), cancel)
            if cancel.is_set():
                raise LoginCancelled()
            try:
                return self._call(
                    cancel,
                    lambda: client.create_token(
                        clientId=registration.client_id,
                        clientSecret=registration.client_secret,
                        grantType=GRANT_TYPE,
                        deviceCode=device_code,
                    ),
                    "CreateToken",
                    transient_ok=True,
                    deadline=deadline,
                )
            except DeadlinePassed:
                raise self._deadline_error(timeout, code_expiry, failing) from None
            except _Transient as transient:
                # RFC 8628 leaves transport failures to the client: keep the code alive.
                failing = transient.what
                self._sleep(min(error_backoff, max(deadline - self._monotonic(), 0)), cancel)
                error_backoff = min(error_backoff * 2, MAX_ERROR_BACKOFF)
                continue
            except _Refused as refused:
                exc = refused.error
                failing = None
                code = exc.response.get("Error", {}).get("Code", "")
                if code == "AuthorizationPendingException":
                    continue
                if code == "SlowDownException":
                    interval += SLOW_DOWN_STEP
                    continue
                if code == "ExpiredTokenException":
                    raise LoginExpired() from None
                if code == "AccessDeniedException":
                    raise AccessDenied() from None
                raise _service_error(exc) from None

    def _deadline_error(
        self, timeout: float | None, code_expiry: float, failing: str | None = None
    ) -> Exception:
        if failing is not None:
            # The wait ran out while the service kept failing: that, not the code, is the news.
            return ServiceError(
                f"IAM Identity Center kept failing ({failing}) while waiting for your approval. "
                "Try again in a few minutes; if it persists, check your network or proxy.",
                operation="CreateToken",
            )
        if timeout is not None and self._monotonic() < code_expiry:
            return LoginTimeout(timeout)
        return LoginExpired()

    def _call(
        self,
        cancel: threading.Event,
        fn: Callable[[], T],
        operation: str,
        *,
        transient_ok: bool = False,
        deadline: float | None = None,
    ) -> T:
        """Run one HTTP call in a worker so that ``cancel`` (or ``deadline``, a monotonic
        time) interrupts even a hung request.

        The worker may outlive a cancel by up to the client's read timeout; it holds nothing
        but its own response. A refusal (4xx) comes back as :class:`_Refused`.
        """
        try:
            return run_cancellable(
                fn, cancel, deadline=deadline, monotonic=self._monotonic, name="ipyawssso-oidc"
            )
        except ClientError as exc:
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if status >= 500:
                if transient_ok:
                    raise _Transient(f"HTTP {status}") from None
                raise _service_error(exc) from None
            raise _Refused(exc) from None
        except BotoCoreError as exc:
            if transient_ok:
                raise _Transient(type(exc).__name__) from None
            raise ServiceError(
                f"Could not reach IAM Identity Center ({type(exc).__name__}). Check your "
                "network or proxy settings and the SSO region, then try again.",
                code=type(exc).__name__,
                operation=operation,
            ) from None
        except PARSE_FAILURES:
            # botocore's parser does not wrap a value of the wrong type in its own errors.
            raise malformed(operation, "wrong value types") from None


class _Transient(Exception):
    """A 5xx or transport failure that the poll loop retries; ``what`` names it."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class _Refused(Exception):
    """The service refused a call (4xx); ``error`` is botocore's ClientError."""

    def __init__(self, error: ClientError) -> None:
        super().__init__(error.response.get("Error", {}).get("Code", ""))
        self.error = error
        self.code = str(self)


def _client_name(session_name: str | None, now: datetime) -> str:
    # The CLI's names: botocore-client-<session> or, for legacy profiles, a timestamp.
    return f"botocore-client-{session_name or int(now.timestamp())}"


def _service_error(exc: ClientError) -> ServiceError:
    error = exc.response.get("Error", {})
    code = error.get("Code") or "Error"
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "?")
    operation = getattr(exc, "operation_name", "the request")
    hint = (
        "Check the start URL and SSO region with your AWS administrator"
        if code
        in {"InvalidClientException", "InvalidRequestException", "UnauthorizedClientException"}
        else "Try again in a minute"
    )
    return ServiceError(
        f"IAM Identity Center refused {operation} ({code}, HTTP {status}). {hint}.",
        code=code,
        operation=getattr(exc, "operation_name", None),
    )
