"""A login cell's card and its kernel's wait never part ways (issue: "no dead ends").

Walks what a new user did in JupyterLab: ran ``%aws_sso login`` and, while the card waited,
ran the cell again (JupyterLab cleared the card and the kernel went on waiting on a code nobody
could see); then restarted the kernel while a card waited (the card went on counting down, and
reopened that way after a reload); then a login that asks for the role, in the cell (its
picker was clipped on the right). Runs in file order: the first test leaves ``sbx`` signed in.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from jupyter_process import LabServer, UiHome, sso_config
from playwright.sync_api import expect

from ipyawssso.sandbox.leak_guard import find_leaks

AI_DEV = ("100000000001", "ReadOnly")


@pytest.fixture(scope="module", autouse=True)
def aws_config(ui_home: UiHome, ui_sandbox: Any) -> None:
    ui_home.write_config(sso_config(ui_sandbox, {"ai-dev": AI_DEV}, "sbx"))


def pending_card(cell: Any) -> Any:
    card = cell.locator(".ipyawssso-DeviceRenderer .ipyawssso-DeviceCard")
    expect(card).to_have_attribute("data-state", "pending", timeout=30_000)
    return card


def code_of(card: Any) -> str:
    code = card.locator(".ipyawssso-DeviceCard-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    return code


def run_again(lab_page: Any, cell: Any) -> None:
    """What the user did: click into the same cell and press Shift+Enter."""
    cell.locator(".cm-content").click()
    lab_page.page.keyboard.press("Shift+Enter")


def test_running_a_waiting_login_cell_again_shows_a_new_code_at_once(
    lab_page: Any, lab: LabServer, ui_sandbox: Any, shot: Any, console: Any
) -> None:
    page = lab_page.page
    lab_page.open_notebook("rerun.ipynb")
    cell = lab_page.start_cell("%load_ext ipyawssso\n%aws_sso login ai-dev")
    card = pending_card(cell)
    first = code_of(card)
    # The card carries its own Cancel once the server confirmed a kernel waits on it; no
    # second button sits detached below it.
    expect(card.locator(".ipyawssso-DeviceCard-cancel")).to_be_visible()
    assert cell.locator(".ipyawssso-cancel").count() == 0
    shot("first-card")

    started = time.monotonic()
    run_again(lab_page, cell)
    # The old wait stops at once, so the new run shows its own card without any interrupt
    # (before the fix: "[*]" and no output until the first code expired, 10 minutes).
    second = None
    while time.monotonic() - started < 30:
        cards = cell.locator(".ipyawssso-DeviceCard[data-state='pending']")
        if cards.count() == 1:
            text = cards.locator(".ipyawssso-DeviceCard-code").inner_text()
            if text not in ("", "…", first):
                second = text
                break
        page.wait_for_timeout(200)
    assert second is not None, f"no new code after the re-run:\n{lab_page.text_of(cell)}"
    assert cell.locator(".ipyawssso-DeviceCard").count() == 1
    shot("second-card")

    ui_sandbox.approve(second)
    lab_page.wait_cell(cell)
    card = cell.locator(".ipyawssso-DeviceCard")
    expect(card).to_have_attribute("data-state", "signed_in")
    text = lab_page.text_of(cell)
    assert "session" in text and "Error" not in text, text
    # The first code was never approved, and nothing waits on it any more.
    assert first in ui_sandbox.pending_user_codes()
    shot("signed-in")
    leaks = find_leaks([page.content(), lab.log()], ui_sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)
    console.assert_none_ours()


def kernel_of(lab: LabServer, notebook: str) -> str:
    status, sessions, raw = lab.request("GET", "api/sessions")
    assert status == 200, raw
    for session in sessions:
        if session["path"].endswith(notebook):
            return str(session["kernel"]["id"])
    raise AssertionError(f"no session for {notebook}: {raw}")


def kill_kernel(kernel_id: str) -> None:
    """SIGKILL the kernel process (a crash or an OOM kill: nothing in it runs any more).

    A restart from the menu interrupts the kernel first, so its login ends as "cancelled"
    and the card says so; a kernel that dies says nothing, which is the case to cover."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if f"kernel-{kernel_id}.json" in command:
            os.kill(int(proc.name), signal.SIGKILL)
            return
    raise AssertionError(f"no process for kernel {kernel_id}")


