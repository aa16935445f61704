"""What IAM Identity Center remembers, and the rules it applies: no HTTP in here.

Client registrations, device codes (RFC 8628: pending, approved, denied, used, expired; SlowDown
when polled faster than the advertised interval), sign-ins with their access and refresh
tokens, the account/role directory and the role credentials handed out for it. One lock guards
everything; every method is safe to call from the server's threads and from a test at once.

Expiry uses wall-clock seconds (what the wire speaks); poll spacing uses ``time.monotonic``.
Both clocks are constructor arguments so a test can drive time without sleeping.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import json
import math
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .adopt import CachedSecrets
from .config import (
    RUNTIME_KNOBS,
    SandboxConfig,
    account_count,
    account_index,
    directory_account,
    role_names_for,
)
from .errors import ApiError
from .hostile import hostile_account_name

__all__ = [
    "DEVICE_CODE_GRANT",
    "REFRESH_TOKEN_GRANT",
    "GrantView",
    "IdentityCenter",
    "RoleSession",
    "role_arn_of",
]

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REFRESH_TOKEN_GRANT = "refresh_token"
# RFC 8628 §6.1: consonants only, so a code never spells a word and is easy to read aloud.
_USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
# A client that sleeps exactly ``interval`` between polls must never be told to slow down.
_POLL_TOLERANCE = 0.1
_NOT_AUTHORIZED = "Session token not found or invalid"
_ROLE_ARN = re.compile(
    r"^arn:aws[a-z-]*:iam::(?P<account>\d{12}):role/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]{1,64})$"
)
_SIGNIN_TOKEN_TTL = 15 * 60  # a console sign-in link is valid for 15 minutes
_SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")
# What STS allows: 15 minutes to 12 hours, and at most one hour when a role assumes a role.
_MIN_DURATION, _MAX_DURATION, _CHAINED_MAX_DURATION = 900, 43200, 3600


@dataclass
class _Client:
    client_id: str
    client_secret: str
    client_name: str
    scopes: tuple[str, ...]
    issued_at: float
    expires_at: float


@dataclass
class _DeviceGrant:
    device_code: str
    user_code: str
    client_id: str
    start_url: str
    issued_at: float
    expires_at: float
    required_gap: float
    state: str = "pending"  # pending, approved, denied, used
    user: str | None = None
    last_poll: float | None = None


@dataclass
class _SignIn:
    user: str
    client_id: str
    start_url: str
    scopes: tuple[str, ...]
    revoked: bool = False


@dataclass
class _AccessToken:
    sign_in: _SignIn
    expires_at: float
    revoked: bool = False


@dataclass
class _RefreshToken:
    sign_in: _SignIn
    client_id: str
    expires_at: float
    revoked: bool = False


@dataclass(frozen=True)
class RoleSession:
    """Role credentials as issued by GetRoleCredentials; ``repr`` leaves the secrets out."""

    access_key_id: str
    secret_access_key: str = dataclasses.field(repr=False)
    session_token: str = dataclasses.field(repr=False)
    account_id: str = ""
    role_name: str = ""
    user: str = ""
    expires_at: float = 0.0
    # Issued by AssumeRole: ``user`` is the RoleSessionName and the ARN is never reserved-style.
    assumed: bool = False


@dataclass(frozen=True)
class GrantView:
    """What the verification page may show about a user code (nothing secret)."""

    user_code: str
    client_name: str
    scopes: tuple[str, ...]
    start_url: str
    state: str  # pending, approved, denied, used, expired
    seconds_left: float


class IdentityCenter:
    def __init__(
        self,
        config: SandboxConfig,
        *,
        wall_clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = config
        self._wall = wall_clock
        self._mono = monotonic
        self._lock = threading.RLock()
        self._clients: dict[str, _Client] = {}
        self._grants: dict[str, _DeviceGrant] = {}  # by device code
        self._user_codes: dict[str, str] = {}  # user code -> device code
        self._access: dict[str, _AccessToken] = {}
        self._refresh: dict[str, _RefreshToken] = {}
        self._roles: dict[str, RoleSession] = {}  # by access key id
        self._signin_tokens: dict[str, tuple[RoleSession, float]] = {}
        self._secrets: set[str] = set()

    # ------------------------------------------------------------------ settings

    @property
    def config(self) -> SandboxConfig:
        with self._lock:
            return self._config

    def configure(self, **knobs: Any) -> SandboxConfig:
        unknown = sorted(set(knobs) - RUNTIME_KNOBS)
        if unknown:
            raise TypeError(
                f"Unknown or fixed sandbox setting(s): {', '.join(unknown)}. "
                f"Settings that can change while running: {', '.join(sorted(RUNTIME_KNOBS))}."
            )
        with self._lock:
            self._config = dataclasses.replace(self._config, **knobs)
            return self._config

    # ------------------------------------------------------------------ sso-oidc

    def register_client(self, body: Mapping[str, Any]) -> dict[str, Any]:
        name = _required_str(body, "clientName")
        client_type = _required_str(body, "clientType")
        if client_type != "public":
            raise ApiError(
                "InvalidClientMetadataException", 400, "Only public clients are supported."
            )
        scopes = _optional_str_list(body, "scopes")
        grant_types = _optional_str_list(body, "grantTypes")
        if "authorization_code" in grant_types and not _optional_str_list(body, "redirectUris"):
            raise ApiError(
                "InvalidRedirectUriException", 400, "authorization_code needs redirectUris."
            )
        with self._lock:
            now = self._wall()
            client = _Client(
                client_id="cid-" + secrets.token_hex(6),
                client_secret=self._new_secret("csec-", 24),
                client_name=name,
                scopes=tuple(scopes),
                issued_at=now,
                expires_at=now + self._config.registration_ttl,
            )
            self._clients[client.client_id] = client
            return {
                "clientId": client.client_id,
                "clientSecret": client.client_secret,
                "clientIdIssuedAt": int(client.issued_at),
                "clientSecretExpiresAt": int(client.expires_at),
            }

    def start_device_authorization(
        self, body: Mapping[str, Any], verification_uri: str
    ) -> dict[str, Any]:
        client_id = _required_str(body, "clientId")
        client_secret = _required_str(body, "clientSecret")
        start_url = _required_str(body, "startUrl")
        if not start_url.startswith("https://") or len(start_url) <= len("https://"):
            raise ApiError("InvalidRequestException", 400, "startUrl must be an https URL.")
        with self._lock:
            self._check_client(client_id, client_secret)
            config = self._config
            now = self._wall()
            user_code = self._new_user_code()
            grant = _DeviceGrant(
                device_code=self._new_secret("dc-", 48),
                user_code=user_code,
                client_id=client_id,
                start_url=start_url,
                issued_at=now,
                expires_at=now + config.device_code_ttl,
                required_gap=config.poll_interval,
            )
            self._grants[grant.device_code] = grant
            self._user_codes[user_code] = grant.device_code
            return {
                "deviceCode": grant.device_code,
                "userCode": user_code,
                "verificationUri": verification_uri,
                "verificationUriComplete": f"{verification_uri}?user_code={user_code}",
                "expiresIn": math.ceil(config.device_code_ttl),
                "interval": config.poll_interval,
            }

    def create_token(self, body: Mapping[str, Any]) -> dict[str, Any]:
        client_id = _required_str(body, "clientId")
        client_secret = _required_str(body, "clientSecret")
        grant_type = _required_str(body, "grantType")
        if grant_type not in (DEVICE_CODE_GRANT, REFRESH_TOKEN_GRANT):
            raise ApiError(
                "UnsupportedGrantTypeException",
                400,
                f"Grant type {grant_type!r} is not supported here; use the device code or "
                "refresh token grant.",
            )
        with self._lock:
            client = self._check_client(client_id, client_secret)
            if grant_type == DEVICE_CODE_GRANT:
                return self._redeem_device_code(client, _required_str(body, "deviceCode"))
            return self._redeem_refresh_token(client, _required_str(body, "refreshToken"))

    def _redeem_device_code(self, client: _Client, device_code: str) -> dict[str, Any]:
        grant = self._grants.get(device_code)
        if grant is None or grant.client_id != client.client_id:
            raise ApiError("InvalidGrantException", 400, "Invalid device code provided.")
        if grant.state == "used":
            raise ApiError("InvalidGrantException", 400, "This device code was already used.")
        now = self._wall()
        state = self._grant_state(grant, now)
        if state == "expired":
            raise ApiError("ExpiredTokenException", 400, "The device code has expired.")
        if state == "pending":
            mono = self._mono()
            too_soon = (
                grant.last_poll is not None
                and mono - grant.last_poll < grant.required_gap - _POLL_TOLERANCE
            )
            grant.last_poll = mono
            if too_soon:
                grant.required_gap += self._config.slow_down_penalty
                raise ApiError("SlowDownException", 400, "Client is polling too fast.")
            raise ApiError("AuthorizationPendingException", 400, "Authorization is still pending.")
        if state == "denied":
            raise ApiError("AccessDeniedException", 400, "The user denied the request.")
        grant.state = "used"
        sign_in = _SignIn(
            user=grant.user or self._config.user_name,
            client_id=client.client_id,
            start_url=grant.start_url,
            scopes=client.scopes,
        )
        return self._issue_tokens(sign_in, now)

    def _redeem_refresh_token(self, client: _Client, refresh_token: str) -> dict[str, Any]:
        record = self._refresh.get(refresh_token)
        now = self._wall()
        if (
            record is None
            or record.client_id != client.client_id
            or record.revoked
            or record.sign_in.revoked
        ):
            raise ApiError("InvalidGrantException", 400, "Invalid refresh token provided.")
        if now >= record.expires_at:
            raise ApiError("InvalidGrantException", 400, "The refresh token has expired.")
        return self._issue_tokens(record.sign_in, now)

    def _issue_tokens(self, sign_in: _SignIn, now: float) -> dict[str, Any]:
        config = self._config
        access = self._new_secret("at-", 40)
        refresh = self._new_secret("rt-", 40)
        self._access[access] = _AccessToken(sign_in, now + config.access_token_ttl)
        self._refresh[refresh] = _RefreshToken(
            sign_in, sign_in.client_id, now + config.refresh_token_ttl
        )
        return {
            "accessToken": access,
            "tokenType": "Bearer",
            "expiresIn": math.ceil(config.access_token_ttl),
            "refreshToken": refresh,
        }

    def _check_client(self, client_id: str, client_secret: str) -> _Client:
        client = self._clients.get(client_id)
        if client is None or not secrets.compare_digest(client.client_secret, client_secret):
            raise ApiError("InvalidClientException", 401, "Invalid client credentials.")
        if self._wall() >= client.expires_at:
            raise ApiError("InvalidClientException", 401, "The client registration has expired.")
        return client

    def _grant_state(self, grant: _DeviceGrant, now: float) -> str:
        """The grant's state at ``now``, applying auto-approval and expiry lazily."""
        if grant.state != "pending":
            return grant.state
        if now >= grant.expires_at:
            return "expired"
        auto = self._config.auto_approve_after
        if auto is not None and now - grant.issued_at >= auto:
            grant.state = "approved"
            grant.user = self._config.user_name
        return grant.state

    # ------------------------------------------------------------------ the person

    def approve(self, user_code: str) -> None:
        self._decide(user_code, "approved")

    def deny(self, user_code: str) -> None:
        self._decide(user_code, "denied")

    def _decide(self, user_code: str, decision: str) -> None:
        with self._lock:
            grant = self._grant_for(user_code)
            if grant is None:
                raise ValueError(
                    "That code is not known here. Check it against the code your notebook "
                    "or terminal shows, or start the sign-in again."
                )
            state = self._grant_state(grant, self._wall())
            if state == decision:
                return
            if state == "expired":
                raise ValueError("That code has expired. Start the sign-in again for a new one.")
            if state != "pending":
                raise ValueError(
                    f"That request was already {state}. Start the sign-in again to change it."
                )
            grant.state = decision
            grant.user = self._config.user_name

    def describe(self, user_code: str) -> GrantView | None:
        with self._lock:
            grant = self._grant_for(user_code)
            if grant is None:
                return None
            now = self._wall()
            client = self._clients.get(grant.client_id)
            return GrantView(
                user_code=grant.user_code,
                client_name=client.client_name if client else "",
                scopes=client.scopes if client else (),
                start_url=grant.start_url,
                state=self._grant_state(grant, now),
                seconds_left=max(0.0, grant.expires_at - now),
            )

    def pending_user_codes(self) -> list[str]:
        with self._lock:
            now = self._wall()
            return [
                g.user_code
                for g in sorted(self._grants.values(), key=lambda g: g.issued_at)
                if self._grant_state(g, now) == "pending"
            ]

    def _grant_for(self, user_code: str) -> _DeviceGrant | None:
        device_code = self._user_codes.get(normalize_user_code(user_code))
        return self._grants.get(device_code) if device_code else None

    # ------------------------------------------------------------------ portal

    def list_accounts(
        self, access_token: str | None, next_token: str | None, max_result: str | None
    ) -> dict[str, Any]:
        with self._lock:
            self._check_access_token(access_token)
            config = self._config
        start = _decode_next_token(next_token, "accounts")
        size = _page_size(max_result, config.page_size)
        total = account_count(config)
        end = min(start + size, total)
        page = [directory_account(config, i) for i in range(start, end)]
        names = [
            hostile_account_name(i) if config.hostile_names else a.name
            for i, a in zip(range(start, end), page, strict=True)
        ]
        result: dict[str, Any] = {
            "accountList": [
                {"accountId": a.account_id, "accountName": name, "emailAddress": a.email}
                for a, name in zip(page, names, strict=True)
            ]
        }
        if end < total:
            result["nextToken"] = _encode_next_token("accounts", end)
        return result

    def list_account_roles(
        self,
        access_token: str | None,
        account_id: str | None,
        next_token: str | None,
        max_result: str | None,
    ) -> dict[str, Any]:
        with self._lock:
            self._check_access_token(access_token)
            config = self._config
        if not account_id:
            raise ApiError("InvalidRequestException", 400, "account_id is required.")
        if account_index(config, account_id) is None:
            raise ApiError("ResourceNotFoundException", 404, "Account not found.")
        names = role_names_for(config)
        start = _decode_next_token(next_token, "roles:" + account_id)
        size = _page_size(max_result, config.page_size)
        end = min(start + size, len(names))
        result: dict[str, Any] = {
            "roleList": [{"roleName": n, "accountId": account_id} for n in names[start:end]]
        }
        if end < len(names):
            result["nextToken"] = _encode_next_token("roles:" + account_id, end)
        return result

    def get_role_credentials(
        self, access_token: str | None, account_id: str | None, role_name: str | None
    ) -> dict[str, Any]:
        with self._lock:
            token = self._check_access_token(access_token)
            config = self._config
            if not account_id or not role_name:
                raise ApiError(
                    "InvalidRequestException", 400, "role_name and account_id are required."
                )
            if account_index(config, account_id) is None or role_name not in role_names_for(config):
                # What the real portal answers for a role that is not assigned to you.
                raise ApiError("ForbiddenException", 403, "No access")
            session = RoleSession(
                access_key_id="ASIA" + secrets.token_hex(8).upper(),
                secret_access_key=self._new_secret("", 30),
                session_token=self._new_secret("", 60),
                account_id=account_id,
                role_name=role_name,
                user=token.sign_in.user,
                expires_at=self._wall() + config.role_credentials_ttl,
            )
            self._roles[session.access_key_id] = session
            return {
                "roleCredentials": {
                    "accessKeyId": session.access_key_id,
                    "secretAccessKey": session.secret_access_key,
                    "sessionToken": session.session_token,
                    "expiration": int(session.expires_at * 1000),
                }
            }

    def assume_role(
        self,
        caller: RoleSession,
        role_arn: str | None,
        session_name: str | None,
        duration: str | None,
    ) -> RoleSession:
        """STS AssumeRole for a caller whose signature was already checked. Every caller here
        holds role credentials, so this is role chaining: at most one hour, as on AWS."""
        match = _ROLE_ARN.match(role_arn or "")
        if match is None:
            raise ApiError(
                "ValidationError",
                400,
                f"{role_arn or '(none)'} is invalid: RoleArn must be "
                "an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME).",
            )
        if not session_name or not _SESSION_NAME.match(session_name):
            raise ApiError(
                "ValidationError",
                400,
                "1 validation error detected: Value at 'roleSessionName' failed to satisfy "
                "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
            )
        seconds = _CHAINED_MAX_DURATION if duration is None else _duration(duration)
        if duration is not None and seconds > _CHAINED_MAX_DURATION:
            raise ApiError(
                "ValidationError",
                400,
                "The requested DurationSeconds exceeds the 1 hour session limit for roles "
                "assumed by role chaining.",
            )
        with self._lock:
            config = self._config
            # ``role_credentials_ttl`` shortens every role key's life, so tests see expiry soon.
            lifetime = min(float(seconds), config.role_credentials_ttl)
            if match["name"] in config.assume_denied_roles:
                caller_arn = role_arn_of(caller, reserved=config.reserved_role_arns)
                raise ApiError(
                    "AccessDenied",
                    403,
                    f"User: {caller_arn} is not authorized to perform: sts:AssumeRole on "
                    f"resource: {role_arn}",
                )
            session = RoleSession(
                access_key_id="ASIA" + secrets.token_hex(8).upper(),
                secret_access_key=self._new_secret("", 30),
                session_token=self._new_secret("", 60),
                account_id=match["account"],
                role_name=match["name"],
                user=session_name,
                expires_at=self._wall() + lifetime,
                assumed=True,
            )
            self._roles[session.access_key_id] = session
            return session

    def signin_token(self, session_json: str | None) -> str:
        """The federation's getSigninToken: role keys (as ``Session`` JSON) for a token that
        signs a browser in to the console once, within 15 minutes."""
        try:
            data = json.loads(session_json or "")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise ApiError("InvalidParameter", 400, "Session must be a JSON object.")
        with self._lock:
            session = self._roles.get(str(data.get("sessionId") or ""))
            if (
                session is None
                or not secrets.compare_digest(
                    session.secret_access_key, str(data.get("sessionKey") or "")
                )
                or not secrets.compare_digest(
                    session.session_token, str(data.get("sessionToken") or "")
                )
                or self._wall() >= session.expires_at
            ):
                raise ApiError("InvalidCredentials", 400, "The session credentials are invalid.")
            token = self._new_secret("st-", 48)
            self._signin_tokens[token] = (session, self._wall() + _SIGNIN_TOKEN_TTL)
            return token

    def console_login(self, token: str | None) -> RoleSession:
        """Redeems a sign-in token (once)."""
        with self._lock:
            found = self._signin_tokens.pop(token or "", None)
            if found is None or self._wall() >= found[1]:
                raise ApiError("InvalidSigninToken", 400, "The sign-in link is invalid or used.")
            return found[0]

    def logout(self, access_token: str | None) -> None:
        """Ends the whole sign-in: every access and refresh token it produced stops working.
        Role credentials already handed out stay valid until they expire, as on AWS."""
        with self._lock:
            token = self._check_access_token(access_token)
            token.sign_in.revoked = True

    def _check_access_token(self, access_token: str | None) -> _AccessToken:
        token = self._access.get(access_token or "")
        if (
            token is None
            or token.revoked
            or token.sign_in.revoked
            or self._wall() >= token.expires_at
        ):
            raise ApiError("UnauthorizedException", 401, _NOT_AUTHORIZED)
        return token

    # ------------------------------------------------------------------ role keys

    def role_session(self, access_key_id: str) -> RoleSession | None:
        """The role credentials behind an access key id; expired ones are returned too (the
        caller tells "expired" from "never issued")."""
        with self._lock:
            return self._roles.get(access_key_id)

    def now(self) -> float:
        return self._wall()

    # ------------------------------------------------------------------ test controls

    def issued_secrets(self) -> set[str]:
        with self._lock:
            return set(self._secrets)

    def expire_tokens(self, *, role_credentials: bool = False) -> None:
        with self._lock:
            past = self._wall() - 1
            for token in self._access.values():
                token.expires_at = min(token.expires_at, past)
            if role_credentials:
                for key, session in self._roles.items():
                    self._roles[key] = dataclasses.replace(
                        session, expires_at=min(session.expires_at, past)
                    )

    def expire_registrations(self) -> None:
        with self._lock:
            past = self._wall() - 1
            for client in self._clients.values():
                client.expires_at = min(client.expires_at, past)

    def revoke_refresh_tokens(self) -> None:
        with self._lock:
            for token in self._refresh.values():
                token.revoked = True

    def adopt(self, found: CachedSecrets) -> None:
        """Accept secrets another stand-in issued (the AWS CLI fixtures) as if issued here;
        ``CachedSecrets`` says which fields each kind carries."""
        with self._lock:
            config = self._config
            for reg in found.registrations:
                self._adopt_client(
                    reg["clientId"],
                    reg["clientSecret"],
                    reg["expiresAt"],
                    tuple(reg.get("scopes") or ()),
                )
            for tok in found.tokens:
                client_id = tok.get("clientId") or "cid-adopted"
                if client_id not in self._clients and tok.get("clientSecret"):
                    self._adopt_client(
                        client_id,
                        tok["clientSecret"],
                        tok.get("registrationExpiresAt") or tok["expiresAt"],
                        (),
                    )
                client = self._clients.get(client_id)
                sign_in = _SignIn(
                    user=config.user_name,
                    client_id=client_id,
                    start_url=tok.get("startUrl", config.start_url),
                    scopes=client.scopes if client else (),
                )
                self._access[tok["accessToken"]] = _AccessToken(sign_in, float(tok["expiresAt"]))
                self._secrets.add(tok["accessToken"])
                if tok.get("refreshToken"):
                    self._refresh[tok["refreshToken"]] = _RefreshToken(
                        sign_in, client_id, self._wall() + config.refresh_token_ttl
                    )
                    self._secrets.add(tok["refreshToken"])
            for cred in found.role_credentials:
                session = RoleSession(
                    access_key_id=cred["AccessKeyId"],
                    secret_access_key=cred["SecretAccessKey"],
                    session_token=cred["SessionToken"],
                    account_id=cred["AccountId"],
                    role_name=cred["RoleName"],
                    user=config.user_name,
                    expires_at=float(cred["Expiration"]),
                )
                self._roles[session.access_key_id] = session
                self._secrets.update((session.secret_access_key, session.session_token))

    def _adopt_client(
        self, client_id: str, client_secret: str, expires_at: float, scopes: tuple[str, ...]
    ) -> None:
        now = self._wall()
        self._clients[client_id] = _Client(
            client_id=client_id,
            client_secret=client_secret,
            client_name="adopted client",
            scopes=scopes,
            issued_at=now,
            expires_at=float(expires_at),
        )
        self._secrets.add(client_secret)

    # ------------------------------------------------------------------ helpers

    def _new_secret(self, prefix: str, nbytes: int) -> str:
        value = prefix + secrets.token_urlsafe(nbytes)
        self._secrets.add(value)
        return value

    def _new_user_code(self) -> str:
        while True:
            raw = "".join(secrets.choice(_USER_CODE_ALPHABET) for _ in range(8))
            code = f"{raw[:4]}-{raw[4:]}"
            if code not in self._user_codes:
                return code


