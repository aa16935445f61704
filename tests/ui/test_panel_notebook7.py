"""Notebook 7 (``jupyter notebook``): the whole sign-in, as in JupyterLab.

The panel from the first field to a working session (the same steps as test_panel_lab.py,
keyboard handling in the picker included), then a blocking ``%aws_sso login`` whose device
card is drawn by our MIME renderer, approved from the card, in Notebook 7's own page.
"""

from __future__ import annotations

import re

import pytest

from tests.ui.conftest import expect
from tests.ui.test_panel_lab import _sign_in_through_the_panel

PANEL = ".ipyawssso-panel"


@pytest.fixture(scope="module")
def lab_app() -> str:
    return "notebook"


def test_the_panel_signs_in_end_to_end_in_notebook_7(
    lab, lab_page, page, ui_sandbox, ui_home, console, shot
):
    lab_page.open_notebook("panel7.ipynb")
    try:
        _sign_in_through_the_panel(lab, lab_page, page, ui_sandbox, ui_home, console, shot)
    except BaseException:
        shot("failed")
        raise


def test_a_blocking_login_shows_our_card_and_ends_signed_in(
    lab, lab_page, page, ui_sandbox, ui_home, console, shot
):
    lab_page.open_notebook("login7.ipynb")
    lab_page.run_cell("%load_ext ipyawssso\n%aws_sso logout --all")
    cell = lab_page.start_cell("%aws_sso login ai-dev")
    card = cell.locator(".ipyawssso-DeviceRenderer .ipyawssso-DeviceCard")
    expect(card).to_have_attribute("data-state", "pending", timeout=30_000)
    shown = card.locator(".ipyawssso-DeviceCard-code").inner_text()
    shot("card-pending")
    with page.context.expect_page() as opened:
        card.locator(".ipyawssso-DeviceCard-open").click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.locator("input#user-code").input_value() == shown
    tab.locator("button#allow").click()
    expect(tab.locator("#result")).to_have_text(re.compile("Approved"))
    tab.close()
    lab_page.wait_cell(cell)
    expect(card).to_have_attribute("data-state", "signed_in")
    assert "session is a boto3.Session for profile 'ai-dev'." in lab_page.text_of(cell)
    shot("card-signed-in")
    cell = lab_page.run_cell('print(session.client("sts").get_caller_identity()["Account"])')
    expect(lab_page.outputs(cell).first).to_have_text("100000000002")
    console.assert_none_ours()
