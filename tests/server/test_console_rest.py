"""POST /ipyawssso/api/console: the one-time console link for the page that asked, never in
the server's log. (Its own module: every answer of test_rest.py is checked to hold no secret,
and this answer is a secret by design.)"""

from __future__ import annotations

import urllib.parse
import urllib.request
from typing import Any

import pytest
from jupyter_process import UiHome, sso_config
from test_rest import sign_in

from ipyawssso.sandbox import Sandbox
from ipyawssso.sandbox.leak_guard import find_leaks

ACCOUNT, ROLE = "100000000002", "USS_AI_DEV_Bedrock_Access"


@pytest.fixture(scope="module", autouse=True)
def config(rest_home: UiHome, rest_sandbox: Sandbox) -> None:
    rest_home.write_config(sso_config(rest_sandbox, {"dev": (ACCOUNT, ROLE)}, session="sbx"))


def test_the_link_opens_the_console_as_the_role(rest: Any, rest_sandbox: Sandbox, jupyter: Any):
    status, data = rest("POST", "console", {"profile": "dev"})
    assert status == 401 and "Sign in…" in data["message"]  # not signed in yet
    sign_in(rest, rest_sandbox, "dev")
    status, raw_headers, data = _post_with_headers(jupyter, {"profile": "dev", "service": "s3"})
    assert status == 200 and raw_headers["Cache-Control"] == "no-store"
    url = data["url"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["Destination"] == [
        "https://us-east-1.console.aws.amazon.com/s3/home?region=us-east-1"
    ]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as page:
        assert f"arn:aws:sts::{ACCOUNT}:assumed-role/{ROLE}/" in page.read().decode()
    # The link (its sign-in token) is nowhere in the server's log.
    leaks = find_leaks([("jupyter log", jupyter.log())], rest_sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)
    status, data = rest("POST", "console", {"profile": "dev", "service": "../x"})
    assert status == 400 and "console service name" in data["message"]
    status, _ = rest("POST", "console", {"profile": "dev"}, token=None)
    assert status == 403


def _post_with_headers(jupyter: Any, body: dict) -> tuple[int, dict, Any]:
    import json

    request = urllib.request.Request(
        f"{jupyter.url}/ipyawssso/api/console",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"token {jupyter.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, dict(answer.headers), json.loads(answer.read())
