"""The panel on a real ipykernel: the comm messages a browser sends, the updates it receives.

The test plays the browser: it clicks and types by sending ``comm_msg``s, and reads the page
from the widget state built from the kernel's messages, including the updates the panel's
background threads send while no cell runs (the device card, the role list). The kernel stays
free meanwhile: each wait is an ordinary cell that runs while those threads work.
"""

from __future__ import annotations

import re
from typing import Any

WAIT = """
import time as _time
def _wait(condition, seconds=30):
    deadline = _time.monotonic() + seconds
    while not condition():
        if _time.monotonic() > deadline:
            raise TimeoutError(f"panel at step {panel.step!r}: {panel.error.value}")
        _time.sleep(0.05)
"""


def _one(kernel_nb: Any, model: str, dom_class: str) -> str:
    found = kernel_nb.widget_models(model, dom_class)
    assert len(found) == 1, (model, dom_class, found)
    return found[0]


def _state(kernel_nb: Any, comm_id: str) -> dict[str, Any]:
    return kernel_nb.client.widget_state[comm_id]


def _html_containing(kernel_nb: Any, needle: str) -> str:
    values = [
        s.get("value", "")
        for s in kernel_nb.client.widget_state.values()
        if s.get("_model_name") == "HTMLModel" and needle in s.get("value", "")
    ]
    assert values, f"no HTML widget shows {needle!r}"
    return values[-1]


def test_a_sign_in_driven_by_comm_messages(kernel_nb, sandbox):
    cell = kernel_nb.run(
        "import ipyawssso.widgets as w\n"
        f"panel = w.Panel(start_url={sandbox.start_url!r}, sso_region={sandbox.region!r}, "
        "session_name='sbx')\n"
        "panel"
    )
    views = [o for o in cell.outputs if "application/vnd.jupyter.widget-view+json" in o.data]
    assert len(views) == 1
    kernel_nb.run(WAIT)

    kernel_nb.click(_one(kernel_nb, "ButtonModel", "ipyawssso-sign-in"))
    kernel_nb.run("_wait(lambda: panel.step == 'device')")
    card = _html_containing(kernel_nb, "ipyawssso-user-code")
    code = re.search(r'class="ipyawssso-user-code"[^>]*>([A-Z0-9-]+)<', card).group(1)
    assert f'href="{sandbox.url}/device?user_code={code}"' in card
    sandbox.approve(code)

    kernel_nb.run("_wait(lambda: panel.step == 'picker' and panel.picker.complete)")
    roles = _one(kernel_nb, "AnyModel", "ipyawssso-roles")
    accounts = _state(kernel_nb, roles)["accounts"]
    assert sum(len(row[3]) for row in accounts) == 6
    assert accounts[2][:3] == ["100000000003", "sandbox-ml-003", "aws+sandbox-ml-003@example.com"]
    # The page filters by itself; it tells the kernel the role the person selected.
    kernel_nb.set_state(
        roles, query="ml-003 bedrock", selected="100000000003/USS_AI_DEV_Bedrock_Access"
    )
    kernel_nb.run("_wait(lambda: not panel.picker.use.disabled)")
    kernel_nb.click(_one(kernel_nb, "ButtonModel", "ipyawssso-use-role"))

    kernel_nb.run("_wait(lambda: panel.step == 'form')")
    name = _one(kernel_nb, "TextModel", "ipyawssso-profile-name")
    assert _state(kernel_nb, name)["value"] == "USS_AI_DEV_Bedrock_Access-100000000003"
    kernel_nb.set_state(name, value="science")
    kernel_nb.run("_wait(lambda: '+[profile science]' in panel.form.preview.value)")
    assert "+[profile science]" in _html_containing(kernel_nb, "ipyawssso-diff")
    kernel_nb.click(_one(kernel_nb, "ButtonModel", "ipyawssso-write"))

    kernel_nb.run("_wait(lambda: panel.step == 'done')")
    assert "now holds" in _html_containing(kernel_nb, "<code>session</code>")
    out = kernel_nb.run('print(session.client("sts").get_caller_identity()["Arn"])')
    assert "arn:aws:sts::100000000003:assumed-role/USS_AI_DEV_Bedrock_Access/" in kernel_nb.text(
        out
    )
    # The kernel_nb fixture then scans the notebook, the widget state and HOME for secrets.


def test_close_from_the_browser_stops_the_waiting_sign_in(kernel_nb, sandbox):
    kernel_nb.run(
        "import threading, ipyawssso.widgets as w\n"
        f"panel = w.Panel(start_url={sandbox.start_url!r}, sso_region={sandbox.region!r}, "
        "session_name='sbx')\n"
        "panel"
    )
    kernel_nb.run(WAIT)
    kernel_nb.click(_one(kernel_nb, "ButtonModel", "ipyawssso-sign-in"))
    kernel_nb.run("_wait(lambda: panel.step == 'device')")
    assert sandbox.pending_user_codes()
    close = [
        comm_id
        for comm_id in kernel_nb.widget_models("ButtonModel")
        if _state(kernel_nb, comm_id).get("description") == "Close"
    ]
    kernel_nb.click(close[0])
    out = kernel_nb.run(
        "_wait(lambda: not [t for t in threading.enumerate() if t.name.startswith('ipyawssso-')],"
        " 10)\n"
        "print(panel.closed, panel.comm is None)"
    )
    assert kernel_nb.text(out).strip() == "True True"
