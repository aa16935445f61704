"""Walking a widget tree: for closing every comm on Close, and for scanning saved state."""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as w

__all__ = ["close_tree", "walk"]


def walk(root: w.Widget) -> Iterator[w.Widget]:
    """Every widget reachable from ``root``: children, layouts and styles, each once."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        widget = stack.pop()
        if id(widget) in seen:
            continue
        seen.add(id(widget))
        yield widget
        for name in ("children", "layout", "style"):
            value = getattr(widget, name, None) if widget.has_trait(name) else None
            if isinstance(value, w.Widget):
                stack.append(value)
            elif isinstance(value, list | tuple):
                stack.extend(v for v in value if isinstance(v, w.Widget))


def close_tree(root: w.Widget) -> None:
    """Close ``root`` and everything under it (``Widget.close`` alone leaves children open)."""
    for widget in list(walk(root)):
        widget.close()
