"""``--serve`` on login and use, ``status`` and ``logout``: the kernel's tools get the role."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from IPython.core.error import UsageError

import ipyawssso
from ipyawssso.core.credential_server import AUTHORIZATION_ENV, FULL_URI_ENV, stop_serving
from ipyawssso.sandbox.leak_guard import find_leaks
from tests.integration.magics.test_magic_sandbox import ACCOUNT, ROLE, Person, login_line

WHO = (
    "import boto3, json\n"
    "print(boto3.client('sts', region_name='us-east-1').get_caller_identity()['Arn'])\n"
)


@pytest.fixture(autouse=True)
def _clean():
    """--serve writes os.environ itself: put the three variables back as they were after."""
    names = (FULL_URI_ENV, AUTHORIZATION_ENV, "AWS_PROFILE")
    before = {name: os.environ.pop(name, None) for name in names}
    yield
    stop_serving()
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _child_env(tmp_path):
    """What a tool started from the kernel sees, minus every other way to find credentials."""
    env = {k: v for k, v in os.environ.items() if k != "AWS_CONFIG_FILE"}
    env["AWS_CONFIG_FILE"] = str(tmp_path / "empty-config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(tmp_path / "empty-credentials")
    return env


def test_login_serve_status_logout(shell, magics, sandbox, capsys, tmp_path):
    Person(sandbox)
    shell.run_cell(login_line(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE} --serve"))
    url, token = os.environ[FULL_URI_ENV], os.environ[AUTHORIZATION_ENV]
    assert url.startswith("http://127.0.0.1:")
    child = subprocess.run(
        [sys.executable, "-c", WHO],
        capture_output=True,
        text=True,
        timeout=60,
        env=_child_env(tmp_path),
        check=True,
    )
    assert child.stdout.strip() == f"arn:aws:sts::{ACCOUNT}:assumed-role/{ROLE}/ada@example.com"

    shell.run_cell("%aws_sso status")
    out = capsys.readouterr().out
    assert f"Credentials served for 'ai-dev' at {url} (exported in this process)" in out

    shell.run_cell("%aws_sso logout")
    out += capsys.readouterr().out
    assert "Stopped serving credentials for ai-dev." in out
    assert FULL_URI_ENV not in os.environ and AUTHORIZATION_ENV not in os.environ
    request = urllib.request.Request(url, headers={"Authorization": token})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with pytest.raises(urllib.error.URLError):
        opener.open(request, timeout=5)
    env_dump = json.dumps(dict(os.environ))
    leaks = find_leaks([out, child.stdout, child.stderr, env_dump], sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)
    assert token not in out


def test_use_serve_reuses_one_endpoint_per_profile(shell, magics, sandbox, capsys):
    Person(sandbox)
    shell.run_cell(login_line(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE} --no-inject"))
    shell.run_cell("%aws_sso use ai-dev --serve")
    first = os.environ[FULL_URI_ENV]
    shell.run_cell("%aws_sso use ai-dev --serve --var again")
    assert os.environ[FULL_URI_ENV] == first
    out = capsys.readouterr().out
    assert out.count(f"Serving AWS credentials for 'ai-dev' at {first}") == 2
    assert os.environ[AUTHORIZATION_ENV] not in out


def test_console_in_a_terminal_opens_the_browser(
    shell, magics, sandbox, capsys, tmp_path, monkeypatch
):
    record = tmp_path / "opened.txt"
    script = tmp_path / "browser.py"
    script.write_text(f"import sys\nopen({str(record)!r}, 'w').write(sys.argv[1])\n")
    monkeypatch.setenv("BROWSER", f"{sys.executable} {script} %s")
    Person(sandbox)
    shell.run_cell(login_line(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE} --no-inject"))
    capsys.readouterr()
    shell.run_cell("%aws_sso console --service bedrock")
    out = capsys.readouterr().out
    assert out == "Opened the AWS console for 'ai-dev' in your browser.\n"
    for _ in range(50):
        if record.exists() and record.read_text():
            break
        time.sleep(0.1)
    assert "Destination=https%3A%2F%2Fus-east-1.console.aws.amazon.com%2Fbedrock" in (
        record.read_text()
    )
    assert not find_leaks([out], sandbox.issued_secrets())
    with pytest.raises(UsageError, match="console service name"):
        shell.run_cell("%aws_sso console --service '../x'")


def test_the_console_button_holds_the_profile_and_no_link():
    from ipyawssso.display import console_bundle

    html = console_bundle("ai-dev", service="bedrock")["text/html"]
    assert 'data-profile="ai-dev"' in html and 'data-service="bedrock"' in html
    assert "ipyawssso/api/console" in html and "federation" not in html


def test_an_ended_sign_in_is_answered_with_the_magics_login(shell, magics, sandbox, capsys):
    """A tool the kernel started is told what to run in the notebook, not a Python call."""
    Person(sandbox)
    shell.run_cell(login_line(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE} --serve"))
    url, token = os.environ[FULL_URI_ENV], os.environ[AUTHORIZATION_ENV]
    ipyawssso.logout("ai-dev")  # ended elsewhere (another kernel, a terminal): still serving
    request = urllib.request.Request(url, headers={"Authorization": token})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(request, timeout=10)
    assert answer.value.code == 503
    body = json.loads(answer.value.read())
    assert body["Code"] == "LoginRequired"
    assert body["Message"].endswith("Run `%aws_sso login ai-dev`.")
    capsys.readouterr()
