"""``ipyawssso-traits CLASS``: every configurable trait of a class, read from the class.

A trait added to ``AwsSsoMagics`` shows up here in the next build with its type, default and
help, and each gets a target ``config-<trait>`` that other pages link to. Nothing is typed twice.
"""

from __future__ import annotations

import importlib
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .magic_help import inline


def import_object(path: str) -> Any:
    module_name, _, attr = path.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def trait_type(trait: Any) -> str:
    """``Unicode``, ``Bool``, ``Enum: json, text``... in the words traitlets itself uses."""
    kind = type(trait).__name__
    values = getattr(trait, "values", None)
    if values:
        return f"{kind} (one of: {', '.join(repr(v) for v in values)})"
    if getattr(trait, "allow_none", False):
        return f"{kind} or None"
    return kind


def configurable_traits(cls: Any) -> list[tuple[str, Any]]:
    return sorted(cls.class_own_traits(config=True).items()) + sorted(
        (name, trait)
        for name, trait in cls.class_traits(config=True).items()
        if name not in cls.class_own_traits(config=True)
    )


class TraitsDirective(SphinxDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        cls = import_object(self.arguments[0])
        items = configurable_traits(cls)
        if not items:
            raise self.error(f"{self.arguments[0]} has no configurable traits to document.")
        section_list = nodes.definition_list(classes=["ipyawssso-traits"])
        for name, trait in items:
            target_id = f"config-{name.replace('_', '-')}"
            item = nodes.definition_list_item()
            term = nodes.term(ids=[target_id])
            term += nodes.literal(text=f"c.{cls.__name__}.{name} = {trait.default_value_repr()}")
            item += term
            body = nodes.definition()
            meta = nodes.paragraph()
            meta += nodes.emphasis(text=trait_type(trait))
            body += meta
            for block in (trait.help or "").strip().split("\n\n"):
                text = " ".join(block.split())
                if text:
                    body += nodes.paragraph("", "", *inline(text))
            if not (trait.help or "").strip():
                raise self.error(
                    f"{cls.__name__}.{name} has no help text; give it help=... so users know "
                    "what it does."
                )
            item += body
            section_list += item
            std = self.env.get_domain("std")
            std.note_hyperlink_target(
                target_id, self.env.docname, target_id, f"c.{cls.__name__}.{name}"
            )
        return [section_list]


def setup(app: Sphinx) -> None:
    app.add_directive("ipyawssso-traits", TraitsDirective)
