"""``%aws_sso login`` as a cell that waits: device card, Cancel, role question, outcome.

The core's ``login()`` runs in a worker thread (:mod:`.waiting`); this module decides
what the person sees while it runs, on the cell's thread: the device card (replaced by a
one-line outcome at the end), a Cancel button and the widget role picker where the kernel
keeps widgets live during the wait, else the numbered text menu through ``input()``.

Under a Jupyter server with ipyawssso's extension the wait is also registered with the server
(:mod:`ipyawssso.kernel_signins`): the card then asks the server whether its kernel still waits,
carries its own Cancel, and a new run of the same cell stops this wait at once (the front end
cleared its card), so the new run shows a new code instead of queueing behind an invisible wait.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from concurrent.futures import Future
from html import escape
from typing import TYPE_CHECKING, Any

from IPython.core.error import StdinNotImplementedError

from ..command_wording import MAGIC
from ..core.errors import (
    AccessDenied,
    InvalidValueError,
    LoginCancelled,
    LoginExpired,
    LoginTimeout,
)
from ..display import DeviceCardOutput, clean
from ..kernel_signins import KernelSignIn
from .frontends import Frontend, ui_poller
from .outcome import SignInEnded
from .waiting import WorkerCall, settle

if TYPE_CHECKING:
    import boto3

    from ..core.models import DeviceAuthorization, Role

__all__ = ["LoginFlow"]


#: Said before the numbered role menu where the clickable list could have been shown.
CLICKABLE_LIST_TIP = (
    "For a clickable list of roles, run `%aws_sso login` at the top level of a cell of its "
    "own, after the cell with `%load_ext ipyawssso`."
)


class LoginFlow:
    """One blocking login; ``run()`` or ``await run_async()`` returns the boto3 session, or
    None when a new run of the same cell replaced it (nothing more to show: its output is gone).

    ``options`` are the keyword arguments of ``ipyawssso.core.api.login`` but the callbacks;
    ``widgets`` says whether widgets stay live while this cell waits (see ``frontends``).
    """

    def __init__(
        self, profile: str, options: Mapping[str, Any], *, frontend: Frontend, widgets: bool
    ) -> None:
        self.profile = profile
        self.options = dict(options)
        self.frontend = frontend
        self.widgets = widgets
        self.card = DeviceCardOutput(profile, cancel_hint=self._cancel_hint())
        self._cancel_button: Any = None
        self._picker: Any = None
        self._picker_runner: Any = None
        self._displays: list[str] = []
        self._registration: KernelSignIn | None = None
        #: Why the server asked this wait to stop (``cancel`` or ``rerun``), if it did.
        self.stop_reason: str | None = None

    def _cancel_hint(self) -> str:
        if self.frontend.kind == "kernel" and not self.widgets:
            return "Interrupt the kernel to cancel."
        return self.frontend.cancel_hint

    # --- running --------------------------------------------------------------------------

    def _call(self) -> WorkerCall[boto3.Session]:
        def work(call: WorkerCall[boto3.Session]) -> boto3.Session:
            from ..core.api import login

            def choose_role(catalog: Any) -> Role:
                role = call.ask("choose_role", catalog)
                call.notify("picked", role)
                return role

            return login(
                self.profile,
                **self.options,
                on_pending=lambda auth: call.notify("pending", auth),
                cancel=call.cancel,
                choose_role=choose_role,
                on_waiting=lambda: call.notify("waiting", None),
            )

        self.call = WorkerCall(
            work,
            {
                "pending": self._pending,
                "choose_role": self._choose_role,
                "picked": self._picked,
                "waiting": self._waiting_elsewhere,
            },
        )
        return self.call

    def run(self) -> boto3.Session | None:
        """Block the cell until signed in; jupyter-ui-poll keeps widgets live where it can."""
        call = self._call()
        try:
            with ui_poller(self.frontend) as poll:
                session = call.wait(poll if self.widgets else None)
        except BaseException as exc:
            self._failed(exc)
            return None
        self._end(None)
        return session

    async def run_async(self) -> boto3.Session | None:
        """Await until signed in: the kernel handles widget messages meanwhile."""
        call = self._call()
        try:
            session = await call.wait_async()
        except BaseException as exc:
            self._failed(exc)
            return None
        self._end(None)
        return session

    def _failed(self, exc: BaseException) -> None:
        """The wait ended in ``exc``: nothing more if a re-run replaced this cell, else its
        outcome raised (called inside the ``except`` that caught it)."""
        self._end(exc)
        if not self._replaced(exc):
            raise self._outcome(exc) from None

    def _outcome(self, error: BaseException) -> BaseException:
        """Cancelled or denied is an outcome the card already showed: one calm line, once
        (see ``ipyawssso.magics.outcome``); anything else goes on as it was raised (an expiry or a
        timeout also says what to do next)."""
        if isinstance(error, KeyboardInterrupt):
            error = LoginCancelled()
        if not isinstance(error, LoginCancelled | AccessDenied):
            return error
        # After the device sign-in the card reads "Signed in."; a role picker cancelled then
        # still needs its own line.
        said = "denied" if isinstance(error, AccessDenied) else "cancelled"
        return SignInEnded(error.worded(MAGIC), shown=self.card.outcome == said)

    def _replaced(self, error: BaseException) -> bool:
        """A new run of this cell stopped this wait: end quietly, so that the kernel runs the
        new one next (an error here would make the kernel drop it from its queue)."""
        return self.stop_reason == "rerun" and isinstance(error, LoginCancelled)

    def _on_stop_request(self, reason: str) -> None:
        """From the registration's watcher thread: the card's Cancel, or a new run."""
        self.stop_reason = reason
        self.call.cancel.set()

    # --- what the person sees (always on the cell's thread) ----------------------------------

    def _pending(self, auth: DeviceAuthorization) -> None:
        if self.card.authorization is None:
            self._registration = KernelSignIn.open(self.profile)
            if self._registration is not None:
                self.card.sign_in = self._registration.id
                self._registration.watch(self._on_stop_request)
        self.card.show(auth)
        # A registered card carries its own Cancel (the lab extension draws it and asks the
        # server), so no second button sits below it, nor breaks when the kernel restarts.
        if self.widgets and self._cancel_button is None and self._registration is None:
            import ipywidgets as w

            self._cancel_button = w.Button(
                description="Cancel", tooltip="Stop this sign-in", icon="times"
            )
            self._cancel_button.add_class("ipyawssso-cancel")
            self._cancel_button.on_click(lambda _b: self.call.cancel.set())
            self._show(self._cancel_button)

    def _choose_role(self, catalog: Any) -> Role | Future[Role]:
        self.card.finish("signed_in")  # the device sign-in is done; only the role is left
        if self.widgets:
            return self._widget_picker(catalog)
        from ..text_picker import pick_role

        if self.frontend.comms_while_awaiting:
            # This kernel shows the clickable list only to a login it awaits: a line at the top
            # level of a cell, in a cell after the one that loaded the extension.
            print(CLICKABLE_LIST_TIP)
        try:
            return pick_role(catalog)
        except StdinNotImplementedError as exc:
            raise InvalidValueError(
                "This front end cannot ask which account and role to use. Pass --account-id "
                "and --role-name (see `%aws_sso accounts`), or use `%aws_sso panel`."
            ) from exc

    def _widget_picker(self, catalog: Any) -> Future[Role]:
        from ..widgets.picker import RolePicker
        from ..widgets.tasks import TaskRunner

        chosen: Future[Role] = Future()
        self._picker_runner = TaskRunner()
        self._picker = RolePicker(
            self._picker_runner,
            on_pick=lambda role: settle(chosen, result=role),
            on_back=lambda: settle(chosen, exc=LoginCancelled()),
            on_error=lambda exc, _retry: settle(chosen, exc=exc),
        )
        self._picker.back.description = "Cancel"
        self._show(self._picker)
        self._picker.load(catalog)
        return chosen

    def _waiting_elsewhere(self, _: None) -> None:
        """Another kernel (or the terminal) shows the code for this sign-in: say whose wait
        this is, so the cell's ``[*]`` is never a silent one."""
        from IPython.display import display

        hint = self._cancel_hint()
        text = (
            "Waiting for the AWS sign-in started in another notebook or terminal: approve its "
            f"code there and this cell goes on. {hint}"
        )
        display({"text/plain": text, "text/html": f"<div>{escape(text)}</div>"}, raw=True)

    def _picked(self, role: Role) -> None:
        name = f" ({clean(role.account_name)})" if role.account_name else ""
        self._close_widgets(f"Role {clean(role.role_name)} in account {role.account_id}{name}.")

    def _show(self, widget: Any) -> None:
        """Show ``widget`` in this login's one output slot (the picker replaces Cancel), so
        that when the login ends a single line stands there, not a trail of empty outputs."""
        from IPython.display import display, update_display

        if self._displays:
            update_display(widget, display_id=self._displays[0])
            return
        display_id = f"ipyawssso-{uuid.uuid4().hex}"
        display(widget, display_id=display_id)
        self._displays.append(display_id)

    def _close_widgets(self, text: str = "") -> None:
        """Close the Cancel button and the picker; their outputs become ``text`` (or nothing)."""
        from IPython.display import update_display

        if self._picker_runner is not None:
            self._picker_runner.close()
        for widget in (self._cancel_button, self._picker):
            if widget is not None:
                widget.close()
        self._cancel_button = self._picker = self._picker_runner = None
        for display_id in self._displays:
            update_display({"text/plain": text}, raw=True, display_id=display_id)
        self._displays.clear()

    def _end(self, error: BaseException | None) -> None:
        self.call.pump_quietly()
        self._close_widgets()
        if error is None:
            outcome = "signed_in"
            self.card.finish("signed_in")
        elif isinstance(error, AccessDenied):
            outcome = "denied"
            self.card.finish("denied")
        elif isinstance(error, LoginTimeout):
            outcome = "expired"
            # The code may still be valid: what ended is the wait (--timeout), so say that.
            wait = (
                error.worded(MAGIC)
                if error.elsewhere
                else f"No approval within {error.seconds:g} s."
            )
            self.card.finish("timed_out", wait)
        elif isinstance(error, LoginExpired):
            outcome = "expired"
            self.card.finish("expired")
        elif self._replaced(error):
            outcome = "replaced"
            self.card.finish("cancelled", "A new run of this cell replaced it.")
        elif isinstance(error, LoginCancelled | KeyboardInterrupt):
            outcome = "cancelled"
            self.card.finish("cancelled")
        else:
            outcome = "error"
            self.card.finish("cancelled", "An error stopped it.")
        if self._registration is not None:
            self._registration.finish(outcome)
