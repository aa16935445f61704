"""Links to pages that may not exist yet in this checkout.

``performance.md`` is written by the benchmarks, which may not have run; listing it with a
plain toctree (or linking it with ``{doc}``) would fail the ``-W`` build until they do, and a
toctree glob that matches nothing warns too.

* ``toctree-if-exists``: a toctree of the listed pages that exist.
* ``{doc-if-exists}`text <page>```: a link to the page if it exists, else the text alone.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.directives.other import TocTree
from sphinx.util.docutils import SphinxRole


class OptionalTocTree(TocTree):
    def run(self) -> list[nodes.Node]:
        kept = [
            line for line in self.content if not line.strip() or line.strip() in self.env.found_docs
        ]
        self.content = StringList(kept, source=self.content.source(0) if self.content else "")
        return super().run()


class OptionalDocRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        match = re.fullmatch(r"(.*?)\s*<([^<>]+)>", self.text, re.DOTALL)
        title, target = (match.group(1), match.group(2)) if match else (self.text, self.text)
        if target not in self.env.found_docs:
            return [nodes.Text(title)], []
        ref = addnodes.pending_xref(
            self.rawtext,
            refdomain="std",
            reftype="doc",
            reftarget=target,
            refexplicit=True,
            refdoc=self.env.docname,
        )
        ref += nodes.inline(title, title, classes=["xref", "std", "std-doc"])
        return [ref], []


def setup(app: Sphinx) -> None:
    app.add_directive("toctree-if-exists", OptionalTocTree)
    app.add_role("doc-if-exists", OptionalDocRole())
