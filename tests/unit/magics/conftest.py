"""A real IPython shell for the magic's tests: history off, and ``run_cell`` raises on error.

It is the terminal-like ``InteractiveShell`` (no kernel), so ``%aws_sso`` behaves as in
terminal IPython: text output, ``input()`` for questions, Ctrl-C to cancel.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config


class RaisingShell(InteractiveShell):
    """``run_cell`` re-raises the cell's error, so a test sees the real exception."""

    def run_cell(self, raw_cell, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = super().run_cell(raw_cell, *args, **kwargs)
        result.raise_error()
        return result


@pytest.fixture
def shell(tmp_path: Path) -> Iterator[RaisingShell]:
    config = Config()
    config.HistoryManager.enabled = False
    InteractiveShell.clear_instance()
    sh = RaisingShell.instance(config=config, ipython_dir=str(tmp_path / "ipython"))
    try:
        yield sh
    finally:
        if "aws_sso" in sh.magics_manager.magics["line"]:
            sh.run_line_magic("unload_ext", "ipyawssso")
        RaisingShell.clear_instance()


@pytest.fixture
def magics(shell: RaisingShell):  # type: ignore[no-untyped-def]
    """The loaded extension's ``AwsSsoMagics`` instance."""
    shell.run_line_magic("load_ext", "ipyawssso")
    return shell.magics_manager.registry["AwsSsoMagics"]
