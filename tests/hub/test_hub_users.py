"""Two people on one JupyterHub sign in at the same time, each as themselves.

A real hub (configurable-http-proxy in front, DummyAuthenticator, SimpleLocalProcessSpawner
with a home folder per user) whose ``c.Spawner.environment`` presets the organisation's start
URL, SSO region, default region and variable name. Alice signs in through the panel (she types
no URL: the preset fills it), Bob through the status bar (his ~/.aws/config already has a
profile); both codes are pending at once. Meanwhile neither can see, join or end the other's
sign-in through the REST API, with a token or with the browser's cookie. Each ends with a
token in their own ~/.aws and nothing in the other's.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from hub_process import Hub
from jupyter_process import sso_config

from ipyawssso.sandbox.leak_guard import find_leaks
from tests.ui.conftest import expect, use_role

PANEL = ".ipyawssso-panel"
ACCOUNT, ROLE = "100000000002", "USS_AI_DEV_Bedrock_Access"


def field(page: Any, css_class: str) -> Any:
    return page.locator(f"{PANEL} .{css_class} input, {PANEL} .{css_class} select").first


def selected(page: Any, css_class: str) -> Any:
    """The chosen option of a dropdown (ipywidgets puts the label, not the code, in value)."""
    return page.locator(f"{PANEL} .{css_class} select option:checked").first


def tokens_in(home: Path) -> dict[str, str]:
    """file name -> text of the sign-in tokens in that home's AWS cache."""
    cache = home / ".aws" / "sso" / "cache"
    return {p.name: p.read_text() for p in cache.glob("*.json") if "accessToken" in p.read_text()}


def written(home: Path) -> list[str]:
    """Our files in a home (AWS's, our cache and settings), hashes in names made comparable."""
    names = (
        str(path.relative_to(home))
        for path in home.rglob("*")
        if path.is_file() and path.relative_to(home).parts[0] in {".aws", ".cache", ".config"}
    )
    return sorted(re.sub(r"[0-9a-f]{40}", "<sha1>", name) for name in names)


def approve(page: Any, opener: Any) -> str:
    """Open the verification page from ``opener``, press Allow, return the code it showed."""
    with page.context.expect_page() as opened:
        opener.click()
    tab = opened.value
    tab.wait_for_load_state()
    code = tab.locator("input#user-code").input_value()
    tab.locator("button#allow").click()
    expect(tab.locator("#result")).to_have_text(re.compile("Approved"))
    tab.close()
    return str(code)


def start_servers(hub: Hub, users: list[str]) -> None:
    """Spawn both servers at once, as two people arriving together would."""
    for user in users:
        hub.start_server(user)
    waits = [threading.Thread(target=hub.wait_server, args=(user,)) for user in users]
    for wait in waits:
        wait.start()
    for wait in waits:
        wait.join()


def test_two_users_sign_in_at_the_same_time_each_into_their_own_home(
    hub: Hub, hub_sandbox: Any, presets: dict[str, str], user_page: Any, request: Any
) -> None:
    from tests.ui.conftest import _artifacts

    artifacts = _artifacts(request)
    # Bob made a profile last week; Alice has nothing yet.
    bob_config = sso_config(hub_sandbox, {"default": ("100000000001", "ReadOnly")}, "org")
    (hub.home("bob") / ".aws").mkdir(mode=0o700)
    (hub.home("bob") / ".aws" / "config").write_text(bob_config)
    start_servers(hub, ["alice", "bob"])

    alice, bob = user_page("alice"), user_page("bob")
    try:
        _sign_in_together(hub, hub_sandbox, presets, alice, bob, artifacts)
    except BaseException:
        alice.shot(artifacts, "failed")
        bob.shot(artifacts, "failed")
        raise

    # Each home holds one sign-in, its own; nothing of one user is in the other's home.
    alice_tokens, bob_tokens = tokens_in(hub.home("alice")), tokens_in(hub.home("bob"))
    assert len(alice_tokens) == 1 and len(bob_tokens) == 1, (alice_tokens, bob_tokens)
    assert set(alice_tokens.values()).isdisjoint(bob_tokens.values())
    assert "[profile ai-dev]" in (hub.home("alice") / ".aws" / "config").read_text()
    assert (hub.home("bob") / ".aws" / "config").read_text() == bob_config  # a sign-in, no edit
    assert hub_sandbox.calls["CreateToken"] >= 2
    # What each server wrote of ours (docs/administrators.md lists it): the AWS CLI's files and
    # the role names cache, in that user's HOME; no lock left behind; secrets 0600.
    assert written(hub.home("alice")) == [
        ".aws/cli/cache/<sha1>.json",  # her kernel used the role
        ".aws/config",
        ".aws/sso/cache/<sha1>.json",  # the token and the registration
        ".aws/sso/cache/<sha1>.json",
        ".cache/ipyawssso/roles/<sha1>.json",  # the picker's account and role names
        ".config/ipyawssso/settings.json",  # the picker's recent roles and favourites
    ]
    assert written(hub.home("bob")) == [
        ".aws/config",
        ".aws/sso/cache/<sha1>.json",
        ".aws/sso/cache/<sha1>.json",
    ]
    for cache in hub.homes.glob("*/.aws/*/cache/*.json"):
        assert cache.stat().st_mode & 0o777 == 0o600, cache

    leaks = find_leaks(
        [alice.page.content(), bob.page.content(), hub.log()], hub_sandbox.issued_secrets()
    )
    assert not leaks, "\n".join(leaks)
    alice.console.assert_none_ours()
    bob.console.assert_none_ours()


