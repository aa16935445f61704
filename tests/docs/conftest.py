"""Tests of the documentation site and the example notebooks it shows.

The notebooks run on a real ipykernel through the kernel tests' harness
(``tests/kernel/kernel_harness.py``), which is put on the path here so these tests also run on
their own (``pytest tests/docs``).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
KERNEL_TESTS = REPO / "tests" / "kernel"
if str(KERNEL_TESTS) not in sys.path:
    sys.path.insert(0, str(KERNEL_TESTS))

DOCS_TOOLS = ("sphinx", "myst_nb", "furo", "sphinx_design", "sphinx_copybutton")


@pytest.fixture(scope="session")
def docs_tools() -> None:
    """The docs extra is installed: skip without it here, fail without it on CI."""
    missing = [name for name in DOCS_TOOLS if importlib.util.find_spec(name) is None]
    if not missing:
        return
    message = (
        f"{', '.join(missing)} not installed: pip install -e '.[test,docs]' to build the docs."
    )
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)
