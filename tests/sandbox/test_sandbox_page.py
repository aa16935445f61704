"""The verification page, used over HTTP the way a browser uses it: GET the link, POST the form."""

from __future__ import annotations

import html.parser
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sandbox_helpers import poll, register, start


class Page(html.parser.HTMLParser):
    """The parts of a page a person looks at, by element id, plus the form to submit."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.ids: dict[str, dict[str, str]] = {}
        self.text_of: dict[str, str] = {}
        self.form_action = ""
        self.fields: dict[str, str] = {}
        self.buttons: dict[str, str] = {}
        self._open: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids[a["id"]] = {"tag": tag, **a}
            self._open.append(a["id"])
            self.text_of[a["id"]] = ""
        if tag == "form":
            self.form_action = a.get("action", "")
        elif tag == "input" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "button" and a.get("name"):
            self.buttons[a.get("id", "")] = a.get("value", "")

    def handle_endtag(self, tag):
        if self._open and self.ids[self._open[-1]]["tag"] == tag:
            self._open.pop()

    def handle_data(self, data):
        for element in self._open:
            self.text_of[element] += data


def fetch(url: str, data: dict[str, str] | None = None) -> tuple[int, dict, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(url, data=body, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def press(link: str, button: str) -> tuple[int, Page]:
    """Opens the link, checks the form, presses ``button`` (allow or deny)."""
    status, _, text = fetch(link)
    assert status == 200
    form = Page(text)
    target = urllib.parse.urljoin(link, form.form_action)
    status, _, text = fetch(target, {**form.fields, "action": form.buttons[button]})
    return status, Page(text)


def test_the_form_has_the_contracted_elements(sandbox, oidc):
    reg = register(oidc, "botocore-client-ai-dev")
    auth = start(oidc, sandbox, reg)
    status, headers, text = fetch(auth["verificationUriComplete"])
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    page = Page(text)
    assert page.ids["user-code"]["tag"] == "input"
    assert page.ids["user-code"]["value"] == auth["userCode"]
    assert page.ids["allow"]["tag"] == page.ids["deny"]["tag"] == "button"
    assert "Authorize request" in text
    assert "botocore-client-ai-dev" in text
    assert "ada@example.com" in text
    status, _, text = fetch(auth["verificationUri"])
    assert Page(text).ids["user-code"]["value"] == ""


def test_allow_on_the_page_approves(sandbox, oidc):
    reg = register(oidc)
    auth = start(oidc, sandbox, reg)
    status, page = press(auth["verificationUriComplete"], "allow")
    assert status == 200
    assert page.text_of["result"] == "Approved"
    assert poll(oidc, reg, auth)["accessToken"]
    assert sandbox.calls["VerificationDecision"] == 1


def test_deny_on_the_page_denies(sandbox, oidc):
    reg = register(oidc)
    auth = start(oidc, sandbox, reg)
    status, page = press(auth["verificationUriComplete"], "deny")
    assert (status, page.text_of["result"]) == (200, "Denied")
    with pytest.raises(oidc.exceptions.AccessDeniedException):
        poll(oidc, reg, auth)


def test_a_typed_code_without_dash_works(sandbox, oidc):
    reg = register(oidc)
    auth = start(oidc, sandbox, reg)
    typed = auth["userCode"].replace("-", "").lower()
    status, _, text = fetch(f"{sandbox.url}/device", {"user_code": typed, "action": "allow"})
    assert (status, Page(text).text_of["result"]) == (200, "Approved")


def test_unknown_and_expired_codes_show_an_error(sandbox, oidc):
    status, _, text = fetch(f"{sandbox.url}/device", {"user_code": "BCDF-GHJK", "action": "allow"})
    page = Page(text)
    assert status == 400
    assert "not known" in page.text_of["error"]
    assert page.ids["user-code"]["value"] == "BCDF-GHJK"

    sandbox.configure(device_code_ttl=0.2)
    auth = start(oidc, sandbox, register(oidc))
    time.sleep(0.3)
    status, _, text = fetch(auth["verificationUriComplete"])
    assert "expired" in Page(text).text_of["error"]


def test_everything_shown_is_escaped(sandbox, oidc):
    reg = register(oidc, '<script>alert("x")</script>')
    auth = start(oidc, sandbox, reg)
    _, _, text = fetch(auth["verificationUriComplete"])
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    query = urllib.parse.urlencode({"user_code": '"><img src=x onerror=alert(1)>'})
    _, _, text = fetch(f"{sandbox.url}/device?{query}")
    assert "<img" not in text


def test_index_and_unknown_paths(sandbox):
    status, _, text = fetch(sandbox.url + "/")
    assert status == 200
    assert sandbox.start_url in text
    status, headers, text = fetch(sandbox.url + "/nope")
    assert status == 404
    assert headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert json.loads(text)["message"]
