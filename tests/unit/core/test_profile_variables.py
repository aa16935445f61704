"""``profile=None`` names the profile boto3 would use: botocore's variables, in botocore's order.

Guards the docs' sentence (api.md, README): "`profile=None` always means the profile boto3
would use: `AWS_DEFAULT_PROFILE`, else `AWS_PROFILE` (botocore reads them in that order), else
`default`."
"""

from __future__ import annotations

import os

import botocore.session
import pytest

from ipyawssso.core.api import profile_name
from ipyawssso.magics.injection import export_env

CASES = [
    {},
    {"AWS_PROFILE": "ai-dev"},
    {"AWS_DEFAULT_PROFILE": "legacy"},
    {"AWS_PROFILE": "ai-dev", "AWS_DEFAULT_PROFILE": "legacy"},
]


@pytest.mark.parametrize(
    "variables", CASES, ids=lambda v: ",".join(f"{k}={x}" for k, x in v.items())
)
def test_profile_none_is_the_profile_boto3_uses(aws_home, monkeypatch, variables):
    (aws_home / ".aws" / "config").write_text(
        "[default]\nregion = us-east-1\n[profile ai-dev]\nregion = us-east-1\n"
        "[profile legacy]\nregion = us-east-1\n"
    )
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    # What stock botocore (and so boto3.Session()) resolves, asked fresh.
    expected = botocore.session.Session().profile or "default"
    assert profile_name(None) == expected


def test_export_env_warns_that_aws_default_profile_would_still_win(aws_home, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "legacy")
    warnings = export_env("ai-dev", "us-east-1")
    assert os.environ["AWS_PROFILE"] == "ai-dev"
    assert warnings and "AWS_DEFAULT_PROFILE is set" in warnings[0]
    # It is right to warn: boto3 would still pick the other profile.
    assert botocore.session.Session().profile == "legacy"
