"""``%aws_sso use PROFILE --serve`` on a real ipykernel: programs the kernel starts (stock boto3,
the AWS SDK for JavaScript in Node) get the role from the endpoint alone, and nothing after
``%aws_sso logout``; the leak guard runs over the notebook, the kernel log and HOME."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from kernel_harness import KernelNotebook

from tests.integration.credentials.endpoint_helpers import (
    ACCOUNT,
    ROLE,
    adopted_sign_in,
    ensure_node_sdk,
)

pytestmark = pytest.mark.kernel

SCRIPT = Path(__file__).resolve().parents[1] / "integration" / "credentials" / "who_am_i.cjs"
# Nothing but the endpoint: no config file, no profile.
BARE = "env -u AWS_PROFILE AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent"


def test_programs_started_by_the_kernel_get_the_role(kernel_nb, sandbox):
    node_modules = ensure_node_sdk()
    adopted_sign_in(sandbox)
    kernel_nb.run("%load_ext ipyawssso")
    cell = kernel_nb.run("%aws_sso use ai-dev --serve")
    assert "Serving AWS credentials for 'ai-dev'" in KernelNotebook.text(cell)
    arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/{ROLE}/"
    python = (
        "import boto3; print(boto3.client('sts', region_name='us-east-1')"
        ".get_caller_identity()['Arn'])"
    )
    cell = kernel_nb.run(f'!{BARE} {sys.executable} -c "{python}"')
    assert arn in KernelNotebook.text(cell)
    cell = kernel_nb.run(f"!{BARE} NODE_PATH={node_modules} node {SCRIPT}")
    assert arn in KernelNotebook.text(cell)

    cell = kernel_nb.run("%aws_sso logout ai-dev")
    assert "Stopped serving credentials for ai-dev." in KernelNotebook.text(cell)
    cell = kernel_nb.run(f"!{BARE} NODE_PATH={node_modules} node {SCRIPT}")
    assert "CredentialsProviderError" in KernelNotebook.text(cell)
