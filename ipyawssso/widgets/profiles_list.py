"""The profiles already in ``~/.aws/config``, with their sign-in status and one-click actions.

"Use" signs in only if needed (a valid token means no prompt at all) and injects the session;
"Sign in again" forces a fresh device sign-in, for when a token was revoked early.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape
from typing import Any

import ipywidgets as w

from ..core.models import utcnow
from ..display import format_time_left
from .tree import close_tree

__all__ = ["ProfilesList", "describe_status"]


def describe_status(status: Any, now: datetime | None = None) -> tuple[str, str]:
    """``(kind, text)`` for a ``ProfileStatus``: kind is signed-in, expired, signed-out or other."""
    profile = status.profile
    via = getattr(status, "via", None)
    if not profile.is_sso and not via:
        return "other", "not an IAM Identity Center profile"
    through = f" through {via}" if via else ""
    login = status.login
    if login is None or login.expires_at is None:
        return "signed-out", f"not signed in{through}"
    left = login.time_left(now or utcnow())
    if left.total_seconds() <= 0:
        return "expired", f"sign-in{through} expired"
    return "signed-in", f"signed in{through} · {format_time_left(left)} left"


_COLOURS = {
    "signed-in": "var(--jp-success-color1,#388e3c)",
    "expired": "var(--jp-warn-color1,#f57c00)",
    "signed-out": "var(--jp-ui-font-color2,#555)",
    "other": "var(--jp-ui-font-color3,#777)",
}


class ProfilesList(w.VBox):
    """One row per profile; ``on_use(name, force)`` runs the sign-in for that profile."""

    def __init__(self, *, on_use: Callable[[str, bool], None], on_refresh: Callable[[], None]):
        self._on_use = on_use
        self.refresh = w.Button(description="Refresh", tooltip="Read ~/.aws/config again")
        self.refresh.layout.width = "auto"
        self.refresh.on_click(lambda _b: on_refresh())
        self.rows = w.VBox()
        self.empty = w.HTML()
        self.buttons: dict[str, tuple[w.Button, w.Button]] = {}
        super().__init__(
            [w.HBox([w.HTML("<b>Your profiles</b>"), self.refresh]), self.empty, self.rows]
        )
        self.add_class("ipyawssso-profiles")

    def show(self, statuses: Sequence[Any], *, highlight: str | None = None) -> None:
        old = list(self.rows.children)
        ordered = sorted(statuses, key=lambda s: (s.profile.name != highlight, s.profile.name))
        rows = []
        self.buttons = {}
        for status in ordered:
            rows.append(self._row(status, highlight=status.profile.name == highlight))
        self.rows.children = rows
        self.empty.value = (
            "" if rows else "<i>No profiles in ~/.aws/config yet: sign in below to create one.</i>"
        )
        for box in old:
            close_tree(box)

    def set_busy(self, busy: bool) -> None:
        for use, again in self.buttons.values():
            use.disabled = busy
            again.disabled = busy
        self.refresh.disabled = busy

    def _row(self, status: Any, *, highlight: bool) -> w.HBox:
        profile = status.profile
        kind, text = describe_status(status)
        target = ""
        if profile.account_id or profile.role_name:
            target = f" · {escape(profile.account_id or '?')} / {escape(profile.role_name or '?')}"
        elif profile.role_arn:
            target = f" · {escape(profile.role_arn)}"
        weight = "bold" if highlight else "normal"
        label = w.HTML(
            f'<span style="font-weight:{weight}">{escape(profile.name)}</span>{target} · '
            f'<span class="ipyawssso-status-{kind}" style="color:{_COLOURS[kind]}">'
            f"{escape(text)}</span>"
        )
        label.layout.min_width = "320px"
        row = w.HBox([label])
        row.add_class("ipyawssso-profile-row")
        if kind != "other":
            use = w.Button(description="Use", tooltip=f"Sign in if needed and use {profile.name}")
            again = w.Button(description="Sign in again", tooltip="Force a new device sign-in")
            use.layout.width = "auto"
            again.layout.width = "auto"
            if kind == "signed-in":
                use.button_style = "primary"
            use.on_click(lambda _b, n=profile.name: self._on_use(n, False))
            again.on_click(lambda _b, n=profile.name: self._on_use(n, True))
            self.buttons[profile.name] = (use, again)
            row.children = (label, use, again)
        return row
