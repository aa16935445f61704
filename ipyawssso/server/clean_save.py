"""Notebooks shipped to be run (the sandbox tour) are saved without their outputs.

Running the tour from a checkout made JupyterLab autosave its outputs into a tracked file. A
notebook whose metadata says ``"ipyawssso": {"clean_on_save": true}`` keeps its outputs on the
page while it runs, and is saved as it shipped: code cells without outputs or execution
counts. Only such notebooks are touched; every other notebook is saved as it is.
"""

from __future__ import annotations

from typing import Any

__all__ = ["strip_outputs_on_save"]


def strip_outputs_on_save(model: dict[str, Any], path: str = "", **_kwargs: Any) -> None:
    """A ``ContentsManager`` pre-save hook (it may change ``model`` in place)."""
    if model.get("type") != "notebook":
        return
    content = model.get("content")
    if not isinstance(content, dict):
        return
    ours = (content.get("metadata") or {}).get("ipyawssso")
    if not (isinstance(ours, dict) and ours.get("clean_on_save") is True):
        return
    for cell in content.get("cells") or []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            metadata = cell.get("metadata")
            if isinstance(metadata, dict):
                metadata.pop("execution", None)
