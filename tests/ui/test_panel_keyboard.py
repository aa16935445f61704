"""Keys pressed in the panel's list and text boxes belong to the panel, not to the notebook.

JupyterLab's notebook shortcuts (arrows, A, B, D D, Shift+Enter...) listen to every keydown in
the notebook, outputs included; the lab extension marks our controls so Lumino skips them. In a
notebook with cells above and below the panel's cell, the role tree is driven with the keyboard
alone: arrows, Home/End move the selection over accounts and roles while the notebook's active
cell and its cells stay put; Left/Right close and open an account; ``*`` makes a favourite,
which then shows on top; typing in the tree types into the search box; Shift+Enter in the
search box does not run the cell again; a chord (the palette's Ctrl+Shift+C) still reaches
JupyterLab; Enter uses the role; Shift+Enter in a cell outside the panel still runs that cell.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.conftest import expect, sso_config

PANEL = ".ipyawssso-panel"
TIMEOUT = 30_000
TREE = f"{PANEL} .ipyawssso-rolelist-list"
ACTIVE = f"{TREE} [aria-selected='true']"


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


def _rows(page: Any, kind: str = "") -> list[str]:
    """The ``data-row`` ids the tree draws (``a:<account>``, ``r:<account>/<role>``...)."""
    selector = f"{TREE} > div[data-row]" + (f".ipyawssso-rolelist-{kind}" if kind else "")
    return page.locator(selector).evaluate_all("rows => rows.map(r => r.dataset.row)")


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
    tree = page.locator(TREE)
    active = page.locator(ACTIVE)
    rows = _rows(page)
    assert len(_rows(page, "account")) == 3 and len(_rows(page, "role")) == 9, rows
    expect(active).to_have_attribute("data-row", rows[1])  # the first role is selected for you
    shot("picker")

    def assert_notebook_untouched() -> None:
        assert _active_cell(lab_page) == panel_cell
        expect(cells).to_have_count(4)
        expect(tree).to_be_focused()

    tree.focus()
    assert _active_cell(lab_page) == panel_cell  # focus in an output activates its cell

    # Arrows, Home and End move the selection over accounts and roles; the notebook stays.
    for key, expected in [
        ("ArrowDown", rows[2]),
        ("ArrowDown", rows[3]),
        ("ArrowUp", rows[2]),
        ("End", rows[-1]),
        ("Home", rows[0]),
    ]:
        page.keyboard.press(key)
        expect(active).to_have_attribute("data-row", expected)
        assert_notebook_untouched()
    shot("arrows-moved-the-selection")

    # Left closes the account (in command mode, arrows would move between cells), Right
    # opens it again; Right once more goes to its first role.
    first_account = rows[0]
    page.keyboard.press("ArrowLeft")
    expect(page.locator(f"{TREE} [data-row='{first_account}']")).to_have_attribute(
        "aria-expanded", "false"
    )
    assert len(_rows(page, "role")) == 6
    shot("account-closed")
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"{TREE} [data-row='{first_account}']")).to_have_attribute(
        "aria-expanded", "true"
    )
    page.keyboard.press("ArrowRight")
    expect(active).to_have_attribute("data-row", rows[1])
    assert_notebook_untouched()

    # "*" makes the role a favourite: it shows on top, above the accounts, and stays there.
    favourite = rows[1]
    page.keyboard.press("*")
    pinned = page.locator(f"{TREE} .ipyawssso-rolelist-pinned")
    expect(pinned).to_have_count(1)
    expect(pinned).to_have_attribute("data-row", "p:" + favourite.removeprefix("r:"))
    expect(pinned.locator(".ipyawssso-rolelist-star")).to_have_text("★")
    expect(page.locator(f"{TREE} .ipyawssso-rolelist-section").first).to_have_text(
        "Favourites and recent"
    )
    assert_notebook_untouched()
    shot("favourite-on-top")

    # A chord with Ctrl/Cmd is not the tree's: it still reaches JupyterLab (the palette).
    page.keyboard.press("ControlOrMeta+Shift+c")
    palette = page.locator(".lm-CommandPalette-input")
    expect(palette).to_be_visible()
    shot("chord-opened-the-palette")
    page.keyboard.press("Escape")
    expect(palette).to_be_hidden()

    # Typing in the tree types into the search box (in command mode "m" would change the
    # cell to Markdown); Shift+Enter there filters nothing and runs nothing.
    tree.focus()
    page.keyboard.type("ml-002")
    search = page.locator(f"{PANEL} .ipyawssso-rolelist-search")
    expect(search).to_be_focused()
    expect(search).to_have_value("ml-002")
    expect(page.locator(f"{TREE} .ipyawssso-rolelist-role")).to_have_count(3)
    page.keyboard.press("Shift+Enter")
    expect(search).to_be_focused()
    expect(search).to_have_value("ml-002")
    expect(page.locator(f"{TREE} mark").first).to_have_text("ml-002")

    # Down into the tree, then Down, Down, Enter as fast as keys go: the role selected in the
    # page is the one used (Enter sends its key with it).
    shown = _rows(page, "role")
    page.keyboard.press("ArrowDown")
    expect(tree).to_be_focused()
    expect(active).to_have_attribute("data-row", shown[0])
    shot("picker-searched")
    for key in ("ArrowDown", "ArrowDown", "Enter"):
        page.keyboard.press(key)
    account, role = shown[2].removeprefix("r:").split("/")
    preview = page.locator(f"{PANEL} .ipyawssso-diff")
    expect(preview).to_contain_text(f"+sso_account_id = {account}", timeout=TIMEOUT)
    expect(preview).to_contain_text(f"+sso_role_name = {role}")
    shot("enter-picked-the-role")

    # None of those keys ran the panel's cell again, moved the notebook or added cells.
    expect(prompt).to_have_text(ran_as)
    assert _active_cell(lab_page) == panel_cell
    expect(cells).to_have_count(4)

    # Outside the panel, Shift+Enter still runs a cell.
    after = lab_page.run_cell("print(6 * 7)")
    expect(lab_page.outputs(after).first).to_have_text("42")
    shot("shift-enter-outside-runs")
