"""Stock botocore clients pointed at the sandbox, and a signed-in user to start from.

``aws_home`` and ``sandbox`` come from ``ipyawssso.sandbox.pytest_plugin`` (tests/conftest.py).

Each client is built the way botocore builds its own for SSO (unsigned sso-oidc and sso) or
from role keys the portal issued (sts, bedrock-runtime); nothing is patched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from sandbox_helpers import REGION, SignIn, poll, register, start

from ipyawssso.sandbox import Sandbox

ClientFactory = Callable[..., Any]


def _config(attempts: int, signed: bool, **extra: Any) -> Config:
    options: dict[str, Any] = {"retries": {"mode": "standard", "total_max_attempts": attempts}}
    if not signed:
        options["signature_version"] = UNSIGNED
    options.update(extra)
    return Config(**options)


@pytest.fixture
def client(sandbox: Sandbox) -> ClientFactory:
    """client("sso-oidc" | "sso", attempts=1, **Config options): an unsigned stock client."""

    def make(service: str, attempts: int = 1, **extra: Any) -> Any:
        return boto3.Session(region_name=REGION).client(
            service, config=_config(attempts, signed=False, **extra)
        )

    return make


@pytest.fixture
def oidc(client: ClientFactory) -> Any:
    return client("sso-oidc")


@pytest.fixture
def sso(client: ClientFactory) -> Any:
    return client("sso")


@pytest.fixture
def sign_in(sandbox: Sandbox, oidc: Any) -> Callable[[], SignIn]:
    """Runs the device flow to the end, the person approving through ``sandbox.approve``."""

    def run() -> SignIn:
        reg = register(oidc)
        auth = start(oidc, sandbox, reg)
        sandbox.approve(auth["userCode"])
        token = poll(oidc, reg, auth)
        return SignIn(
            reg["clientId"], reg["clientSecret"], token["accessToken"], token["refreshToken"]
        )

    return run


@pytest.fixture
def role_client(sandbox: Sandbox, sso: Any, sign_in: Callable[[], SignIn]) -> ClientFactory:
    """role_client(service, account_id, role_name, attempts=1): signed with issued role keys."""
    token = sign_in().access_token

    def make(service: str, account_id: str, role_name: str, attempts: int = 1) -> Any:
        creds = sso.get_role_credentials(
            accessToken=token, accountId=account_id, roleName=role_name
        )["roleCredentials"]
        return boto3.Session(
            aws_access_key_id=creds["accessKeyId"],
            aws_secret_access_key=creds["secretAccessKey"],
            aws_session_token=creds["sessionToken"],
            region_name=REGION,
        ).client(service, config=_config(attempts, signed=True))

    return make
