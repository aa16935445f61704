"""A signed-in SSO profile, and the environment of a process that knows nothing but the endpoint."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ipyawssso.core.credential_server import stop_serving
from tests.integration.credentials.endpoint_helpers import NODE_SDK, PROFILE, adopted_sign_in


@pytest.fixture
def signed_in(sandbox) -> Iterator[str]:
    """``ai-dev`` signed in on the sandbox; every credential server is stopped after."""
    adopted_sign_in(sandbox)
    yield PROFILE
    stop_serving()


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
