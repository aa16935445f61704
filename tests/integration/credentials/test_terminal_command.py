"""``ipyawssso`` in a terminal (``python -m ipyawssso``), and ``credential_process`` profiles
judged by stock boto3 and the ``aws`` command."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from botocore.compat import compat_shell_split

import ipyawssso
from ipyawssso.core.process_profile import credential_process_command
from ipyawssso.sandbox.leak_guard import find_leaks
from tests.integration.conftest import aws_cli, run_fresh
from tests.integration.credentials.endpoint_helpers import ACCOUNT, ROLE, bare_env

ARN = f"arn:aws:sts::{ACCOUNT}:assumed-role/{ROLE}/ada@example.com"


def ipyawssso_cmd(*args: str, stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ipyawssso", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=os.environ["HOME"],
    )


def _approve_next(sandbox) -> threading.Thread:
    def run() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pending = sandbox.pending_user_codes()
            if pending:
                sandbox.approve(pending[0])
                return
            time.sleep(0.05)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_login_picks_a_role_in_the_terminal_then_status_whoami_logout(sandbox):
    _approve_next(sandbox)
    # Three accounts, two roles each: account 1, then role 2 (USS_AI_DEV_Bedrock_Access).
    done = ipyawssso_cmd(
        "login",
        "ai-dev",
        "--start-url",
        sandbox.start_url,
        "--sso-region",
        sandbox.region,
        "--session-name",
        "my-sso",
        stdin="1\n2\n",
    )
    assert done.returncode == 0, done.stderr
    assert "Sign in to AWS for profile 'ai-dev':" in done.stdout
    assert "Press Ctrl-C to cancel." in done.stdout
    assert "Which AWS account?" in done.stdout
    assert done.stdout.rstrip().endswith("Signed in to AWS for profile 'ai-dev'.")

    who = ipyawssso_cmd("whoami", "ai-dev")
    assert who.returncode == 0, who.stderr
    assert ARN in who.stdout
    status = ipyawssso_cmd("status")
    assert "my-sso" in status.stdout and "ai-dev" in status.stdout

    bye = ipyawssso_cmd("logout", "ai-dev")
    assert bye.returncode == 0 and bye.stdout == "Logged out of my-sso.\n"
    again = ipyawssso_cmd("whoami", "ai-dev")
    assert again.returncode == 1 and again.stdout == ""
    assert again.stderr.count("\n") == 1
    assert "Run `ipyawssso login ai-dev`" in again.stderr
    everything = [done.stdout, done.stderr, who.stdout, status.stdout, bye.stdout, again.stderr]
    leaks = find_leaks(everything, sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)


def test_credential_process_profile_for_boto3_and_the_aws_command(signed_in, sandbox):
    diff = ipyawssso.preview_profile(
        "bedrock",
        session_name="my-sso",
        account_id=ACCOUNT,
        role_name=ROLE,
        region="us-east-1",
        process_profile=True,
    )
    assert "+[profile bedrock]\n" in diff
    assert "+[profile bedrock-process]\n" in diff
    command = credential_process_command("bedrock")
    assert f"+credential_process = {command}\n" in diff
    config = Path(os.environ["AWS_CONFIG_FILE"])
    before = config.read_text()
    ipyawssso.save_profile(
        "bedrock",
        session_name="my-sso",
        account_id=ACCOUNT,
        role_name=ROLE,
        region="us-east-1",
        process_profile=True,
    )
    assert config.read_text() == before + "".join(
        line[1:] + "\n" for line in diff.splitlines() if line.startswith("+") and "+++" not in line
    )

    env = {**os.environ, "AWS_PROFILE": "bedrock-process"}
    me = run_fresh(
        "import boto3, json\n"
        "print(json.dumps(boto3.Session().client('sts').get_caller_identity()['Arn']))",
        env=env,
    )
    assert me == ARN
    cli = subprocess.run(
        [aws_cli(), "sts", "get-caller-identity", "--profile", "bedrock-process"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr[-2000:]
    assert json.loads(cli.stdout)["Arn"] == ARN

    printed = ipyawssso_cmd("credential-process", "--profile", "bedrock")
    answer = json.loads(printed.stdout)
    assert list(answer) == [
        "Version",
        "AccessKeyId",
        "SecretAccessKey",
        "SessionToken",
        "Expiration",
    ]
    assert answer["Version"] == 1 and answer["Expiration"].endswith("Z")

    ipyawssso.logout("bedrock")
    ended = ipyawssso_cmd("credential-process", "--profile", "bedrock", timeout=30)
    assert ended.returncode == 1 and ended.stdout == ""
    assert ended.stderr.count("\n") == 1, ended.stderr
    assert "Run `ipyawssso login bedrock`" in ended.stderr
    cli = subprocess.run(
        [aws_cli(), "sts", "get-caller-identity", "--profile", "bedrock-process"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode != 0 and "ipyawssso login bedrock" in cli.stderr
    leaks = find_leaks([diff, ended.stderr, cli.stderr], sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize(
    "python",
    ["/usr/bin/python3", "/opt/my tools/bin/python", r"C:\Program Files\Python311\python.exe"],
)
def test_the_command_reads_back_as_one_argument_per_word(python):
    """botocore splits with shlex on POSIX (compat_shell_split); quoting must survive it."""
    command = credential_process_command("ai dev", python)
    expected = [python, "-m", "ipyawssso", "credential-process", "--profile", "ai dev"]
    assert shlex.split(command) == expected
    assert compat_shell_split(command) == expected


def test_words_no_splitter_can_read_back_are_refused():
    for python in ['/opt/"odd"/python', "/opt/$HOME/python", "C:\\\\share\\python"]:
        with pytest.raises(ipyawssso.core.errors.InvalidValueError):
            credential_process_command("ai-dev", python)


def test_serve_runs_one_command_with_the_role(signed_in, tmp_path):
    code = (
        "import boto3; print(boto3.client('sts', region_name='us-east-1')"
        ".get_caller_identity()['Arn'])"
    )
    env_file = tmp_path / "empty"
    env_file.write_text("")
    done = ipyawssso_cmd(
        "serve",
        "ai-dev",
        "--",
        "env",
        f"AWS_CONFIG_FILE={env_file}",
        f"HOME={tmp_path}",
        sys.executable,
        "-c",
        code,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ARN


def test_serve_in_the_foreground_for_another_shell(signed_in, sandbox, tmp_path):
    server = subprocess.Popen(
        [sys.executable, "-m", "ipyawssso", "serve", "ai-dev"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=os.environ["HOME"],
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(4)]
        exports = dict(
            shlex.split(line.strip().removeprefix("export "))[0].split("=", 1)
            for line in lines
            if line.strip().startswith("export ")
        )
        assert set(exports) == {
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        }
        token_file = Path(exports["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"])
        assert token_file.stat().st_mode & 0o077 == 0
        env = bare_env(tmp_path, exports)
        me = run_fresh(
            "import boto3, json\n"
            "print(json.dumps(boto3.client('sts', region_name='us-east-1')"
            ".get_caller_identity()['Arn']))",
            env=env,
        )
        assert me == ARN
        # Once the sign-in ends, a tool is told the terminal command to run, not a Python call.
        ipyawssso.logout("ai-dev")
        request = urllib.request.Request(
            exports["AWS_CONTAINER_CREDENTIALS_FULL_URI"],
            headers={"Authorization": token_file.read_text().strip()},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with pytest.raises(urllib.error.HTTPError) as ended:
            opener.open(request, timeout=10)
        assert json.loads(ended.value.read())["Message"].endswith("Run `ipyawssso login ai-dev`.")
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "Stopped serving credentials." in out
    assert not token_file.exists()
    leaks = find_leaks(["".join(lines), out, err], sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)
