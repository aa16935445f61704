"""A deployment's Authorizer decides who may sign in and log out through the REST API.

The server runs with an Authorizer (``ServerApp.authorizer_class``) that lets users read the
resource ``ipyawssso`` but not write it: the status answers, sign-in and log-out are refused.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_process import LabServer, UiHome, jupyter_env, start_jupyter

from ipyawssso.sandbox import Sandbox

AUTHORIZER = """
from jupyter_server.auth.authorizer import Authorizer


class ReadOnlyAws(Authorizer):
    def is_authorized(self, handler, user, action, resource):
        return not (resource == "ipyawssso" and action != "read")
"""


@pytest.fixture(scope="module")
def guarded(
    rest_home: UiHome, rest_sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LabServer]:
    code = tmp_path_factory.mktemp("authorizer")
    (code / "read_only_aws.py").write_text(textwrap.dedent(AUTHORIZER))
    env = jupyter_env({**rest_home.env, **rest_sandbox.env(), "PYTHONPATH": str(code)})
    root = tmp_path_factory.mktemp("guarded-root")
    log = tmp_path_factory.mktemp("guarded-log") / "jupyter.log"
    args = ["--ServerApp.authorizer_class=read_only_aws.ReadOnlyAws"]
    with start_jupyter(root, env, log, app="server", args=args) as server:
        yield server


def test_reading_is_allowed_writing_is_refused(guarded: LabServer) -> None:
    status, data, _ = guarded.request("GET", "ipyawssso/api/status")
    assert status == 200 and "sessions" in data
    for method, path, body in (
        ("POST", "ipyawssso/api/login", {"profile": "dev"}),
        ("POST", "ipyawssso/api/logout", {"all": True}),
        ("DELETE", "ipyawssso/api/login/nope", None),
    ):
        status, _, raw = guarded.request(method, path, body)
        assert status == 403, (method, path, status, raw[:200])


def test_the_log_names_the_refusal(guarded: LabServer) -> None:
    guarded.request("POST", "ipyawssso/api/login", {"profile": "dev"})
    assert Path(guarded.log_path).read_text(errors="replace").count("403") >= 1
