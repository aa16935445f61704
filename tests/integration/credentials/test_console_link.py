"""The console link: getSigninToken at the sign-in host with the role's keys, then a one-time
login link; the sandbox's page says which role signed in."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import ACCOUNT, ROLE

import ipyawssso
from ipyawssso.core.console import console_destination, console_url, signin_endpoint
from ipyawssso.core.errors import InvalidValueError, LoginRequired
from ipyawssso.sandbox.leak_guard import find_leaks


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
    with pytest.raises(LoginRequired, match="%aws_sso login ai-dev"):
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
