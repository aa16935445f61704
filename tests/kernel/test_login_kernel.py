"""%aws_sso on a real ipykernel: the person approves on the sandbox's page, widgets stay live.

Every test here ends with the leak guard over the whole notebook, widget state, kernel log
and HOME (the ``kernel_nb`` fixture).
"""

from __future__ import annotations

import re
import time

import nbformat
import pytest
from kernel_harness import KernelNotebook, device_payload

pytestmark = pytest.mark.kernel

ACCOUNT = "100000000002"
ROLE = "USS_AI_DEV_Bedrock_Access"


def login(sandbox, extra: str = "") -> str:
    return (
        f"%aws_sso login ai-dev --start-url {sandbox.start_url} --sso-region {sandbox.region} "
        + extra
    )


def device_cards(cell) -> list[dict]:
    return [
        out.data["application/vnd.ipyawssso.device+json"]
        for out in cell.outputs
        if "application/vnd.ipyawssso.device+json" in out.get("data", {})
    ]


def test_login_approved_on_the_page_then_whoami_and_logout(kernel_nb, sandbox, person, aws_home):
    kernel_nb.run("%load_ext ipyawssso")
    approver = person()
    cell = kernel_nb.run(
        login(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE}"), on_message=approver
    )
    # The person saw a pending card with a code, and answered that code on the page.
    assert approver.cards[0]["state"] == "pending" and approver.answers
    # The saved notebook keeps the outcome only: the code is gone from the card.
    (card,) = device_cards(cell)
    assert card["state"] == "signed_in" and card["userCode"] == ""
    assert approver.answers[0] not in nbformat.writes(kernel_nb.nb)  # not in HTML, JSON, text
    assert "session is a boto3.Session for profile 'ai-dev'." in KernelNotebook.text(cell)

    cell = kernel_nb.run("session")
    assert f"account='{ACCOUNT}'" in KernelNotebook.text(cell)

    cell = kernel_nb.run("%aws_sso whoami")  # no name: the profile this notebook logged in to
    text = KernelNotebook.text(cell)
    assert f"Account    {ACCOUNT}" in text and f"Role       {ROLE}" in text
    assert "ipyawssso-identity" in cell.outputs[0].data["text/html"]

    tokens = aws_home / ".aws" / "sso" / "cache"
    assert any("accessToken" in p.read_text() for p in tokens.glob("*.json"))
    cell = kernel_nb.run("%aws_sso logout ai-dev")
    assert "Logged out of d-sandbox0001." in KernelNotebook.text(cell)
    assert not any("accessToken" in p.read_text() for p in tokens.glob("*.json"))


def pick_in_the_page(k: KernelNotebook, steps: list[str]) -> None:
    """What the page sends once the role shows: the query typed, then Enter on the role."""
    roles = k.widget_models("AnyModel", "ipyawssso-roles")
    if not roles or steps:
        return
    accounts = k.client.widget_state[roles[-1]].get("accounts") or []
    if not any(row[0] == ACCOUNT and ROLE in (row[3] or []) for row in accounts):
        return
    k.set_state(roles[-1], query="sandbox-ml-002 bedrock")
    steps.append("searched")
    k.send_comm(
        roles[-1], {"method": "custom", "content": {"event": "pick", "key": f"{ACCOUNT}/{ROLE}"}}
    )
    steps.append("picked")


def test_role_picker_widget_works_while_the_cell_waits(kernel_nb, sandbox, person):
    """Search the picker and press Enter on a role through the comm messages a page sends."""
    kernel_nb.run("%load_ext ipyawssso")
    approver = person()
    steps: list[str] = []

    def hook(msg, k: KernelNotebook) -> None:
        approver(msg, k)
        pick_in_the_page(k, steps)

    cell = kernel_nb.run(login(sandbox, "--client bedrock-runtime=bedrock"), on_message=hook)
    assert steps == ["searched", "picked"]
    text = KernelNotebook.text(cell)
    assert f"Role {ROLE} in account {ACCOUNT} (sandbox-ml-002)." in text
    reply = kernel_nb.run(
        "bedrock.converse(modelId='anthropic.claude-3-haiku-20240307-v1:0', "
        "messages=[{'role': 'user', 'content': [{'text': 'hi there'}]}])"
        "['output']['message']['content'][0]['text']"
    )
    assert "hi there" in KernelNotebook.text(reply)


