"""The panel: ``aws configure sso`` with the mouse, without ever blocking the kernel.

Steps: sign-in settings -> device card -> role picker -> profile form -> done, plus the list of
existing profiles (use one, or sign in again). The panel only wires views together: every
decision comes from the core through ``Backend``, every network call runs in a ``TaskRunner``
thread, and threads touch the page only by setting widget traits (never ``with out:``, which
would write into whatever cell is running). Errors show inside the panel with a Retry button.

Nothing secret is ever put in a widget: tokens and keys stay in the core's cache files and in
the ``boto3.Session`` object, which lives in the kernel's namespace, not in the widget state.
"""

from __future__ import annotations

import keyword
import threading
from collections.abc import Callable, MutableMapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import ipywidgets as w
from traitlets import Unicode

from ..core.errors import IpyAwsSsoError
from ..core.models import DeviceAuthorization, Role, SsoSession
from .backend import Backend, CoreBackend
from .device import DeviceCodeWidget
from .done import DoneView
from .markup import fallback_bundle, message_html
from .picker import RolePicker
from .profile_form import ProfileForm, ProfileRequest
from .profiles_list import ProfilesList
from .settings import SignInSettings, SignInValues
from .tasks import TaskRunner
from .tree import close_tree, walk
from .wording import PANEL

if TYPE_CHECKING:
    import boto3

__all__ = ["STEPS", "Panel", "describe_error"]

STEPS = ("settings", "device", "picker", "form", "done")


def describe_error(exc: BaseException) -> str:
    """One line for the error box: the core's own message, or what failed and what to try.
    A setting the message asks for is named by its field here, not as a keyword argument."""
    if isinstance(exc, IpyAwsSsoError):
        return exc.worded(PANEL)
    detail = str(exc).strip().rstrip(".") or "no details"
    return (
        f"{type(exc).__name__}: {detail}. Press Retry; if it keeps failing, check the network "
        "and the start URL."
    )


def _user_namespace() -> MutableMapping[str, Any] | None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return None
    shell = get_ipython()
    return shell.user_ns if shell is not None else None


#: What a saved notebook shows where a panel stood, once the panel is gone.
PANEL_FALLBACK = "AWS sign-in panel (ipyawssso) — run the cell to open it again."


