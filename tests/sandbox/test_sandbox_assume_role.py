"""STS AssumeRole through stock botocore, signed with keys the sandbox issued (role chaining)."""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.config import Config
from sandbox_helpers import REGION

ACCOUNT = "100000000001"
TARGET = "arn:aws:iam::222233334444:role/BedrockUser"


def _sts(creds: dict) -> object:
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=REGION,
    ).client("sts", config=Config(retries={"total_max_attempts": 1}))


def test_assumed_keys_answer_as_the_assumed_role(role_client):
    sts = role_client("sts", ACCOUNT, "ReadOnly")
    answer = sts.assume_role(RoleArn=TARGET, RoleSessionName="notebook")
    creds = answer["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    assert answer["AssumedRoleUser"]["Arn"] == (
        "arn:aws:sts::222233334444:assumed-role/BedrockUser/notebook"
    )
    left = creds["Expiration"] - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(minutes=59) < left <= datetime.timedelta(hours=1)
    me = _sts(creds).get_caller_identity()
    assert me["Arn"] == "arn:aws:sts::222233334444:assumed-role/BedrockUser/notebook"
    assert me["Account"] == "222233334444"
    assert me["UserId"].startswith("AROA") and me["UserId"].endswith(":notebook")
    assert me["UserId"] == answer["AssumedRoleUser"]["AssumedRoleId"]


def test_chains_of_three_and_the_issued_secrets_are_known(sandbox, role_client):
    creds = None
    sts = role_client("sts", ACCOUNT, "ReadOnly")
    for depth, account in enumerate(["111111111111", "222222222222", "333333333333"], 1):
        arn = f"arn:aws:iam::{account}:role/path/to/Hop{depth}"
        creds = sts.assume_role(RoleArn=arn, RoleSessionName=f"hop{depth}")["Credentials"]
        sts = _sts(creds)
        me = sts.get_caller_identity()
        assert me["Arn"] == f"arn:aws:sts::{account}:assumed-role/Hop{depth}/hop{depth}"
    assert creds is not None
    issued = sandbox.issued_secrets()
    assert {creds["SecretAccessKey"], creds["SessionToken"]} <= issued
    assert sandbox.calls["AssumeRole"] == 3


def test_duration_seconds_is_honoured_within_the_chaining_limit(role_client):
    sts = role_client("sts", ACCOUNT, "ReadOnly")
    creds = sts.assume_role(RoleArn=TARGET, RoleSessionName="short", DurationSeconds=900)
    left = creds["Credentials"]["Expiration"] - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(minutes=14) < left <= datetime.timedelta(minutes=15)
    with pytest.raises(sts.exceptions.ClientError) as caught:
        sts.assume_role(RoleArn=TARGET, RoleSessionName="long", DurationSeconds=7200)
    assert caught.value.response["Error"]["Code"] == "ValidationError"
    assert "1 hour session limit" in caught.value.response["Error"]["Message"]


def test_unknown_and_unsigned_callers_are_refused_as_aws_does(sandbox):
    stranger = _sts(
        {"AccessKeyId": "ASIAAAAAAAAAAAAAAAAA", "SecretAccessKey": "x" * 40, "SessionToken": "t"}
    )
    with pytest.raises(stranger.exceptions.ClientError) as caught:
        stranger.assume_role(RoleArn=TARGET, RoleSessionName="s1")
    error = caught.value.response
    assert error["Error"]["Code"] == "InvalidClientTokenId"
    assert error["Error"]["Type"] == "Sender"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    from botocore import UNSIGNED

    unsigned = boto3.Session(region_name=REGION).client(
        "sts", config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1})
    )
    with pytest.raises(unsigned.exceptions.ClientError) as caught:
        unsigned.assume_role(RoleArn=TARGET, RoleSessionName="s1")
    assert caught.value.response["Error"]["Code"] == "MissingAuthenticationToken"


def test_a_role_that_does_not_trust_the_caller_is_access_denied(sandbox, role_client):
    sandbox.configure(assume_denied_roles={"BedrockUser"})
    sts = role_client("sts", ACCOUNT, "ReadOnly")
    with pytest.raises(sts.exceptions.ClientError) as caught:
        sts.assume_role(RoleArn=TARGET, RoleSessionName="s1")
    error = caught.value.response["Error"]
    assert error["Code"] == "AccessDenied"
    assert "is not authorized to perform: sts:AssumeRole on resource: " + TARGET in error["Message"]
    with pytest.raises(sts.exceptions.ClientError) as caught:
        sts.assume_role(RoleArn="arn:aws:s3:::my-data-bucket", RoleSessionName="s1")
    assert caught.value.response["Error"]["Code"] == "ValidationError"


def test_assumed_keys_expire_with_the_others(sandbox, role_client):
    creds = role_client("sts", ACCOUNT, "ReadOnly").assume_role(
        RoleArn=TARGET, RoleSessionName="s1"
    )["Credentials"]
    sts = _sts(creds)
    sts.get_caller_identity()
    sandbox.expire_tokens(role_credentials=True)
    with pytest.raises(sts.exceptions.ClientError) as caught:
        sts.get_caller_identity()
    assert caught.value.response["Error"]["Code"] == "ExpiredToken"
