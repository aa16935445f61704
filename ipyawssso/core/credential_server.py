"""A per-process credential endpoint in the container-credentials format every AWS SDK reads.

Tools that cannot use an SSO profile (DuckDB, Polars, pyarrow, Spark's JVM, R, Node, the
AWS CLI v1) all read ``AWS_CONTAINER_CREDENTIALS_FULL_URI`` and
``AWS_CONTAINER_AUTHORIZATION_TOKEN``, as on ECS and EKS. ``serve_credentials(profile)``
starts one loopback HTTP server per process and profile that answers with the role keys the
profile resolves to, so those tools get fresh keys without a key ever sitting in an
environment variable, a notebook or a log.

Rules it keeps:

- Binds 127.0.0.1 only, on a free port. A request must carry the random token (32 bytes,
  compared in constant time) and a loopback ``Host`` (against DNS rebinding); otherwise it
  gets 401 or 403 with an empty body and nothing else.
- Keys come from ``api.session(profile)`` (botocore's refreshing provider, chained profiles
  included). They are served from memory while they have more than ``REFRESH_MARGIN`` left,
  the sign-in was confirmed in the last ``RECHECK_SECONDS`` and the SSO token cache folder
  did not change (a logout or a new sign-in anywhere changes it); otherwise one request
  re-resolves them while the others wait for its answer.
- When the sign-in has ended the answer is an error whose message says which login to run,
  never stale keys. Nothing is logged; the server stops with the process.
"""

from __future__ import annotations

import atexit
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .errors import PYTHON, IpyAwsSsoError, LoginRequired, NextStep, Wording
from .vocabulary import iso_time

__all__ = [
    "AUTHORIZATION_ENV",
    "FULL_URI_ENV",
    "CredentialServer",
    "Keys",
    "running_servers",
    "serve_credentials",
    "stop_serving",
]

FULL_URI_ENV = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
AUTHORIZATION_ENV = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
#: Keys with less than this left are renewed before they are served: botocore's role-key
#: cache renews at 15 minutes left, and so does every SDK's copy of what we serve.
REFRESH_MARGIN = 15 * 60
#: How often the sign-in behind cached keys is confirmed again (a sign-in can end by time).
RECHECK_SECONDS = 10.0
#: Keys from a profile without an expiry (static keys) are re-read this often by the SDKs.
STATIC_LIFETIME = 3600
_PATH = "/credentials"
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class Keys:
    """Role keys and their expiry; ``repr`` shows neither secret."""

    access_key_id: str
    secret_access_key: str
    session_token: str | None
    expires_at: datetime

    def __repr__(self) -> str:
        return f"Keys(access_key_id={self.access_key_id!r}, expires_at={self.expires_at})"


