"""One line instead of a 60-line traceback when a cell fails because the AWS sign-in ended.

botocore raises ``UnauthorizedSSOTokenError``, ``TokenRetrievalError`` or ``SSOTokenLoadError``
from deep inside a client call, and its message names no profile ("run aws sso login with the
corresponding profile"). The handler finds the profile in the failing call's frames (botocore's
token provider knows its profile; the role-credential fetcher knows its account, role and
sign-in), says which one to log in again, and in a notebook adds a button that opens the panel.

IPython offers one custom exception handler per shell (``set_custom_exc``). The one we replace
keeps handling its own exceptions, and is put back when the extension is unloaded.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any

from ..command_wording import MAGIC
from ..core.errors import LoginRequired, NextStep
from .outcome import SignInEnded

__all__ = ["ExpiredSignInHandler", "expired_message", "profile_from_traceback"]


def _handled_types() -> tuple[type[BaseException], ...]:
    # botocore.exceptions alone costs ~5 ms (no boto3, no botocore.session).
    from botocore.exceptions import (
        SSOTokenLoadError,
        TokenRetrievalError,
        UnauthorizedSSOTokenError,
    )

    return (
        UnauthorizedSSOTokenError,
        TokenRetrievalError,
        SSOTokenLoadError,
        LoginRequired,
        SignInEnded,
    )


def profile_from_traceback(tb: TracebackType | None) -> str | None:
    """The profile of the failing AWS call, read from botocore's own objects in the frames."""
    fetcher: Any = None
    while tb is not None:
        owner = tb.tb_frame.f_locals.get("self")
        name = getattr(owner, "_profile_name", None)
        if isinstance(name, str) and name:
            return name
        if fetcher is None and hasattr(owner, "_account_id") and hasattr(owner, "_role_name"):
            fetcher = owner
        tb = tb.tb_next
    if fetcher is None:
        return None
    return _profile_for_role(
        fetcher._account_id,
        fetcher._role_name,
        getattr(fetcher, "_sso_session_name", None),
        getattr(fetcher, "_start_url", None),
    )


def _profile_for_role(
    account_id: str, role_name: str, session_name: str | None, start_url: str | None
) -> str | None:
    from ..core import api

    try:
        profiles = [p.profile for p in api.profiles()]
    except Exception:  # the config may be what broke; the message still helps without a name
        return None
    for prof in profiles:
        if prof.account_id != account_id or prof.role_name != role_name:
            continue
        if session_name and prof.sso_session == session_name:
            return prof.name
        if not session_name and prof.start_url == start_url:
            return prof.name
    return None


def expired_message(exc: BaseException, profile: str | None) -> str:
    if isinstance(exc, LoginRequired):
        return exc.worded(MAGIC)
    login = MAGIC.command(NextStep("login", profile or "PROFILE"))
    who = f" for {profile}" if profile else ""
    if type(exc).__name__ == "SSOTokenLoadError":
        return f"You are not signed in to AWS{who}. Run `{login}`."
    return f"Your AWS sign-in{who} expired. Run `{login}`."


class ExpiredSignInHandler:
    """Installs itself with ``shell.set_custom_exc`` and chains to the handler it replaced."""

    def __init__(
        self,
        shell: Any,
        *,
        fallback_profile: Callable[[], str | None] = lambda: None,
        sign_in_button: Callable[[str | None], None] | None = None,
    ) -> None:
        self.shell = shell
        self._fallback_profile = fallback_profile
        self._sign_in_button = sign_in_button
        self._types: tuple[type[BaseException], ...] = ()
        self._previous: tuple[tuple[type[BaseException], ...], Any] | None = None
        self._installed: Any = None

    def install(self) -> None:
        if self._installed is not None:
            return
        self._types = _handled_types()
        previous_types = tuple(self.shell.custom_exceptions)
        self._previous = (previous_types, self.shell.CustomTB)
        self.shell.set_custom_exc(self._types + previous_types, self._handle)
        self._installed = self.shell.CustomTB

    def uninstall(self) -> None:
        """Put the previous handler back, unless someone replaced ours meanwhile."""
        if self._installed is None or self._previous is None:
            return
        if self.shell.CustomTB is self._installed:
            self.shell.custom_exceptions, self.shell.CustomTB = self._previous
        self._installed = None
        self._previous = None

    def _handle(
        self,
        shell: Any,
        etype: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
        tb_offset: int | None = None,
    ) -> list[str] | None:
        if not issubclass(etype, self._types):
            assert self._previous is not None
            return self._previous[1](etype, value, tb, tb_offset=tb_offset)
        if isinstance(value, SignInEnded):
            # The cell fails (so "Run All" stops) with no error output: the card said it.
            if not value.shown:
                print(value.line)
            return []
        profile = profile_from_traceback(tb) or self._fallback_profile()
        if profile is None and not isinstance(value, LoginRequired):
            from ..core.clients import env_profile  # botocore: not at %load_ext time

            profile = env_profile()
        line = expired_message(value, profile)
        # _showtraceback is the documented hook front ends override: ipykernel turns it into
        # an error output (so "Run All" stops here), the terminal prints it.
        shell._showtraceback(etype, value, [line])
        if self._sign_in_button is not None:
            self._sign_in_button(profile)
        return [line]
