"""What VS Code shows: the outputs rendered with no ipyawssso front-end code at all.

VS Code's notebooks cannot load JupyterLab extensions: for the device card they pick the
richest MIME type they know, ``text/html``, and they render ipywidgets with the stock widget
code, and their kernels run without a Jupyter server. This module runs JupyterLab with both
ipyawssso extensions disabled (the lab one: its MIME renderer, status bar and key handling are
gone; the server one: no REST API), which is that situation in a browser we can drive:
a blocking ``%aws_sso login`` must still show its code and link as HTML, and its Cancel button
and role picker (widgets) must still answer while the cell waits, on ipykernel 7 (the cell
awaits) and on ipykernel 6 (jupyter-ui-poll).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from jupyter_process import UiHome, make_home

from ipyawssso.sandbox.leak_guard import find_leaks
from tests.ui.conftest import expect, use_role

ACCOUNT, ROLE = "100000000002", "USS_AI_DEV_Bedrock_Access"


@pytest.fixture(scope="module")
def ui_home(tmp_path_factory: pytest.TempPathFactory) -> UiHome:
    home = make_home(tmp_path_factory.mktemp("vscode-home"))
    page_config = home.root / ".jupyter-test" / "config" / "labconfig" / "page_config.json"
    config = json.loads(page_config.read_text())
    config["disabledExtensions"]["ipyawssso"] = True  # the whole package: no renderer, no bar
    page_config.write_text(json.dumps(config))
    # VS Code runs its kernels itself: no Jupyter server, so no server extension either.
    server_config = home.root / ".jupyter-test" / "config" / "jupyter_server_config.json"
    server_config.write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"ipyawssso": False}}})
    )
    return home


def login(sandbox: Any) -> str:
    # In its own cell, after %load_ext: on ipykernel 7 only a line transformed by the loaded
    # extension awaits (see ipyawssso/magics/frontends.py).
    return f"%aws_sso login ai-dev --start-url {sandbox.start_url} --sso-region {sandbox.region}"


def html_card(cell: Any) -> Any:
    return cell.locator(".ipyawssso-device")


def test_no_ipyawssso_front_end_is_loaded(lab_page: Any, console: Any) -> None:
    lab_page.open_notebook("nothing-of-ours.ipynb")
    expect(lab_page.page.locator(".jp-StatusBar-Widget").first).to_be_visible()
    assert lab_page.page.locator("#ipyawssso-status").count() == 0
    labels = lab_page.palette_labels("Python")  # any query: our commands must not be there
    assert not [label for label in labels if label.startswith("AWS SSO")], labels
    console.assert_none_ours()


def test_cancel_inside_a_blocking_login_with_the_html_card(
    lab_page: Any, ui_sandbox: Any, ui_home: UiHome, shot: Any, console: Any
) -> None:
    lab_page.open_notebook("cancel.ipynb")
    lab_page.run_cell("%load_ext ipyawssso")
    cell = lab_page.start_cell(login(ui_sandbox))
    card = html_card(cell)
    expect(card).to_contain_text("Sign in to AWS for profile ai-dev")
    assert re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", card.inner_text())
    assert cell.locator(".ipyawssso-DeviceCard").count() == 0  # not our renderer: the HTML
    expect(card.locator(".ipyawssso-countdown")).to_have_text(re.compile(r"^\d+:\d\d$"))
    shot("html-card")
    cancel = cell.locator(".ipyawssso-cancel button, button.ipyawssso-cancel").first
    expect(cancel).to_be_visible()
    cancel.click()
    lab_page.wait_cell(cell, timeout=15_000)
    expect(card).to_have_count(0)  # the card became its one-line outcome
    outputs = lab_page.outputs(cell)
    expect(outputs.first).to_have_text("AWS sign-in for profile 'ai-dev' cancelled.")
    text = lab_page.text_of(cell)
    assert "Traceback" not in text and "UsageError" not in text, text  # an outcome, said once
    shot("cancelled")
    assert not ui_home.aws_config.read_text()  # nothing was written
    console.assert_none_ours()


def test_approve_from_the_html_card_then_pick_a_role_in_the_widget(
    lab_page: Any, lab: Any, ui_sandbox: Any, shot: Any, console: Any
) -> None:
    page = lab_page.page
    lab_page.open_notebook("picker.ipynb")
    lab_page.run_cell("%load_ext ipyawssso")
    cell = lab_page.start_cell(login(ui_sandbox))
    link = html_card(cell).get_by_role("link", name="Open the sign-in page")
    expect(link).to_be_visible()
    with page.context.expect_page() as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url.startswith(f"{ui_sandbox.url}/device")
    tab.locator("button#allow").click()
    expect(tab.locator("#result")).to_have_text(re.compile("Approved"))
    tab.close()

    # The cell still runs; the picker (widgets) answers from inside it.
    shot("picker-in-the-cell")
    use_role(cell, "sandbox-ml-002 bedrock", enabled_within=15_000)
    lab_page.wait_cell(cell)
    text = lab_page.text_of(cell)
    assert f"Role {ROLE} in account {ACCOUNT}" in text, text
    assert "session is a boto3.Session for profile 'ai-dev'." in text, text
    shot("signed-in")

    cell = lab_page.run_cell('print(session.client("sts").get_caller_identity()["Account"])')
    expect(lab_page.outputs(cell).first).to_have_text(ACCOUNT)
    leaks = find_leaks([page.content(), lab.log()], ui_sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)
    console.assert_none_ours()
