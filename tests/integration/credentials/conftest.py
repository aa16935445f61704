"""A signed-in SSO profile, and the environment of a process that knows nothing but the endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ipyawssso.core.credential_server import stop_serving
from tests.integration.credentials.endpoint_helpers import (
    PROFILE,
    adopted_sign_in,
    ensure_node_sdk,
)


@pytest.fixture
def signed_in(sandbox) -> Iterator[str]:
    """``ai-dev`` signed in on the sandbox; every credential server is stopped after."""
    adopted_sign_in(sandbox)
    yield PROFILE
    stop_serving()


@pytest.fixture(scope="session")
def node_sdk() -> Path:
    return ensure_node_sdk()
