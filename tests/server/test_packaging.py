"""The extension as installed: versions agree, and Jupyter lists both halves enabled and OK."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ipyawssso

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def jupyter(*args: str) -> str:
    """Run ``jupyter ...`` of this Python as a user would, with no test-only Jupyter paths."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    out = subprocess.run(
        [sys.executable, "-m", "jupyter", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return ANSI.sub("", out.stdout + out.stderr)


@pytest.fixture(scope="module")
def lab_listing() -> str:
    return jupyter("labextension", "list")


def test_the_lab_extension_version_is_the_package_version() -> None:
    package = json.loads((ROOT / "labextension" / "package.json").read_text())
    assert package["name"] == "ipyawssso"
    assert package["version"] == ipyawssso.__version__


def test_the_entry_points_name_what_is_installed() -> None:
    assert ipyawssso._jupyter_labextension_paths() == [{"src": "labextension", "dest": "ipyawssso"}]
    assert ipyawssso._jupyter_server_extension_points() == [{"module": "ipyawssso.server"}]
    enable = json.loads((ROOT / "jupyter-config/server-config/ipyawssso.json").read_text())
    assert enable == {"ServerApp": {"jpserver_extensions": {"ipyawssso": True}}}


def test_jupyter_lists_the_lab_extension_enabled_and_ok(lab_listing: str) -> None:
    listing = lab_listing
    line = next((x for x in listing.splitlines() if x.strip().startswith("ipyawssso ")), "")
    assert re.search(rf"ipyawssso v{re.escape(ipyawssso.__version__)} enabled\s+OK", line), listing


def test_jupyter_lists_the_server_extension_enabled_and_ok() -> None:
    listing = jupyter("server", "extension", "list")
    assert re.search(r"^\s*ipyawssso enabled\s*$", listing, re.MULTILINE), listing
    assert re.search(rf"ipyawssso {re.escape(ipyawssso.__version__)} OK", listing), listing


def test_the_installed_lab_extension_carries_its_settings_schema(lab_listing: str) -> None:
    folder = next(
        Path(x.strip())
        for x in lab_listing.splitlines()
        if x.strip().startswith("/") and (Path(x.strip()) / "ipyawssso").exists()
    )
    installed = folder / "ipyawssso"
    package = json.loads((installed / "package.json").read_text())
    assert package["version"] == ipyawssso.__version__
    assert package["jupyterlab"]["_build"]["load"].startswith("static/remoteEntry.")
    schema = json.loads((installed / "schemas" / "ipyawssso" / "plugin.json").read_text())
    assert set(schema["properties"]) == {"refreshInterval", "warningMinutes", "profile"}