def test_cancel_button_stops_the_sign_in_at_once(kernel_nb, sandbox, aws_home):
    kernel_nb.run("%load_ext ipyawssso")
    clicked: list[float] = []

    def hook(msg, k: KernelNotebook) -> None:
        cancel = k.widget_models("ButtonModel", "ipyawssso-cancel")
        if cancel and not clicked:
            clicked.append(time.monotonic())
            k.click(cancel[-1])

    cell = kernel_nb.run(login(sandbox), on_message=hook, allow_error=True)
    ended = time.monotonic()
    assert clicked and ended - clicked[0] < 3
    (card,) = device_cards(cell)
    assert card["state"] == "cancelled" and card["userCode"] == ""
    # An outcome, not a usage mistake: the card's one line, no red UsageError repeating it;
    # the cell still fails, so "Run All" stops before the cells that need the session.
    assert kernel_nb.last_status == "error"
    text = KernelNotebook.text(cell)
    assert text.count("cancelled") == 1 and "UsageError" not in text, text
    assert not [out for out in cell.outputs if out.output_type == "error"]
    assert "Traceback" not in text
    assert not (aws_home / ".aws" / "config").exists()
    assert KernelNotebook.text(kernel_nb.run("1 + 1")) == "2"  # the kernel is fine


def test_kernel_interrupt_cancels_cleanly(kernel_nb, sandbox):
    kernel_nb.run("%load_ext ipyawssso")
    interrupted: list[float] = []

    def hook(msg, k: KernelNotebook) -> None:
        card = device_payload(msg)
        if card and card["state"] == "pending" and not interrupted:
            interrupted.append(time.monotonic())
            k.interrupt()

    cell = kernel_nb.run(login(sandbox), on_message=hook, allow_error=True)
    assert interrupted and time.monotonic() - interrupted[0] < 5
    text = KernelNotebook.text(cell)
    assert "AWS sign-in for profile 'ai-dev' cancelled." in text, text
    assert "Traceback" not in text and "UsageError" not in text
    assert device_cards(cell)[0]["state"] == "cancelled"
    assert KernelNotebook.text(kernel_nb.run("'still alive'")) == "'still alive'"


def test_denied_sign_in_is_one_line(kernel_nb, sandbox, person):
    kernel_nb.run("%load_ext ipyawssso")
    cell = kernel_nb.run(
        login(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE}"),
        on_message=person("deny"),
        allow_error=True,
    )
    assert device_cards(cell)[0]["state"] == "denied"
    # Once, in the card: no red line repeating it, yet the cell failed ("Run All" stops).
    text = KernelNotebook.text(cell)
    assert text.count("denied") == 1 and "UsageError" not in text, text
    assert kernel_nb.last_status == "error"


def test_an_expired_sign_in_shows_one_line_and_a_button(kernel_nb, sandbox, person):
    # Role credentials that live 60 s make botocore ask the portal again on every call; once
    # the sandbox expires the sign-in, that call fails with UnauthorizedSSOTokenError.
    sandbox.configure(role_credentials_ttl=60)
    kernel_nb.run("%load_ext ipyawssso")
    kernel_nb.run(login(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE}"), on_message=person())
    kernel_nb.run("sts = session.client('sts'); sts.get_caller_identity()['Account']")
    sandbox.expire_tokens()
    cell = kernel_nb.run("sts.get_caller_identity()", allow_error=True)
    (error,) = [out for out in cell.outputs if out.output_type == "error"]
    assert error.ename == "UnauthorizedSSOTokenError"
    assert error.traceback == ["Your AWS sign-in for ai-dev expired. Run `%aws_sso login ai-dev`."]
    assert kernel_nb.widget_models("ButtonModel", "ipyawssso-sign-in-again")


def test_bare_magic_shows_the_panel_prefilled_from_the_traits(kernel_nb, sandbox):
    kernel_nb.run("%load_ext ipyawssso")
    kernel_nb.run(f"%config AwsSsoMagics.start_url = {sandbox.start_url!r}")
    cell = kernel_nb.run("%aws_sso")
    assert any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell.outputs
    )
    assert kernel_nb.widget_models("VBoxModel", "ipyawssso-panel")
    (url,) = kernel_nb.widget_models("TextModel", "ipyawssso-start-url")
    assert kernel_nb.client.widget_state[url]["value"] == sandbox.start_url
    kernel_nb.run("%aws_sso panel ai-dev")
    assert len(kernel_nb.widget_models("VBoxModel", "ipyawssso-panel")) == 2