def normalize_user_code(user_code: str) -> str:
    """``abcd efgh``, ``ABCDEFGH`` and ``ABCD-EFGH`` are the same code, as on AWS's page."""
    raw = "".join(ch for ch in user_code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw


def role_user_id(account_id: str, role_name: str, user: str) -> str:
    """A stable ``AROA…:user`` like STS reports for an assumed role."""
    digest = hashlib.sha1(f"{account_id}/{role_name}".encode()).hexdigest().upper()
    return f"AROA{digest[:17]}:{user}"


def role_arn(account_id: str, role_name: str, user: str, *, reserved: bool = False) -> str:
    if reserved:
        digest = hashlib.sha1(f"{account_id}/{role_name}".encode()).hexdigest()[:16]
        role_name = f"AWSReservedSSO_{role_name}_{digest}"
    return f"arn:aws:sts::{account_id}:assumed-role/{role_name}/{user}"


def role_arn_of(session: RoleSession, *, reserved: bool = False) -> str:
    """The ARN GetCallerIdentity reports for ``session``."""
    return role_arn(
        session.account_id,
        session.role_name,
        session.user,
        reserved=reserved and not session.assumed,
    )


def _duration(value: str) -> int:
    try:
        seconds = int(value)
    except ValueError:
        seconds = -1
    if not _MIN_DURATION <= seconds <= _MAX_DURATION:
        raise ApiError(
            "ValidationError",
            400,
            f"1 validation error detected: Value '{value}' at 'durationSeconds' failed to "
            f"satisfy constraint: Member must have value between {_MIN_DURATION} and "
            f"{_MAX_DURATION}",
        )
    return seconds


def _required_str(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise ApiError("InvalidRequestException", 400, f"{name} is required.")
    return value


def _optional_str_list(body: Mapping[str, Any], name: str) -> list[str]:
    value = body.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError("InvalidRequestException", 400, f"{name} must be a list of strings.")
    return value


def _page_size(max_result: str | None, default: int) -> int:
    if max_result is None or max_result == "":
        return default
    try:
        size = int(max_result)
    except ValueError:
        raise ApiError("InvalidRequestException", 400, "max_result must be a number.") from None
    if not 1 <= size <= 100:
        raise ApiError("InvalidRequestException", 400, "max_result must be between 1 and 100.")
    return size


def _encode_next_token(kind: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}|{offset}".encode()).decode().rstrip("=")


def _decode_next_token(token: str | None, kind: str) -> int:
    if not token:
        return 0
    try:
        padded = token + "=" * (-len(token) % 4)
        found_kind, _, offset = base64.urlsafe_b64decode(padded).decode().rpartition("|")
        if found_kind == kind and offset.isdigit():
            return int(offset)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ApiError("InvalidRequestException", 400, "Invalid next_token.")
