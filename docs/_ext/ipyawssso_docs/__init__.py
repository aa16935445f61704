"""Sphinx directives that write the reference pages from the code, so the docs never drift.

* ``ipyawssso-magic``: every ``%aws_sso`` subcommand and option, from the magic's own parsers.
* ``ipyawssso-traits``: every configurable trait of a class (``c.AwsSsoMagics.*``).
* ``ipyawssso-error`` / ``ipyawssso-error-tree``: the error classes with their docstrings and
  real messages; the build fails when a class of ``ipyawssso.core.errors`` is left out.
* ``screenshot``: an image the browser tests produced, or a note saying how to produce it.
* The device card's own MIME type is skipped quietly (its HTML twin is shown).
* ``toctree-if-exists``: a toctree of the pages that exist (``performance.md`` comes from the
  benchmarks).
* Every page's ``python``/``ipython`` examples run against the sandbox while the site builds;
  one that fails is a warning at its page and line (``examples``).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from . import device_mime, errors, examples, magic_help, optional_toc, screenshots, traits


def setup(app: Sphinx) -> dict[str, Any]:
    for module in (device_mime, errors, examples, magic_help, optional_toc, screenshots, traits):
        module.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
