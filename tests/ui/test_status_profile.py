"""The status bar follows the AWS_PROFILE of the current notebook's kernel (issue 5).

Two sso-sessions on the sandbox, one profile each: ``ai-dev`` signed in through the server's API
(so it is the most recent sign-in), ``ai-ops`` never signed in. The poll is slowed to a minute so
every change seen here comes from the kernel watcher, not from the periodic refresh.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from jupyter_process import LabServer, UiHome, sso_config
from playwright.sync_api import expect

from ipyawssso.sandbox.leak_guard import find_leaks

AI_DEV = ("100000000001", "ReadOnly")
AI_OPS = ("100000000002", "ReadOnly")
SIGNED_IN_DEV = re.compile(r"^AWS: ai-dev · 7h5\dm$")
FOLLOW_MS = 5_000  # "within a few seconds"


@pytest.fixture(scope="module")
def lab_args() -> list[str]:
    """``window.jupyterapp``: a test runs a command with arguments, as a shortcut would."""
    return ["--LabApp.expose_app_in_browser=True"]


@pytest.fixture(scope="module")
def lab_settings() -> dict[str, dict[str, Any]]:
    return {"ipyawssso:plugin": {"refreshInterval": 60}}


@pytest.fixture(scope="module", autouse=True)
def signed_in_dev(ui_home: UiHome, ui_sandbox: Any, lab: LabServer) -> None:
    """ai-dev (sso-session sbx) signed in through the REST API; ai-ops (ops) signed out."""
    ui_home.write_config(
        sso_config(ui_sandbox, {"ai-dev": AI_DEV}, "sbx")
        + "\n"
        + sso_config(ui_sandbox, {"ai-ops": AI_OPS}, "ops")
    )
    status, job, raw = lab.request("POST", "ipyawssso/api/login", {"profile": "ai-dev"})
    assert status == 201, raw
    deadline = time.monotonic() + 30
    approved = False
    while job["state"] != "signed_in":
        assert time.monotonic() < deadline, job
        if job["userCode"] and not approved:
            ui_sandbox.approve(job["userCode"])
            approved = True
        time.sleep(0.2)
        status, job, raw = lab.request("GET", f"ipyawssso/api/login/{job['id']}")
        assert status == 200, raw


def status_item(page: Any) -> Any:
    return page.locator("#ipyawssso-status")


def put_settings(lab: LabServer, values: dict[str, Any]) -> None:
    status, _, raw = lab.request(
        "PUT", "lab/api/settings/ipyawssso:plugin", {"raw": json.dumps(values)}
    )
    assert status == 204, raw


def open_from_file_browser(lab_page: Any, name: str) -> None:
    """Open a second notebook in the same page (a new tab), and wait for its kernel."""
    page = lab_page.page
    lab_page.lab.write_notebook(name)
    browser = page.locator(".jp-FileBrowser")
    if not browser.is_visible():
        page.keyboard.press("ControlOrMeta+Shift+f")
    page.locator(".jp-FileBrowser .jp-ToolbarButtonComponent[title*='Refresh']").first.click()
    item = page.locator(".jp-DirListing-item", has_text=name)
    item.dblclick()
    expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")).to_contain_text(name)
    lab_page.wait_kernel_idle()


def select_tab(page: Any, name: str) -> None:
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=name).click()
    expect(page.locator(".jp-NotebookPanel:visible")).to_have_count(1)


def test_the_status_bar_follows_the_kernels_aws_profile(
    lab_page: Any, lab: LabServer, ui_sandbox: Any, shot: Any, console: Any
) -> None:
    page = lab_page.page
    item = status_item(page)
    lab_page.open_notebook("kernel-a.ipynb")
    expect(item).to_have_text(SIGNED_IN_DEV)
    expect(item).to_have_attribute("data-origin", "server")
    shot("most-recent-sign-in")

    cell = lab_page.run_cell("import os; os.environ['AWS_PROFILE'] = 'ai-ops'")
    expect(item).to_have_text("AWS: ai-ops · signed out", timeout=FOLLOW_MS)
    expect(item).to_have_attribute("data-origin", "kernel")
    expect(item).to_have_attribute("data-level", "signed-out")
    assert "AWS_PROFILE" in (item.get_attribute("title") or "")
    shot("kernel-profile")
    # The silent question leaves the execution count and the outputs alone.
    expect(cell.locator(".jp-InputArea-prompt")).to_have_text(re.compile(r"\[1\]"))
    assert lab_page.outputs(cell).count() == 0
    # (Shift+Enter on the last cell made a new empty one below, which run_cell types into.)
    second = lab_page.run_cell("print(len(In) - 1)")
    expect(second.locator(".jp-InputArea-prompt")).to_have_text(re.compile(r"\[2\]"))
    assert lab_page.text_of(second).strip() == "2"  # history: our two cells, nothing else

    # Another notebook, whose kernel has no AWS_PROFILE: back to the most recent sign-in.
    open_from_file_browser(lab_page, "kernel-b.ipynb")
    expect(item).to_have_text(SIGNED_IN_DEV, timeout=FOLLOW_MS)
    expect(item).to_have_attribute("data-origin", "server")
    shot("other-notebook")

    # And back to the first one.
    select_tab(page, "kernel-a.ipynb")
    expect(item).to_have_text("AWS: ai-ops · signed out", timeout=FOLLOW_MS)
    shot("back-to-first")

    # Unset in the kernel (the magics' way to say "no profile"): most recent sign-in again.
    lab_page.run_cell("os.environ.pop('AWS_PROFILE')")
    expect(item).to_have_text(SIGNED_IN_DEV, timeout=FOLLOW_MS)
    expect(item).to_have_attribute("data-origin", "server")
    # The magic's --export-env sets it too; the status bar then says it is the kernel's.
    lab_page.run_cell("%load_ext ipyawssso\n%aws_sso use ai-dev --export-env")
    expect(item).to_have_attribute("data-origin", "kernel", timeout=FOLLOW_MS)
    expect(item).to_have_text(SIGNED_IN_DEV)
    shot("magic-export-env")
    # Set it back for the next test (kernel-a's kernel keeps running between pages).
    lab_page.run_cell("os.environ['AWS_PROFILE'] = 'ai-ops'")
    expect(item).to_have_text("AWS: ai-ops · signed out", timeout=FOLLOW_MS)

    leaks = find_leaks([page.content(), lab.log()], ui_sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)
    console.assert_none_ours()


def test_a_profile_pinned_in_the_settings_wins_over_the_kernel(
    lab_page: Any, lab: LabServer, shot: Any, console: Any
) -> None:
    page = lab_page.page
    item = status_item(page)
    put_settings(lab, {"refreshInterval": 60, "profile": "ai-dev"})
    try:
        # kernel-a's kernel is still running, with AWS_PROFILE=ai-ops.
        lab_page.open_notebook("kernel-a.ipynb")
        lab_page.run_cell("print(os.environ['AWS_PROFILE'])")
        expect(item).to_have_text(SIGNED_IN_DEV)
        expect(item).to_have_attribute("data-origin", "settings")
        shot("pinned")
    finally:
        put_settings(lab, {"refreshInterval": 60})
    lab_page.open_notebook("kernel-a.ipynb")
    expect(item).to_have_text("AWS: ai-ops · signed out", timeout=FOLLOW_MS)
    console.assert_none_ours()


def test_a_long_error_shows_its_first_words_and_all_of_it_on_details(
    lab_page: Any, lab: LabServer, ui_sandbox: Any, shot: Any, console: Any
) -> None:
    """A keyboard shortcut (or another extension) opens the console for a profile that has
    since gone from the config: the server's answer (what happened, then what to do) is longer
    than the 140 characters JupyterLab shows in a notification, so the toast shows its first
    words and Details shows all of it."""
    page = lab_page.page
    lab_page.open_notebook("typo.ipynb")
    with page.context.expect_page():  # the command opens its tab at once, then closes it
        page.evaluate(
            "window.jupyterapp.commands.execute('ipyawssso:console', {profile: 'ai-tpyo'})"
        )
    toast = page.locator(".Toastify__toast", has_text="AWS console for ai-tpyo")
    expect(toast).to_contain_text("The profile 'ai-tpyo' is not in")
    assert toast.inner_text().count("…") == 1 and "REGION" not in toast.inner_text()
    shot("long-error-toast", toast)
    toast.get_by_role("button", name="Details").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("AWS console for ai-tpyo")
    expect(dialog).to_contain_text(
        "Create it with `%aws_sso login ai-tpyo --start-url URL --sso-region REGION` in a "
        "notebook, or list existing ones with Sign in… in the AWS status bar."
    )
    shot("long-error-details", dialog)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    others = [e for e in console.ours() if not e.url.split("?")[0].endswith("/api/console")]
    assert not others, [e.text for e in others]
    leaks = find_leaks([page.content(), lab.log()], ui_sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)
