"""Chained profiles (role_arn + source_profile) on top of an SSO sign-in, judged by stock boto3."""

from __future__ import annotations

import json
import os
from pathlib import Path

import ipyawssso
from ipyawssso.sandbox.leak_guard import find_leaks
from tests.integration.conftest import run_fresh

ACCOUNT = "100000000001"
ROLE = "USS_AI_DEV_Bedrock_Access"

CHAINED = """
[profile bedrock]
role_arn = arn:aws:iam::222233334444:role/BedrockUser
source_profile = login
role_session_name = notebook
region = us-east-1

[profile deeper]
role_arn = arn:aws:iam::333344445555:role/team/Analyst
source_profile = bedrock
role_session_name = analysis
duration_seconds = 900
region = us-east-1
"""


def _sign_in_and_chain(sandbox, person) -> None:
    ipyawssso.login(
        "login",
        start_url=sandbox.start_url,
        sso_region=sandbox.region,
        session_name="my-sso",
        account_id=ACCOUNT,
        role_name=ROLE,
        on_pending=person.approves,
    )
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(config.read_text() + CHAINED)


def test_chained_profiles_of_depth_two_and_three_through_stock_boto3(sandbox, person, capsys):
    _sign_in_and_chain(sandbox, person)
    answers = run_fresh(
        "import boto3, json\n"
        "out = {}\n"
        "for name in ('bedrock', 'deeper'):\n"
        "    out[name] = boto3.Session(profile_name=name).client('sts').get_caller_identity()\n"
        "    out[name].pop('ResponseMetadata')\n"
        "print(json.dumps(out))"
    )
    assert answers["bedrock"]["Arn"] == (
        "arn:aws:sts::222233334444:assumed-role/BedrockUser/notebook"
    )
    assert answers["bedrock"]["Account"] == "222233334444"
    assert answers["deeper"]["Arn"] == "arn:aws:sts::333344445555:assumed-role/Analyst/analysis"
    assert answers["deeper"]["UserId"].endswith(":analysis")
    assert sandbox.calls["AssumeRole"] == 3  # bedrock once, then bedrock + deeper
    out = capsys.readouterr()
    leaks = find_leaks([out.out, out.err, json.dumps(answers)], sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)
