"""The one door from the panel to the core.

The panel holds no business logic: every decision about sign-in, files and sessions is made by
``ipyawssso.core``. This module names the few calls the panel makes, so a test can hand the panel
a small fake (a constructor argument, never a patch), and so the real adapter is the only place
that imports the core (lazily: building a panel should not pay for boto3 until it is needed).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, Unpack

from ..core.models import DeviceAuthorization, LoginStatus, Role, SsoSession

if TYPE_CHECKING:
    import boto3

__all__ = ["Backend", "CatalogLike", "CoreBackend", "ProfileSettings"]


class CatalogLike(Protocol):
    """What the picker needs of ``ipyawssso.core.portal.RoleCatalog`` (one sso-session)."""

    def accounts(
        self, refresh: bool = False, cancel: threading.Event | None = None
    ) -> list[Any]: ...

    def roles_for(self, account_id: str, cancel: threading.Event | None = None) -> list[Role]: ...

    def cached(self) -> list[Role] | None: ...

    def loaded(self) -> Mapping[str, list[Role]]: ...

    def prefetch(
        self,
        on_progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[Role]: ...

    def forget_roles(self) -> None: ...

    def prioritize(self, account_id: str) -> None: ...


class ProfileSettings(TypedDict):
    """The keyword arguments of ``save_profile`` and ``preview_profile`` after the name: the
    panel previews and writes the same settings, so both calls take this one set."""

    session_name: str
    account_id: str
    role_name: str
    region: str | None
    output: str | None
    process_profile: bool


class Backend(Protocol):
    """The core calls the panel makes; ``CoreBackend`` is the real one."""

    def sso_sessions(self) -> Mapping[str, SsoSession]: ...

    def profiles(self) -> list[Any]: ...

    def sign_in(
        self,
        profile: str | None = None,
        *,
        session_name: str | None = None,
        start_url: str | None = None,
        sso_region: str | None = None,
        force: bool = False,
        on_pending: Callable[[DeviceAuthorization], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> LoginStatus: ...

    def catalog(self, *, session_name: str) -> CatalogLike: ...

    def suggest_profile_name(self, role: Role) -> str: ...

    def preview_profile(self, profile: str, **settings: Unpack[ProfileSettings]) -> str: ...

    def save_profile(self, profile: str, **settings: Unpack[ProfileSettings]) -> None: ...

    def session(self, profile: str) -> boto3.Session: ...

    def whoami(self, profile: str) -> Any: ...


class CoreBackend:
    """The real backend: ``ipyawssso.core.api`` itself, imported on first use.

    Every method of :class:`Backend` but ``sso_sessions`` is the API function of the same name,
    so delegating by name keeps the two from drifting apart; loading the API lazily keeps
    ``import ipyawssso.widgets`` free of boto3.
    """

    def sso_sessions(self) -> Mapping[str, SsoSession]:
        from ..core.aws_config import AwsConfig

        return dict(AwsConfig.load().sso_sessions)

    def __getattr__(self, name: str) -> Any:
        from ..core import api

        if name.startswith("_") or not hasattr(Backend, name):
            raise AttributeError(name)
        return getattr(api, name)
