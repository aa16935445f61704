"""``toctree-if-exists``: a toctree that lists only the pages present in this checkout.

``performance.md`` is written by the benchmarks, which may not have run; listing it with a
plain toctree would fail the ``-W`` build until they do, and a glob that matches nothing warns.
"""

from __future__ import annotations

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.directives.other import TocTree


class OptionalTocTree(TocTree):
    def run(self) -> list[nodes.Node]:
        kept = [
            line for line in self.content if not line.strip() or line.strip() in self.env.found_docs
        ]
        self.content = StringList(kept, source=self.content.source(0) if self.content else "")
        return super().run()


def setup(app: Sphinx) -> None:
    app.add_directive("toctree-if-exists", OptionalTocTree)
