"""Step 2: the device card a person approves in their browser.

It shows the verification link as a button that opens a new tab with the code filled in, the
code itself with a copy button (for approving on another device), a countdown to the code's
expiry and Cancel. Nothing secret is here: the device code never leaves the core.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

import ipywidgets as w

from ..core.models import DeviceAuthorization, utcnow
from .markup import copy_button, link_button

__all__ = ["DeviceCodeWidget"]


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"


class DeviceCodeWidget(w.VBox):
    """Shows one ``DeviceAuthorization``; ``tick()`` refreshes the countdown."""

    def __init__(self, *, on_cancel: Callable[[], None]) -> None:
        self._on_cancel = on_cancel
        self._authorization: DeviceAuthorization | None = None
        self.card = w.HTML()
        self.countdown = w.HTML()
        self.countdown.add_class("ipyawssso-countdown")
        self.cancel = w.Button(description="Cancel", tooltip="Stop waiting for this sign-in")
        self.cancel.add_class("ipyawssso-cancel")
        self.cancel.on_click(lambda _b: self._on_cancel())
        super().__init__([self.card, self.countdown, self.cancel])
        self.add_class("ipyawssso-device")

    @property
    def authorization(self) -> DeviceAuthorization | None:
        return self._authorization

    def show(self, authorization: DeviceAuthorization) -> None:
        self._authorization = authorization
        code = escape(authorization.user_code)
        where = escape(authorization.verification_uri)
        self.card.value = (
            "<div><b>Approve this sign-in in your browser</b></div>"
            '<div style="margin:8px 0">'
            f"{link_button(authorization.verification_uri_complete, 'Open sign-in page')}"
            "</div>"
            "<div>Check that the page shows this code, then press Allow:</div>"
            '<div style="margin:6px 0;display:flex;align-items:center;gap:10px">'
            '<span class="ipyawssso-user-code" style="font:bold 20px monospace;'
            f'letter-spacing:2px">{code}</span>'
            f"{copy_button(authorization.user_code, 'Copy code')}"
            "</div>"
            '<div style="color:var(--jp-ui-font-color2,#555)">On another device? Go to '
            f"<code>{where}</code> and enter the code.</div>"
        )
        self.cancel.disabled = False
        self.tick()

    def tick(self, now: datetime | None = None) -> float:
        """Update the countdown; returns the seconds left (<= 0 once the code expired)."""
        if self._authorization is None:
            self.countdown.value = ""
            return 0.0
        left = self._authorization.seconds_left(now or utcnow())
        if left > 0:
            self.countdown.value = f"Waiting for approval… the code expires in {_clock(left)}"
        else:
            self.countdown.value = "The code expired. Start the sign-in again."
        return left

    def clear(self) -> None:
        self._authorization = None
        self.card.value = ""
        self.countdown.value = ""