def _sign_in_together(
    hub: Hub, sandbox: Any, presets: dict[str, str], alice: Any, bob: Any, artifacts: Path
) -> None:
    # Alice: the panel, prefilled by the hub's presets.
    alice.lab.open_notebook("panel.ipynb")
    alice.lab.run_cell("%load_ext ipyawssso\n%aws_sso")
    panel = alice.page.locator(PANEL)
    expect(panel).to_be_visible()
    expect(field(alice.page, "ipyawssso-start-url")).to_have_value(presets["IPYAWSSSO_START_URL"])
    expect(selected(alice.page, "ipyawssso-sso-region")).to_have_text(
        re.compile(rf"^\s*{sandbox.region}\b")
    )
    alice.shot(artifacts, "01-panel-preset")
    alice.page.locator(f"{PANEL} button.ipyawssso-sign-in").click()
    alice_opener = alice.page.locator(f"{PANEL} a.ipyawssso-open")
    expect(alice_opener).to_be_visible()
    alice_code = alice.page.locator(f"{PANEL} .ipyawssso-user-code").inner_text().strip()

    # Bob: the status bar, under /user/bob/ behind the proxy.
    bob.lab.open()
    item = bob.page.locator("#ipyawssso-status")
    expect(item).to_have_text("AWS: default · signed out")
    item.click()
    bob.page.locator(".ipyawssso-Popup .ipyawssso-Popup-signin").click()
    card = bob.page.locator(".ipyawssso-SignInDialog .ipyawssso-DeviceCard")
    expect(card).to_have_attribute("data-state", "pending")
    bob_code = card.locator(".ipyawssso-DeviceCard-code").inner_text().strip()
    bob.shot(artifacts, "02-status-bar-code")

    # Both wait at the same time, with different codes.
    assert alice_code != bob_code
    assert {alice_code, bob_code} <= set(sandbox.pending_user_codes())
    api_calls = [url for url in bob.requests if "/ipyawssso/api/" in url]
    assert api_calls and all(f"{hub.url}/user/bob/ipyawssso/api/" in u for u in api_calls)

    _neither_reaches_the_other(hub, alice, bob)
    assert {alice_code, bob_code} <= set(sandbox.pending_user_codes())  # nothing was ended

    # Bob approves; his dialog closes by itself and the status bar counts down.
    assert approve(bob.page, card.locator(".ipyawssso-DeviceCard-open")) == bob_code
    expect(bob.page.locator(".ipyawssso-SignInDialog")).to_have_count(0)
    expect(item).to_have_text(re.compile(r"^AWS: default · 7h5\dm$"))
    bob.shot(artifacts, "03-status-bar-signed-in")

    # Alice approves, picks a role and saves a profile: the preset region is the default.
    assert approve(alice.page, alice_opener) == alice_code
    alice.page.bring_to_front()
    use_role(alice.page.locator(PANEL), "sandbox-ml-002 bedrock")
    name = field(alice.page, "ipyawssso-profile-name")
    expect(name).to_have_value(f"{ROLE}-{ACCOUNT}")
    name.fill("ai-dev")
    expect(selected(alice.page, "ipyawssso-region")).to_have_text(
        re.compile(rf"^\s*{presets['IPYAWSSSO_REGION']}\b")
    )
    expect(alice.page.locator(f"{PANEL} .ipyawssso-diff")).to_contain_text(
        f"+region = {presets['IPYAWSSSO_REGION']}"
    )
    alice.page.locator(f"{PANEL} button.ipyawssso-write").click()
    # The preset variable name: `aws`, not `session`.
    expect(alice.page.locator(f"{PANEL} .ipyawssso-done")).to_contain_text(
        "The variable aws now holds"
    )
    alice.shot(artifacts, "04-panel-done")
    cell = alice.lab.run_cell('print(aws.client("sts").get_caller_identity()["Account"])')
    expect(alice.lab.outputs(cell).first).to_have_text(ACCOUNT)

    # Her own %config wins over the hub's preset.
    cell = alice.lab.run_cell(
        '%config AwsSsoMagics.var_name = "mine"\n%aws_sso use ai-dev\nprint(mine.profile_name)'
    )
    expect(alice.lab.outputs(cell).last).to_contain_text("ai-dev")
    # Her status bar sees her sign-in (the kernel's profile, asked through her server).
    expect(alice.page.locator("#ipyawssso-status")).to_have_text(
        re.compile(r"^AWS: ai-dev · 7h5\dm$")
    )
    alice.shot(artifacts, "05-alice-status-bar")

    # The kernel's device card (our MIME renderer) asks her server, under /user/alice/, whether
    # its kernel still waits, and its Cancel stops that kernel's wait through the same API.
    cell = alice.lab.start_cell("%aws_sso login ai-dev --force")
    card = cell.locator(".ipyawssso-DeviceRenderer .ipyawssso-DeviceCard")
    expect(card).to_have_attribute("data-state", "pending")
    card.locator(".ipyawssso-DeviceCard-cancel").click()
    alice.lab.wait_cell(cell)
    expect(card).to_have_attribute("data-state", "cancelled")
    alice.shot(artifacts, "06-card-cancelled")
    card_calls = [u for u in alice.requests if "/ipyawssso/api/kernel-signins/" in u]
    assert card_calls and all(u.startswith(f"{hub.url}/user/alice/") for u in card_calls)


