"""Small steps of the device flow, spelled with stock botocore calls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ipyawssso.sandbox import Sandbox

REGION = "us-east-1"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


@dataclass(frozen=True)
class SignIn:
    client_id: str
    client_secret: str
    access_token: str
    refresh_token: str


def register(oidc: Any, name: str = "botocore-client-test") -> dict[str, Any]:
    return oidc.register_client(clientName=name, clientType="public", scopes=["sso:account:access"])


def start(oidc: Any, sandbox: Sandbox, reg: dict[str, Any]) -> dict[str, Any]:
    return oidc.start_device_authorization(
        clientId=reg["clientId"], clientSecret=reg["clientSecret"], startUrl=sandbox.start_url
    )


def poll(oidc: Any, reg: dict[str, Any], auth: dict[str, Any]) -> dict[str, Any]:
    return oidc.create_token(
        clientId=reg["clientId"],
        clientSecret=reg["clientSecret"],
        grantType=DEVICE_GRANT,
        deviceCode=auth["deviceCode"],
    )
