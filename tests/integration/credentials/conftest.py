"""A signed-in SSO profile, and the environment of a process that knows nothing but the endpoint."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import ipyawssso
from ipyawssso.core.credential_server import stop_serving

ACCOUNT = "100000000001"
ROLE = "USS_AI_DEV_Bedrock_Access"
PROFILE = "ai-dev"


@pytest.fixture
def signed_in(sandbox, person) -> Iterator[str]:
    """``ai-dev`` signed in through the sandbox; every credential server is stopped after."""
    ipyawssso.login(
        PROFILE,
        start_url=sandbox.start_url,
        sso_region=sandbox.region,
        session_name="my-sso",
        account_id=ACCOUNT,
        role_name=ROLE,
        on_pending=person.approves,
    )
    yield PROFILE
    stop_serving()


def bare_env(tmp_path: Path, extra: dict[str, str]) -> dict[str, str]:
    """A child's environment whose only AWS settings are ``extra`` and the sandbox endpoints:
    an empty HOME and config, no profile, no keys."""
    home = tmp_path / "bare-home"
    (home / ".aws").mkdir(parents=True, exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_") or k.startswith("AWS_ENDPOINT_URL_")
    }
    env.update(
        HOME=str(home),
        AWS_CONFIG_FILE=str(home / ".aws" / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / ".aws" / "credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    env.update(extra)
    return env


NODE_SDK = Path(__file__).resolve().parents[3] / ".ci" / "npm-sdk"


@pytest.fixture(scope="session")
def node_sdk() -> Path:
    """A folder whose node_modules holds npm's @aws-sdk/client-sts (installed once, by .ci/run
    or here on first use)."""
    import shutil
    import subprocess

    if shutil.which("node") is None or shutil.which("npm") is None:
        if os.environ.get("CI"):
            pytest.fail("Node.js and npm are needed for the JavaScript SDK test")
        pytest.skip("Node.js and npm are not installed")
    if not (NODE_SDK / "node_modules" / "@aws-sdk" / "client-sts").is_dir():
        NODE_SDK.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--silent",
                "--prefix",
                str(NODE_SDK),
                "@aws-sdk/client-sts@3",
            ],
            check=True,
            timeout=600,
        )
    return NODE_SDK / "node_modules"