def _neither_reaches_the_other(hub: Hub, alice: Any, bob: Any) -> None:
    """With Alice's token or cookie, Bob's server refuses everything; her own knows nothing of
    Bob's sign-in."""
    bob_token, alice_token = hub.user_token("bob"), hub.user_token("alice")
    # Bob's own token joins his sign-in (so we learn its id, as his page knows it).
    status, job, raw = hub.request(
        "POST", "user/bob/ipyawssso/api/login", {"profile": "default"}, token=bob_token
    )
    assert status == 200 and job["joined"] and job["state"] == "pending", raw
    bob_job = f"user/bob/ipyawssso/api/login/{job['id']}"

    for method, path, body in [
        ("GET", "user/bob/ipyawssso/api/status", None),
        ("POST", "user/bob/ipyawssso/api/login", {"profile": "default"}),
        ("GET", bob_job, None),
        ("DELETE", bob_job, None),
        ("POST", "user/bob/ipyawssso/api/logout", {"all": True}),
    ]:
        status, _, raw = hub.request(method, path, body, token=alice_token)
        assert status == 403, (method, path, status, raw)
        assert "userCode" not in raw and job["id"] not in raw
    # Alice's own server has no such sign-in: ids do not cross servers.
    status, _, raw = hub.request(
        "GET", f"user/alice/ipyawssso/api/login/{job['id']}", token=alice_token
    )
    assert status == 404, raw

    # Alice's browser (her hub cookie) cannot read Bob's status or end his sign-in either.
    for method, path in [("GET", "user/bob/ipyawssso/api/status"), ("DELETE", bob_job)]:
        answer = alice.context.request.fetch(f"{hub.url}/{path}", method=method)
        assert answer.status in (401, 403), (method, path, answer.status, answer.url)
        assert "userCode" not in answer.text() and '"sessions"' not in answer.text()
    # ...while Bob's own cookie reads his.
    answer = bob.context.request.get(f"{hub.url}/user/bob/ipyawssso/api/status")
    assert answer.status == 200 and answer.json()["profiles"][0]["name"] == "default"

    status, still, raw = hub.request("GET", bob_job, token=bob_token)
    assert status == 200 and still["state"] == "pending", raw
