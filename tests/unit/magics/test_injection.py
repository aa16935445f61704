"""The injected session: still a boto3.Session, labelled with who it is, never with a secret."""

from __future__ import annotations

import os
from pathlib import Path

import boto3
import pytest

from ipyawssso.core.errors import InvalidValueError
from ipyawssso.magics.injection import ClientSpec, export_env, inject, parse_client_spec
from ipyawssso.profile_session import ProfileSession

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.fixture
def static_profile(aws_home: Path) -> str:
    """A profile with static keys: the repr must show who, never the key."""
    (aws_home / ".aws" / "config").write_text("[profile keys]\nregion = eu-central-1\n")
    (aws_home / ".aws" / "credentials").write_text(
        f"[keys]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = {SECRET}\n"
    )
    return "keys"


def test_client_specs():
    assert parse_client_spec("bedrock-runtime") == ClientSpec("bedrock-runtime", "bedrock_runtime")
    assert parse_client_spec(" s3 = bucket ") == ClientSpec("s3", "bucket")
    with pytest.raises(InvalidValueError):
        parse_client_spec("s3=not a name")


def test_wrapped_session_is_a_boto3_session_sharing_the_same_credentials(static_profile):
    plain = boto3.Session(profile_name=static_profile)
    wrapped = ProfileSession.wrap(plain, static_profile)
    assert isinstance(wrapped, boto3.Session)
    assert wrapped._session is plain._session
    assert wrapped.get_credentials().access_key == "AKIAEXAMPLE"
    shown = repr(wrapped) + wrapped._repr_html_()
    assert "keys" in shown and "eu-central-1" in shown
    assert SECRET not in shown and "AKIAEXAMPLE" not in shown


def test_inject_binds_session_and_clients(static_profile):
    namespace: dict = {}
    lines = inject(
        namespace,
        boto3.Session(profile_name=static_profile),
        static_profile,
        var="aws",
        clients=[ClientSpec("s3", "bucket")],
    )
    assert isinstance(namespace["aws"], ProfileSession)
    assert namespace["bucket"].meta.service_model.service_name == "s3"
    assert lines == ["`aws` is a boto3.Session for profile 'keys'.", "`bucket` is a s3 client."]


def test_unknown_service_suggests_close_names(static_profile):
    with pytest.raises(InvalidValueError, match="Did you mean bedrock-runtime"):
        inject(
            {},
            boto3.Session(profile_name=static_profile),
            "keys",
            var=None,
            clients=[ClientSpec("bedrock-runtim", "x")],
        )


def test_a_client_without_region_says_how_to_set_one(aws_home):
    (aws_home / ".aws" / "config").write_text("[profile noregion]\n")
    with pytest.raises(InvalidValueError, match="--region"):
        inject(
            {},
            boto3.Session(profile_name="noregion"),
            "noregion",
            var=None,
            clients=[ClientSpec("bedrock-runtime", "br")],
        )


def test_export_env_warns_about_credentials_that_would_win(aws_home, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    warnings = export_env("ai-dev", "us-west-2")
    assert os.environ["AWS_PROFILE"] == "ai-dev" and os.environ["AWS_REGION"] == "us-west-2"
    assert warnings and "AWS_ACCESS_KEY_ID is set" in warnings[0]
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    assert export_env("ai-dev", None) == []


def test_a_chained_sessions_repr_names_the_role_it_assumes(aws_home):
    (aws_home / ".aws" / "config").write_text(
        "[profile bedrock]\nrole_arn = arn:aws:iam::222222222222:role/ml/bedrock-user\n"
        "source_profile = keys\nregion = us-west-2\n"
        "[profile keys]\nregion = eu-central-1\n"
    )
    (aws_home / ".aws" / "credentials").write_text(
        f"[keys]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = {SECRET}\n"
    )
    wrapped = ProfileSession.wrap(boto3.Session(profile_name="bedrock"), "bedrock")
    assert wrapped.describe()["account"] == "222222222222"
    assert wrapped.describe()["role"] == "bedrock-user"
    assert SECRET not in repr(wrapped)
