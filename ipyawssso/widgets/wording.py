"""A core error's hint in the panel's words: its fields and buttons, never a flag or a call.

The core names what to do next as facts (:class:`~ipyawssso.core.errors.NextStep`,
:class:`~ipyawssso.core.errors.Option`); the panel and its profile form show them as the
controls a person can press (see ``docs/architecture.md`` §3).
"""

from __future__ import annotations

from ..core.errors import PYTHON, NextStep

__all__ = ["PANEL", "PanelWording"]


#: The panel's fields for the settings a core message may ask for (by keyword argument).
_FIELDS = {"start_url": "Start URL", "sso_region": "SSO region", "session_name": "Session name"}


class PanelWording:
    """A core hint in the panel's words: its fields and buttons, not keyword arguments.

    What the panel has no button for (``whoami``) stays a Python call, which works in any
    notebook, with or without ``%load_ext``."""

    def option(self, name: str) -> str:
        return f"the {_FIELDS[name]} field" if name in _FIELDS else PYTHON.option(name)

    def step(self, step: NextStep) -> str:
        where = self.control(step)
        if where is None:
            return PYTHON.step(step)
        verb = "press" if step.lead == "run" else step.lead
        return f"{verb} {where}".lstrip()

    def control(self, step: NextStep) -> str | None:
        """The part of the panel that does ``step``, or None if none does."""
        if step.action == "login" and step.asks:
            given = [f"{_FIELDS.get(name, name)} {value}" for name, value in step.given]
            fields = ", ".join([*given, *(_FIELDS.get(name, name) for name in step.asks)])
            fields = " and ".join(fields.rsplit(", ", 1))
            return f"the Sign in button ({fields} filled in)"
        if step.action in ("login", "use") and step.profile:
            button = "Sign in again" if step.action == "login" else "Use"
            return f"the {button} button of {step.profile!r} in the profile list"
        if step.action == "profiles":
            return "the profile list"
        if step.action == "accounts":
            return "the role picker"
        return None


#: How the panel words a core error's hint.
PANEL = PanelWording()
