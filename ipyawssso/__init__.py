"""Sign in to AWS IAM Identity Center (SSO) from Jupyter.

``import ipyawssso`` and ``%load_ext ipyawssso`` stay cheap: boto3, IPython's magics and the
widgets load on first use, because importing boto3 alone costs about 0.3 s per kernel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .core.api import (
        accounts,
        catalog,
        login,
        logout,
        preview_profile,
        profiles,
        roles,
        save_profile,
        session,
        sign_in,
        status,
        suggest_profile_name,
        whoami,
    )
    from .core.credential_server import CredentialServer, serve_credentials
    from .widgets import Panel

__all__ = [
    "CredentialServer",
    "Panel",
    "__version__",
    "accounts",
    "catalog",
    "load_ipython_extension",
    "login",
    "logout",
    "preview_profile",
    "profiles",
    "roles",
    "save_profile",
    "serve_credentials",
    "session",
    "sign_in",
    "status",
    "suggest_profile_name",
    "unload_ipython_extension",
    "whoami",
]

_API = {
    "accounts",
    "catalog",
    "login",
    "logout",
    "preview_profile",
    "profiles",
    "roles",
    "save_profile",
    "session",
    "sign_in",
    "status",
    "suggest_profile_name",
    "whoami",
}


_CREDENTIALS = {"CredentialServer", "serve_credentials"}


def __getattr__(name: str) -> Any:
    if name in _API:
        from .core import api

        return getattr(api, name)
    if name in _CREDENTIALS:
        from .core import credential_server

        return getattr(credential_server, name)
    if name == "Panel":
        from .widgets import Panel

        return Panel
    raise AttributeError(f"module 'ipyawssso' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _API | _CREDENTIALS | {"Panel"})


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext ipyawssso``: registers ``%aws_sso``; everything heavy loads on first use."""
    from .magics import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from .magics import unload

    unload(ipython)


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where ``jupyter labextension develop`` finds the built lab extension (no imports)."""
    return [{"src": "labextension", "dest": "ipyawssso"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """The server extension; ``ipyawssso.server`` loads its handlers only when Jupyter starts."""
    return [{"module": "ipyawssso.server"}]
