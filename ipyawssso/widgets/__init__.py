"""The ipywidgets panel: sign in, pick a role, write the profile, get a session.

``Panel()`` (also ``ipyawssso.Panel``) is what ``%aws_sso`` shows. The views are traits and
callbacks only; the work is done by ``ipyawssso.core`` in background threads.
"""

from __future__ import annotations

from .panel import STEPS, Panel

__all__ = ["STEPS", "Panel"]
