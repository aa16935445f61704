"""The status bar asks the server on a timer only while a notebook is open.

An open JupyterLab with nothing but the launcher (a tab left open overnight on a hub) must
not keep asking: each answer costs the user's server a read of ~/.aws, and the hub's
idle culler should see a quiet server. Opening a notebook starts the timer again.
"""

from __future__ import annotations

from typing import Any

import pytest
from jupyter_process import UiHome, sso_config

from tests.ui.conftest import expect

WINDOW_MS = 7_000  # more than three refresh periods of 2 s


@pytest.fixture(scope="module")
def lab_settings() -> dict[str, dict[str, Any]]:
    return {"ipyawssso:plugin": {"refreshInterval": 2}}


@pytest.fixture(scope="module", autouse=True)
def aws_config(ui_home: UiHome, ui_sandbox: Any) -> None:
    ui_home.write_config(sso_config(ui_sandbox, {"ai-dev": ("100000000001", "ReadOnly")}))


def test_no_status_requests_without_a_notebook_and_some_with_one(
    lab_page: Any, page: Any, console: Any
) -> None:
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/ipyawssso/api/status" in r.url else None)
    lab_page.open()
    item = page.locator("#ipyawssso-status")
    expect(item).to_have_text("AWS: signed out")  # the first answer came (on start)
    page.wait_for_timeout(500)
    first = len(asked)
    page.wait_for_timeout(WINDOW_MS)
    assert len(asked) == first, f"{len(asked) - first} status requests with no notebook open"

    lab_page.open_notebook("open.ipynb")
    opened = len(asked)
    page.wait_for_timeout(WINDOW_MS)
    assert len(asked) - opened >= 3, asked[opened:]
    console.assert_none_ours()
