"""The per-kernel credential endpoint, judged by stock botocore in processes that know nothing
else (no profile, empty config, a fresh HOME): only the two container-credentials variables."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import ipyawssso
from ipyawssso.command_wording import MAGIC, TERMINAL
from ipyawssso.core.credential_server import (
    AUTHORIZATION_ENV,
    FULL_URI_ENV,
    REFRESH_MARGIN,
    CredentialServer,
    Keys,
    stop_serving,
)
from ipyawssso.core.errors import PYTHON, LoginRequired, ProfileNotFound
from ipyawssso.sandbox.leak_guard import find_leaks
from tests.integration.conftest import run_fresh
from tests.integration.credentials.endpoint_helpers import (
    ACCOUNT,
    ROLE,
    adopted_sign_in,
    bare_env,
)

WHO = (
    "import boto3, json\n"
    "try:\n"
    "    me = boto3.client('sts', region_name='us-east-1').get_caller_identity()\n"
    "    print(json.dumps({'Arn': me['Arn'], 'Account': me['Account']}))\n"
    "except Exception as e:\n"
    "    print(json.dumps({'error': type(e).__name__, 'message': str(e)}))\n"
)


_OWN = object()


def _get(server: CredentialServer, *, token: object = _OWN, host: str | None = None):
    """(status, body) of one request to the endpoint, the way an SDK sends it."""
    request = urllib.request.Request(server.url)
    if token is _OWN:
        token = server.env[AUTHORIZATION_ENV]
    if isinstance(token, str):
        request.add_header("Authorization", token)
    if host is not None:
        request.add_header("Host", host)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.interop
def test_stock_botocore_with_only_the_two_variables(signed_in, sandbox, tmp_path, capsys):
    server = ipyawssso.serve_credentials(signed_in)
    assert set(server.env) == {FULL_URI_ENV, AUTHORIZATION_ENV}
    assert server.url.startswith("http://127.0.0.1:")
    assert server.profile == signed_in
    assert ipyawssso.serve_credentials(signed_in) is server  # one per process and profile
    assert len(server.env[AUTHORIZATION_ENV]) >= 43  # 32 random bytes, URL-safe base64

    env = bare_env(tmp_path, server.env)
    me = run_fresh(WHO, env=env)
    assert me == {
        "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{ROLE}/ada@example.com",
        "Account": ACCOUNT,
    }
    # The sign-in ends (here through the Python API, as another process would): a clear error.
    ipyawssso.logout(signed_in)
    ended = run_fresh(WHO, env=env)
    assert "error" in ended, ended
    assert f"ipyawssso.login({signed_in!r})" in ended["message"]  # started by Python code
    status, body = _get(server)
    assert status == 503
    assert json.loads(body)["Code"] == "LoginRequired"
    out = capsys.readouterr()
    leaks = find_leaks(
        [out.out, out.err, json.dumps(me), json.dumps(ended), repr(server)],
        sandbox.issued_secrets() | {server.env[AUTHORIZATION_ENV]},
    )
    assert not leaks, "\n".join(leaks)


def test_keys_are_renewed_before_they_expire(signed_in, sandbox):
    sandbox.configure(role_credentials_ttl=REFRESH_MARGIN + 2)
    ipyawssso.logout(signed_in)  # drop the hour-long keys the login fetched
    server = ipyawssso.serve_credentials(signed_in)
    status, body = _get(server)
    assert status == 503  # signed out: no keys
    ipyawssso.login(signed_in, on_pending=lambda auth: sandbox.approve(auth.user_code))
    status, body = _get(server)
    assert status == 200, body
    first = json.loads(body)
    assert set(first) == {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}
    sandbox.reset_calls()
    assert json.loads(_get(server)[1]) == first  # from memory: no call to AWS
    assert sum(sandbox.calls.values()) == 0
    time.sleep(2.2)  # now inside the margin: the next request renews them
    second = json.loads(_get(server)[1])
    assert second["AccessKeyId"] != first["AccessKeyId"]
    assert second["Expiration"] > first["Expiration"]
    assert sandbox.calls["GetRoleCredentials"] == 1


def test_refused_requests_get_a_status_and_nothing_else(signed_in, caplog, capfd):
    caplog.set_level(logging.DEBUG, logger="ipyawssso")
    capfd.readouterr()
    server = ipyawssso.serve_credentials(signed_in)
    token = server.env[AUTHORIZATION_ENV]
    port = server.url.split(":")[2].split("/")[0]
    assert _get(server, token=None) == (401, b"")
    assert _get(server, token="x" * len(token)) == (403, b"")
    assert _get(server, token=token[:-1]) == (403, b"")
    assert _get(server, token=token + "x") == (403, b"")
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.nip.io:{port}", ""):
        assert _get(server, host=host) == (403, b""), host
    assert _get(server, host=f"localhost:{port}")[0] == 200
    request = urllib.request.Request(server.url, headers={"Authorization": token})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as answer:
        assert answer.headers["Cache-Control"] == "no-store"
    assert _get(server)[0] == 200
    # Nothing logged or written (http.server would write each request line to stderr).
    assert caplog.text == ""
    assert capfd.readouterr() == ("", "")


def test_a_stopped_server_refuses_connections_and_a_new_one_has_a_new_token(signed_in):
    server = ipyawssso.serve_credentials(signed_in)
    old = dict(server.env)
    server.stop()
    with pytest.raises(urllib.error.URLError):
        _get(server)
    again = ipyawssso.serve_credentials(signed_in)
    assert again is not server
    assert again.env[AUTHORIZATION_ENV] != old[AUTHORIZATION_ENV]
    assert _get(again)[0] == 200


def test_concurrent_requests_during_a_renewal_share_one_call(signed_in, sandbox):
    server = ipyawssso.serve_credentials(signed_in)
    ipyawssso.logout(signed_in)
    ipyawssso.login(signed_in, on_pending=lambda auth: sandbox.approve(auth.user_code))
    sandbox.configure(latency=0.3)
    sandbox.reset_calls()
    results: list[tuple[int, bytes]] = []
    threads = [threading.Thread(target=lambda: results.append(_get(server))) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [status for status, _ in results] == [200] * 16
    assert len({body for _, body in results}) == 1
    assert sandbox.calls["GetRoleCredentials"] == 1


def test_an_unknown_profile_is_refused_at_once(sandbox):
    with pytest.raises(ProfileNotFound):
        ipyawssso.serve_credentials("nope")


@pytest.mark.interop
def test_the_javascript_sdk_uses_the_endpoint(signed_in, node_sdk, tmp_path):
    server = ipyawssso.serve_credentials(signed_in)
    env = bare_env(tmp_path, {**server.env, "NODE_PATH": str(node_sdk)})
    script = str(Path(__file__).with_name("who_am_i.cjs"))

    def node() -> dict:
        done = subprocess.run(
            ["node", script], capture_output=True, text=True, timeout=60, env=env, check=True
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert node() == {
        "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{ROLE}/ada@example.com",
        "Account": ACCOUNT,
    }
    ipyawssso.logout(signed_in)
    # The SDK's chain hides each provider's message behind its own; what matters is that it
    # got no keys (the endpoint answered 503 with the login to run, as botocore shows).
    assert node() == {
        "error": "CredentialsProviderError",
        "message": "Could not load credentials from any providers",
    }


def test_a_sign_in_near_its_end_is_renewed_through_the_refresh_token(sandbox):
    # Two minutes left: inside the refresh window, so the first request renews the SSO token
    # (CreateToken with the refresh token) before it asks for role keys.
    adopted_sign_in(sandbox, expires_in=120)
    try:
        server = ipyawssso.serve_credentials("ai-dev")
        sandbox.reset_calls()
        status, body = _get(server)
        assert status == 200, body
        assert sandbox.calls["CreateToken"] == 1
        assert sandbox.calls["GetRoleCredentials"] == 1
        assert ipyawssso.status()[0].time_left().total_seconds() > 3600
    finally:
        stop_serving()


CHAINED = """
[profile bedrock]
role_arn = arn:aws:iam::222233334444:role/BedrockUser
source_profile = ai-dev
role_session_name = notebook
region = us-east-1
"""


@pytest.mark.interop
def test_a_chained_profile_is_served_with_its_assumed_role(signed_in, sandbox, tmp_path):
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(config.read_text() + CHAINED)
    server = ipyawssso.serve_credentials("bedrock")
    env = bare_env(tmp_path, server.env)
    me = run_fresh(WHO, env=env)
    assert me["Arn"] == "arn:aws:sts::222233334444:assumed-role/BedrockUser/notebook"
    assert sandbox.calls["AssumeRole"] == 1
    ipyawssso.logout(signed_in)  # the SSO root's sign-in ends: so does the chain's
    status, body = _get(server)
    assert status == 503
    assert "ipyawssso.login(" in json.loads(body)["Message"]


def test_an_error_answer_asks_for_the_login_of_the_front_end_that_started_it(aws_home):
    """The magic's --serve and the terminal's serve say how to sign in their own way."""

    def ended(profile: str) -> Keys:
        raise LoginRequired(profile, "the sign-in ended")

    for wording, words in [
        (MAGIC, "Run `%aws_sso login dev`."),
        (TERMINAL, "Run `ipyawssso login dev`."),
        (PYTHON, "Run `ipyawssso.login('dev')`."),
    ]:
        server = CredentialServer("dev", resolve=ended, wording=wording)
        try:
            status, body = _get(server)
        finally:
            server.stop()
        assert status == 503
        assert json.loads(body)["Message"].endswith(words)
