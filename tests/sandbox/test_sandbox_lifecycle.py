"""Starting and stopping, the fixtures, the command line, quiet logs, adopting CLI files."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError
from sandbox_helpers import REGION, register

import ipyawssso
from ipyawssso.sandbox import Sandbox, SandboxConfig
from ipyawssso.sandbox.leak_guard import find_leaks

REPO = Path(ipyawssso.__file__).resolve().parents[1]


def _env_for_child() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def test_aws_home_empties_the_aws_world(monkeypatch, request, tmp_path):
    monkeypatch.setenv("AWS_PROFILE", "prod")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREAL")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://example.invalid")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("NO_PROXY", "corp.example")
    home = request.getfixturevalue("aws_home")
    assert os.environ["HOME"] == str(home)
    assert home.parent == tmp_path
    assert list((home / ".aws").iterdir()) == []
    assert (home / ".aws").stat().st_mode & 0o777 == 0o700
    assert os.environ["AWS_CONFIG_FILE"] == str(home / ".aws" / "config")
    assert os.environ["AWS_SHARED_CREDENTIALS_FILE"] == str(home / ".aws" / "credentials")
    assert os.environ["AWS_EC2_METADATA_DISABLED"] == "true"
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION"):
        assert name not in os.environ
    assert os.environ["NO_PROXY"] == "corp.example,127.0.0.1,localhost"
    assert boto3.Session().get_credentials() is None


def test_sandbox_fixture_points_botocore_at_it(sandbox, aws_home):
    assert sandbox.env() == {
        "AWS_ENDPOINT_URL_SSO_OIDC": sandbox.url,
        "AWS_ENDPOINT_URL_SSO": sandbox.url,
        "AWS_ENDPOINT_URL_STS": sandbox.url,
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": sandbox.url,
        "AWS_ENDPOINT_URL_S3": sandbox.url,
        "AWS_ENDPOINT_URL_SIGNIN": sandbox.url,
    }
    for name, value in sandbox.env().items():
        assert os.environ[name] == value
    assert sandbox.url.startswith("http://127.0.0.1:")
    assert sandbox.start_url == "https://d-sandbox0001.awsapps.com/start"
    assert sandbox.region == "us-east-1"
    oidc = boto3.client("sso-oidc", region_name=REGION, config=Config(signature_version=UNSIGNED))
    register(oidc)
    assert sandbox.calls == {"RegisterClient": 1}
    sandbox.reset_calls()
    assert sandbox.calls == {}


def test_context_manager_and_stop_close_every_connection(aws_home):
    with Sandbox(SandboxConfig(accounts=1)) as sb:
        oidc = boto3.client(
            "sso-oidc",
            region_name=REGION,
            endpoint_url=sb.url,
            config=Config(
                signature_version=UNSIGNED,
                connect_timeout=1,
                read_timeout=2,
                retries={"total_max_attempts": 1},
            ),
        )
        register(oidc)  # leaves a kept-alive connection in botocore's pool
        sb.hang_next("RegisterClient", 30)
        started = time.monotonic()
    assert time.monotonic() - started < 3
    with pytest.raises(RuntimeError, match="not running"):
        _ = sb.url
    started = time.monotonic()
    with pytest.raises((EndpointConnectionError, oidc.exceptions.ClientError)):
        register(oidc)
    assert time.monotonic() - started < 3


def test_stop_wakes_a_hung_call(aws_home):
    sb = Sandbox().start()
    url = sb.url
    sb.hang_next("Index", 30)
    outcome: list[object] = []

    def call():
        try:
            with urllib.request.urlopen(url + "/", timeout=10) as response:
                outcome.append(response.status)
        except Exception as error:  # the outcome is asserted below
            outcome.append(type(error).__name__)

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    sb.stop()
    thread.join(5)
    assert time.monotonic() - started < 3
    assert outcome == ["HTTPError"]  # 503: the sandbox is stopping


def test_configure_checks_names_and_values(aws_home):
    sb = Sandbox(accounts=2)
    assert sb.config.accounts == 2
    with pytest.raises(TypeError, match="rate_limt"):
        sb.configure(rate_limt=3)
    with pytest.raises(TypeError, match="region"):
        sb.configure(region="eu-west-1")
    with pytest.raises(ValueError, match="page_size must be between 1 and 100"):
        sb.configure(page_size=500)
    assert sb.configure(latency=0.5).latency == 0.5
    with pytest.raises(ValueError, match="https"):
        SandboxConfig(start_url="http://d-1.awsapps.com/start")


def test_verbose_logs_requests_but_no_secret(aws_home, capfd):
    with Sandbox(verbose=True) as sb:
        oidc = boto3.client(
            "sso-oidc",
            region_name=REGION,
            endpoint_url=sb.url,
            config=Config(signature_version=UNSIGNED),
        )
        reg = register(oidc)
        auth = oidc.start_device_authorization(
            clientId=reg["clientId"], clientSecret=reg["clientSecret"], startUrl=sb.start_url
        )
        sb.approve(auth["userCode"])
        oidc.create_token(
            clientId=reg["clientId"],
            clientSecret=reg["clientSecret"],
            grantType="urn:ietf:params:oauth:grant-type:device_code",
            deviceCode=auth["deviceCode"],
        )
        issued = sb.issued_secrets()
    out, err = capfd.readouterr()
    assert "sandbox: POST /token -> 200" in err
    assert find_leaks([out, err], issued) == []


def test_quiet_by_default(sandbox, oidc, capfd):
    register(oidc)
    sandbox.fail_next("RegisterClient", status=500)
    with pytest.raises(oidc.exceptions.InternalServerException):
        register(oidc)
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(sandbox.url + "/nope", timeout=5)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def _cli_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_adopting_files_another_stand_in_wrote(sandbox, sso, oidc, tmp_path):
    """The shape of the AWS CLI's fixtures: a token, its registration, and a role-credential
    file that no profile names any more (the profile moved to another role since)."""
    aws = tmp_path / "cli-home" / ".aws"
    (aws / "sso" / "cache").mkdir(parents=True)
    (aws / "cli" / "cache").mkdir(parents=True)
    (aws / "config").write_text(
        "[profile ai-dev]\nsso_session = my-sso-session\nsso_account_id = 100000000002\n"
        "sso_role_name = USS_AI_DEV_Bedrock_Access\n[sso-session my-sso-session]\n"
        "sso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\n"
    )
    soon = datetime.now(UTC) + timedelta(minutes=5)
    later = datetime.now(UTC) + timedelta(days=80)
    token = {
        "startUrl": "https://d-1234567890.awsapps.com/start",
        "region": "us-east-1",
        "accessToken": "at-fromTheCliFixtureXXXXXXXXXXXXXXXXXXXX",
        "expiresAt": _cli_time(soon),
        "clientId": "cid-630dd26dfc77",
        "clientSecret": "csec-fromTheCliFixtureYYYYYYYYYYYYY",
        "registrationExpiresAt": _cli_time(later),
        "refreshToken": "rt-fromTheCliFixtureZZZZZZZZZZZZZZZZZZZZZ",
    }
    (aws / "sso" / "cache" / "b755b5ec73400c04400e978208d8559ad1f39053.json").write_text(
        json.dumps(token)
    )
    (aws / "sso" / "cache" / "a879004427eca95014a75aa395b0e0b4312ef7da.json").write_text(
        json.dumps(
            {
                "clientId": token["clientId"],
                "clientSecret": token["clientSecret"],
                "expiresAt": _cli_time(later),
                "scopes": ["sso:account:access"],
            }
        )
    )
    # sha1('{"accountId":"100000000001","roleName":"ReadOnly","sessionName":"my-sso-session"}')
    (aws / "cli" / "cache" / "e6094e3a049eabd38e784bc5f003b96b81301b02.json").write_text(
        json.dumps(
            {
                "ProviderType": "sso",
                "Credentials": {
                    "AccessKeyId": "ASIAC353878C602B3884",
                    "SecretAccessKey": "36u2K1XF2MY7FIEvUGid3fXtmEGzQY6aDXysxSFj",
                    "SessionToken": "fromTheCliFixture-session-token",
                    "Expiration": _cli_time(soon),
                    "AccountId": "100000000001",
                },
            }
        )
    )
    (aws / "cli" / "cache" / "0000.json").write_text('{"ProviderType": "sso"}')

    skipped = sandbox.adopt_aws_folder(aws)
    assert skipped == ["0000.json: no profile in config names this role"]
    assert {token["accessToken"], token["refreshToken"], token["clientSecret"]} <= (
        sandbox.issued_secrets()
    )
    assert sso.list_accounts(accessToken=token["accessToken"])["accountList"]
    refreshed = oidc.create_token(
        clientId=token["clientId"],
        clientSecret=token["clientSecret"],
        grantType="refresh_token",
        refreshToken=token["refreshToken"],
    )
    assert refreshed["accessToken"] in sandbox.issued_secrets()
    me = (
        boto3.Session(
            aws_access_key_id="ASIAC353878C602B3884",
            aws_secret_access_key="36u2K1XF2MY7FIEvUGid3fXtmEGzQY6aDXysxSFj",
            aws_session_token="fromTheCliFixture-session-token",
            region_name=REGION,
        )
        .client("sts")
        .get_caller_identity()
    )
    assert me["Arn"] == "arn:aws:sts::100000000001:assumed-role/ReadOnly/ada@example.com"


def test_command_line_prints_what_to_paste_and_stops_on_signal(aws_home):
    child = subprocess.Popen(
        [sys.executable, "-m", "ipyawssso.sandbox", "--accounts", "4", "--rate-limit", "20"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env_for_child(),
    )
    try:
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if line.startswith("Press Ctrl-C"):
                break
        text = "\n".join(lines)
        url = lines[0].rsplit(" ", 1)[-1]
        assert url.startswith("http://127.0.0.1:")
        assert "start URL:    https://d-sandbox0001.awsapps.com/start" in text
        assert "4 account(s) x 2 role(s)" in text
        for name in ("SSO_OIDC", "SSO", "STS", "BEDROCK_RUNTIME"):
            assert f"  export AWS_ENDPOINT_URL_{name}={url}" in lines
        # The notebook form: followed in a fresh interpreter, a sign-in lands in a throw-away
        # HOME, never in the HOME the process started with.
        (notebook_line,) = [line.strip() for line in lines if "import join" in line]
        before = Path(os.environ["HOME"])
        script = (
            f"{notebook_line}\n"
            "import os, ipyawssso\n"
            "ipyawssso.login('nb', account_id='100000000001', role_name='ReadOnly',"
            " start_url=os.environ['IPYAWSSSO_START_URL'],"
            " sso_region=os.environ['IPYAWSSSO_SSO_REGION'],"
            " timeout=30, on_pending=lambda a: open(os.environ['CODE_FILE'], 'w')"
            ".write(a.user_code))\n"
            "print(os.environ['HOME'])\n"
        )
        code_file = before / "code.txt"
        run = subprocess.Popen(
            [sys.executable, "-c", script],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**_env_for_child(), "CODE_FILE": str(code_file)},
        )
        deadline = time.monotonic() + 30
        while not code_file.exists() or not code_file.read_text():
            assert time.monotonic() < deadline and run.poll() is None, run.communicate()
            time.sleep(0.1)
        urllib.request.urlopen(
            urllib.request.Request(
                f"{url}/device",
                data=f"user_code={code_file.read_text()}&action=allow".encode(),
            ),
            timeout=5,
        ).close()
        out, err = run.communicate(timeout=30)
        assert run.returncode == 0, err
        home = Path(out.strip().splitlines()[-1])
        assert home != before and "[profile nb]" in (home / ".aws" / "config").read_text()
        assert (
            not (before / ".aws" / "config").exists()
            or "nb" not in (before / ".aws" / "config").read_text()
        )
        with urllib.request.urlopen(url + "/", timeout=5) as response:
            assert response.status == 200
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=10)
        assert child.returncode == 0, err
        assert "Stopped." in out
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()


def test_command_line_refuses_bad_settings(aws_home):
    result = subprocess.run(
        [sys.executable, "-m", "ipyawssso.sandbox", "--page-size", "500"],
        capture_output=True,
        text=True,
        timeout=30,
        env=_env_for_child(),
    )
    assert result.returncode != 0
    assert "page_size must be between 1 and 100" in result.stderr


def test_demo_signs_in_end_to_end_without_touching_home(aws_home):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "ipyawssso.sandbox", "--demo"],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env_for_child(),
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "confirm the code" in out
    assert "Account  100000000001" in out
    assert (
        "Arn      arn:aws:sts::100000000001:assumed-role/USS_AI_DEV_Bedrock_Access/"
        "ada@example.com" in out
    )
    assert "Bedrock (sandbox echo): Sandbox echo (" in out
    assert not re.search(r"\b(at|rt|csec|dc)-[A-Za-z0-9_-]{20,}", out + result.stderr)
    assert list((aws_home / ".aws").iterdir()) == []  # the caller's HOME stayed untouched
    assert elapsed < 60


def test_command_line_explains_a_busy_port(aws_home):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "ipyawssso.sandbox", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            env=_env_for_child(),
        )
    assert result.returncode == 1
    assert f"Could not listen on 127.0.0.1:{port}" in result.stderr
    assert "--port" in result.stderr
