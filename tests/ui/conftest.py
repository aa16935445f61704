"""Shared fixtures for the browser tests: a real JupyterLab, headless Debian Chromium, Playwright.

One JupyterLab (and one sandbox, one temporary HOME) per test module keeps the suite fast: a
JupyterLab start costs a few seconds, a new browser page a fraction of one. Tests that must not
see each other's sign-ins use their own module.

Fixtures (all usable from any ``tests/ui/test_*.py``):

``ui_home`` (module)      a temporary HOME with ``~/.aws``; ``.env`` holds HOME, AWS_CONFIG_FILE...
``ui_sandbox`` (module)   a started ``ipyawssso.sandbox.Sandbox`` (see the contract)
``lab`` (module)          a running JupyterLab (``LabServer``) whose env points at both of the above
``browser`` (session)     headless Chromium at /usr/bin/chromium
``context`` (function)    a browser context with clipboard permissions
``console`` (function)    ``ConsoleWatch`` that records console errors and page errors of ``page``
``page`` (function)       a Playwright ``Page`` watched by ``console``
``shot`` (function)       ``shot("step")`` saves ``test-artifacts/ui/<test>/<NN>-step.png``
``lab_page`` (function)   ``LabPage``: ``open()``, ``open_notebook(name)``, ``run_cell(code)``
                          (or ``start_cell`` + ``wait_cell`` for cells that wait on the browser),
                          ``palette(label)``, ``palette_labels(query)``

A module that needs other sandbox knobs overrides ``ui_sandbox_config`` (module scope), one that
needs another app (Notebook 7) overrides ``lab_app`` with ``"notebook"``, one that needs
JupyterLab settings overrides ``lab_settings`` (``{"ipyawssso:plugin": {"refreshInterval": 2}}``),
more server/kernel environment: ``lab_extra_env``, more command-line arguments: ``lab_args``.
``sso_config(sandbox, {"p": (account, role)})`` writes the text of an ~/.aws/config on the
sandbox (``ui_home.write_config(text)``). The process helpers are in ``jupyter_process.py``
beside this file (the REST tests use them too).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# The helpers live beside this file; import them whatever pytest's import mode is.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from jupyter_process import (
    LabServer,
    UiHome,
    jupyter_env,
    make_home,
    sso_config,
    start_jupyter,
)

__all__ = ["LabPage", "LabServer", "UiHome", "sso_config"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Names of our code in URLs and messages, used to tell our console errors from JupyterLab's.
OURS = re.compile(r"ipyawssso", re.IGNORECASE)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.ui)


def _require_chromium() -> None:
    """No Chromium: skip on a developer's machine, fail on CI (a browser test never skips there)."""
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} is missing; install it with `apt-get install -y chromium`."
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def ui_home(tmp_path_factory: pytest.TempPathFactory) -> UiHome:
    return make_home(tmp_path_factory.mktemp("ui-home"))


@pytest.fixture(scope="module")
def ui_sandbox_config() -> dict[str, Any]:
    """Knobs for this module's sandbox (``SandboxConfig`` keyword arguments)."""
    return {}


@pytest.fixture(scope="module")
def ui_sandbox(ui_sandbox_config: dict[str, Any]) -> Iterator[Any]:
    from ipyawssso.sandbox import Sandbox, SandboxConfig

    sandbox = Sandbox(SandboxConfig(**ui_sandbox_config))
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture(scope="module")
def lab_app() -> str:
    """Which front end the module's server runs: ``"lab"`` or ``"notebook"`` (Notebook 7)."""
    return "lab"


@pytest.fixture(scope="module")
def lab_extra_env() -> dict[str, str]:
    """More environment for the module's server and kernels (override in a module)."""
    return {}


@pytest.fixture(scope="module")
def lab_args() -> list[str]:
    """More command-line arguments for the module's server (override in a module)."""
    return []


