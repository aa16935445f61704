"""The panel on the real core, against the loopback sandbox, still without a browser.

A full sign-in through clicks and comm messages, the session it injects used against the
sandbox's STS, and a scan of every widget's state for the secrets the sandbox issued.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import ipywidgets
import pytest

from ipyawssso.sandbox.leak_guard import find_leaks
from ipyawssso.widgets import Panel
from ipyawssso.widgets.tree import walk
from tests.unit.widgets.fakes import browser_click, browser_update, wait_for

TIMEOUT = 30.0


@pytest.fixture
def role_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "role-cache"
    monkeypatch.setenv("IPYAWSSSO_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def panels():
    made: list[Panel] = []
    yield made
    for panel in made:
        panel.close()


def _wait_step(panel: Panel, step: str) -> None:
    wait_for(
        lambda: panel.step == step or panel.error.value,
        TIMEOUT,
        f"step {step!r} (at {panel.step!r})",
    )
    assert panel.step == step, panel.error.value


def _widget_states(panel: Panel) -> list[tuple[str, str]]:
    """Every widget's synced state as the notebook would save it, labelled for the leak guard."""
    widgets = {id(x): x for view in [panel, *panel._views.values()] for x in walk(view)}
    states = [
        (f"{type(x).__name__} {x.model_id}", json.dumps(x.get_state(), default=str))
        for x in widgets.values()
    ]
    manager = ipywidgets.Widget.get_manager_state(drop_defaults=False)
    states.append(("manager state", json.dumps(manager, default=str)))
    return states


def _sign_in_and_write(panel: Panel, sandbox, namespace: dict) -> None:
    browser_click(panel.settings.submit)
    _wait_step(panel, "device")
    card = panel.device.card.value
    code = panel.device.authorization.user_code
    assert f'href="{sandbox.url}/device?user_code={code}"' in card
    sandbox.approve(code)
    _wait_step(panel, "picker")
    wait_for(lambda: panel.picker.complete, TIMEOUT, "all roles")
    browser_update(panel.picker.roles, selected="100000000002/USS_AI_DEV_Bedrock_Access")
    browser_click(panel.picker.use)
    _wait_step(panel, "form")
    assert panel.form.name.value == "USS_AI_DEV_Bedrock_Access-100000000002"
    browser_update(panel.form.name, value="ai-dev")
    assert "+[profile ai-dev]" in panel.form.preview.value
    browser_click(panel.form.write)
    _wait_step(panel, "done")


def test_full_sign_in_writes_the_profile_and_injects_a_working_session(sandbox, role_cache, panels):
    namespace: dict = {}
    panel = Panel(
        start_url=sandbox.start_url,
        sso_region=sandbox.region,
        session_name="sbx",
        namespace=namespace,
    )
    panels.append(panel)
    _sign_in_and_write(panel, sandbox, namespace)

    me = namespace["session"].client("sts").get_caller_identity()
    assert me["Account"] == "100000000002"
    assert "/USS_AI_DEV_Bedrock_Access/" in me["Arn"]
    shown = repr(namespace["session"])  # the same labelled session the magic injects
    assert "account='100000000002'" in shown and "role='USS_AI_DEV_Bedrock_Access'" in shown
    config = Path(os.environ["AWS_CONFIG_FILE"]).read_text()
    assert "[sso-session sbx]\n" in config
    assert (
        "[profile ai-dev]\nsso_session = sbx\nsso_account_id = 100000000002\n"
        "sso_role_name = USS_AI_DEV_Bedrock_Access\nregion = us-east-1\n"
    ) in config
    assert me["Arn"] in panel.done.identity.value
    assert "sandbox-ml-002" in panel.done.identity.value

    secrets = sandbox.issued_secrets()
    assert any(s.startswith("at-") for s in secrets)  # there was something to leak
    leaks = find_leaks(_widget_states(panel), secrets)
    assert not leaks, "\n".join(leaks)


def test_the_next_panel_lists_the_profile_and_uses_it_without_a_new_sign_in(
    sandbox, role_cache, panels
):
    first = Panel(
        start_url=sandbox.start_url, sso_region=sandbox.region, session_name="sbx", namespace={}
    )
    panels.append(first)
    _sign_in_and_write(first, sandbox, {})
    sandbox.reset_calls()

    namespace: dict = {}
    panel = Panel("ai-dev", namespace=namespace)
    panels.append(panel)
    assert panel.settings.values().session_name == "sbx"  # prefilled from the profile
    row = panel.profiles.rows.children[0].children[0].value
    assert "ai-dev" in row and "signed in · 7h" in row
    browser_click(panel.profiles.buttons["ai-dev"][0])
    _wait_step(panel, "done")
    assert sandbox.calls["CreateToken"] == 0 and sandbox.calls["StartDeviceAuthorization"] == 0
    assert namespace["session"].client("sts").get_caller_identity()["Account"] == "100000000002"
    leaks = find_leaks(_widget_states(panel), sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)


def test_a_denied_sign_in_is_explained_and_retry_starts_a_new_code(sandbox, role_cache, panels):
    panel = Panel(
        start_url=sandbox.start_url, sso_region=sandbox.region, session_name="sbx", namespace={}
    )
    panels.append(panel)
    browser_click(panel.settings.submit)
    _wait_step(panel, "device")
    first = panel.device.authorization.user_code
    sandbox.deny(first)
    wait_for(lambda: panel.error.value, TIMEOUT, "the denial")
    assert "denied" in panel.error.value
    assert panel.step == "settings"
    browser_click(panel.retry)
    _wait_step(panel, "device")
    assert panel.device.authorization.user_code != first
    browser_click(panel.device.cancel)
    assert panel.step == "settings"


def test_a_portal_failure_shows_in_the_panel_and_retry_recovers(sandbox, role_cache, panels):
    panel = Panel(
        start_url=sandbox.start_url, sso_region=sandbox.region, session_name="sbx", namespace={}
    )
    panels.append(panel)
    sandbox.fail_next("ListAccounts", status=403)
    browser_click(panel.settings.submit)
    _wait_step(panel, "device")
    sandbox.approve(panel.device.authorization.user_code)
    wait_for(lambda: panel.error.value, TIMEOUT, "the portal error")
    assert "Listing AWS accounts failed" in panel.error.value
    browser_click(panel.retry)
    wait_for(lambda: panel.picker.complete, TIMEOUT, "all roles after retry")
    assert sum(len(row[3]) for row in panel.picker.roles.accounts) == 6