def resolve_keys(profile: str) -> Keys:
    """The profile's current role keys through ``api.session`` (never prompts).

    Raises :class:`LoginRequired` when the sign-in has ended, and other ipyawssso errors with
    a one-line message for anything else that keeps the keys from being resolved.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    from .api import session

    try:
        creds = session(profile).get_credentials()
        if creds is None:
            raise LoginRequired(profile, "no credentials are configured for it")
        frozen = creds.get_frozen_credentials()
    except IpyAwsSsoError:
        raise
    except BotoCoreError as exc:
        name = type(exc).__name__
        if name in {"UnauthorizedSSOTokenError", "SSOTokenLoadError", "TokenRetrievalError"}:
            raise LoginRequired(profile, "the sign-in ended") from None
        raise _CannotResolve(profile, name) from None
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        if code in {"UnauthorizedException", "ExpiredToken", "InvalidClientTokenId"}:
            raise LoginRequired(profile, "the sign-in ended") from None
        raise _CannotResolve(profile, code) from None
    # botocore keeps the expiry private; a provider without one (static keys) has none.
    expiry = getattr(creds, "_expiry_time", None)
    if not isinstance(expiry, datetime):
        expiry = datetime.now(UTC) + timedelta(seconds=STATIC_LIFETIME)
    return Keys(frozen.access_key, frozen.secret_key, frozen.token, expiry.astimezone(UTC))


class _CannotResolve(IpyAwsSsoError):
    def __init__(self, profile: str, what: str) -> None:
        self.profile = profile
        self.what = what
        super().__init__(
            f"Could not get credentials for the profile {profile!r} ({what}). ",
            NextStep("whoami", profile, lead="check it with"),
            ", or ",
            NextStep("login", profile, lead="sign in again with"),
            ".",
        )


def _cache_stamp() -> tuple[int, int] | None:
    """Changes whenever a token file is written or deleted in the SSO cache folder."""
    from .token_cache import sso_cache_dir

    try:
        st = os.stat(sso_cache_dir())
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ino)


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    fresh_until: float  # time.monotonic() after which the sign-in is checked again
    stamp: tuple[int, int] | None


class _KeySource:
    """Cached answers for one profile, renewed by one request at a time."""

    def __init__(
        self,
        profile: str,
        resolve: Callable[[str], Keys],
        *,
        recheck: float = RECHECK_SECONDS,
        margin: float = REFRESH_MARGIN,
        wording: Wording = PYTHON,
    ) -> None:
        self.profile = profile
        self._resolve = resolve
        self._wording = wording
        self._recheck = recheck
        self._margin = margin
        self._answer: _Answer | None = None
        self._lock = threading.Lock()

    def answer(self) -> tuple[int, bytes]:
        current = self._answer
        if current is not None and self._still_good(current):
            return current.status, current.body
        with self._lock:
            current = self._answer
            if current is not None and self._still_good(current):
                return current.status, current.body
            current = self._renew()
            self._answer = current
            return current.status, current.body

    def forget(self) -> None:
        with self._lock:
            self._answer = None

    @staticmethod
    def _still_good(answer: _Answer) -> bool:
        return time.monotonic() < answer.fresh_until and _cache_stamp() == answer.stamp

    def _renew(self) -> _Answer:
        stamp = _cache_stamp()
        try:
            keys = self._resolve(self.profile)
        except IpyAwsSsoError as exc:
            code = "LoginRequired" if isinstance(exc, LoginRequired) else "CredentialsUnavailable"
            body = json.dumps({"Code": code, "Message": exc.worded(self._wording)}).encode()
            # An error is re-checked on the next request: a new sign-in must work at once.
            return _Answer(503, body, 0.0, stamp)
        left = (keys.expires_at - datetime.now(UTC)).total_seconds()
        body = json.dumps(
            {
                "AccessKeyId": keys.access_key_id,
                "SecretAccessKey": keys.secret_access_key,
                "Token": keys.session_token or "",
                "Expiration": iso_time(keys.expires_at),
            }
        ).encode()
        if left <= 0:
            return _Answer(
                503,
                json.dumps(
                    {
                        "Code": "ExpiredCredentials",
                        "Message": LoginRequired(self.profile, "its keys expired").worded(
                            self._wording
                        ),
                    }
                ).encode(),
                0.0,
                stamp,
            )
        # Keys inside the margin are still served (botocore just gave them) but not cached.
        fresh_for = min(self._recheck, left - self._margin)
        return _Answer(200, body, time.monotonic() + fresh_for, stamp)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False

    def __init__(self, source: _KeySource, token: str) -> None:
        self.source = source
        self.token = token.encode()
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ipyawssso-credentials"
    sys_version = ""
    timeout = 30
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        status, body = self._decide()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(body)

    do_POST = do_PUT = do_DELETE = do_GET

    def _decide(self) -> tuple[int, bytes]:
        host = (self.headers.get("Host") or "").strip().lower()
        port = str(self.server.server_address[1])
        if host not in {*_LOOPBACK_HOSTS, *(f"{h}:{port}" for h in _LOOPBACK_HOSTS)}:
            return 403, b""
        given = self.headers.get("Authorization")
        if not given:
            return 401, b""
        if not hmac.compare_digest(given.strip().encode(), self.server.token):
            return 403, b""
        if self.command != "GET" or self.path.split("?", 1)[0] != _PATH:
            return 404, b""
        return self.server.source.answer()

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: a log line could carry a header, and headers carry the token."""


