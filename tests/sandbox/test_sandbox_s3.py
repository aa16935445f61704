"""The sandbox's minimal S3 through stock boto3, signed (SigV4, service s3) with issued keys."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from sandbox_helpers import REGION

ACCOUNT = "100000000001"


def _s3(key: str, secret: str, token: str):
    return boto3.Session(
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        region_name=REGION,
    ).client("s3", config=Config(retries={"total_max_attempts": 1}))


@pytest.fixture
def keys(sandbox, sso, sign_in) -> dict:
    sandbox.create_bucket("lake")
    return sso.get_role_credentials(
        accessToken=sign_in().access_token, accountId=ACCOUNT, roleName="ReadOnly"
    )["roleCredentials"]


@pytest.fixture
def s3(keys):
    return _s3(keys["accessKeyId"], keys["secretAccessKey"], keys["sessionToken"])


def test_put_list_and_get_with_ranges(sandbox, s3):
    for key in ("raw/2024/a.csv", "raw/2025/b.csv", "raw/readme.txt", "top.txt"):
        s3.put_object(Bucket="lake", Key=key, Body=key.encode())
    assert sandbox.object_keys("lake") == [
        "raw/2024/a.csv",
        "raw/2025/b.csv",
        "raw/readme.txt",
        "top.txt",
    ]
    listed = s3.list_objects_v2(Bucket="lake", Prefix="raw/", Delimiter="/")
    assert [c["Key"] for c in listed["Contents"]] == ["raw/readme.txt"]
    assert [p["Prefix"] for p in listed["CommonPrefixes"]] == ["raw/2024/", "raw/2025/"]
    pages = s3.get_paginator("list_objects_v2").paginate(
        Bucket="lake", PaginationConfig={"PageSize": 1}
    )
    assert [c["Key"] for page in pages for c in page.get("Contents", [])] == sandbox.object_keys(
        "lake"
    )
    assert s3.get_object(Bucket="lake", Key="top.txt")["Body"].read() == b"top.txt"
    part = s3.get_object(Bucket="lake", Key="top.txt", Range="bytes=1-3")
    assert part["Body"].read() == b"op."
    assert part["ContentRange"] == "bytes 1-3/7"
    assert s3.head_object(Bucket="lake", Key="top.txt")["ContentLength"] == 7
    s3.head_bucket(Bucket="lake")
    s3.create_bucket(Bucket="second")
    assert sandbox.object_keys("second") == []


def test_missing_things_and_bad_signatures_are_s3_errors(sandbox, s3, keys):
    with pytest.raises(s3.exceptions.NoSuchKey):
        s3.get_object(Bucket="lake", Key="nope")
    with pytest.raises(s3.exceptions.NoSuchBucket):
        s3.list_objects_v2(Bucket="elsewhere")
    forged = _s3(keys["accessKeyId"], "x" * 40, keys["sessionToken"])
    with pytest.raises(forged.exceptions.ClientError) as caught:
        forged.list_objects_v2(Bucket="lake")
    assert caught.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    stranger = _s3("ASIAAAAAAAAAAAAAAAAA", "x" * 40, "t")
    with pytest.raises(stranger.exceptions.ClientError) as caught:
        stranger.put_object(Bucket="lake", Key="k", Body=b"v")
    assert caught.value.response["Error"]["Code"] == "InvalidAccessKeyId"
    assert sandbox.object_keys("lake") == []