def test_a_card_whose_kernel_died_says_so_and_reopens_that_way(
    lab_page: Any, lab: LabServer, ui_sandbox: Any, shot: Any, console: Any
) -> None:
    page = lab_page.page
    lab_page.open_notebook("restart.ipynb")
    cell = lab_page.start_cell("%load_ext ipyawssso\n%aws_sso login ai-dev --force")
    card = pending_card(cell)
    expect(card.locator(".ipyawssso-DeviceCard-cancel")).to_be_visible()
    shot("pending")

    kill_kernel(kernel_of(lab, "restart.ipynb"))
    expect(card).to_have_attribute("data-state", "ended", timeout=20_000)
    expect(card.locator(".ipyawssso-DeviceCard-state")).to_have_text(
        "This sign-in ended with its kernel; run the cell again."
    )
    # No code to approve, no countdown and no Cancel that would do nothing.
    expect(card.locator(".ipyawssso-DeviceCard-codeRow")).to_be_hidden()
    expect(card.locator(".ipyawssso-DeviceCard-countdown")).to_have_text("")
    shot("ended")

    # JupyterLab restarts a dead kernel and says so in a dialog.
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("restart", ignore_case=True)
    dialog.locator(".jp-Dialog-button").last.click()
    # Saved while the payload still says "pending", the notebook reopens with the truth.
    lab_page.wait_kernel_idle()
    saved = lab.root_dir / "restart.ipynb"
    lab_page.save(cell, lambda: "vnd.ipyawssso.device" in saved.read_text())
    outputs = json.loads(saved.read_text())["cells"][0]["outputs"]
    payloads = [o["data"]["application/vnd.ipyawssso.device+json"] for o in outputs if "data" in o]
    assert payloads and payloads[0]["state"] == "pending" and payloads[0]["signIn"]

    page.goto(lab_page._url("lab/tree/restart.ipynb"))
    card = page.locator(".jp-Notebook .ipyawssso-DeviceCard").first
    expect(card).to_have_attribute("data-state", "ended", timeout=30_000)
    expect(card).not_to_contain_text("Waiting for you to approve")
    shot("reopened")
    console.assert_none_ours()


def test_the_login_picker_fits_its_output_and_enter_uses_a_role(
    lab_page: Any, ui_sandbox: Any, shot: Any, console: Any
) -> None:
    """A login that must ask for the role shows the grouped picker in the cell, its search
    box and list inside the output (they were clipped on the right), driven by the keyboard."""
    page = lab_page.page
    lab_page.open_notebook("login-picker.ipynb")
    # In a cell of its own: the line that keeps widgets live while a login waits is set up
    # by %load_ext, for the cells after it.
    lab_page.run_cell("%load_ext ipyawssso")
    cell = lab_page.start_cell(
        f"%aws_sso login picked --start-url {ui_sandbox.start_url} "
        f"--sso-region {ui_sandbox.region} --force"
    )
    card = pending_card(cell)
    ui_sandbox.approve(code_of(card))
    search = cell.locator(".ipyawssso-rolelist-search")
    tree = cell.locator(".ipyawssso-rolelist-list")
    expect(tree.locator(".ipyawssso-rolelist-role").first).to_be_visible(timeout=30_000)
    output = cell.locator(".jp-OutputArea-output").last.bounding_box()
    for part in (search, tree):
        box = part.bounding_box()
        assert box is not None and output is not None
        assert box["x"] + box["width"] <= output["x"] + output["width"] + 1, (box, output)
        assert part.evaluate("n => n.scrollWidth <= n.clientWidth + 1")
    shot("login-picker")
    search.click()
    page.keyboard.type("ml-002 read")
    expect(tree.locator(".ipyawssso-rolelist-role")).to_have_count(1)
    page.keyboard.press("Enter")
    lab_page.wait_cell(cell)
    text = lab_page.text_of(cell)
    assert "Role ReadOnly in account 100000000002" in text, text
    assert "boto3.Session for profile 'picked'" in text, text
    console.assert_none_ours()


