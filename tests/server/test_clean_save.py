"""The pre-save hook that keeps shipped notebooks clean touches only notebooks that ask."""

from __future__ import annotations

import copy

from ipyawssso.server.clean_save import strip_outputs_on_save


def notebook(metadata: dict) -> dict:
    cell = {
        "cell_type": "code",
        "source": "1 + 1",
        "metadata": {"execution": {"iopub.status.idle": "2026-12-01T00:00:00Z"}},
        "outputs": [{"output_type": "execute_result", "data": {"text/plain": "2"}}],
        "execution_count": 3,
    }
    return {"type": "notebook", "content": {"metadata": metadata, "cells": [cell]}}


def test_a_notebook_that_asks_is_saved_without_outputs():
    model = notebook({"ipyawssso": {"clean_on_save": True}})
    strip_outputs_on_save(model, "notebooks/sandbox-tour.ipynb")
    (cell,) = model["content"]["cells"]
    assert cell["outputs"] == [] and cell["execution_count"] is None
    assert cell["metadata"] == {}


def test_every_other_notebook_is_saved_as_it_is():
    for metadata in ({}, {"ipyawssso": {}}, {"ipyawssso": {"clean_on_save": "yes"}}):
        model = notebook(metadata)
        before = copy.deepcopy(model)
        strip_outputs_on_save(model, "work.ipynb")
        assert model == before
    text = {"type": "file", "content": "x"}
    strip_outputs_on_save(text, "notes.txt")
    assert text == {"type": "file", "content": "x"}