@pytest.fixture(scope="module")
def lab_settings() -> dict[str, dict[str, Any]]:
    """JupyterLab settings by plugin id, written before the server starts (override in a module)."""
    return {}


@pytest.fixture(scope="module")
def lab(
    ui_home: UiHome,
    ui_sandbox: Any,
    lab_app: str,
    lab_extra_env: dict[str, str],
    lab_settings: dict[str, dict[str, Any]],
    lab_args: list[str],
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[LabServer]:
    _require_chromium()
    env = jupyter_env({**ui_home.env, **ui_sandbox.env(), **lab_extra_env})
    for plugin_id, values in lab_settings.items():
        package, _, plugin = plugin_id.partition(":")
        path = Path(env["JUPYTERLAB_SETTINGS_DIR"], package, f"{plugin}.jupyterlab-settings")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    root = tmp_path_factory.mktemp("ui-root")
    log_path = _artifacts(request) / "jupyter.log"
    with start_jupyter(root, env, log_path, app=lab_app, args=lab_args) as server:
        yield server


# --------------------------------------------------------------------------- browser


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


#: ``expect(...)`` waits this long by default (Playwright's 5 s is short on a busy 2-core CI).
EXPECT_TIMEOUT = 15_000


def use_role(scope: Any, query: str, *, enabled_within: float | None = None) -> None:
    """Search the role picker in ``scope`` for ``query`` (one match), click the role, then
    "Use this role", as a person with a mouse does (in the panel, or in a waiting login cell,
    whose selection must reach the kernel though the cell waits). ``enabled_within`` (ms):
    how long the button may take to enable, else ``expect``'s default."""
    search = scope.locator(".ipyawssso-rolelist-search")
    expect(search).to_be_visible(timeout=30_000)
    search.fill(query)
    match = scope.locator(".ipyawssso-rolelist-role")
    expect(match).to_have_count(1)
    match.click()
    use = scope.locator("button.ipyawssso-use-role")
    expect(use).to_be_enabled(timeout=enabled_within)
    use.click()


def _artifacts(request: pytest.FixtureRequest) -> Path:
    """test-artifacts/ui/<module or test name>/ under the repository root."""
    name = request.node.name if request.scope == "function" else Path(request.node.name).stem
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:120]
    folder = request.config.rootpath / "test-artifacts" / "ui" / safe
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# Module scope, not session: Playwright's sync API keeps an asyncio loop running in the main
# thread while it lives, which would break any later test that calls asyncio.run().
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import expect as playwright_expect
    from playwright.sync_api import sync_playwright

    playwright_expect.set_options(timeout=EXPECT_TIMEOUT)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser: Any, lab: LabServer) -> Iterator[Any]:
    context = browser.new_context(
        base_url=lab.url,
        permissions=["clipboard-read", "clipboard-write"],
        viewport={"width": 1400, "height": 900},
    )
    context.set_default_timeout(30_000)
    try:
        yield context
    finally:
        context.close()


@dataclass
class ConsoleEntry:
    kind: str  # "console" or "pageerror"
    text: str
    url: str = ""

    @property
    def ours(self) -> bool:
        return bool(OURS.search(self.text) or OURS.search(self.url))


@dataclass
class ConsoleWatch:
    """Console errors and uncaught exceptions of every page in a context."""

    entries: list[ConsoleEntry] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            self.entries.append(ConsoleEntry("console", message.text, location.get("url", "")))

    def _on_pageerror(self, error: Any) -> None:
        text = f"{error.name}: {error.message}\n{error.stack or ''}"
        self.entries.append(ConsoleEntry("pageerror", text))

    def errors(self) -> list[ConsoleEntry]:
        return list(self.entries)

    def ours(self) -> list[ConsoleEntry]:
        """Errors raised by, or logged by, ipyawssso's own front-end code."""
        return [entry for entry in self.entries if entry.ours]

    def assert_none_ours(self) -> None:
        ours = self.ours()
        assert not ours, "console errors from ipyawssso:\n" + "\n".join(e.text for e in ours)


