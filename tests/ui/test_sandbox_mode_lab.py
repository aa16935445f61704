"""The README's try-it path: ``jupyter lab --IpyAwsSso.sandbox=True`` and the sandbox tour.

What a new user hit: the tour ran its sandbox inside the kernel with its own HOME, so the
status bar stayed hidden through the whole tour and the palette said there was no profile.
In sandbox mode the server runs the sandbox for itself and every kernel; the tour finds it and
skips its own set-up, and the status bar and palette follow the tour's sign-in, with the
shipped settings (a 30 s status poll), within seconds, as does a log-out made in a terminal.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from jupyter_process import LabServer, UiHome
from playwright.sync_api import expect

TOUR = Path(__file__).resolve().parents[2] / "notebooks" / "sandbox-tour.ipynb"


@pytest.fixture(scope="module")
def lab_args() -> list[str]:
    return ["--IpyAwsSso.sandbox=True"]


def status_item(page: Any) -> Any:
    return page.locator("#ipyawssso-status")


def run_cell_at(lab_page: Any, index: int) -> Any:
    """Select cell ``index`` of the open notebook and run it (Shift+Enter in command mode)."""
    cell = lab_page.cells().nth(index)
    cell.locator(".jp-InputArea-prompt").click()
    lab_page.page.keyboard.press("Escape")
    lab_page.page.keyboard.press("Shift+Enter")
    return cell


def test_the_tour_in_sandbox_mode_lights_up_the_status_bar_and_palette(
    lab_page: Any, lab: LabServer, ui_home: UiHome, shot: Any, console: Any
) -> None:
    page = lab_page.page
    shutil.copy(TOUR, lab.root_dir / TOUR.name)
    started = time.time()
    page.goto(lab_page._url(f"lab/tree/{TOUR.name}"))
    lab_page.wait_kernel_idle()
    # Shipped with the metadata the kernel fills in, the tour is not "modified" on open.
    if sys.version_info[:3] == (3, 11, 7):  # the version written in the shipped notebook
        page.wait_for_timeout(1_000)
        expect(page.locator(".lm-TabBar-tab.jp-mod-dirty")).to_have_count(0)

    setup = run_cell_at(lab_page, 1)
    lab_page.wait_cell(setup)
    text = lab_page.text_of(setup)
    match = re.search(r"This Jupyter server runs the sandbox at (\S+); HOME is (\S+)", text)
    assert match, text  # the tour found the server's sandbox and started none of its own
    sandbox_url, sandbox_home = match[1].rstrip(";"), Path(match[2])
    lab_page.wait_cell(run_cell_at(lab_page, 3))  # %load_ext, %config

    login = run_cell_at(lab_page, 5)
    card = login.locator(".ipyawssso-DeviceCard")
    expect(card).to_have_attribute("data-state", "pending", timeout=30_000)
    with page.context.expect_page() as opened:
        card.locator(".ipyawssso-DeviceCard-open").click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url.startswith(sandbox_url), tab.url
    tab.locator("button#allow").click()
    expect(tab.locator("#result")).to_have_text(re.compile("Approved"))
    tab.close()
    lab_page.wait_cell(login)
    assert "boto3.Session for profile 'ai-dev'" in lab_page.text_of(login)
    # Shipped defaults poll every 30 s; the item follows the sign-in within seconds.
    expect(status_item(page)).to_have_text(re.compile(r"^AWS: ai-dev · 7h5\dm$"), timeout=5_000)
    shot("status-bar-after-tour-login")

    lab_page._open_palette("AWS SSO: Sign in")
    page.keyboard.press("Enter")
    picker = page.locator(".ipyawssso-ProfilePicker-select")
    expect(picker.locator("option")).to_have_count(1)
    expect(picker.locator("option")).to_contain_text("ai-dev")
    shot("palette-sees-the-profile")
    page.keyboard.press("Escape")

    # A log-out in a terminal of the same world: the item learns of it within seconds too.
    env = {
        key: value for key, value in lab.env.items() if not key.startswith("AWS_") and key != "HOME"
    }
    env.update(
        HOME=str(sandbox_home),
        AWS_CONFIG_FILE=str(sandbox_home / ".aws" / "config"),
        AWS_ENDPOINT_URL_SSO=sandbox_url,
        AWS_ENDPOINT_URL_SSO_OIDC=sandbox_url,
    )
    done = subprocess.run(
        [sys.executable, "-m", "ipyawssso", "logout", "ai-dev"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    logged_out = time.monotonic()
    expect(status_item(page)).to_have_attribute("data-level", "signed-out", timeout=5_000)
    print(f"status bar followed a terminal log-out in {time.monotonic() - logged_out:.1f} s")
    shot("status-bar-after-terminal-logout")

    # Saved after running (JupyterLab autosaves too), the tour is the file that shipped: its
    # outputs stay on the page, not in a tracked file.
    assert lab_page.text_of(login)  # outputs on the page
    copy = lab.root_dir / TOUR.name
    lab_page.save(login, lambda: copy.stat().st_mtime > started)
    expect(page.locator(".lm-TabBar-tab.jp-mod-dirty")).to_have_count(0)
    assert copy.stat().st_mtime > started, "the notebook was not saved"
    if sys.version_info[:3] == (3, 11, 7):  # the kernel writes its own Python version
        assert copy.read_bytes() == TOUR.read_bytes()
    else:
        saved = json.loads(copy.read_text())
        assert all(not c.get("outputs") for c in saved["cells"] if c["cell_type"] == "code")

    # The user's own HOME was never touched: the world lived in the server's throw-away HOME.
    assert ui_home.aws_config.read_text() == ""
    assert not ui_home.sso_cache.exists() or not list(ui_home.sso_cache.iterdir())
    assert (sandbox_home / ".aws" / "config").read_text().count("[profile ai-dev]") == 1
    assert os.environ.get("HOME") != str(sandbox_home)
    console.assert_none_ours()
