"""Step 5: who the session acts as, where it lives, and the code to get it back later."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as w

from .markup import copy_button, identity_html

__all__ = ["DoneView", "snippet"]


def snippet(profile: str, var_name: str) -> str:
    """The lines a later cell (or a fresh kernel) needs to get the same session again."""
    return f"import ipyawssso\n{var_name} = ipyawssso.session({profile!r})\n"


class DoneView(w.VBox):
    def __init__(self, *, on_restart: Callable[[], None]) -> None:
        self.summary = w.HTML()
        self.summary.add_class("ipyawssso-done")
        self.identity = w.HTML()
        self.identity.add_class("ipyawssso-identity")
        self.code = w.HTML()
        self.restart = w.Button(description="Sign in to something else")
        self.restart.layout.width = "auto"
        self.restart.on_click(lambda _b: on_restart())
        super().__init__([self.summary, self.identity, self.code, self.restart])

    def show(self, *, profile: str, identity: Any, var_name: str | None, holder: str) -> None:
        """``var_name`` is the injected variable, or None when there was no namespace."""
        if var_name is not None:
            where = f"The variable <code>{escape(var_name)}</code> now holds"
        else:
            where = f"<code>{escape(holder)}</code> holds"
        self.summary.value = (
            f"<b>Signed in.</b> {where} a <code>boto3.Session</code> for profile "
            f"<code>{escape(profile)}</code>."
        )
        self.identity.value = identity_html(identity, profile=profile)
        text = snippet(profile, var_name or "session")
        self.code.value = (
            '<div style="display:flex;align-items:flex-start;gap:10px">'
            '<pre class="ipyawssso-snippet" style="margin:0;padding:6px;'
            f'background:var(--jp-layout-color2,#f5f5f5)">{escape(text)}</pre>'
            f"{copy_button(text, 'Copy code snippet')}</div>"
        )