@pytest.fixture
def console() -> ConsoleWatch:
    return ConsoleWatch()


@pytest.fixture
def page(context: Any, console: ConsoleWatch) -> Any:
    context.on("page", console.attach)
    return context.new_page()


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    return _artifacts(request)


@pytest.fixture
def shot(page: Any, artifacts: Path) -> Callable[..., Path]:
    """``shot("step")`` or ``shot("step", other_page)``: a numbered full-window screenshot."""
    counter = [0]

    def take(step: str, target: Any = None) -> Path:
        counter[0] += 1
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", step)
        path = artifacts / f"{counter[0]:02d}-{safe}.png"
        (target or page).screenshot(path=str(path))
        return path

    return take


# --------------------------------------------------------------------------- JupyterLab helpers


class LabPage:
    """What a person does in JupyterLab, in the words of its DOM (JupyterLab 4 class names)."""

    def __init__(self, page: Any, lab: LabServer) -> None:
        self.page = page
        self.lab = lab

    def _url(self, path: str) -> str:
        # ``?reset`` starts from an empty workspace: without it every page of the module
        # reopens the notebooks of the tests before it, which steals focus and time.
        if self.lab.app == "lab":
            path += "&reset" if "?" in path else "?reset"
        return self.lab.app_url(path)

    def open(self, path: str = "lab") -> None:
        self.page.goto(self._url(path))
        self.page.locator("#jp-main-dock-panel, #main-panel").first.wait_for(timeout=60_000)
        self.page.locator(".jp-LabShell, #main").first.wait_for()

    def open_notebook(self, name: str, cells: list[str] | None = None) -> None:
        """Write a notebook, open it and wait until its kernel is idle."""
        self.lab.write_notebook(name, cells)
        prefix = "lab/tree" if self.lab.app == "lab" else "notebooks"
        self.page.goto(self._url(f"{prefix}/{name}"))
        self.page.locator(".jp-Notebook").first.wait_for(timeout=60_000)
        self.wait_kernel_idle()

    def notebook(self) -> Any:
        return self.page.locator(".jp-NotebookPanel:visible .jp-Notebook").first

    def save(self, cell: Any, saved: Callable[[], bool], timeout: float = 15) -> None:
        """Save the notebook holding ``cell`` (Ctrl+S with the cell selected), then wait up to
        ``timeout`` seconds until ``saved()`` sees the write on disk (the server writes after
        the key press returns); the caller asserts what the file holds."""
        cell.locator(".jp-InputArea-prompt").click()
        self.page.keyboard.press("ControlOrMeta+s")
        deadline = time.monotonic() + timeout
        while not saved() and time.monotonic() < deadline:
            time.sleep(0.2)

    def wait_kernel_idle(self, timeout: float = 60_000) -> None:
        # Before a kernel is attached the indicator already says "idle" (and the toolbar
        # "No Kernel"): a cell run then is silently not executed. Wait for the kernel first.
        kernel_name = self.page.locator(".jp-NotebookPanel:visible .jp-KernelName").first
        # (to_have_text, not not_to_have_text: the latter passes while the toolbar is not drawn)
        expect(kernel_name).to_have_text(re.compile(r"^(?!No Kernel)\S"), timeout=timeout)
        self.page.locator(
            ".jp-NotebookPanel:visible .jp-Notebook-ExecutionIndicator[data-status='idle']"
        ).first.wait_for(timeout=timeout)

    def cells(self) -> Any:
        return self.notebook().locator(".jp-Cell")

    def run_cell(self, code: str, timeout: float = 60_000) -> Any:
        """Type ``code`` into the last cell, run it, wait for its result; returns the cell."""
        cell = self.start_cell(code)
        self.wait_cell(cell, timeout)
        return cell

    def wait_cell(self, cell: Any, timeout: float = 60_000) -> None:
        """Wait until a started cell has finished (its prompt shows an execution count)."""
        expect(cell.locator(".jp-InputArea-prompt")).to_have_text(
            re.compile(r"\[\d+\]"), timeout=timeout
        )

    def start_cell(self, code: str) -> Any:
        """Type ``code`` into the last cell and run it without waiting (for cells that block
        until the test does something in the browser); returns the cell."""
        cells = self.cells()
        index = cells.count() - 1
        cell = cells.nth(index)
        # Right after a notebook opens, JupyterLab may still move focus around: click until
        # the editor holds the focus, and check the text landed before running it.
        for _ in range(20):
            cell.locator(".cm-content").click()
            if cell.locator(".cm-editor.cm-focused").count():
                break
            self.page.wait_for_timeout(250)
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.press("Delete")
        self.page.keyboard.insert_text(code)
        first_line = code.strip().splitlines()[0].strip() if code.strip() else ""
        expect(cell.locator(".cm-content")).to_contain_text(first_line)
        self.page.keyboard.press("Shift+Enter")
        # A run requested while the kernel connection is still settling can be dropped
        # silently (the prompt stays "[ ]"): run the same cell again, never the next one.
        prompt = cell.locator(".jp-InputArea-prompt")
        for _ in range(3):
            try:
                expect(prompt).not_to_have_text(re.compile(r"^\[ \]:?$"), timeout=5_000)
                break
            except AssertionError:
                cell.locator(".cm-content").click()
                self.page.keyboard.press("Shift+Enter")
        return cell

    def outputs(self, cell: Any) -> Any:
        return cell.locator(".jp-OutputArea-output")

    def text_of(self, cell: Any) -> str:
        return "\n".join(self.outputs(cell).all_inner_texts())

    def _open_palette(self, query: str) -> None:
        """Open the modal palette and type ``query``; retried, because while JupyterLab is
        still settling a focus change can close the palette right after it opened."""
        from playwright.sync_api import Error as PlaywrightError

        search = self.page.locator(".lm-CommandPalette-input")
        for _ in range(10):
            self.page.keyboard.press("Escape")
            self.page.keyboard.press("ControlOrMeta+Shift+c")
            try:
                search.first.fill(query, timeout=2_000)
                expect(search.first).to_be_visible(timeout=500)
                return
            except (PlaywrightError, AssertionError):
                self.page.wait_for_timeout(250)
        raise AssertionError("the command palette did not open")

    def palette(self, label: str) -> None:
        """Run a command by its label from the command palette."""
        # The palette re-renders its items whenever any command changes (often, in a busy
        # JupyterLab), which detaches a clicked node, and a late focus change (a kernel that
        # just started) closes it: press Enter on the active item, and retry if it closed.
        active = self.page.locator(".lm-CommandPalette-item.lm-mod-active")
        search = self.page.locator(".lm-CommandPalette-input").first
        for _ in range(5):
            self._open_palette(label)
            try:
                expect(active.locator(".lm-CommandPalette-itemLabel")).to_have_text(
                    label, timeout=3_000
                )
                search.press("Enter", timeout=1_000)
                return
            except AssertionError:
                continue
            except Exception as error:  # the palette closed between the check and the key
                if "Timeout" not in type(error).__name__:
                    raise
        raise AssertionError(f"could not run {label!r} from the command palette")

    def palette_labels(self, query: str) -> list[str]:
        """Labels the palette lists for ``query`` (the palette is closed again afterwards)."""
        self._open_palette(query)
        # The palette filters as it renders: wait for a match before reading the list.
        self.page.locator(
            ".lm-CommandPalette-item:visible", has_text=re.compile(re.escape(query), re.I)
        ).first.wait_for()
        items = self.page.locator(".lm-CommandPalette-item:visible .lm-CommandPalette-itemLabel")
        labels = [text.strip() for text in items.all_inner_texts()]
        self.page.keyboard.press("Escape")
        return labels


@pytest.fixture
def lab_page(page: Any, lab: LabServer) -> LabPage:
    return LabPage(page, lab)
