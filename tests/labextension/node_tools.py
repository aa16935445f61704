"""Running the lab extension's own JavaScript tooling (jlpm, Node.js) from pytest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LABEXTENSION = Path(__file__).resolve().parents[2] / "labextension"
#: jlpm is JupyterLab's pinned yarn; it is installed next to the interpreter running the tests.
JLPM = Path(sys.executable).with_name("jlpm")


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def jlpm(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``jlpm <args>`` in labextension/, its node_modules installed first from yarn.lock if
    missing (an install made with SKIP_JUPYTER_BUILDER has none)."""
    # package.json's scripts call jlpm by name.
    env = {**os.environ, "PATH": f"{JLPM.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    if shutil.which("node") is None or not JLPM.exists():
        if _on_ci():
            pytest.fail("Node.js and jlpm are needed for the lab extension's tests")
        pytest.skip("Node.js or jlpm is not installed")
    if not (LABEXTENSION / "node_modules" / ".bin" / "eslint").exists():
        subprocess.run(
            [str(JLPM), "install", "--immutable"],
            cwd=LABEXTENSION,
            env=env,
            check=True,
            capture_output=True,
            timeout=600,
        )
    return subprocess.run(
        [str(JLPM), *args],
        cwd=LABEXTENSION,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
