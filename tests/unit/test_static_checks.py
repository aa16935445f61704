"""The code is typed and lint-clean: mypy and ruff run as tests, so CI keeps them that way."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_mypy_finds_no_type_error():
    result = _run("mypy")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_the_core_passes_mypy_strict():
    """pyproject.toml lists ``--strict``'s flags for ``ipyawssso.core`` one by one (an override
    cannot say ``strict``): this holds that list to what ``--strict`` itself checks."""
    result = _run("mypy", "--strict", "--no-incremental", "ipyawssso/core")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_ruff_finds_nothing():
    result = _run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout[-4000:]
