"""Keys pressed in the panel's list and text boxes belong to the panel, not to the notebook.

JupyterLab's notebook shortcuts (arrows, A, B, D D, Shift+Enter...) listen to every keydown in
the notebook, outputs included; the lab extension marks our form controls so Lumino skips
them. In a notebook with cells above and below the panel's cell, the role list is driven with
the keyboard: arrows, Home/End and type-ahead move the selection while the notebook's active
cell and its cells stay put; Shift+Enter in the search box does not run the cell again; a
chord (the palette's Ctrl+Shift+C) still reaches JupyterLab; Enter on the list picks the role;
Shift+Enter in a cell outside the panel still runs that cell.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.ui.conftest import expect, sso_config

PANEL = ".ipyawssso-panel"
TIMEOUT = 30_000
ROLES = f"{PANEL} .ipyawssso-roles select"
# "<role> — <account name> (<account id>, <email>)": the picker's row labels.
LABEL = re.compile(r"^(?P<role>\S+) — \S+ \((?P<account>\d{12}),")


@pytest.fixture(scope="module")
def ui_sandbox_config() -> dict[str, Any]:
    # Nobody visits the verification page here: the sandbox approves codes by itself.
    # Three roles per account, so type-ahead "a" has an AdministratorAccess to find.
    return {"auto_approve_after": 0.2, "roles_per_account": 3}


@pytest.fixture(scope="module", autouse=True)
def aws_config(ui_home: Any, ui_sandbox: Any) -> None:
    ui_home.write_config(sso_config(ui_sandbox, {"ai-dev": ("100000000001", "ReadOnly")}))


def _active_cell(lab_page: Any) -> int:
    """The index of the notebook's active cell (JupyterLab marks it ``jp-mod-active``)."""
    return lab_page.cells().evaluate_all(
        "cells => cells.findIndex(cell => cell.classList.contains('jp-mod-active'))"
    )


def _option_values(select: Any) -> list[str]:
    return select.locator("option").evaluate_all("options => options.map(o => o.value)")


def test_keys_in_the_role_list_move_the_selection_not_the_active_cell(
    lab_page, page, console, shot
):
    lab_page.open_notebook("keyboard.ipynb", ["above = 1", "between = 2", ""])
    try:
        _drive_the_picker_with_the_keyboard(lab_page, page, shot)
    except BaseException:
        shot("failed")
        raise
    console.assert_none_ours()


def _drive_the_picker_with_the_keyboard(lab_page, page, shot):
    cell = lab_page.run_cell("%load_ext ipyawssso\n%aws_sso ai-dev")
    panel_cell = 2  # Shift+Enter on the last cell added a fourth one below it
    cells = lab_page.cells()
    expect(cells).to_have_count(4)
    prompt = cell.locator(".jp-InputArea-prompt")
    ran_as = prompt.inner_text()

    # Signed in through the panel (the sso-session is prefilled from the profile).
    sign_in = page.locator(f"{PANEL} button.ipyawssso-sign-in")
    expect(sign_in).to_be_enabled(timeout=TIMEOUT)
    sign_in.click()
    expect(page.locator(f"{PANEL} .ipyawssso-count")).to_contain_text(
        "9 roles in 3 accounts", timeout=TIMEOUT
    )
    roles = page.locator(ROLES)
    labels = _option_values(roles)
    assert len(labels) == 9, labels
    expect(roles).to_have_value(labels[0])  # the first role is selected for you
    shot("picker")

    def assert_notebook_untouched() -> None:
        assert _active_cell(lab_page) == panel_cell
        expect(cells).to_have_count(4)
        expect(roles).to_be_focused()

    roles.focus()
    assert _active_cell(lab_page) == panel_cell  # focus in an output activates its cell

    # Arrows, Home and End move the selection; the notebook's active cell stays.
    for key, expected in [
        ("ArrowDown", labels[1]),
        ("ArrowDown", labels[2]),
        ("ArrowUp", labels[1]),
        ("End", labels[-1]),
        ("Home", labels[0]),
    ]:
        page.keyboard.press(key)
        expect(roles).to_have_value(expected)
        assert_notebook_untouched()
    shot("arrows-moved-the-selection")

    # Type-ahead: "a" selects the next AdministratorAccess (in command mode, "A" would
    # insert a cell above).
    page.keyboard.press("a")
    expect(roles).to_have_value(next(x for x in labels[1:] if x.startswith("AdministratorAccess")))
    assert_notebook_untouched()

    # A chord with Ctrl/Cmd is not the list's: it still reaches JupyterLab (the palette).
    page.keyboard.press("ControlOrMeta+Shift+c")
    palette = page.locator(".lm-CommandPalette-input")
    expect(palette).to_be_visible()
    shot("chord-opened-the-palette")
    page.keyboard.press("Escape")
    expect(palette).to_be_hidden()

    # Shift+Enter in the search box filters nothing and runs nothing.
    search = page.locator(f"{PANEL} .ipyawssso-search input")
    search.click()
    search.press_sequentially("ml-002", delay=20)
    expect(roles.locator("option")).to_have_count(3)
    page.keyboard.press("Shift+Enter")
    expect(search).to_be_focused()
    expect(search).to_have_value("ml-002")

    # Tab into the list, then Down, Down, Enter as fast as keys go: the role selected in the
    # page is the one used, although ipywidgets sends the click before the second Down.
    page.keyboard.press("Tab")
    expect(roles).to_be_focused()
    shown = _option_values(roles)
    expect(roles).to_have_value(shown[0])
    shot("picker-searched")
    for key in ("ArrowDown", "ArrowDown", "Enter"):
        page.keyboard.press(key)
    picked = LABEL.match(shown[2])
    assert picked, shown[2]
    preview = page.locator(f"{PANEL} .ipyawssso-diff")
    expect(preview).to_contain_text(f"+sso_account_id = {picked['account']}", timeout=TIMEOUT)
    expect(preview).to_contain_text(f"+sso_role_name = {picked['role']}")
    shot("enter-picked-the-role")

    # None of those keys ran the panel's cell again, moved the notebook or added cells.
    expect(prompt).to_have_text(ran_as)
    assert _active_cell(lab_page) == panel_cell
    expect(cells).to_have_count(4)

    # Outside the panel, Shift+Enter still runs a cell.
    after = lab_page.run_cell("print(6 * 7)")
    expect(lab_page.outputs(after).first).to_have_text("42")
    shot("shift-enter-outside-runs")
