"""Config tests edit files under ``tmp_path``; their locks live in ``~/.aws`` (see
``ipyawssso.core.locks``), so HOME is a fresh folder for each test, never the developer's."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE", raising=False)
    return home
