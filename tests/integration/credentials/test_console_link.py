"""The console link: getSigninToken at the sign-in host with the role's keys, then a one-time
login link; the sandbox's page says which role signed in."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import ipyawssso
from ipyawssso.core.console import console_destination, console_url, signin_endpoint
from ipyawssso.core.errors import InvalidValueError, LoginRequired
from ipyawssso.sandbox.leak_guard import find_leaks
from tests.integration.credentials.endpoint_helpers import ACCOUNT, ROLE


def _open(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_link_signs_a_browser_in_as_the_role_once(signed_in, sandbox, capsys):
    url = console_url(signed_in, service="bedrock")
    assert url.startswith(f"{sandbox.url}/federation?Action=login&")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["Destination"] == [
        "https://us-east-1.console.aws.amazon.com/bedrock/home?region=us-east-1"
    ]
    token = query["SigninToken"][0]
    assert token in sandbox.issued_secrets()  # the leak guard knows the link's secret
    status, page = _open(url)
    assert status == 200
    assert f"arn:aws:sts::{ACCOUNT}:assumed-role/{ROLE}/ada@example.com" in page
    assert _open(url)[0] == 400  # used once
    assert find_leaks([f"opened {url}"], sandbox.issued_secrets())  # the guard would see it
    out = capsys.readouterr()
    assert not find_leaks([out.out, out.err], sandbox.issued_secrets())


def test_after_logout_there_is_no_link(signed_in):
    ipyawssso.logout(signed_in)
    with pytest.raises(LoginRequired, match=r"ipyawssso\.login\('ai-dev'\)"):
        console_url(signed_in)


def test_each_partition_has_its_own_hosts(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL_SIGNIN", raising=False)
    assert signin_endpoint("eu-west-1") == "https://signin.aws.amazon.com/federation"
    assert signin_endpoint(None) == "https://signin.aws.amazon.com/federation"
    assert signin_endpoint("cn-north-1") == "https://signin.amazonaws.cn/federation"
    assert signin_endpoint("us-gov-west-1") == "https://signin.amazonaws-us-gov.com/federation"
    assert console_destination("cn-north-1", "s3") == (
        "https://cn-north-1.console.amazonaws.cn/s3/home?region=cn-north-1"
    )
    assert console_destination(None) == "https://console.aws.amazon.com/console/home"
    with pytest.raises(InvalidValueError):
        console_destination("us-east-1", "bed rock/../x")


def _recording_browser(tmp_path, monkeypatch) -> Path:
    """BROWSER: a program that keeps the link it is given (webbrowser runs it with %s)."""
    record = tmp_path / "opened.txt"
    script = tmp_path / "browser.py"
    script.write_text(f"import sys\nopen({str(record)!r}, 'w').write(sys.argv[1])\n")
    monkeypatch.setenv("BROWSER", f"{sys.executable} {script} %s")
    return record


def test_the_terminal_command_opens_the_browser_and_prints_no_link(
    signed_in, sandbox, tmp_path, monkeypatch
):
    record = _recording_browser(tmp_path, monkeypatch)
    done = subprocess.run(
        [sys.executable, "-m", "ipyawssso", "console", signed_in, "--service", "bedrock"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Opened the AWS console for {signed_in!r} in your browser.\n"
    for _ in range(50):  # the browser program runs on its own
        if record.exists() and record.read_text():
            break
        time.sleep(0.1)
    status, page = _open(record.read_text())
    assert status == 200 and f"assumed-role/{ROLE}/" in page
    leaks = find_leaks([done.stdout, done.stderr], sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)


def test_the_leak_guard_names_a_console_link_by_its_kind(signed_in, sandbox):
    url = console_url(signed_in)
    (leak,) = find_leaks([("a log", f"opening {url}")], sandbox.issued_secrets())
    assert "console sign-in token sha256:" in leak
    assert url not in leak