class CredentialServer:
    """One running endpoint; ``env`` holds the two variables that point SDKs at it.

    The token is part of ``env`` (SDKs need it) but never of ``repr``. Use
    :func:`serve_credentials`, which reuses a running endpoint for the same profile; the
    constructor starts a new one each time and is the seam tests use.

    :param profile: the profile whose role keys it serves.
    :param resolve: gets the profile's current keys (never prompts); the default goes
        through :func:`ipyawssso.session`.
    :param recheck: how often, in seconds, the sign-in behind served keys is confirmed again.
    :param wording: the words of the front end that started it, for the login an error
        answer asks for (the magic's ``%aws_sso login``, a terminal's ``ipyawssso login``);
        Python calls by default.
    :raises OSError: no loopback port could be bound.
    """

    #: The profile whose role it serves.
    profile: str
    #: Where it answers: ``http://127.0.0.1:PORT/credentials``.
    url: str

    def __init__(
        self,
        profile: str,
        *,
        resolve: Callable[[str], Keys] = resolve_keys,
        recheck: float = RECHECK_SECONDS,
        wording: Wording = PYTHON,
    ) -> None:
        self.profile = profile
        self._token = secrets.token_urlsafe(32)
        self._source = _KeySource(profile, resolve, recheck=recheck, wording=wording)
        self._server: _Server | None = _Server(self._source, self._token)
        port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{port}{_PATH}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name=f"ipyawssso-credentials:{port}",
            daemon=True,
        )
        self._thread.start()

    @property
    def env(self) -> dict[str, str]:
        """``AWS_CONTAINER_CREDENTIALS_FULL_URI`` and ``AWS_CONTAINER_AUTHORIZATION_TOKEN``:
        give them to a process you start (``--serve`` puts them in ``os.environ``)."""
        return {FULL_URI_ENV: self.url, AUTHORIZATION_ENV: self._token}

    @property
    def running(self) -> bool:
        """Whether it still answers (``stop`` was not called)."""
        return self._server is not None

    def stop(self) -> None:
        """Stops answering at once; a tool that still holds the URL gets connection refused,
        never stale keys. Calling it again does nothing."""
        server, self._server = self._server, None
        if server is None:
            return
        self._source.forget()
        server.shutdown()
        server.server_close()
        self._thread.join(timeout=5)
        with _LOCK:
            if _SERVERS.get(self.profile) is self:
                del _SERVERS[self.profile]

    def __repr__(self) -> str:
        state = self.url if self.running else "stopped"
        return f"<CredentialServer profile={self.profile!r} {state}>"


_SERVERS: dict[str, CredentialServer] = {}
_LOCK = threading.Lock()


def serve_credentials(profile: str | None = None, *, wording: Wording = PYTHON) -> CredentialServer:
    """Start (or reuse) this process's credential endpoint for ``profile``.

    ``profile=None`` means what ``boto3.Session()`` would use (``AWS_DEFAULT_PROFILE``, else
    ``AWS_PROFILE``, else ``default``). The profile must exist; its
    sign-in need not be valid yet (requests answer "run login" until it is).

    :param profile: the profile whose role keys the endpoint serves.
    :param wording: how an error answer words the login it asks for: Python calls, or the
        words of the front end that starts it (the magic and the terminal command pass
        theirs). An endpoint that is reused keeps the words it was started with.
    :returns: the running endpoint; give its ``env`` to the process that needs the keys,
        and call ``stop()`` when done. A second call for the same profile returns the same one.
    :raises ProfileNotFound: the profile is not in the config or credentials file.
    :raises ConfigError: the config file cannot be read.
    """
    from .api import profile_name
    from .aws_config import AwsConfig

    name = profile_name(profile)
    AwsConfig.load().profile(name)  # ProfileNotFound early, with the command to create it
    with _LOCK:
        existing = _SERVERS.get(name)
        if existing is not None and existing.running:
            return existing
        server = CredentialServer(name, wording=wording)
        _SERVERS[name] = server
        return server


def running_servers() -> list[CredentialServer]:
    with _LOCK:
        return [s for s in _SERVERS.values() if s.running]


def stop_serving(profile: str | None = None) -> list[str]:
    """Stop the endpoint for ``profile`` (every one when None); returns the profiles stopped."""
    with _LOCK:
        chosen = [s for n, s in _SERVERS.items() if profile is None or n == profile]
    for server in chosen:
        server.stop()
    return [s.profile for s in chosen]


atexit.register(stop_serving)
