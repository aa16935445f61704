"""How each service spells an error, and which operation a request is.

sso-oidc answers ``{"error": "authorization_pending", "error_description": ...}``, the portal
and Bedrock ``{"message": ...}``, both with the code in ``x-amzn-ErrorType`` (where botocore
reads it); STS answers an ``<ErrorResponse>`` XML document. Injected failures pick the code
the real service uses for that HTTP status.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote
from xml.sax.saxutils import escape

from .errors import ApiError
from .s3 import OBJECT_OPERATIONS, error_document

__all__ = [
    "OPERATIONS",
    "Route",
    "error_for_status",
    "render_error",
    "route",
    "sts_document",
    "sts_operation",
]

STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"

#: Every operation the sandbox answers, with the service (wire format) it belongs to.
OPERATIONS: dict[str, str] = {
    "RegisterClient": "oidc",
    "StartDeviceAuthorization": "oidc",
    "CreateToken": "oidc",
    "ListAccounts": "portal",
    "ListAccountRoles": "portal",
    "GetRoleCredentials": "portal",
    "Logout": "portal",
    "GetCallerIdentity": "sts",
    "AssumeRole": "sts",
    "GetSigninToken": "signin",
    "ConsoleLogin": "page",
    "Converse": "bedrock",
    "ConverseStream": "bedrock",
    "VerificationPage": "page",
    "VerificationDecision": "page",
    "Index": "page",
    **OBJECT_OPERATIONS,
}

_FIXED_ROUTES = {
    ("POST", "/client/register"): "RegisterClient",
    ("POST", "/device_authorization"): "StartDeviceAuthorization",
    ("POST", "/token"): "CreateToken",
    ("GET", "/assignment/accounts"): "ListAccounts",
    ("GET", "/assignment/roles"): "ListAccountRoles",
    ("GET", "/federation/credentials"): "GetRoleCredentials",
    ("POST", "/logout"): "Logout",
    ("POST", "/"): "GetCallerIdentity",
    ("GET", "/federation"): "GetSigninToken",
    ("GET", "/device"): "VerificationPage",
    ("POST", "/device"): "VerificationDecision",
    ("GET", "/"): "Index",
}
_STS_ACTIONS = frozenset({"GetCallerIdentity", "AssumeRole"})
_MODEL_ROUTE = re.compile(r"^/model/(?P<model>[^/]+)/(?P<kind>converse|converse-stream)$")

_OIDC_ERROR_NAMES = {
    "InternalServerException": "server_error",
}

_CODES_BY_STATUS = {
    "oidc": {
        400: "InvalidRequestException",
        401: "InvalidClientException",
        403: "AccessDeniedException",
        500: "InternalServerException",
    },
    "portal": {
        400: "InvalidRequestException",
        401: "UnauthorizedException",
        403: "ForbiddenException",
        404: "ResourceNotFoundException",
        429: "TooManyRequestsException",
    },
    "bedrock": {
        400: "ValidationException",
        403: "AccessDeniedException",
        404: "ResourceNotFoundException",
        429: "ThrottlingException",
        503: "ServiceUnavailableException",
    },
    "sts": {
        400: "InvalidParameterValue",
        403: "AccessDenied",
        429: "Throttling",
        500: "InternalFailure",
        503: "ServiceUnavailable",
    },
    "s3": {
        400: "InvalidRequest",
        403: "AccessDenied",
        404: "NoSuchKey",
        500: "InternalError",
        503: "SlowDown",
    },
    "page": {},
}


@dataclass(frozen=True)
class Route:
    operation: str
    model_id: str = ""


def route(method: str, path: str) -> Route | None:
    operation = _FIXED_ROUTES.get((method, path))
    if operation:
        return Route(operation)
    match = _MODEL_ROUTE.match(path)
    if method == "POST" and match:
        kind = "Converse" if match["kind"] == "converse" else "ConverseStream"
        return Route(kind, unquote(match["model"]))
    return None


def sts_operation(body: bytes) -> str:
    """STS speaks the query protocol: every action is ``POST /``, named by the form's
    ``Action``. Unknown actions stay ``GetCallerIdentity``, which refuses them."""
    form = parse_qs(body.decode("utf-8", "replace"))
    action = form.get("Action", [""])[-1]
    return action if action in _STS_ACTIONS else "GetCallerIdentity"


def error_for_status(service: str, status: int) -> ApiError:
    """The error the real service would send with ``status`` (for fault injection)."""
    codes = _CODES_BY_STATUS.get(service, {})
    code = codes.get(status)
    if code is None:
        if status == 429:
            code = "TooManyRequestsException"
        elif status >= 500:
            code = "InternalFailure" if service == "sts" else "InternalServerException"
        else:
            code = "InvalidRequestException"
    return ApiError(code, status, f"Injected failure (HTTP {status}) from the sandbox.")


def render_error(service: str, error: ApiError, request_id: str) -> tuple[str, bytes, dict]:
    """(content type, body, extra headers) for ``error`` in ``service``'s wire format."""
    if service == "sts":
        kind = "Receiver" if error.status >= 500 else "Sender"
        body = (
            f'<ErrorResponse xmlns="{STS_NAMESPACE}">\n'
            f"  <Error>\n    <Type>{kind}</Type>\n    <Code>{escape(error.code)}</Code>\n"
            f"    <Message>{escape(error.message)}</Message>\n  </Error>\n"
            f"  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n"
        )
        return "text/xml", body.encode(), {}
    if service == "s3":
        return "application/xml", error_document(error.code, error.message, request_id), {}
    if service == "oidc":
        payload = {"error": _oidc_error_name(error.code), "error_description": error.message}
    else:
        payload = {"message": error.message}
    return (
        "application/json",
        json.dumps(payload).encode(),
        {"x-amzn-ErrorType": error.code},
    )


def sts_document(operation: str, fields: Mapping[str, Any], request_id: str) -> bytes:
    """The XML STS answers; a value that is a mapping becomes a nested element."""
    members = _xml_members(fields, "    ")
    return (
        f'<{operation}Response xmlns="{STS_NAMESPACE}">\n'
        f"  <{operation}Result>\n{members}  </{operation}Result>\n"
        f"  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n"
        f"  </ResponseMetadata>\n</{operation}Response>\n"
    ).encode()


def _xml_members(fields: Mapping[str, Any], indent: str) -> str:
    out = []
    for name, value in fields.items():
        if isinstance(value, Mapping):
            inner = _xml_members(value, indent + "  ")
            out.append(f"{indent}<{name}>\n{inner}{indent}</{name}>\n")
        else:
            out.append(f"{indent}<{name}>{escape(str(value))}</{name}>\n")
    return "".join(out)


def _oidc_error_name(code: str) -> str:
    """``AuthorizationPendingException`` -> ``authorization_pending`` (RFC 6749/8628 names)."""
    if code in _OIDC_ERROR_NAMES:
        return _OIDC_ERROR_NAMES[code]
    stem = code.removesuffix("Exception")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", stem).lower()
