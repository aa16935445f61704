"""A real Jupyter server (subprocess) with ipyawssso's server extension, on the sandbox.

One server, one sandbox and one temporary HOME per test module. ``rest`` records every answer
it receives, so a module can check at the end that none of them held a secret.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))
from jupyter_process import LabServer, UiHome, jupyter_env, make_home, start_jupyter

from ipyawssso.sandbox import Sandbox


@pytest.fixture(scope="module")
def rest_home(tmp_path_factory: pytest.TempPathFactory) -> UiHome:
    return make_home(tmp_path_factory.mktemp("rest-home"))


@pytest.fixture(scope="module")
def rest_sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def jupyter(
    rest_home: UiHome, rest_sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LabServer]:
    env = jupyter_env({**rest_home.env, **rest_sandbox.env()})
    root = tmp_path_factory.mktemp("rest-root")
    log = tmp_path_factory.mktemp("rest-log") / "jupyter.log"
    with start_jupyter(root, env, log, app="server") as server:
        yield server


@dataclass
class Rest:
    """Authenticated calls to ``/ipyawssso/api/``; keeps every raw answer in ``transcript``."""

    server: LabServer
    transcript: list[str] = field(default_factory=list)

    def __call__(self, method: str, path: str, body: Any = None, **kwargs: Any) -> tuple[int, Any]:
        status, data, raw = self.server.request(method, f"ipyawssso/api/{path}", body, **kwargs)
        self.transcript.append(raw)
        return status, data


@pytest.fixture(scope="module")
def rest(jupyter: LabServer) -> Rest:
    return Rest(jupyter)
