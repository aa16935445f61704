"""pytest fixtures that put a test in an empty AWS world with the sandbox as its only cloud.

Register with ``pytest_plugins = ["ipyawssso.sandbox.pytest_plugin"]`` in a conftest.

``aws_home``: a fresh HOME (returned) with an empty ``~/.aws`` (0700); every ``AWS_*``
variable of the machine is removed (profiles, keys, regions, endpoint overrides), then
``AWS_CONFIG_FILE`` and ``AWS_SHARED_CREDENTIALS_FILE`` point inside it and
``AWS_EC2_METADATA_DISABLED=true`` stops botocore probing the network for credentials;
127.0.0.1 is added to ``NO_PROXY``. Everything is undone after the test.

``sandbox``: a started ``Sandbox`` with default settings and its ``env()`` applied; change it
with ``sandbox.configure(...)``. It depends on ``aws_home``.

botocore computes some cache folders from HOME when it is first imported, so code that needs
botocore itself to write under the new HOME belongs in a fresh process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .isolation import isolated_environment, prepare_home
from .server import Sandbox

__all__ = ["aws_home", "sandbox"]


#: Variables ipyawssso itself may set in the process (``--export-env``, ``--serve``): unset
#: again after every test even when the test's code set them, so no test inherits another's.
EXPORTED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
)


@pytest.fixture
def aws_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    prepare_home(home)
    changes = isolated_environment(home, os.environ)
    for name in EXPORTED:
        changes.setdefault(name, None)
    for name, value in changes.items():
        if value is None:
            # setenv first: monkeypatch then restores the variable as it was (even unset)
            # after the test, whatever the code under test exported meanwhile.
            monkeypatch.setenv(name, "")
            monkeypatch.delenv(name)
        else:
            monkeypatch.setenv(name, value)
    return home


@pytest.fixture
def sandbox(aws_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    with Sandbox() as sb:
        for name, value in sb.env().items():
            monkeypatch.setenv(name, value)
        yield sb