class Panel(w.VBox):
    """Sign in to IAM Identity Center, pick a role, write the profile, get a session.

    Every network call runs in a background thread, so the kernel stays free while the
    panel waits for an approval or a role list. When done, the session is stored as
    ``namespace[var_name]`` and as ``panel.session``. ``close()`` stops all background work.

    :param profile: the profile to create; if it exists, it is listed first with its actions.
    :param start_url: prefills the sign-in form's start URL.
    :param sso_region: prefills the sign-in form's SSO region.
    :param session_name: prefills the sign-in form's sso-session name.
    :param region: prefills the profile form's default region.
    :param output: prefills the profile form's output format.
    :param var_name: the variable the finished session is stored in.
    :param namespace: where that variable goes; None means the IPython user namespace.
    :param backend: the core calls the panel makes; None means the real core (tests pass a
        fake instead of patching).
    :raises ValueError: ``var_name`` is not a Python variable name.
    """

    step = Unicode("settings", help="The step shown: one of STEPS.")

    def __init__(
        self,
        profile: str | None = None,
        *,
        start_url: str | None = None,
        sso_region: str | None = None,
        session_name: str | None = None,
        region: str | None = None,
        output: str | None = None,
        var_name: str = "session",
        namespace: MutableMapping[str, Any] | None = None,
        backend: Backend | None = None,
    ) -> None:
        if not var_name.isidentifier() or keyword.iskeyword(var_name):
            raise ValueError(
                f"var_name={var_name!r} is not a Python variable name; use one like 'session'."
            )
        self._backend: Backend = backend if backend is not None else CoreBackend()
        self._runner = TaskRunner()
        self._profile_arg = profile
        self._var_name = var_name
        self._namespace = namespace if namespace is not None else _user_namespace()
        self._closed = False
        self._retry: Callable[[], None] | None = None
        self._signin: SignInValues | None = None
        self._session_name = ""
        self._session_written_at: str | None = None
        self._profile_names: frozenset[str] = frozenset()
        self.session: boto3.Session | None = None
        self.identity: Any = None

        self.close_button = w.Button(description="Close", tooltip="Close and stop background work")
        self.close_button.layout.width = "auto"
        self.close_button.on_click(lambda _b: self.close())
        self.header = w.HBox(
            [w.HTML("<b>AWS sign-in</b> · IAM Identity Center"), self.close_button],
            layout=w.Layout(justify_content="space-between", width="100%"),
        )
        self.error = w.HTML()
        self.retry = w.Button(description="Retry", button_style="warning")
        self.retry.add_class("ipyawssso-retry")
        self.dismiss = w.Button(description="Dismiss")
        self.retry.on_click(lambda _b: self._do_retry())
        self.dismiss.on_click(lambda _b: self.clear_error())
        self.error_box = w.VBox([self.error, w.HBox([self.retry, self.dismiss])])
        self.error_box.add_class("ipyawssso-error-box")
        self.error_box.layout.display = "none"
        self.status = w.HTML()
        self.status.add_class("ipyawssso-status")

        statuses = self._read(self._backend.profiles, default=[])
        sessions: dict[str, SsoSession] = dict(self._read(self._backend.sso_sessions, default={}))
        self._profile_names = frozenset(s.profile.name for s in statuses)
        existing = next((s.profile for s in statuses if s.profile.name == profile), None)
        if existing is not None and existing.is_sso:
            session_name = session_name or existing.sso_session
            start_url = start_url or existing.start_url
            sso_region = sso_region or existing.sso_region

        self.profiles = ProfilesList(on_use=self.use_profile, on_refresh=self.refresh_profiles)
        self.profiles.show(statuses, highlight=profile)
        self.settings = SignInSettings(
            sessions=sessions,
            on_submit=self.start_sign_in,
            start_url=start_url,
            sso_region=sso_region,
            session_name=session_name,
        )
        self.device = DeviceCodeWidget(on_cancel=self.cancel_sign_in)
        self.picker = RolePicker(
            self._runner,
            on_pick=self._picked,
            on_back=lambda: self._go("settings"),
            on_error=self.show_error,
        )
        self.form = ProfileForm(
            self._backend,
            on_write=self.write_profile,
            on_back=lambda: self._go("picker"),
            region=region,
            output=output,
        )
        self.done = DoneView(on_restart=lambda: self._go("settings"))
        self._views: dict[str, w.Widget] = {
            "settings": self.settings,
            "device": self.device,
            "picker": self.picker,
            "form": self.form,
            "done": self.done,
        }
        self.body = w.VBox([self.settings])
        super().__init__(
            [self.header, self.error_box, self.status, self.profiles, self.body],
            layout=w.Layout(max_width="760px", padding="4px"),
        )
        self.add_class("ipyawssso-panel")

    # -- public actions (what the buttons call) ---------------------------------------------

    def start_sign_in(self, values: SignInValues | None = None) -> None:
        """Sign in to the session in the settings form, then open the picker (what the
        form's Sign in button does).

        :param values: the sign-in settings; None reads them from the form.
        """
        values = values or self.settings.values()
        self._signin = values
        self._begin(f"Contacting IAM Identity Center in {values.sso_region}…")

        def work(cancel: threading.Event) -> tuple[Any, Any, bool]:
            known = set(self._backend.sso_sessions())
            status = self._backend.sign_in(
                session_name=values.session_name,
                start_url=values.start_url,
                sso_region=values.sso_region,
                on_pending=self._pending_handler(cancel),
                cancel=cancel,
            )
            name = status.session_name or values.session_name
            # The core writes a new [sso-session] as soon as its sign-in succeeds: the form
            # must say so, not let its preview suggest that nothing was written yet.
            written = name not in known and name in self._backend.sso_sessions()
            return name, self._backend.catalog(session_name=name), written

        def done(result: tuple[Any, Any, bool]) -> None:
            self._session_name, catalog, written = result
            self._session_written_at = datetime.now().strftime("%H:%M") if written else None
            self._end()
            self.picker.load(catalog)
            self._go("picker")

        self._runner.run("sign-in", work, done, self._failed(lambda: self.start_sign_in(values)))

    def use_profile(self, name: str, force: bool = False) -> None:
        """Sign in for an existing profile if needed, then use it (what its Use button does).

        :param name: the profile.
        :param force: sign in again even if its sign-in is still valid (Sign in again).
        """
        self._begin(f"Signing in as {name}…")

        def work(cancel: threading.Event) -> tuple[Any, Any]:
            self._backend.sign_in(
                name, force=force, on_pending=self._pending_handler(cancel), cancel=cancel
            )
            return self._session_and_identity(name)

        def done(result: tuple[Any, Any]) -> None:
            self._finish(name, *result)

        self._runner.run("sign-in", work, done, self._failed(lambda: self.use_profile(name, force)))

    def cancel_sign_in(self) -> None:
        """Stop a waiting sign-in and its countdown (the device card's Cancel)."""
        self._runner.cancel("sign-in", "countdown")
        self.device.clear()
        self._end()
        self._go("settings")
        self.status.value = message_html("Sign-in cancelled. Nothing was changed.", kind="info")

    def write_profile(self, request: ProfileRequest) -> None:
        """Write the profile as previewed, then build and inject its session.

        :param request: the profile as the person confirmed it in the form.
        """
        self.clear_error()
        self.form.set_busy(True)
        self.status.value = message_html(f"Writing profile {request.name}…", kind="info")

        def work(_cancel: threading.Event) -> tuple[Any, Any]:
            self._backend.save_profile(request.name, **request.settings())
            return self._session_and_identity(request.name)

        def done(result: tuple[Any, Any]) -> None:
            self.form.set_busy(False)
            self._finish(request.name, *result)

        def failed(exc: BaseException) -> None:
            self.form.set_busy(False)
            self.status.value = ""
            self.show_error(exc, lambda: self.write_profile(request))

        self._runner.run("write", work, done, failed)

    def refresh_profiles(self) -> None:
        """Read the profiles again: another cell or a terminal may have changed them."""
        statuses = self._read(self._backend.profiles, default=None)
        if statuses is None:
            return
        self._profile_names = frozenset(s.profile.name for s in statuses)
        self.profiles.show(statuses, highlight=self._profile_arg)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return fallback_bundle(super()._repr_mimebundle_(**kwargs), PANEL_FALLBACK)

    def show_error(self, exc: BaseException, retry: Callable[[], None] | None = None) -> None:
        """Show an error inside the panel, worded for it, instead of a traceback.

        :param exc: the error; an ipyawssso error names the panel's fields in its hint.
        :param retry: what Retry runs; None hides Retry.
        """
        self._retry = retry
        text = describe_error(exc)
        if retry is not None:  # the core says "run the login again"; here a button does it
            text = text.replace("Run the login again", "Press Retry")
            text = text.replace("run the login again", "press Retry")
        self.error.value = message_html(text, kind="error")
        self.retry.layout.display = "" if retry is not None else "none"
        self.error_box.layout.display = "flex"

    def clear_error(self) -> None:
        """Hide the error box (its Dismiss), forgetting what Retry would run."""
        self._retry = None
        self.error.value = ""
        self.error_box.layout.display = "none"

    def close(self) -> None:
        """Stop every background task, then close all widgets of the panel."""
        if getattr(self, "_closed", True):
            # Already closed, or __init__ failed early (Widget.__del__ still calls close).
            super().close()
            return
        self._closed = True
        self._runner.close(timeout=2.0)
        widgets = [x for x in walk(self) if x is not self]
        for view in self._views.values():
            close_tree(view)
        for widget in widgets:
            widget.close()
        super().close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` ran; a closed panel starts no more work."""
        return self._closed

    @property
    def runner(self) -> TaskRunner:
        """The background tasks, so a test can wait for them to finish."""
        return self._runner

    # -- internals --------------------------------------------------------------------------

    def _read(self, call: Callable[[], Any], *, default: Any) -> Any:
        """Read local config; a broken file becomes an error in the panel, not a traceback."""
        try:
            return call()
        except IpyAwsSsoError as exc:
            self.show_error(exc, self.refresh_profiles)
            return default

    def _go(self, step: str) -> None:
        if self._closed:
            return
        if step == "settings":
            self.picker.stop()
        view = self._views[step]
        self.body.children = (view,)
        self.profiles.layout.display = "" if step == "settings" else "none"
        self.step = step

    def _begin(self, message: str) -> None:
        self.clear_error()
        self.settings.set_busy(True)
        self.profiles.set_busy(True)
        self.status.value = message_html(message, kind="info")

    def _end(self) -> None:
        self._runner.cancel("countdown")
        self.settings.set_busy(False)
        self.profiles.set_busy(False)
        self.status.value = ""

    def _failed(self, retry: Callable[[], None]) -> Callable[[BaseException], None]:
        def handler(exc: BaseException) -> None:
            self._end()
            self.device.clear()
            self._go("settings")
            self.show_error(exc, retry)

        return handler

    def _do_retry(self) -> None:
        retry = self._retry
        self.clear_error()
        if retry is not None:
            retry()

    def _pending_handler(self, cancel: threading.Event) -> Callable[[DeviceAuthorization], None]:
        def on_pending(authorization: DeviceAuthorization) -> None:
            if cancel.is_set() or self._closed:
                return
            self.device.show(authorization)
            self.status.value = ""
            self._go("device")
            self._runner.run("countdown", self._count_down)

        return on_pending

    def _count_down(self, cancel: threading.Event) -> None:
        while not cancel.wait(1.0):
            if self.device.tick() <= 0:
                return

    def _picked(self, role: Role) -> None:
        if self._profile_arg and self._profile_arg not in self._profile_names:
            name = self._profile_arg
        else:
            name = self._backend.suggest_profile_name(role)
        self.form.show(
            role,
            session_name=self._session_name,
            name=name,
            sso_region=self._signin.sso_region if self._signin else "",
            existing=self._profile_names,
            session_written_at=self._session_written_at,
        )
        self._go("form")

    def _session_and_identity(self, name: str) -> tuple[Any, Any]:
        session = self._backend.session(name)
        import boto3  # already loaded: the backend just built a session

        if isinstance(session, boto3.Session):
            from ..profile_session import ProfileSession

            # The same labelled session %aws_sso injects: its repr shows who, never a key.
            session = ProfileSession.wrap(session, name)
        return session, self._backend.whoami(name)

    def _finish(self, name: str, session: Any, identity: Any) -> None:
        self._end()
        self.session = session
        self.identity = identity
        injected: str | None = None
        if self._namespace is not None:
            self._namespace[self._var_name] = session
            injected = self._var_name
        self.done.show(profile=name, identity=identity, var_name=injected, holder="panel.session")
        self.refresh_profiles()
        self._go("done")
