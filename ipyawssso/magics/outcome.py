"""A login that ended without a session is an outcome, not a usage mistake.

Cancelled, denied or expired: the device card already says so, in one line. The cell must still
fail, so that "Run All" stops before the cells that need the session, but without a red
``UsageError`` repeating the card. :class:`SignInEnded` does that: the magics' exception handler
(:mod:`ipyawssso.magics.expiry`) shows nothing more when the card said it, and the one line when no
card was shown (the sign-in stopped before a code came); without that handler, IPython shows
the same one line (``_render_traceback_``), never a traceback.

Kept apart from the login flow so that ``%load_ext`` can name it without importing the flow.
"""

from __future__ import annotations

__all__ = ["SignInEnded"]


class SignInEnded(Exception):
    """``line``: what to tell the person; ``shown``: the card already told them."""

    def __init__(self, line: str, *, shown: bool) -> None:
        super().__init__(line)
        self.line = line
        self.shown = shown

    def _render_traceback_(self) -> list[str]:
        return [self.line]
