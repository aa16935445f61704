"""One real kernel through every user-facing surface, against a portal with hostile account
names: the magics (login, whoami, status, profiles, accounts, use, logout) and the panel's
picker. Every HTML output and every HTML widget is inert (names escaped, no script, handler or
javascript: link); then the leak guard reads the saved .ipynb, the widget state, the kernel's
log and every file under HOME outside the two token caches, and the caches are 0600 in 0700
folders. (tests/kernel and tests/docs guard each of their own runs the same way.)"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import nbformat
import pytest

from tests.kernel.kernel_harness import KernelNotebook, Person, kernel_env, leaks_of
from tests.reliability.conftest import ACCOUNT, SESSION, assert_inert

pytestmark = pytest.mark.kernel

WAIT = """
import time as _time
def _wait(condition, seconds=30):
    deadline = _time.monotonic() + seconds
    while not condition():
        if _time.monotonic() > deadline:
            raise TimeoutError(f"panel at step {panel.step!r}: {panel.error.value}")
        _time.sleep(0.05)
"""


def _html_outputs(cell) -> list[str]:
    return [o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})]


def test_magics_and_panel_escape_hostile_names_and_leak_nothing(sandbox, aws_home, tmp_path):
    sandbox.configure(hostile_names=True, accounts=12, roles_per_account=2)
    workdir = tmp_path / "work"
    workdir.mkdir()
    kernel = KernelNotebook(kernel_env(aws_home), workdir).start()
    try:
        kernel.run("%load_ext ipyawssso")
        login = kernel.run(
            f"%aws_sso login ai-dev --start-url {sandbox.start_url} --sso-region "
            f"{sandbox.region} --session-name {SESSION} --account-id {ACCOUNT} "
            "--role-name ReadOnly",
            on_message=Person(),
        )
        assert "Signed in" in KernelNotebook.text(login)
        cells = [login]
        for line in ("whoami", "status", "profiles", "accounts", "accounts --filter script"):
            cells.append(kernel.run(f"%aws_sso {line}"))
        cells.append(kernel.run("%aws_sso use ai-dev"))
        listing = KernelNotebook.text(cells[4])
        assert "onerror" in listing  # the hostile names are listed, as text
        for cell in cells:
            for markup in _html_outputs(cell):
                assert_inert(markup)

        kernel.run(
            "import ipyawssso.widgets as w\n"
            f"panel = w.Panel(start_url={sandbox.start_url!r}, sso_region={sandbox.region!r}, "
            f"session_name={SESSION!r})\n"
            "panel"
        )
        kernel.run(WAIT)
        sign_in = [
            comm_id
            for comm_id, state in kernel.client.widget_state.items()
            if state.get("_model_name") == "ButtonModel"
            and "ipyawssso-sign-in" in state.get("_dom_classes", ())
        ]
        kernel.click(sign_in[0])  # already signed in: straight to the picker
        kernel.run("_wait(lambda: panel.step == 'picker' and panel.picker.complete)")
        # The page filters by itself and says which role the person selected: the first role
        # of an account whose name holds markup.
        kernel.run(
            "_key = next(f'{a[0]}/{a[3][0]}' for a in panel.picker.roles.accounts"
            " if 'script' in a[1] and a[3])\n"
            "panel.picker.roles.selected = _key"
        )
        state = kernel.client.widget_state
        htmls = [s.get("value", "") for s in state.values() if s.get("_model_name") == "HTMLModel"]
        assert any("&lt;script&gt;" in h for h in htmls), "the picked account is not shown"
        for markup in htmls:
            assert_inert(markup)
        kernel.run("%aws_sso logout ai-dev")
    finally:
        kernel.stop()

    saved = workdir / "sweep.ipynb"
    nbformat.write(kernel.nb, saved)
    leaks = leaks_of(
        aws_home, [*kernel.everything(), ("saved notebook", saved.read_bytes())], sandbox
    )
    assert not leaks, "\n".join(leaks)
    _caches_are_private(aws_home / ".aws")
    role_cache = json.loads(next((aws_home / ".cache" / "ipyawssso").rglob("*.json")).read_text())
    assert len(role_cache["accounts"]) == 12


def _caches_are_private(aws: Path) -> None:
    for folder in (aws / "sso" / "cache", aws / "cli" / "cache"):
        if not folder.exists():
            continue
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        for path in folder.iterdir():
            if path.is_file() and not path.name.endswith(".lock"):
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