def _html_with(kernel_nb: KernelNotebook, needle: str) -> str:
    values = [
        state.get("value", "")
        for state in kernel_nb.client.widget_state.values()
        if state.get("_model_name") == "HTMLModel" and needle in state.get("value", "")
    ]
    return values[-1] if values else ""


def test_sign_in_again_signs_in_in_place_and_offers_to_run_the_cell_again(
    kernel_nb, sandbox, person
):
    """No detour through the panel: the code shows under the error, then the cell works."""
    sandbox.configure(role_credentials_ttl=60)
    kernel_nb.run("%load_ext ipyawssso")
    kernel_nb.run(login(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE}"), on_message=person())
    sandbox.expire_tokens()  # refused by the portal, though the cache still says valid
    failing = "session.client('sts').get_caller_identity()['Account']"
    kernel_nb.run(failing, allow_error=True)
    (button,) = kernel_nb.widget_models("ButtonModel", "ipyawssso-sign-in-again")
    (rerun,) = kernel_nb.widget_models("ButtonModel", "ipyawssso-rerun-cell")
    kernel_nb.click(button)
    deadline = time.monotonic() + 30
    code = None
    while code is None and time.monotonic() < deadline:
        kernel_nb.run("import time; time.sleep(0.3)")  # the kernel's answers arrive meanwhile
        card = _html_with(kernel_nb, "ipyawssso-user-code")
        found = re.search(r'class="ipyawssso-user-code"[^>]*>([A-Z0-9-]+)<', card)
        code = found.group(1) if found else None
    assert code, "no device code under the error"
    assert not kernel_nb.widget_models("VBoxModel", "ipyawssso-panel")  # no panel detour
    sandbox.approve(code)
    while time.monotonic() < deadline and not _html_with(kernel_nb, "Signed in to AWS"):
        kernel_nb.run("import time; time.sleep(0.3)")
    signed_in = _html_with(kernel_nb, "Signed in to AWS for profile &#x27;ai-dev")
    assert "run the cell again" in signed_in
    state = kernel_nb.client.widget_state
    layout = state[rerun]["layout"].removeprefix("IPY_MODEL_")
    assert state[layout].get("display") != "none"  # "Run the cell again" now shows
    assert kernel_nb.client.widget_state[button]["disabled"] is True
    assert KernelNotebook.text(kernel_nb.run(failing)) == f"'{ACCOUNT}'"  # the same session


def waiting_path(kernel_nb: KernelNotebook) -> dict[str, bool]:
    """How this kernel lets widgets answer while a login cell waits (magics/frontends.py)."""
    cell = kernel_nb.run(
        "from ipyawssso.magics.frontends import detect\n"
        "_f = detect(get_ipython())\n"
        "print(_f.comms_while_awaiting, _f.ui_poll)"
    )
    awaiting, ui_poll = KernelNotebook.text(cell).split()
    return {"comms_while_awaiting": awaiting == "True", "ui_poll": ui_poll == "True"}


def test_each_ipykernel_gets_its_way_of_keeping_widgets_live(kernel_nb):
    """ipykernel 7 reads widget messages while a cell awaits; ipykernel 6 lets jupyter-ui-poll
    pump them from a blocking cell. CI runs this suite on both (.ci/run), and this says which
    one ran, so neither path goes untested by accident."""
    import ipykernel

    path = waiting_path(kernel_nb)
    if ipykernel.version_info[0] >= 7:
        assert path == {"comms_while_awaiting": True, "ui_poll": False}, path
    else:
        assert path == {"comms_while_awaiting": False, "ui_poll": True}, path


def test_a_login_nested_in_a_block_blocks_without_widgets(kernel_nb, sandbox, person):
    """Only top-level login lines can await; elsewhere the kernel cannot run widget callbacks
    while the cell waits, so the card says to interrupt, and the role question goes through
    input(), which this front end (like nbclient) does not offer: one line says what to do.
    On ipykernel 6, jupyter-ui-poll keeps widgets live anywhere: Cancel and the picker work."""
    kernel_nb.run("%load_ext ipyawssso")
    if waiting_path(kernel_nb)["ui_poll"]:
        _nested_login_with_ui_poll(kernel_nb, sandbox, person)
        return
    approver = person()
    shown: list[str] = []

    def hook(msg, k: KernelNotebook) -> None:
        card = device_payload(msg)
        if card and card["state"] == "pending":
            shown.append(msg["content"]["data"]["text/plain"])
        approver(msg, k)

    cell = kernel_nb.run(f"if True:\n    {login(sandbox)}", on_message=hook, allow_error=True)
    assert shown and shown[0].rstrip().endswith("Interrupt the kernel to cancel.")
    assert not kernel_nb.widget_models("ButtonModel", "ipyawssso-cancel")
    text = KernelNotebook.text(cell)
    assert "UsageError: This front end cannot ask which account and role to use." in text


def _nested_login_with_ui_poll(kernel_nb, sandbox, person) -> None:
    approver = person()
    steps: list[str] = []

    def hook(msg, k: KernelNotebook) -> None:
        approver(msg, k)
        pick_in_the_page(k, steps)

    cell = kernel_nb.run(f"if True:\n    {login(sandbox)}", on_message=hook)
    assert kernel_nb.widget_models("ButtonModel", "ipyawssso-cancel")  # Cancel was offered
    assert steps == ["searched", "picked"], steps
    text = KernelNotebook.text(cell)
    assert f"Role {ROLE} in account {ACCOUNT} (sandbox-ml-002)." in text


def test_load_ext_and_login_in_one_cell_still_asks_for_the_role(kernel_nb, sandbox, person):
    """The README's two lines pasted into one cell. ipykernel 6 keeps widgets live there too
    (jupyter-ui-poll): the clickable list works. ipykernel 7 only shows it to a login it
    awaits, and this cell was read before the extension loaded: the role question is the
    numbered menu, and a line says how to get the list. nbclient offers no input(), so here
    the menu's absence ends in the one-line error a front end without input() gets."""
    from ipyawssso.magics.login_flow import CLICKABLE_LIST_TIP

    approver = person()
    steps: list[str] = []

    def hook(msg, k: KernelNotebook) -> None:
        approver(msg, k)
        pick_in_the_page(k, steps)

    cell = kernel_nb.run(
        "%load_ext ipyawssso\n" + login(sandbox), on_message=hook, allow_error=True
    )
    text = KernelNotebook.text(cell)
    if waiting_path(kernel_nb)["ui_poll"]:
        assert steps == ["searched", "picked"], steps
        assert f"Role {ROLE} in account {ACCOUNT} (sandbox-ml-002)." in text
        assert CLICKABLE_LIST_TIP not in text
        return
    assert steps == [], "no clickable list can work in this cell on this kernel"
    assert CLICKABLE_LIST_TIP in text
    assert "UsageError: This front end cannot ask which account and role to use." in text
    # The tip's advice works: the same login in a cell of its own shows the clickable list.
    cell = kernel_nb.run(login(sandbox), on_message=hook)
    assert steps == ["searched", "picked"], steps
    assert f"Role {ROLE} in account {ACCOUNT} (sandbox-ml-002)." in KernelNotebook.text(cell)