def test_a_panel_whose_kernel_is_gone_says_what_it_was(
    lab_page: Any, lab: LabServer, shot: Any, console: Any
) -> None:
    """Reopened after a kernel restart, a panel said "Error displaying widget: model not
    found" (and a raw ``Panel(children=(HBox(…`` outside JupyterLab)."""
    from ipyawssso.widgets.panel import PANEL_FALLBACK

    page = lab_page.page
    lab_page.open_notebook("panel-fallback.ipynb")
    cell = lab_page.run_cell("%load_ext ipyawssso\n%aws_sso")
    expect(cell.locator(".ipyawssso-panel")).to_be_visible(timeout=30_000)
    saved = lab.root_dir / "panel-fallback.ipynb"
    lab_page.save(cell, lambda: "widget-view" in saved.read_text())
    (output,) = json.loads(saved.read_text())["cells"][0]["outputs"]
    text, html = ("".join(output["data"][kind]) for kind in ("text/plain", "text/html"))
    assert text == PANEL_FALLBACK  # what GitHub, nbviewer and nbconvert show
    assert PANEL_FALLBACK in html

    status, _, raw = lab.request(
        "POST", f"api/kernels/{kernel_of(lab, 'panel-fallback.ipynb')}/restart"
    )
    assert status == 200, raw
    page.goto(lab_page._url("lab/tree/panel-fallback.ipynb"))
    fallback = page.locator(".jp-Notebook .jp-OutputArea-output.ipyawssso-widget-fallback")
    expect(fallback).to_have_text(PANEL_FALLBACK, timeout=30_000)
    expect(page.locator(".jp-Notebook")).not_to_contain_text("Error displaying widget")
    shot("panel-fallback")
    console.assert_none_ours()


def test_sign_in_again_under_an_ended_sign_in_then_run_the_cell_again(
    lab_page: Any, ui_sandbox: Any, shot: Any, console: Any
) -> None:
    """ "Sign in again" under the error signs in right there (it used to open the whole
    panel, with a second "Sign in again"), then runs the failing cell again."""
    lab_page.open_notebook("sign-in-again.ipynb")
    lab_page.run_cell("%load_ext ipyawssso")
    ui_sandbox.configure(role_credentials_ttl=60)  # every call asks the portal again
    try:
        login = lab_page.start_cell("%aws_sso login ai-dev --force")
        ui_sandbox.approve(code_of(pending_card(login)))
        lab_page.wait_cell(login)
        ui_sandbox.expire_tokens()  # the sign-in ends early (revoked, say)
        failing = lab_page.run_cell("session.client('sts').get_caller_identity()['Account']")
        expect(lab_page.outputs(failing).first).to_contain_text("Run `%aws_sso login ai-dev`")
        failing.locator("button.ipyawssso-sign-in-again").click()
        code = failing.locator(".ipyawssso-user-code")
        expect(code).to_be_visible(timeout=30_000)  # the code, in place: no panel
        assert failing.locator(".ipyawssso-panel").count() == 0
        shot("code-under-the-error")
        ui_sandbox.approve(code.inner_text().strip())
        rerun = failing.locator("button.ipyawssso-rerun-cell")
        expect(rerun).to_be_visible(timeout=30_000)
        expect(failing).to_contain_text("run the cell again")
        shot("signed-in-again")
        rerun.click()
        expect(lab_page.outputs(failing).first).to_have_text(f"'{AI_DEV[0]}'", timeout=30_000)
        shot("cell-ran-again")
    finally:
        ui_sandbox.configure(role_credentials_ttl=3600)
    console.assert_none_ours()
