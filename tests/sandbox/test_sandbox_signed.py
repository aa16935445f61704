"""STS and Bedrock through stock botocore, signed (SigV4) with role keys the portal issued."""

from __future__ import annotations

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from sandbox_helpers import REGION

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


def _ask(text: str, **extra):
    return {"modelId": MODEL, "messages": [{"role": "user", "content": [{"text": text}]}], **extra}


def _keyed(service: str, key: str, secret: str, token: str | None):
    return boto3.Session(
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        region_name=REGION,
    ).client(service, config=Config(retries={"total_max_attempts": 1}))


def test_caller_identity_names_the_role_that_signed(role_client):
    for account, role in [
        ("100000000001", "ReadOnly"),
        ("100000000002", "USS_AI_DEV_Bedrock_Access"),
    ]:
        me = role_client("sts", account, role).get_caller_identity()
        assert me["Account"] == account
        assert me["Arn"] == f"arn:aws:sts::{account}:assumed-role/{role}/ada@example.com"
        assert me["UserId"].startswith("AROA")
        assert me["UserId"].endswith(":ada@example.com")


def test_reserved_role_arns_look_like_identity_centers(sandbox, role_client):
    sandbox.configure(reserved_role_arns=True, user_name="grace@example.com")
    arn = role_client("sts", "100000000001", "ReadOnly").get_caller_identity()["Arn"]
    prefix = "arn:aws:sts::100000000001:assumed-role/AWSReservedSSO_ReadOnly_"
    assert arn.startswith(prefix)
    assert arn.endswith("/ada@example.com")  # the user who signed in before the change


def test_unknown_key_is_an_invalid_client_token(sandbox):
    sts = _keyed("sts", "ASIAAAAAAAAAAAAAAAAA", "x" * 40, "token")
    with pytest.raises(sts.exceptions.ClientError) as caught:
        sts.get_caller_identity()
    error = caught.value.response["Error"]
    assert error["Code"] == "InvalidClientTokenId"
    assert error["Type"] == "Sender"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_wrong_secret_or_session_token_is_refused(sandbox, sso, sign_in):
    token = sign_in().access_token
    creds = sso.get_role_credentials(
        accessToken=token, accountId="100000000001", roleName="ReadOnly"
    )["roleCredentials"]
    wrong_secret = _keyed("sts", creds["accessKeyId"], "x" * 40, creds["sessionToken"])
    with pytest.raises(wrong_secret.exceptions.ClientError) as caught:
        wrong_secret.get_caller_identity()
    assert caught.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    no_token = _keyed("sts", creds["accessKeyId"], creds["secretAccessKey"], None)
    with pytest.raises(no_token.exceptions.ClientError) as caught:
        no_token.get_caller_identity()
    assert caught.value.response["Error"]["Code"] == "InvalidClientTokenId"


def test_expired_role_keys(sandbox, role_client):
    sts = role_client("sts", "100000000001", "ReadOnly")
    sts.get_caller_identity()
    sandbox.expire_tokens(role_credentials=True)
    with pytest.raises(sts.exceptions.ClientError) as caught:
        sts.get_caller_identity()
    # What STS says for expired session credentials (not the modelled ExpiredTokenException).
    assert caught.value.response["Error"]["Code"] == "ExpiredToken"


def test_unsigned_sts_call_is_missing_authentication(sandbox):
    sts = boto3.Session(region_name=REGION).client(
        "sts", config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1})
    )
    with pytest.raises(sts.exceptions.ClientError) as caught:
        sts.get_caller_identity()
    assert caught.value.response["Error"]["Code"] == "MissingAuthenticationToken"


def test_sts_faults_use_sts_codes(sandbox, role_client):
    sts = role_client("sts", "100000000001", "ReadOnly")
    sandbox.fail_next("GetCallerIdentity", status=503)
    with pytest.raises(sts.exceptions.ClientError) as caught:
        sts.get_caller_identity()
    assert caught.value.response["Error"]["Code"] == "ServiceUnavailable"


def test_converse_echoes_deterministically(sandbox, role_client):
    bedrock = role_client("bedrock-runtime", "100000000001", "USS_AI_DEV_Bedrock_Access")
    reply = bedrock.converse(**_ask("What is in the bucket?", system=[{"text": "Be brief."}]))
    assert reply["output"]["message"] == {
        "role": "assistant",
        "content": [{"text": f"Sandbox echo ({MODEL}): What is in the bucket?"}],
    }
    assert reply["stopReason"] == "end_turn"
    assert reply["usage"] == {"inputTokens": 7, "outputTokens": 8, "totalTokens": 15}
    assert reply["metrics"]["latencyMs"] >= 0


def test_converse_honours_max_tokens(role_client):
    bedrock = role_client("bedrock-runtime", "100000000001", "USS_AI_DEV_Bedrock_Access")
    reply = bedrock.converse(**_ask("one two three four", inferenceConfig={"maxTokens": 3}))
    assert reply["stopReason"] == "max_tokens"
    assert reply["output"]["message"]["content"][0]["text"] == f"Sandbox echo ({MODEL}):"


def test_converse_needs_a_role_with_bedrock_access(role_client):
    bedrock = role_client("bedrock-runtime", "100000000001", "ReadOnly")
    with pytest.raises(bedrock.exceptions.AccessDeniedException) as caught:
        bedrock.converse(**_ask("hi"))
    message = caught.value.response["Error"]["Message"]
    assert "assumed-role/ReadOnly/ada@example.com is not authorized" in message
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_converse_with_unknown_keys_is_unrecognized(sandbox):
    bedrock = _keyed("bedrock-runtime", "ASIAAAAAAAAAAAAAAAAA", "x" * 40, "token")
    with pytest.raises(bedrock.exceptions.ClientError) as caught:
        bedrock.converse(**_ask("hi"))
    assert caught.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_converse_validates_messages(role_client):
    bedrock = role_client("bedrock-runtime", "100000000001", "USS_AI_DEV_Bedrock_Access")
    with pytest.raises(bedrock.exceptions.ValidationException):
        bedrock.converse(
            modelId=MODEL, messages=[{"role": "assistant", "content": [{"text": "hi"}]}]
        )


def test_converse_stream_speaks_the_event_stream(role_client):
    bedrock = role_client("bedrock-runtime", "100000000001", "USS_AI_DEV_Bedrock_Access")
    whole = bedrock.converse(**_ask("stream this please"))
    events = list(bedrock.converse_stream(**_ask("stream this please"))["stream"])
    kinds = [next(iter(event)) for event in events]
    assert kinds[0] == "messageStart"
    assert kinds[-3:] == ["contentBlockStop", "messageStop", "metadata"]
    text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in events[1:-3])
    assert text == whole["output"]["message"]["content"][0]["text"]
    assert events[-2]["messageStop"]["stopReason"] == "end_turn"
    assert events[-1]["metadata"]["usage"] == whole["usage"]
