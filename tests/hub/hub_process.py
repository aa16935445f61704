"""Start and stop a real JupyterHub for tests: configurable-http-proxy in front, one home folder
per user, and every user's server spawned as a local process.

The hub is configured the way an administrator would (``jupyterhub_config.py`` written by
``write_config``): ``DummyAuthenticator`` (any password), ``SimpleLocalProcessSpawner`` with
``home_dir_template`` (HOME is each user's own folder, so ``~/.aws`` is theirs), and
``c.Spawner.environment`` carrying the sandbox's endpoints and the ``IPYAWSSSO_*`` presets,
the hub's own way to give every user the same settings. A service token lets the tests use
the hub's REST API as an administrator's script would.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
#: Where .ci/run installs the npm proxy (``npm install --prefix .ci/chp``).
LOCAL_PROXY = REPO / ".ci" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
START_TIMEOUT = 60.0


def find_proxy() -> str | None:
    """The configurable-http-proxy command: the one .ci/run installs, else one on PATH."""
    if LOCAL_PROXY.exists():
        return str(LOCAL_PROXY)
    return shutil.which("configurable-http-proxy")


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hub_env() -> dict[str, str]:
    """The tester's environment without AWS, Jupyter or pytest variables (the hub passes only
    what its config names to the users' servers anyway)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "JUPYTER", "PYTEST_", "IPYTHON", "IPYAWSSSO_"))
    }
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Hub:
    """A running JupyterHub: ``url`` is the proxy's public address, as users see it."""

    url: str
    api_token: str
    homes: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    def home(self, user: str) -> Path:
        return self.homes / user

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = "",
        timeout: float = 30.0,
    ) -> tuple[int, Any, str]:
        """(status, parsed JSON or None, raw text) of one call through the proxy.

        ``token=""`` is the hub's service (admin) token, ``token=None`` sends none; redirects
        are not followed, so a refusal shows as what it is.
        """
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/{path.lstrip('/')}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token is not None:
            request.add_header("Authorization", f"token {token or self.api_token}")
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=timeout) as response:
                status, raw = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read().decode(errors="replace")
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return status, parsed, raw

    def start_server(self, user: str) -> None:
        """Ask the hub to spawn ``user``'s server (as the spawn page does)."""
        status, _, raw = self.request("POST", f"hub/api/users/{user}/server")
        assert status in (201, 202, 400), raw  # 400: already running

    def wait_server(self, user: str, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, data, raw = self.request("GET", f"hub/api/users/{user}")
            assert status == 200, raw
            server = (data.get("servers") or {}).get("")
            if server and server.get("ready"):
                return
            if self.process.poll() is not None:
                pytest.fail(f"jupyterhub exited:\n{self.log()[-4000:]}")
            time.sleep(0.25)
        pytest.fail(f"{user}'s server did not start within {timeout:g} s:\n{self.log()[-4000:]}")

    def user_token(self, user: str) -> str:
        """A new API token of ``user`` (what "Request new API token" on /hub/token gives)."""
        status, data, raw = self.request(
            "POST", f"hub/api/users/{user}/tokens", {"note": "test", "expires_in": 3600}
        )
        assert status in (200, 201), raw
        return str(data["token"])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def write_config(
    folder: Path,
    *,
    proxy: str,
    homes: Path,
    environment: dict[str, str],
    users: list[str],
    server_args: list[str],
) -> tuple[Path, str, str]:
    """jupyterhub_config.py for a loopback hub; returns (path, public url, service token)."""
    port, hub_port, proxy_api_port = free_port(), free_port(), free_port()
    token = secrets.token_hex(24)
    settings = {
        "port": port,
        "hub_port": hub_port,
        "proxy_api_port": proxy_api_port,
        "proxy": proxy,
        "homes": str(homes),
        "folder": str(folder),
        "environment": environment,
        "users": users,
        "python": sys.executable,
        "server_args": server_args,
        "token": token,
    }
    text = f"""# Written by tests/hub/hub_process.py
settings = {json.dumps(settings, indent=4)}
c = get_config()  # noqa: F821

c.JupyterHub.bind_url = f"http://127.0.0.1:{{settings['port']}}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{{settings['hub_port']}}"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{{settings['proxy_api_port']}}"
c.JupyterHub.db_url = f"sqlite:///{{settings['folder']}}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{{settings['folder']}}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = f"{{settings['folder']}}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# Any password; only these users.
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = set(settings["users"])

# One home folder per user; the server runs as this process's user (root on CI).
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = settings["homes"] + "/{{username}}"
c.Spawner.cmd = [settings["python"], "-m", "jupyterhub.singleuser"]
c.Spawner.args = settings["server_args"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
# The administrator's presets and the endpoints, for every user's server and its kernels.
c.Spawner.environment.update(settings["environment"])  # as docs/administrators.md shows

# The tests' own admin token, as a hub service.
c.JupyterHub.services = [{{"name": "tests", "api_token": settings["token"]}}]
c.JupyterHub.load_roles = [
    {{
        "name": "tests",
        "services": ["tests"],
        "scopes": ["admin:users", "admin:servers", "tokens", "access:servers"],
    }}
]
"""
    path = folder / "jupyterhub_config.py"
    path.write_text(text)
    return path, f"http://127.0.0.1:{port}", token


@contextlib.contextmanager
def start_hub(
    folder: Path,
    *,
    proxy: str,
    environment: dict[str, str],
    users: list[str],
    server_args: list[str],
    log_path: Path,
) -> Iterator[Hub]:
    folder.mkdir(parents=True, exist_ok=True)
    homes = folder / "home"
    homes.mkdir()
    config, url, token = write_config(
        folder,
        proxy=proxy,
        homes=homes,
        environment=environment,
        users=users,
        server_args=server_args,
    )
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=folder,
            env=hub_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    hub = Hub(url=url, api_token=token, homes=homes, process=process, log_path=log_path)
    try:
        _wait_ready(hub)
        yield hub
    finally:
        _stop(hub)


def _wait_ready(hub: Hub) -> None:
    from jupyter_process import wait_until_answering  # tests/ui, on sys.path (conftest)

    wait_until_answering(hub, "hub/api/", START_TIMEOUT, "jupyterhub")


def _stop(hub: Hub) -> None:
    """SIGTERM lets the hub stop the users' servers and its proxy (cleanup_*); then SIGKILL
    whatever of its descendants is left (each user's server has a session of its own)."""
    import psutil

    try:
        descendants = psutil.Process(hub.process.pid).children(recursive=True)
    except psutil.Error:
        descendants = []
    if hub.process.poll() is None:
        hub.process.send_signal(signal.SIGTERM)
        try:
            hub.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(hub.process.pid, signal.SIGKILL)
            hub.process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(hub.process.pid, signal.SIGKILL)
    for child in descendants:
        with contextlib.suppress(psutil.Error):
            child.kill()
