"""The AWS console one click away, in a real JupyterLab and headless Chromium: the status-bar
popup's Console button and the whoami card's button each open the sandbox's console page as the
role, and the one-time link is in no page content, saved notebook or server log."""

from __future__ import annotations

import re
from typing import Any

import pytest
from jupyter_process import LabServer, UiHome, sso_config
from playwright.sync_api import expect
from test_lab_extension import sign_in_through_dialog, status_item

from ipyawssso.sandbox.leak_guard import find_leaks

AI_DEV = ("100000000001", "USS_AI_DEV_Bedrock_Access")
ARN = re.compile(r"arn:aws:sts::100000000001:assumed-role/USS_AI_DEV_Bedrock_Access/")


@pytest.fixture(scope="module", autouse=True)
def aws_config(ui_home: UiHome, ui_sandbox: Any) -> None:
    ui_home.write_config(sso_config(ui_sandbox, {"ai-dev": AI_DEV}, "sbx"))


def _console_tab(page: Any, button: Any) -> Any:
    with page.context.expect_page() as opened:
        button.click()
    tab = opened.value
    expect(tab.locator("#console-role")).to_have_text(ARN, timeout=15_000)
    return tab


def test_console_from_the_status_bar_and_the_whoami_card(
    lab_page: Any, lab: LabServer, ui_sandbox: Any, shot: Any, console: Any
) -> None:
    page = lab_page.page
    lab_page.open_notebook("console.ipynb")
    lab_page.palette("AWS SSO: Sign in…")
    page.locator(".jp-Dialog-button", has_text="Sign in").click()
    sign_in_through_dialog(page, shot, "sign-in")
    expect(status_item(page)).to_have_attribute("data-level", "ok")

    status_item(page).click()
    popup = page.locator(".ipyawssso-Popup")
    shot("popup")
    tab = _console_tab(page, popup.locator(".ipyawssso-Popup-console"))
    shot("console-from-status-bar", tab)
    tab.close()

    cell = lab_page.run_cell("%load_ext ipyawssso\n%aws_sso whoami ai-dev")
    button = cell.locator("button.ipyawssso-console")
    expect(button).to_have_text("Open the AWS console")
    tab = _console_tab(page, button)
    expect(tab.locator("#console-destination")).to_contain_text("console.aws.amazon.com")
    shot("console-from-whoami", tab)
    tab.close()
    expect(button).to_have_text("Console opened")

    page.keyboard.press("Control+s")
    page.wait_for_timeout(1000)
    leaks = find_leaks([page.content(), lab.log(), lab.root_dir], ui_sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)
    console.assert_none_ours()
