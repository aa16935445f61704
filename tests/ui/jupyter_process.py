"""Start and stop a Jupyter server (JupyterLab, Notebook 7 or the bare server) for tests.

Shared by the browser tests (tests/ui) and the REST tests (tests/server): a subprocess on
127.0.0.1 with a random token, a throwaway HOME and the sandbox's endpoints in its environment,
so nothing of the tester's own ~/.aws or Jupyter settings is read or written.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

LAB_START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------- HOME and sandbox


@dataclass
class UiHome:
    """A throwaway HOME for the JupyterLab process and its kernels (never the tester's ~/.aws)."""

    root: Path
    env: dict[str, str]

    @property
    def aws_config(self) -> Path:
        return Path(self.env["AWS_CONFIG_FILE"])

    @property
    def sso_cache(self) -> Path:
        return self.root / ".aws" / "sso" / "cache"

    def write_config(self, text: str) -> None:
        self.aws_config.write_text(text)
        self.aws_config.chmod(0o600)


def make_home(root: Path) -> UiHome:
    aws = root / ".aws"
    aws.mkdir(parents=True, mode=0o700)
    config = aws / "config"
    config.touch(mode=0o600)
    jupyter = root / ".jupyter-test"
    env = {
        "HOME": str(root),
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(aws / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "IPYTHONDIR": str(root / ".ipython"),
        "XDG_CONFIG_HOME": str(root / ".config"),  # the picker's favourites and recent roles
        # Per-module Jupyter state: settings, workspaces and runtime files never leak between
        # modules or from the tester's own setup.
        "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
        "JUPYTER_DATA_DIR": str(jupyter / "data"),
        "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(jupyter / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(jupyter / "workspaces"),
    }
    labconfig = jupyter / "config" / "labconfig"
    labconfig.mkdir(parents=True)
    # The "receive official Jupyter news?" toast would cover the status bar in screenshots.
    (labconfig / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    )
    return UiHome(root=root, env=env)


def sso_config(sandbox: Any, profiles: dict[str, tuple[str, str]], session: str = "sbx") -> str:
    """An ~/.aws/config text with one sso-session on the sandbox and profiles (account, role)."""
    lines = [
        f"[sso-session {session}]",
        f"sso_start_url = {sandbox.start_url}",
        f"sso_region = {sandbox.region}",
        "sso_registration_scopes = sso:account:access",
        "",
    ]
    for name, (account_id, role_name) in profiles.items():
        header = "[default]" if name == "default" else f"[profile {name}]"
        lines += [
            header,
            f"sso_session = {session}",
            f"sso_account_id = {account_id}",
            f"sso_role_name = {role_name}",
            f"region = {sandbox.region}",
            "",
        ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- JupyterLab


@dataclass
class LabServer:
    """A JupyterLab (or Notebook 7) subprocess on 127.0.0.1 with a random token."""

    url: str
    token: str
    root_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    log_path: Path
    app: str = "lab"

    def app_url(self, path: str = "lab") -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.url}/{path.lstrip('/')}{sep}token={self.token}"

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = "",
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
    ) -> tuple[int, Any, str]:
        """(status, parsed JSON or None, raw text) of one HTTP call to the server.

        ``token=""`` authenticates with the server's token, ``token=None`` sends no credentials.
        """
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/{path.lstrip('/')}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token is not None:
            request.add_header("Authorization", f"token {token or self.token}")
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, raw = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read().decode()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return status, parsed, raw

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def write_notebook(self, name: str, cells: list[str] | None = None) -> str:
        """Create ``name`` (.ipynb) in the root dir with code cells; returns its path."""
        notebook = {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
            "cells": [
                {
                    "cell_type": "code",
                    "id": f"cell-{index}",
                    "metadata": {},
                    "source": source,
                    "outputs": [],
                    "execution_count": None,
                }
                for index, source in enumerate(cells or [""])
            ],
        }
        (self.root_dir / name).write_text(json.dumps(notebook))
        return name


def jupyter_env(extra: dict[str, str]) -> dict[str, str]:
    """The tester's env without AWS credentials or profile, plus ``extra`` (HOME, endpoints...)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "JUPYTER", "PYTEST_", "IPYTHON"))
    }
    env.update(extra)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@contextlib.contextmanager
def start_jupyter(
    root_dir: Path,
    env: dict[str, str],
    log_path: Path,
    app: str = "lab",
    args: Sequence[str] = (),
) -> Iterator[LabServer]:
    """Run ``python -m jupyter <app> [args]`` until the context exits; fails with its log if
    it dies."""
    root_dir.mkdir(parents=True, exist_ok=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jupyter",
        app,
        "--no-browser",
        "--ServerApp.allow_root=True",
        f"--ServerApp.token={token}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root_dir}",
        "--ServerApp.open_browser=False",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if app != "lab":
        command.remove("--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate")
    command.extend(args)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=root_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = LabServer(
        url=f"http://127.0.0.1:{port}",
        token=token,
        root_dir=root_dir,
        env=env,
        process=process,
        log_path=log_path,
        app=app,
    )
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(server)


def _wait_ready(server: LabServer) -> None:
    wait_until_answering(server, "api/status", LAB_START_TIMEOUT, "jupyter")


def wait_until_answering(server: Any, path: str, timeout: float, name: str) -> None:
    """Poll ``server.request("GET", path)`` until it answers 200; fail with the server's log
    when its process exits or ``timeout`` seconds pass (a Jupyter server, or a hub)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"{name} exited with {server.process.returncode}:\n{server.log()[-4000:]}")
        try:
            status, _, _ = server.request("GET", path, timeout=2.0)
        except OSError:
            status = 0
        if status == 200:
            return
        time.sleep(0.2)
    pytest.fail(f"{name} did not answer within {timeout:g} s:\n{server.log()[-4000:]}")


def _stop(server: LabServer) -> None:
    """Ask the server to shut down (it stops its kernels), then SIGTERM, then SIGKILL."""
    if server.process.poll() is None:
        with contextlib.suppress(OSError):
            server.request("POST", "api/shutdown", timeout=5.0)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGTERM)
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(server.process.pid, signal.SIGKILL)
                server.process.wait(timeout=10)
    # Kernels live in the server's process group; make sure none outlives the module.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.process.pid, signal.SIGKILL)
