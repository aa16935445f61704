"""Fixtures for the JupyterHub tests: a real hub behind configurable-http-proxy, users' servers
spawned as local processes with a home folder each, and headless Chromium (tests/ui's).

``hub_sandbox`` (module)  the sandbox every user's server signs in to
``presets`` (module)      the ``IPYAWSSSO_*`` variables the hub gives every user
``hub`` (module)          a running ``Hub`` (see hub_process.py) for the users ``USERS``
``browser`` (module)      headless Chromium at /usr/bin/chromium (the fixture of tests/ui)
``user_page`` (function)  ``user_page("alice")``: a signed-in browser context of its own, as
                          a ``HubUser`` (``.page``, ``.lab`` a ``LabPage`` under /user/alice/)

Everything here is a browser test (marked ``ui``). The proxy is the npm package that
``.ci/run`` installs into ``.ci/chp``: missing, the tests skip on a developer's machine and
fail on CI.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
from hub_process import Hub, find_proxy, start_hub

from tests.ui.conftest import (  # the same browser and page helpers as the lab tests
    ConsoleWatch,
    LabPage,
    _artifacts,
    browser,
)

__all__ = ["USERS", "HubUser", "browser"]

HERE = Path(__file__).resolve().parent
USERS = ["alice", "bob"]
PASSWORD = "any password will do"  # DummyAuthenticator


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.ui)


@pytest.fixture(scope="module")
def hub_sandbox() -> Iterator[Any]:
    from ipyawssso.sandbox import Sandbox

    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def presets(hub_sandbox: Any) -> dict[str, str]:
    """What an administrator sets once for everyone (the org's start URL and regions)."""
    return {
        "IPYAWSSSO_START_URL": hub_sandbox.start_url,
        "IPYAWSSSO_SSO_REGION": hub_sandbox.region,
        "IPYAWSSSO_REGION": "eu-west-1",
        "IPYAWSSSO_VAR_NAME": "aws",
    }


def _prepare_home(home: Path) -> None:
    """What the user's own first visit would leave: no announcement toast over the status bar,
    and a 2 s status refresh so the tests do not wait 30 s."""
    labconfig = home / ".jupyter" / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    (labconfig / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    )
    settings = home / ".jupyter" / "lab" / "user-settings" / "ipyawssso"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "plugin.jupyterlab-settings").write_text(json.dumps({"refreshInterval": 2}))


@pytest.fixture(scope="module")
def hub(
    hub_sandbox: Any,
    presets: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[Hub]:
    proxy = find_proxy()
    if proxy is None:
        message = (
            "configurable-http-proxy is missing; install it with "
            "`npm install --prefix .ci/chp configurable-http-proxy` (as .ci/run does)."
        )
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    environment = {
        **hub_sandbox.env(),
        **presets,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    folder = tmp_path_factory.mktemp("hub")
    with start_hub(
        folder,
        proxy=proxy,
        environment=environment,
        users=USERS,
        server_args=[
            "--ServerApp.allow_root=True",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        log_path=_artifacts(request) / "jupyterhub.log",
    ) as running:
        for user in USERS:
            _prepare_home(running.home(user))
        yield running


class UserLab:
    """``LabPage``'s idea of a server, for one user's server behind the hub (cookie auth)."""

    app = "lab"

    def __init__(self, hub: Hub, user: str) -> None:
        self.hub = hub
        self.user = user
        self.root_dir = hub.home(user)
        self.prefix = f"/user/{user}/"

    def app_url(self, path: str = "lab") -> str:
        return f"{self.hub.url}{self.prefix}{path.lstrip('/')}"

    def write_notebook(self, name: str, cells: list[str] | None = None) -> str:
        from jupyter_process import LabServer

        return LabServer.write_notebook(self, name, cells)  # type: ignore[arg-type]


@dataclass
class HubUser:
    name: str
    context: Any
    page: Any
    lab: LabPage
    console: ConsoleWatch
    requests: list[str]

    def shot(self, artifacts: Path, step: str, target: Any = None) -> None:
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{self.name}-{step}")
        (target or self.page).screenshot(path=str(artifacts / f"{safe}.png"))


@pytest.fixture
def user_page(browser: Any, hub: Hub) -> Iterator[Callable[[str], HubUser]]:
    """``user_page(name)``: a browser context of that user's own, signed in at /hub/login."""
    contexts: list[Any] = []

    def open_as(name: str) -> HubUser:
        context = browser.new_context(
            base_url=hub.url,
            permissions=["clipboard-read", "clipboard-write"],
            viewport={"width": 1400, "height": 900},
        )
        context.set_default_timeout(30_000)
        contexts.append(context)
        console = ConsoleWatch()
        requests: list[str] = []
        context.on("page", console.attach)
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.goto(f"{hub.url}/hub/login")
        page.locator("#username_input").fill(name)
        page.locator("#password_input").fill(PASSWORD)
        page.locator("#login_submit").click()
        page.wait_for_url(re.compile(r"/hub/(home|spawn|spawn-pending)|/user/"))
        return HubUser(name, context, page, LabPage(page, UserLab(hub, name)), console, requests)  # type: ignore[arg-type]

    try:
        yield open_as
    finally:
        for context in contexts:
            context.close()
