"""The example notebooks this project ships are saved clean and shaped for offline runs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
OFFLINE = ["bedrock-chat", "multi-account"]


@pytest.mark.parametrize("name", OFFLINE)
def test_saved_without_outputs(name: str) -> None:
    """Outputs are made by running it (the docs build, the tests), never stored stale."""
    nb = nbformat.read(REPO / "notebooks" / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], cell.source[:60]
            assert cell.execution_count is None, cell.source[:60]
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("name", OFFLINE)
def test_starts_and_stops_its_own_sandbox(name: str) -> None:
    """First code cell: the sandbox in a throw-away HOME; last: stop it and delete the HOME.

    The tests rely on these tags to check for leaks before the HOME is deleted.
    """
    nb = nbformat.read(REPO / "notebooks" / f"{name}.ipynb", as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert "sandbox-setup" in code[0].metadata.get("tags", [])
    assert "isolated_environment" in code[0].source
    assert "auto_approve_after" in code[0].source
    assert "sandbox-teardown" in code[-1].metadata.get("tags", [])
    assert "sandbox.stop()" in code[-1].source
