"""Smoke test: the same panel renders and answers in Notebook 7 (``jupyter notebook``)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import expect

PANEL = ".ipyawssso-panel"


@pytest.fixture(scope="module")
def lab_app() -> str:
    return "notebook"


def test_the_panel_renders_and_reacts_in_notebook_7(lab, lab_page, page, ui_sandbox, console, shot):
    lab_page.open_notebook("panel7.ipynb")
    lab_page.run_cell("%load_ext ipyawssso\n%aws_sso")
    panel = page.locator(PANEL)
    expect(panel).to_be_visible(timeout=30_000)
    expect(panel).to_contain_text("Sign in to IAM Identity Center")
    sign_in = page.locator(f"{PANEL} button.ipyawssso-sign-in")
    expect(sign_in).to_be_disabled()
    # A round trip through the kernel: typing the URL suggests a session name and enables
    # the button, both decided in Python.
    page.locator(f"{PANEL} .ipyawssso-start-url input").fill(ui_sandbox.start_url)
    expect(page.locator(f"{PANEL} .ipyawssso-session-name input")).to_have_value("d-sandbox0001")
    expect(sign_in).to_be_enabled()
    shot("notebook7-panel")
    console.assert_none_ours()
