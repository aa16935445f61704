"""The HTTP face of the sandbox: one loopback server answering four services and a web page.

botocore picks the service by endpoint, and every ``AWS_ENDPOINT_URL_*`` points here, so the
request line alone tells the operation apart (see ``wire.route``). Each call is counted, then
may be rate limited (portal only), delayed (``latency``), hung or failed on purpose, and is
finally answered by ``state.IdentityCenter`` in the service's own wire format.

The server keeps HTTP/1.1 connections alive as AWS does, stays silent unless ``verbose`` (and
even then logs the path without its query, never a header or body), and on ``stop()`` closes
idle connections so no thread keeps answering after the sandbox is gone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import re
import socket
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import page, wire
from .adopt import CachedSecrets, read_aws_folder
from .config import SandboxConfig, role_names_for
from .echo import Reply, echo_reply
from .errors import ApiError
from .eventstream import encode_event
from .faults import Faults, Injected, TokenBucket
from .hostile import CORRUPTIONS, corrupt_body
from .s3 import (
    ObjectStore,
    byte_range,
    decode_aws_chunked,
    http_date,
    multipart_document,
    s3_operation,
)
from .sigv4 import parse_authorization, signature_matches
from .state import (
    IdentityCenter,
    RoleSession,
    normalize_user_code,
    role_arn_of,
    role_user_id,
)

__all__ = ["Sandbox", "endpoint_environment"]

_PORTAL_OPERATIONS = frozenset(op for op, svc in wire.OPERATIONS.items() if svc == "portal")
# Operations whose success is a JSON document, which ``corrupt_next`` can break.
_JSON_OPERATIONS = frozenset(
    {
        "RegisterClient",
        "StartDeviceAuthorization",
        "CreateToken",
        "ListAccounts",
        "ListAccountRoles",
        "GetRoleCredentials",
    }
)
_BEARER_HEADER = "x-amz-sso_bearer_token"
_MAX_BODY = 1 << 20

# (missing, unknown key, bad signature, expired) error codes per signed service.
_KEY_ERRORS = {
    "sts": (
        "MissingAuthenticationToken",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
    ),
    "bedrock": (
        "MissingAuthenticationTokenException",
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "ExpiredTokenException",
    ),
}
_KEY_ERRORS["s3"] = ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken")
_SIGNING_NAMES = {"sts": "sts", "bedrock": "bedrock", "s3": "s3"}
#: What a sandbox answers for, by the ``AWS_ENDPOINT_URL_<SERVICE>`` botocore reads (SIGNIN is
#: ipyawssso's own, for the console's federation endpoint).
_ENDPOINT_SERVICES = ("SSO_OIDC", "SSO", "STS", "BEDROCK_RUNTIME", "S3", "SIGNIN")


def endpoint_environment(url: str) -> dict[str, str]:
    """The variables that point botocore (and the AWS CLI) at a sandbox answering at ``url``."""
    return {f"AWS_ENDPOINT_URL_{service}": url for service in _ENDPOINT_SERVICES}


class Sandbox:
    """A loopback IAM Identity Center (plus STS and a Bedrock echo) for tests and demos.

    ``Sandbox(SandboxConfig(...))`` or ``Sandbox(accounts=250, rate_limit=20)``; ``start()``
    binds 127.0.0.1 (port 0 picks a free one), ``stop()`` ends it; also a context manager.
    """

    def __init__(self, config: SandboxConfig | None = None, /, **knobs: Any) -> None:
        config = dataclasses.replace(config or SandboxConfig(), **knobs)
        self._ic = IdentityCenter(config)
        self._bucket = TokenBucket()
        self._bucket.set_rate(config.rate_limit)
        self._faults = Faults()
        self._s3 = ObjectStore()
        self._calls: Counter[str] = Counter()
        self._calls_lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Sandbox:
        if self._server is not None:
            return self
        self._stopping.clear()
        server = _Server(("127.0.0.1", self._ic.config.port), _Handler, self)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=f"ipyawssso-sandbox:{server.server_address[1]}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._server else "not started"
        config = self._ic.config
        return (
            f"<Sandbox {where} accounts={config.accounts} "
            f"roles_per_account={config.roles_per_account}>"
        )

    # ------------------------------------------------------------------ where it is

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("The sandbox is not running: call start() first.")
        host, port = self._server.server_address[:2]
        if isinstance(host, bytes):
            host = host.decode()
        return f"http://{host}:{port}"

    @property
    def verification_uri(self) -> str:
        return f"{self.url}/device"

    @property
    def start_url(self) -> str:
        return self._ic.config.start_url

    @property
    def region(self) -> str:
        return self._ic.config.region

    @property
    def config(self) -> SandboxConfig:
        return self._ic.config

    def env(self) -> dict[str, str]:
        """The variables that point botocore (and the AWS CLI) at this sandbox."""
        return endpoint_environment(self.url)

    # ------------------------------------------------------------------ the person

    def approve(self, user_code: str) -> None:
        """What the Allow button does; ValueError when the code is unknown, expired or used."""
        self._ic.approve(user_code)

    def deny(self, user_code: str) -> None:
        self._ic.deny(user_code)

    def pending_user_codes(self) -> list[str]:
        """User codes waiting for a decision, oldest first (for tests that cannot see the UI)."""
        return self._ic.pending_user_codes()

    # ------------------------------------------------------------------ observation

    # ------------------------------------------------------------------ S3

    def create_bucket(self, bucket: str) -> None:
        """A bucket the minimal S3 serves (path-style, SigV4 with issued keys)."""
        self._s3.create_bucket(bucket)

    def put_object(self, bucket: str, key: str, body: bytes) -> None:
        self._s3.put(bucket, key, body)

    def get_object(self, bucket: str, key: str) -> bytes:
        """KeyError when the object does not exist."""
        try:
            return self._s3.get(bucket, key).body
        except ApiError:
            raise KeyError(f"{bucket}/{key}") from None

    def object_keys(self, bucket: str) -> list[str]:
        return self._s3.keys(bucket)

    def issued_secrets(self) -> set[str]:
        """Every token, client secret, device code, secret key and session token it issued
        (or adopted); feed them to ``leak_guard.find_leaks``."""
        return self._ic.issued_secrets()

    @property
    def calls(self) -> Counter[str]:
        """A snapshot: operation name -> number of requests received (failed ones included)."""
        with self._calls_lock:
            return Counter(self._calls)

    def reset_calls(self) -> None:
        with self._calls_lock:
            self._calls.clear()

    # ------------------------------------------------------------------ knobs

    def configure(self, **knobs: Any) -> SandboxConfig:
        """Change settings while running (latency, rate_limit, lifetimes, auto_approve_after,
        accounts...); returns the new settings."""
        config = self._ic.configure(**knobs)
        self._bucket.set_rate(config.rate_limit)
        return config

    def fail_next(self, operation: str, status: int = 500, count: int = 1) -> None:
        """The next ``count`` calls of ``operation`` answer HTTP ``status`` with the error
        code the real service uses for it."""
        _check_operation(operation)
        if not 400 <= status <= 599:
            raise ValueError(f"status must be an HTTP error status (400-599), not {status}.")
        self._faults.add(operation, Injected(status=status), _check_count(count))

    def hang_next(self, operation: str, seconds: float, count: int = 1) -> None:
        """The next ``count`` calls of ``operation`` wait ``seconds`` before answering (a
        client with a shorter read timeout sees a timeout)."""
        _check_operation(operation)
        if seconds < 0:
            raise ValueError("seconds must be >= 0.")
        self._faults.add(operation, Injected(hang=seconds), _check_count(count))

    def corrupt_next(self, operation: str, kind: str, count: int = 1) -> None:
        """The next ``count`` successful answers of ``operation`` arrive broken (HTTP 200):
        ``truncated``, ``not-json``, ``wrong-types``, ``empty`` or ``oversized`` (see
        ``hostile``). Only for operations that answer JSON."""
        _check_operation(operation)
        if operation not in _JSON_OPERATIONS:
            raise ValueError(
                f"{operation} does not answer JSON; corrupt one of: "
                f"{', '.join(sorted(_JSON_OPERATIONS))}."
            )
        if kind not in CORRUPTIONS:
            raise ValueError(
                f"Unknown corruption {kind!r}; choose one of: {', '.join(sorted(CORRUPTIONS))}."
            )
        self._faults.add(operation, Injected(corrupt=kind), _check_count(count))

    def expire_registrations(self) -> None:
        """Every client registration stops working (InvalidClientException), as when its
        90 days ran out while a client's cache still says it is valid."""
        self._ic.expire_registrations()

    def clear_faults(self) -> None:
        self._faults.clear()

    def expire_tokens(self, *, role_credentials: bool = False) -> None:
        """Every access token issued so far stops working (the portal answers 401), as if
        its lifetime had passed; with ``role_credentials`` the role keys expire too."""
        self._ic.expire_tokens(role_credentials=role_credentials)

    def revoke_refresh_tokens(self) -> None:
        self._ic.revoke_refresh_tokens()

    def adopt(
        self,
        *,
        registrations: Iterable[Mapping[str, Any]] = (),
        tokens: Iterable[Mapping[str, Any]] = (),
        role_credentials: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        """Honour secrets another stand-in issued as if issued here (the fields of each kind
        are those of :class:`~ipyawssso.sandbox.adopt.CachedSecrets`). Adopted secrets count
        as issued ones for the leak guard."""
        self._ic.adopt(
            CachedSecrets(
                registrations=[dict(r) for r in registrations],
                tokens=[dict(t) for t in tokens],
                role_credentials=[dict(c) for c in role_credentials],
            )
        )

    def adopt_aws_folder(self, aws_dir: str | Path) -> list[str]:
        """Honour the registrations, tokens and role credentials found in ``aws_dir`` (an
        ``~/.aws`` folder), with the times written there; returns the files it skipped."""
        found = read_aws_folder(Path(aws_dir), role_names_for(self._ic.config))
        self._ic.adopt(found)
        return found.skipped

    # ------------------------------------------------------------------ called by _Handler

    def _count(self, operation: str) -> None:
        with self._calls_lock:
            self._calls[operation] += 1

    def _pause(self, seconds: float) -> bool:
        """Sleeps unless the sandbox stops first; False when it is stopping."""
        return not (seconds > 0 and self._stopping.wait(seconds))


def _check_operation(operation: str) -> None:
    if operation not in wire.OPERATIONS:
        raise ValueError(
            f"Unknown operation {operation!r}; choose one of: {', '.join(sorted(wire.OPERATIONS))}."
        )


def _check_count(count: int) -> int:
    if count < 1:
        raise ValueError("count must be >= 1.")
    return count


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if self.sandbox.config.verbose:
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ipyawssso-sandbox"
    timeout = 120
    # Headers and body go out in two writes; with Nagle's algorithm on, the body waits for
    # the client's delayed ACK, adding ~40 ms to every call on a kept-alive connection.
    disable_nagle_algorithm = True
    server: _Server

    # --------------------------------------------------------------- plumbing

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.sandbox.config.verbose:
            sys.stderr.write(f"sandbox: {format % args}\n")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.server.sandbox.config.verbose:
            path = urlsplit(self.path).path
            sys.stderr.write(f"sandbox: {self.command} {path} -> {code}\n")

    def _dispatch(self) -> None:
        sandbox = self.server.sandbox
        self.request_id = str(uuid.uuid4())
        self.started = time.monotonic()
        self.corruption: str | None = None
        parts = urlsplit(self.path)
        self.raw_path, self.raw_query = parts.path, parts.query
        self.query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        try:
            self.body = self._read_body()
        except ApiError as error:
            self._send_error("portal", error)
            return
        auth = parse_authorization(self.headers.get("Authorization"))
        if auth is not None and auth.service == "s3":
            try:
                op, self.bucket, key = s3_operation(self.command, parts.path, self.query)
            except ApiError as error:
                self._send_error("s3", error)
                return
            self.key = unquote(key)
            found: wire.Route | None = wire.Route(op)
        else:
            found = wire.route(self.command, parts.path)
        if found is None:
            self._send_error(
                "portal",
                ApiError("UnknownOperationException", 404, "No such operation here."),
            )
            return
        operation = found.operation
        if operation == "GetCallerIdentity":
            operation = wire.sts_operation(self.body)
        elif operation == "GetSigninToken" and self.query.get("Action") == "login":
            operation = "ConsoleLogin"
        service = wire.OPERATIONS[operation]
        sandbox._count(operation)
        try:
            if operation in _PORTAL_OPERATIONS and not sandbox._bucket.take():
                raise ApiError(
                    "TooManyRequestsException", 429, "Rate exceeded; slow down and retry."
                )
            injected = sandbox._faults.take(operation) or Injected()
            self.corruption = injected.corrupt
            delay = (0.0 if service == "page" else sandbox.config.latency) + injected.hang
            if not sandbox._pause(delay):
                raise ApiError("ServiceUnavailableException", 503, "The sandbox is stopping.")
            if injected.status is not None:
                raise wire.error_for_status(service, injected.status)
            getattr(self, "_op_" + operation)(found.model_id)
        except ApiError as error:
            self._send_error(service, error)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as error:  # answer like AWS would, and keep serving
            if sandbox.config.verbose:
                sys.stderr.write(f"sandbox: {operation} failed: {type(error).__name__}\n")
            self._send_error(
                service, ApiError("InternalServerException", 500, "Unexpected sandbox error.")
            )

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        if not length:
            return b""
        try:
            size = int(length)
        except ValueError:
            self.close_connection = True
            raise ApiError("InvalidRequestException", 400, "Bad Content-Length.") from None
        if not 0 <= size <= _MAX_BODY:
            self.close_connection = True
            raise ApiError("InvalidRequestException", 413, "Request body too large.")
        return self.rfile.read(size)

    def _read_chunked(self) -> bytes:
        """An HTTP/1.1 chunked body (the AWS C++ SDK streams uploads this way)."""
        body = bytearray()
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                raise ApiError("InvalidRequestException", 400, "Bad chunked body.") from None
            if size == 0:
                while self.rfile.readline(1024).strip():  # trailers, then the blank line
                    pass
                return bytes(body)
            if len(body) + size > _MAX_BODY:
                self.close_connection = True
                raise ApiError("InvalidRequestException", 413, "Request body too large.")
            body += self.rfile.read(size)
            self.rfile.readline(1024)

    def _json_body(self) -> dict[str, Any]:
        if not self.body:
            return {}
        try:
            data = json.loads(self.body)
        except ValueError:
            raise ApiError("SerializationException", 400, "The body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise ApiError("SerializationException", 400, "The body must be a JSON object.")
        return data

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", self.request_id)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_json(self, payload: dict[str, Any] | None) -> None:
        body = json.dumps(payload).encode() if payload is not None else b""
        if self.corruption is not None:
            body = corrupt_body(payload, self.corruption)
        self._send(200, body, "application/json")

    def _send_error(self, service: str, error: ApiError) -> None:
        if service == "page":
            self._send_html(error.status, f"{error.code}: {error.message}")
            return
        content_type, body, headers = wire.render_error(service, error, self.request_id)
        self._send(error.status, body, content_type, headers)

    def _send_html(self, status: int, html: str) -> None:
        self._send(
            status,
            html.encode(),
            "text/html; charset=utf-8",
            {
                "Content-Security-Policy": (
                    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                    "frame-ancestors 'none'; base-uri 'none'"
                ),
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
            },
        )

    # --------------------------------------------------------------- sso-oidc

    @property
    def _ic(self) -> IdentityCenter:
        return self.server.sandbox._ic

    def _op_RegisterClient(self, _: str) -> None:
        self._send_json(self._ic.register_client(self._json_body()))

    def _op_StartDeviceAuthorization(self, _: str) -> None:
        verification_uri = f"{self.server.sandbox.url}/device"
        self._send_json(self._ic.start_device_authorization(self._json_body(), verification_uri))

    def _op_CreateToken(self, _: str) -> None:
        if "aws_iam" in self.query:
            raise ApiError(
                "InvalidRequestException", 400, "CreateTokenWithIAM is not offered here."
            )
        self._send_json(self._ic.create_token(self._json_body()))

    # --------------------------------------------------------------- portal

    def _bearer(self) -> str | None:
        return self.headers.get(_BEARER_HEADER)

    def _op_ListAccounts(self, _: str) -> None:
        self._send_json(
            self._ic.list_accounts(
                self._bearer(), self.query.get("next_token"), self.query.get("max_result")
            )
        )

    def _op_ListAccountRoles(self, _: str) -> None:
        self._send_json(
            self._ic.list_account_roles(
                self._bearer(),
                self.query.get("account_id"),
                self.query.get("next_token"),
                self.query.get("max_result"),
            )
        )

    def _op_GetRoleCredentials(self, _: str) -> None:
        self._send_json(
            self._ic.get_role_credentials(
                self._bearer(), self.query.get("account_id"), self.query.get("role_name")
            )
        )

    def _op_Logout(self, _: str) -> None:
        self._ic.logout(self._bearer())
        self._send(200, b"", "application/json")

    # --------------------------------------------------------------- signed by role keys

    def _caller(self, service: str) -> RoleSession:
        missing, unknown, bad_signature, expired = _KEY_ERRORS[service]
        auth = parse_authorization(self.headers.get("Authorization"))
        if auth is None:
            raise ApiError(missing, 403, "Request is missing Authentication Token")
        invalid = ApiError(unknown, 403, "The security token included in the request is invalid.")
        session = self._ic.role_session(auth.access_key_id)
        if session is None or self.headers.get("X-Amz-Security-Token") != session.session_token:
            raise invalid
        config = self._ic.config
        if config.verify_signatures:
            headers: dict[str, list[str]] = {}
            for name, value in self.headers.items():
                headers.setdefault(name.lower(), []).append(value)
            if auth.service != _SIGNING_NAMES[service] or not signature_matches(
                auth,
                secret_access_key=session.secret_access_key,
                method=self.command,
                raw_path=self.raw_path,
                encode_path=service != "s3",
                raw_query=self.raw_query,
                headers=headers,
                body=self.body,
            ):
                raise ApiError(
                    bad_signature,
                    403,
                    "The request signature we calculated does not match the signature you "
                    "provided. Check your AWS Secret Access Key and signing method.",
                )
        if self._ic.now() >= session.expires_at:
            raise ApiError(expired, 403, "The security token included in the request is expired")
        return session

    def _op_GetCallerIdentity(self, _: str) -> None:
        form = {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}
        action = form.get("Action")
        if action != "GetCallerIdentity":
            raise ApiError("InvalidAction", 400, f"Could not find operation {action or '(none)'}.")
        session = self._caller("sts")
        fields = {
            "Arn": role_arn_of(session, reserved=self._ic.config.reserved_role_arns),
            "UserId": role_user_id(session.account_id, session.role_name, session.user),
            "Account": session.account_id,
        }
        self._send(200, wire.sts_document("GetCallerIdentity", fields, self.request_id), "text/xml")

    def _op_AssumeRole(self, _: str) -> None:
        form = {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}
        caller = self._caller("sts")
        issued = self._ic.assume_role(
            caller, form.get("RoleArn"), form.get("RoleSessionName"), form.get("DurationSeconds")
        )
        expiration = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(issued.expires_at))
        fields = {
            "AssumedRoleUser": {
                "AssumedRoleId": role_user_id(issued.account_id, issued.role_name, issued.user),
                "Arn": role_arn_of(issued),
            },
            "Credentials": {
                "AccessKeyId": issued.access_key_id,
                "SecretAccessKey": issued.secret_access_key,
                "SessionToken": issued.session_token,
                "Expiration": expiration,
            },
        }
        self._send(200, wire.sts_document("AssumeRole", fields, self.request_id), "text/xml")

    def _bedrock_reply(self, model_id: str) -> Reply:
        session = self._caller("bedrock")
        config = self._ic.config
        if session.role_name in config.bedrock_denied_roles:
            arn = role_arn_of(session, reserved=config.reserved_role_arns)
            raise ApiError(
                "AccessDeniedException",
                403,
                f"User: {arn} is not authorized to perform: bedrock:InvokeModel on resource: "
                f"arn:aws:bedrock:{config.region}::foundation-model/{model_id} because no "
                "identity-based policy allows the bedrock:InvokeModel action",
            )
        return echo_reply(model_id, self._json_body())

    def _op_Converse(self, model_id: str) -> None:
        reply = self._bedrock_reply(model_id)
        self._send_json(
            {
                "output": {"message": {"role": "assistant", "content": [{"text": reply.text}]}},
                "stopReason": reply.stop_reason,
                "usage": reply.usage(),
                "metrics": {"latencyMs": self._elapsed_ms()},
            }
        )

    def _op_ConverseStream(self, model_id: str) -> None:
        reply = self._bedrock_reply(model_id)
        words = reply.text.split(" ")
        # Like Bedrock for plain text: no contentBlockStart, one delta per word.
        events = [encode_event("messageStart", {"role": "assistant"})]
        for i, word in enumerate(words):
            chunk = word if i == 0 else " " + word
            events.append(
                encode_event(
                    "contentBlockDelta", {"delta": {"text": chunk}, "contentBlockIndex": 0}
                )
            )
        events.append(encode_event("contentBlockStop", {"contentBlockIndex": 0}))
        events.append(encode_event("messageStop", {"stopReason": reply.stop_reason}))
        events.append(
            encode_event(
                "metadata",
                {"usage": reply.usage(), "metrics": {"latencyMs": self._elapsed_ms()}},
            )
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.amazon.eventstream")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("x-amzn-RequestId", self.request_id)
        self.end_headers()
        for event in events:
            self.wfile.write(f"{len(event):X}\r\n".encode() + event + b"\r\n")
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    # --------------------------------------------------------------- a minimal S3

    @property
    def _s3(self) -> ObjectStore:
        return self.server.sandbox._s3

    def _s3_caller(self) -> RoleSession:
        session = self._caller("s3")
        declared = self.headers.get("x-amz-content-sha256", "")
        if re.fullmatch(r"[0-9a-f]{64}", declared) and (
            hashlib.sha256(self.body).hexdigest() != declared
        ):
            raise ApiError(
                "XAmzContentSHA256Mismatch",
                400,
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            )
        return session

    def _op_ListObjectsV2(self, _: str) -> None:
        self._s3_caller()
        self._send(200, self._s3.list_v2(self.bucket, self.query), "application/xml")

    def _op_HeadBucket(self, _: str) -> None:
        self._s3_caller()
        self._s3.check_bucket(self.bucket)
        self._send(200, b"", "application/xml", {"x-amz-bucket-region": self._ic.config.region})

    def _op_CreateBucket(self, _: str) -> None:
        self._s3_caller()
        self._s3.create_bucket(self.bucket)
        self._send(200, b"", "application/xml", {"Location": f"/{self.bucket}"})

    def _object_headers(self, etag: str, modified: float) -> dict[str, str]:
        return {"ETag": etag, "Last-Modified": http_date(modified), "Accept-Ranges": "bytes"}

    def _op_HeadObject(self, _: str) -> None:
        self._s3_caller()
        obj = self._s3.get(self.bucket, self.key)
        self.send_response(200)
        self.send_header("Content-Type", "binary/octet-stream")
        self.send_header("Content-Length", str(len(obj.body)))
        self.send_header("x-amzn-RequestId", self.request_id)
        for name, value in self._object_headers(obj.etag, obj.modified).items():
            self.send_header(name, value)
        self.end_headers()

    def _op_GetObject(self, _: str) -> None:
        self._s3_caller()
        obj = self._s3.get(self.bucket, self.key)
        headers = self._object_headers(obj.etag, obj.modified)
        wanted = byte_range(self.headers.get("Range"), len(obj.body))
        if wanted is None:
            self._send(200, obj.body, "binary/octet-stream", headers)
            return
        start, end = wanted
        headers["Content-Range"] = f"bytes {start}-{end}/{len(obj.body)}"
        self._send(206, obj.body[start : end + 1], "binary/octet-stream", headers)

    def _op_PutObject(self, _: str) -> None:
        self._s3_caller()
        body = self.body
        if "aws-chunked" in self.headers.get("Content-Encoding", ""):
            body = decode_aws_chunked(body)
        obj = self._s3.put(self.bucket, self.key, body)
        self._send(200, b"", "application/xml", {"ETag": obj.etag})

    def _op_CreateMultipartUpload(self, _: str) -> None:
        self._s3_caller()
        upload_id = self._s3.create_upload(self.bucket, self.key)
        fields = {"Bucket": self.bucket, "Key": self.key, "UploadId": upload_id}
        self._send(
            200, multipart_document("InitiateMultipartUploadResult", fields), "application/xml"
        )

    def _op_UploadPart(self, _: str) -> None:
        self._s3_caller()
        body = self.body
        if "aws-chunked" in self.headers.get("Content-Encoding", ""):
            body = decode_aws_chunked(body)
        etag = self._s3.upload_part(
            self.bucket,
            self.key,
            self.query.get("uploadId", ""),
            self.query.get("partNumber", ""),
            body,
        )
        self._send(200, b"", "application/xml", {"ETag": etag})

    def _op_CompleteMultipartUpload(self, _: str) -> None:
        self._s3_caller()
        obj = self._s3.complete_upload(self.bucket, self.key, self.query.get("uploadId", ""))
        fields = {"Bucket": self.bucket, "Key": self.key, "ETag": obj.etag}
        self._send(
            200, multipart_document("CompleteMultipartUploadResult", fields), "application/xml"
        )

    def _op_AbortMultipartUpload(self, _: str) -> None:
        self._s3_caller()
        self._s3.abort_upload(self.bucket, self.key, self.query.get("uploadId", ""))
        self._send(204, b"", "application/xml")

    def _elapsed_ms(self) -> int:
        return int((time.monotonic() - self.started) * 1000)

    # --------------------------------------------------------------- console federation

    def _op_GetSigninToken(self, _: str) -> None:
        if self.query.get("Action") != "getSigninToken":
            raise ApiError("InvalidAction", 400, "Action must be getSigninToken or login.")
        token = self._ic.signin_token(self.query.get("Session"))
        self._send(200, json.dumps({"SigninToken": token}).encode(), "application/json")

    def _op_ConsoleLogin(self, _: str) -> None:
        session = self._ic.console_login(self.query.get("SigninToken"))
        self._send_html(
            200,
            page.render_console(
                arn=role_arn_of(session, reserved=self._ic.config.reserved_role_arns),
                account_id=session.account_id,
                destination=self.query.get("Destination", ""),
            ),
        )

    # --------------------------------------------------------------- the page

    def _op_Index(self, _: str) -> None:
        sandbox = self.server.sandbox
        self._send_html(
            200,
            page.render_index(
                start_url=sandbox.start_url,
                region=sandbox.region,
                device_url=sandbox.verification_uri,
            ),
        )

    def _op_VerificationPage(self, _: str) -> None:
        code = normalize_user_code(self.query.get("user_code", ""))
        grant = self._ic.describe(code) if code else None
        error = None
        if code and grant is None:
            error = "That code is not known here. Check it, or start the sign-in again."
        elif grant is not None and grant.state == "expired":
            error = "That code has expired. Start the sign-in again for a new one."
        elif grant is not None and grant.state != "pending":
            error = f"That request was already {grant.state}."
        self._send_html(
            200,
            page.render_form(
                user_code=code,
                grant=grant,
                user_name=self._ic.config.user_name,
                error=error,
            ),
        )

    def _op_VerificationDecision(self, _: str) -> None:
        form = {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}
        code = normalize_user_code(form.get("user_code", ""))
        action = form.get("action")
        try:
            if not code:
                raise ValueError("Enter the code shown in your notebook or terminal.")
            if action == "allow":
                self._ic.approve(code)
            elif action == "deny":
                self._ic.deny(code)
            else:
                raise ValueError("Choose Allow or Deny.")
        except ValueError as problem:
            self._send_html(
                400,
                page.render_form(
                    user_code=code,
                    grant=self._ic.describe(code) if code else None,
                    user_name=self._ic.config.user_name,
                    error=str(problem),
                ),
            )
            return
        self._send_html(200, page.render_result(approved=action == "allow", user_code=code))
