"""Under "Your AWS sign-in expired": sign in again right there, then run the cell again.

The button used to open the whole panel, where a second "Sign in again" waited. Here the
device sign-in starts at once, in place: the code and the link show under the error, the
kernel stays free (the sign-in runs in a thread, see :mod:`.tasks`), and once signed in a
**Run the cell again** button re-runs the cell that failed. In JupyterLab the lab extension
runs it (``labextension/src/rerun.ts`` handles a click on ``.ipyawssso-rerun-cell``); where no
extension can, the kernel says which keys do it. Without a profile name to sign in with, the
button opens the panel, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, MutableMapping
from typing import Any

import ipywidgets as w

from ..command_wording import MAGIC
from ..core.errors import IpyAwsSsoError
from ..core.models import DeviceAuthorization, LoginStatus
from ..display import format_time_left
from .backend import Backend, CoreBackend
from .device import DeviceCodeWidget
from .markup import fallback_bundle, message_html
from .tasks import TaskRunner

__all__ = ["RERUN_CLASS", "SignInAgain"]

#: The class of the button the lab extension answers by running the cell again.
RERUN_CLASS = "ipyawssso-rerun-cell"
FALLBACK = "AWS 'Sign in again' button (ipyawssso) — run the cell again to get it back."


class SignInAgain(w.VBox):
    """``profile``: the profile whose sign-in ended (None: the panel opens instead)."""

    def __init__(
        self,
        profile: str | None,
        *,
        backend: Backend | None = None,
        var_name: str = "session",
        namespace: MutableMapping[str, Any] | None = None,
        open_panel: Callable[[], Any] | None = None,
    ) -> None:
        self.profile = profile
        self._backend = backend or CoreBackend()
        self._var_name = var_name
        self._namespace = namespace
        self._open_panel = open_panel
        self._runner = TaskRunner()
        self.button = w.Button(description="Sign in again", button_style="primary", icon="sign-in")
        self.button.add_class("ipyawssso-sign-in-again")
        self.button.on_click(lambda _b: self.start())
        self.device = DeviceCodeWidget(on_cancel=self.cancel)
        self.device.layout.display = "none"
        self.status = w.HTML()
        self.status.add_class("ipyawssso-sign-in-again-status")
        self.rerun = w.Button(description="Run the cell again", icon="play")
        self.rerun.add_class(RERUN_CLASS)
        self.rerun.layout.display = "none"
        self.rerun.layout.width = "auto"
        self.rerun.on_click(lambda _b: self._rerun_hint())
        self.more = w.Output()
        super().__init__([self.button, self.device, self.status, self.rerun, self.more])
        self.add_class("ipyawssso-sign-in-again-box")

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return fallback_bundle(super()._repr_mimebundle_(**kwargs), FALLBACK)

    # -- actions --------------------------------------------------------------------------------

    def start(self) -> None:
        """The button: sign in for the profile here (or open the panel without one)."""
        self.button.disabled = True
        if self.profile is None:
            self._show_panel()
            return
        profile = self.profile
        self.status.value = message_html(f"Signing in as {profile}…", kind="info")

        def work(cancel: threading.Event) -> LoginStatus:
            def pending(auth: DeviceAuthorization) -> None:
                if cancel.is_set():
                    return
                self.device.show(auth)
                self.device.layout.display = "flex"
                self.status.value = ""
                self._runner.run("countdown", self._count_down)

            # force: the cached token may look valid and still be refused (revoked, ended
            # early); the error that brought this button here says it no longer works.
            return self._backend.sign_in(profile, force=True, on_pending=pending, cancel=cancel)

        self._runner.run("sign-in", work, self._signed_in, self._failed)

    def _count_down(self, cancel: threading.Event) -> None:
        while not cancel.wait(1.0):
            if self.device.tick() <= 0:
                return

    def cancel(self) -> None:
        self._runner.cancel("sign-in", "countdown")
        self.device.layout.display = "none"
        self.device.clear()
        self.status.value = message_html("Sign-in cancelled. Nothing was changed.", kind="info")
        self.button.disabled = False

    # -- outcomes -------------------------------------------------------------------------------

    def _signed_in(self, status: LoginStatus) -> None:
        self._runner.cancel("countdown")
        self.device.layout.display = "none"
        self.device.clear()
        left = format_time_left(status.time_left()) if status.expires_at else ""
        when = f" ({left} left)" if left and left != "expired" else ""
        self.status.value = message_html(
            f"Signed in to AWS for profile {self.profile!r}{when}. The session in this "
            "notebook works again: run the cell again.",
            kind="success",
        )
        self.rerun.layout.display = ""

    def _failed(self, exc: BaseException) -> None:
        self._runner.cancel("countdown")
        self.device.layout.display = "none"
        self.device.clear()
        # It stands under a cell's error, where %aws_sso is loaded: the magic's words.
        text = exc.worded(MAGIC) if isinstance(exc, IpyAwsSsoError) else str(exc)
        self.status.value = message_html(text or type(exc).__name__, kind="error")
        self.button.disabled = False

    def _rerun_hint(self) -> None:
        """The kernel's side of "Run the cell again": JupyterLab runs it (our extension);
        elsewhere, say how."""
        self.status.value += message_html(
            "If the cell did not start: select it and press Shift+Enter.", kind="info"
        )

    def _show_panel(self) -> None:
        from .panel import Panel

        panel = (
            self._open_panel()
            if self._open_panel
            else Panel(None, var_name=self._var_name, namespace=self._namespace)
        )
        self.more.append_display_data(panel)

    def close(self) -> None:
        self._runner.close()
        super().close()
