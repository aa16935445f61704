"""The JupyterLab extension in a real JupyterLab and headless Chromium, against the sandbox.

One JupyterLab for the module; the tests run in file order and each leaves the sign-in state
it says it leaves: palette first (signed out), then a sign-in from the palette dialog that a
kernel reuses, the log-out command, the colours near expiry with the popup's buttons, and the
device card in a notebook output.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from jupyter_process import LabServer, UiHome, sso_config
from playwright.sync_api import expect

from ipyawssso.sandbox.leak_guard import find_leaks

AI_DEV = ("100000000001", "ReadOnly")
AI_OPS = ("100000000002", "ReadOnly")
#: A role assumed through ai-dev's sign-in: shown signed in through it, never edited.
CHAINED = """
[profile bedrock]
role_arn = arn:aws:iam::222222222222:role/bedrock-user
source_profile = ai-dev
region = us-west-2
"""
LABELS = ["AWS SSO: Sign in…", "AWS SSO: Log out", "AWS SSO: Insert session snippet"]


@pytest.fixture(scope="module")
def lab_settings() -> dict[str, dict[str, Any]]:
    # Poll the server every 2 s so sign-ins made elsewhere (kernels, the API) show quickly.
    return {"ipyawssso:plugin": {"refreshInterval": 2}}


@pytest.fixture(scope="module", autouse=True)
def aws_config(ui_home: UiHome, ui_sandbox: Any) -> None:
    ui_home.write_config(
        sso_config(ui_sandbox, {"ai-dev": AI_DEV, "ai-ops": AI_OPS}, "sbx") + CHAINED
    )


def status_item(page: Any) -> Any:
    return page.locator("#ipyawssso-status")


def approve_in_new_tab(page: Any, button: Any, shot: Any, step: str) -> str:
    """Click a button that opens the verification page; press Allow there; return the code."""
    with page.context.expect_page() as opened:
        button.click()
    tab = opened.value
    tab.wait_for_load_state()
    code = tab.locator("input#user-code").input_value()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    shot(f"{step}-verification-page", tab)
    tab.locator("button#allow").click()
    expect(tab.locator("#result")).to_have_text(re.compile("Approved"))
    shot(f"{step}-approved", tab)
    tab.close()
    return code


def sign_in_through_dialog(page: Any, shot: Any, step: str) -> str:
    """The device dialog is open: open the page from it, approve, wait for it to close."""
    dialog = page.locator(".ipyawssso-SignInDialog")
    card = dialog.locator(".ipyawssso-DeviceCard")
    expect(card).to_have_attribute("data-state", "pending")
    shown = card.locator(".ipyawssso-DeviceCard-code").inner_text()
    expect(card.locator(".ipyawssso-DeviceCard-countdown")).to_contain_text("Code expires in")
    shot(f"{step}-code")
    code = approve_in_new_tab(page, card.locator(".ipyawssso-DeviceCard-open"), shot, step)
    assert code == shown
    expect(dialog).to_have_count(0, timeout=15_000)  # closes by itself on success
    return code


def test_palette_commands_exist_and_the_status_bar_shows_signed_out(
    lab_page: Any, shot: Any, console: Any
) -> None:
    lab_page.open_notebook("palette.ipynb")  # the snippet command needs a notebook
    labels = lab_page.palette_labels("AWS SSO")
    assert [label for label in LABELS if label in labels] == LABELS, labels
    expect(status_item(lab_page.page)).to_have_text("AWS: signed out")
    expect(status_item(lab_page.page)).to_have_attribute("data-level", "signed-out")
    shot("signed-out")
    console.assert_none_ours()


def test_sign_in_from_the_palette_then_a_kernel_needs_no_prompt(
    lab_page: Any, lab: LabServer, ui_sandbox: Any, shot: Any, console: Any
) -> None:
    page = lab_page.page
    lab_page.open_notebook("use-profile.ipynb")
    lab_page.palette("AWS SSO: Sign in…")
    picker = page.locator(".ipyawssso-ProfilePicker-select")
    expect(picker.locator("option")).to_have_count(3)
    expect(picker.locator("option[value=bedrock]")).to_have_text(
        "bedrock (arn:aws:iam::222222222222:role/bedrock-user via ai-dev)"
    )
    picker.select_option("ai-dev")
    shot("pick-profile")
    page.locator(".jp-Dialog-button", has_text="Sign in").click()
    sign_in_through_dialog(page, shot, "sign-in")

    expect(status_item(page)).to_have_text(re.compile(r"^AWS: ai-dev · 7h5\dm$"))
    expect(status_item(page)).to_have_attribute("data-level", "ok")
    shot("signed-in")

    ui_sandbox.reset_calls()
    cell = lab_page.run_cell(
        "%load_ext ipyawssso\n%aws_sso use ai-dev\n"
        "print(session.client('sts').get_caller_identity()['Account'])"
    )
    text = lab_page.text_of(cell)
    assert AI_DEV[0] in text, text
    assert cell.locator(".ipyawssso-DeviceCard").count() == 0
    calls = ui_sandbox.calls
    assert calls["StartDeviceAuthorization"] == 0 and calls["CreateToken"] == 0, calls
    shot("kernel-uses-profile")

    # The snippet command writes the same two lines for the profile in use.
    lab_page.palette("AWS SSO: Insert session snippet")
    inserted = lab_page.cells().nth(lab_page.cells().count() - 1)
    expect(inserted.locator(".cm-content")).to_have_text(
        re.compile(r"%load_ext ipyawssso\s*%aws_sso use ai-dev")
    )
    shot("snippet")
    leaks = find_leaks([page.content(), lab.log()], ui_sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)
    console.assert_none_ours()


def put_settings(lab: LabServer, values: dict[str, Any]) -> None:
    status, _, raw = lab.request(
        "PUT", "lab/api/settings/ipyawssso:plugin", {"raw": json.dumps(values)}
    )
    assert status == 204, raw


def test_the_warning_threshold_comes_from_the_settings(
    lab_page: Any, lab: LabServer, shot: Any, console: Any
) -> None:
    page = lab_page.page
    put_settings(lab, {"refreshInterval": 2, "warningMinutes": 600})
    try:
        lab_page.open()
        expect(status_item(page)).to_have_text(re.compile(r"^AWS: ai-dev · 7h5\dm$"))
        expect(status_item(page)).to_have_attribute("data-level", "warning")
        shot("ten-hour-threshold")
    finally:
        put_settings(lab, {"refreshInterval": 2})
    lab_page.open()
    expect(status_item(page)).to_have_attribute("data-level", "ok")
    console.assert_none_ours()


def test_a_chained_profile_shows_its_roots_sign_in(
    lab_page: Any, lab: LabServer, ui_home: UiHome, shot: Any, console: Any
) -> None:
    page = lab_page.page
    config_before = ui_home.aws_config.read_bytes()
    put_settings(lab, {"refreshInterval": 2, "profile": "bedrock"})
    try:
        lab_page.open_notebook("chained.ipynb")
        expect(status_item(page)).to_have_text(re.compile(r"^AWS: bedrock · 7h5\dm$"))
        expect(status_item(page)).to_have_attribute("data-level", "ok")
        shot("chained-status")
        cell = lab_page.run_cell(
            "%load_ext ipyawssso\n%aws_sso use bedrock\n"
            "print(session.client('sts').get_caller_identity()['Arn'])"
        )
        text = lab_page.text_of(cell)
        assert "arn:aws:sts::222222222222:assumed-role/bedrock-user/" in text, text
        assert cell.locator(".ipyawssso-DeviceCard").count() == 0
        shot("chained-kernel")
    finally:
        put_settings(lab, {"refreshInterval": 2})
    assert ui_home.aws_config.read_bytes() == config_before
    console.assert_none_ours()


def test_log_out_from_the_palette(lab_page: Any, ui_home: UiHome, shot: Any, console: Any) -> None:
    page = lab_page.page
    lab_page.open()
    expect(status_item(page)).to_have_text(re.compile(r"^AWS: ai-dev · \dh\d\dm$"))
    lab_page.palette("AWS SSO: Log out")
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text("Log out of sbx")
    shot("confirm")
    dialog.locator(".jp-Dialog-button", has_text="Log out of sbx").click()
    expect(status_item(page)).to_have_text("AWS: ai-dev · signed out")
    expect(status_item(page)).to_have_attribute("data-level", "signed-out")
    assert not [p for p in ui_home.sso_cache.glob("*.json") if "accessToken" in p.read_text()]
    shot("signed-out")
    console.assert_none_ours()


def test_signed_out_the_console_command_says_how_to_sign_in_here(
    lab_page: Any, shot: Any, console: Any
) -> None:
    """The server's message is worded for JupyterLab: its own Sign in…, not a Python call or
    a magic the person would have to open a notebook for (still signed out: leaves it so)."""
    page = lab_page.page
    lab_page.open()
    expect(status_item(page)).to_have_text("AWS: ai-dev · signed out")
    with page.context.expect_page():  # the command opens its tab at once, then closes it
        lab_page.palette("AWS SSO: Open the AWS console")
    toast = page.locator(".Toastify__toast", has_text="AWS console for ai-dev")
    # Whole: JupyterLab cuts a notification at 140 characters.
    expect(toast).to_contain_text(
        "AWS sign-in needed for ai-dev: you are not signed in. Use Sign in… in the AWS status bar."
    )
    assert "ipyawssso.login" not in toast.inner_text()
    shot("console-signed-out", toast)
    # The 401 is the answer the command handled (the browser logs every 4xx); nothing else.
    others = [e for e in console.ours() if not e.url.split("?")[0].endswith("/api/console")]
    assert not others, [e.text for e in others]


def test_near_expiry_the_item_turns_amber_then_red_and_the_popup_logs_out(
    lab_page: Any, ui_sandbox: Any, shot: Any, console: Any
) -> None:
    page = lab_page.page
    ttl = 12
    ui_sandbox.configure(access_token_ttl=ttl)
    try:
        lab_page.open()
        item = status_item(page)
        expect(item).to_have_text("AWS: ai-dev · signed out")
        item.click()
        popup = page.locator(".ipyawssso-Popup")
        expect(popup.locator(".ipyawssso-Popup-session")).to_have_count(1)
        expect(popup).to_contain_text("Profiles: ai-dev, ai-ops")
        shot("popup-signed-out")
        popup.locator(".ipyawssso-Popup-signin").click()
        started = time.monotonic()
        sign_in_through_dialog(page, shot, "sign-in-again")
    finally:
        ui_sandbox.configure(access_token_ttl=28800)

    expect(item).to_have_attribute("data-level", "warning")
    expect(item).to_have_text(re.compile(r"^AWS: ai-dev · \d{1,2}s$"))
    color = item.evaluate("node => getComputedStyle(node).backgroundColor")
    shot("amber")
    wait = max(0.0, ttl - (time.monotonic() - started)) * 1000 + 10_000
    expect(item).to_have_attribute("data-level", "expired", timeout=wait)
    expect(item).to_have_text("AWS: ai-dev · expired")
    red = item.evaluate("node => getComputedStyle(node).backgroundColor")
    assert color != red and "rgba(0, 0, 0, 0)" not in (color, red), (color, red)
    shot("red")

    item.click()
    popup = page.locator(".ipyawssso-Popup")
    expect(popup.locator(".ipyawssso-Popup-time")).to_have_text("expired")
    shot("popup-expired")
    popup.locator(".ipyawssso-Popup-logout").click()
    # The popup's Log out asks first, as the palette's does; Cancel changes nothing.
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text(re.compile(r"Log out of sbx \(profiles: ai-dev, ai-ops.*\)\?"))
    shot("popup-logout-confirm")
    dialog.locator(".jp-Dialog-button", has_text="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(item).to_have_text("AWS: ai-dev · expired")
    item.click()
    page.locator(".ipyawssso-Popup .ipyawssso-Popup-logout").click()
    page.locator(".jp-Dialog .jp-Dialog-button", has_text="Log out of sbx").click()
    expect(item).to_have_text("AWS: ai-dev · signed out")
    shot("logged-out")
    console.assert_none_ours()


def test_the_device_card_renders_copies_its_code_and_follows_updates(
    lab_page: Any, ui_sandbox: Any, shot: Any, console: Any
) -> None:
    page = lab_page.page
    device = f"{ui_sandbox.url}/device"
    expires = (datetime.now(UTC) + timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    lab_page.open_notebook("device-card.ipynb")
    cell = lab_page.run_cell(
        "from IPython.display import display\n"
        "MIME = 'application/vnd.ipyawssso.device+json'\n"
        f"card = {{'userCode': 'WXYZ-2345', 'verificationUri': {device!r},\n"
        f"        'verificationUriComplete': {device!r} + '?user_code=WXYZ-2345',\n"
        f"        'expiresAt': {expires!r}, 'state': 'pending', 'profile': 'ai-dev'}}\n"
        "handle = display({MIME: card, 'text/plain': 'code WXYZ-2345'}, raw=True,"
        " display_id=True)"
    )
    card = cell.locator(".ipyawssso-DeviceCard")
    expect(card).to_be_visible()
    # Our renderer, not the JSON viewer or the text/plain fallback.
    expect(cell.locator(".jp-OutputArea-output.ipyawssso-DeviceRenderer")).to_have_count(1)
    expect(card.locator(".ipyawssso-DeviceCard-code")).to_have_text("WXYZ-2345")
    expect(card).to_contain_text("AWS sign-in for ai-dev")
    expect(card.locator(".ipyawssso-DeviceCard-countdown")).to_have_text(
        re.compile(r"^Code expires in (10:00|9:[0-5]\d)$")
    )
    shot("card")

    card.locator(".ipyawssso-DeviceCard-copy").click()
    expect(card.locator(".ipyawssso-DeviceCard-copy")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == "WXYZ-2345"

    with page.context.expect_page() as opened:
        card.locator(".ipyawssso-DeviceCard-open").click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url == f"{device}?user_code=WXYZ-2345"
    tab.close()

    lab_page.run_cell(
        "handle.update({MIME: dict(card, state='signed_in', userCode='',\n"
        "    verificationUriComplete=card['verificationUri']), 'text/plain': 'signed in'},"
        " raw=True)"
    )
    expect(card).to_have_attribute("data-state", "signed_in")
    expect(card.locator(".ipyawssso-DeviceCard-state")).to_have_text("Signed in.")
    expect(card.locator(".ipyawssso-DeviceCard-codeRow")).to_be_hidden()
    shot("card-signed-in")

    lab_page.run_cell(
        "handle.update({MIME: dict(card, state='denied', userCode='',"
        " message='The sign-in request was denied.'), 'text/plain': 'denied'}, raw=True)"
    )
    expect(card).to_have_attribute("data-state", "denied")
    expect(card.locator(".ipyawssso-DeviceCard-state")).to_have_text(
        "The sign-in request was denied."
    )
    shot("card-denied")
    console.assert_none_ours()


def test_the_magics_card_is_ours_and_follows_the_sign_in(
    lab_page: Any, lab: LabServer, ui_sandbox: Any, shot: Any, console: Any
) -> None:
    """``%aws_sso login`` shows its card through our renderer and updates it when approved."""
    page = lab_page.page
    lab_page.open_notebook("magic-card.ipynb")
    cell = lab_page.start_cell("%load_ext ipyawssso\n%aws_sso login ai-ops")
    card = cell.locator(".ipyawssso-DeviceRenderer .ipyawssso-DeviceCard")
    expect(card).to_have_attribute("data-state", "pending", timeout=30_000)
    shown = card.locator(".ipyawssso-DeviceCard-code").inner_text()
    shot("magic-card-pending")
    code = approve_in_new_tab(page, card.locator(".ipyawssso-DeviceCard-open"), shot, "magic")
    assert code == shown
    lab_page.wait_cell(cell)
    expect(card).to_have_attribute("data-state", "signed_in")
    expect(card.locator(".ipyawssso-DeviceCard-codeRow")).to_be_hidden()
    # The status bar notices a sign-in made by a kernel at its next poll.
    expect(status_item(page)).to_have_attribute("data-level", "ok")
    shot("magic-card-signed-in")
    leaks = find_leaks([page.content(), lab.log()], ui_sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)
    console.assert_none_ours()
