"""``screenshot``: show an image that the browser tests took, never one made by hand.

``docs/copy_screenshots.py`` copies the tests' artifacts into ``_static/screenshots`` when the
build starts. A page names the screenshot; if the tests have not produced it in this checkout
(the UI tests did not run, or Chromium is missing), the page says how to produce it instead of
showing a stale or hand-made picture. ``IPYAWSSSO_DOCS_REQUIRE_SCREENSHOTS=1`` turns a missing
screenshot into a warning, so a release build with ``-W`` fails without them.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

STATIC_FOLDER = Path("_static") / "screenshots"


DOCS = Path(__file__).resolve().parents[2]
ARTIFACTS = DOCS.parent / "test-artifacts" / "ui"


@functools.cache
def _shots_module() -> Any:
    """``docs/copy_screenshots.py``, the one table of screenshots (also a script of its own)."""
    spec = importlib.util.spec_from_file_location("copy_screenshots", DOCS / "copy_screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["copy_screenshots"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class ScreenshotDirective(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"alt": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        shots = _shots_module()
        if name not in shots.SCREENSHOTS:
            raise self.error(
                f"Unknown screenshot {name!r}: add it to SCREENSHOTS in docs/copy_screenshots.py "
                f"(known: {', '.join(sorted(shots.SCREENSHOTS))})."
            )
        source = shots.SCREENSHOTS[name]
        caption = "\n".join(self.content).strip() or name
        path = Path(self.env.srcdir) / STATIC_FOLDER / f"{name}.png"
        if path.exists():
            uri = "/" + (STATIC_FOLDER / f"{name}.png").as_posix()  # "/": from the docs folder
            figure = nodes.figure()
            figure += nodes.image(uri=uri, alt=self.options.get("alt", caption))
            figure += nodes.caption(text=f"{caption} (taken by {source.test})")
            return [figure]
        message = (
            f"Screenshot {name!r} is not in this build: it is taken by {source.test} "
            "(run `pytest tests/ui`, then build the docs again)."
        )
        if os.environ.get("IPYAWSSSO_DOCS_REQUIRE_SCREENSHOTS") == "1":
            logger.warning(message, location=self.get_location())
        else:
            logger.info(message)
        note = nodes.note()
        note += nodes.paragraph(text=f"{caption}. {message}")
        return [note]


def _copy_on_start(app: Sphinx) -> None:
    shots = _shots_module()
    copied = shots.copy_screenshots(ARTIFACTS, Path(app.srcdir) / STATIC_FOLDER)
    logger.info(f"screenshots: {len(copied)} of {len(shots.SCREENSHOTS)} from the UI tests")


def setup(app: Sphinx) -> None:
    app.add_directive("screenshot", ScreenshotDirective)
    app.connect("builder-inited", _copy_on_start)
