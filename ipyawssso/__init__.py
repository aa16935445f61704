"""Sign in to AWS IAM Identity Center (SSO) from Jupyter.

``import ipyawssso`` and ``%load_ext ipyawssso`` stay cheap: boto3, IPython's magics and the
widgets load on first use, because importing boto3 alone costs about 0.3 s per kernel.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__  # noqa: F401 (in __all__)
from .core import errors as _errors

#: Every public name, by the module that defines it. ``__all__``, ``__dir__`` and the lazy
#: ``__getattr__`` are built from this map, and a test checks that the ``TYPE_CHECKING``
#: imports below import exactly these names (huggingface_hub keeps its lazy exports the same
#: way): add a name here and there, nowhere else. Nothing that holds a secret is exported.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "core.api": (
        "ProfileStatus",
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
    ),
    "core.credential_server": ("CredentialServer", "serve_credentials"),
    "core.errors": tuple(_errors.__all__),  # small, standard library only: imported now
    "core.models": (
        "Account",
        "DeviceAuthorization",
        "LoginStatus",
        "Profile",
        "Role",
        "SsoSession",
    ),
    "core.portal": ("RoleCatalog",),
    "core.sessions": ("Identity",),
    "widgets": ("Panel",),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

if TYPE_CHECKING:  # "X as X" re-exports for type checkers; a test checks it is _EXPORTS
    from .core.api import ProfileStatus as ProfileStatus
    from .core.api import accounts as accounts
    from .core.api import catalog as catalog
    from .core.api import login as login
    from .core.api import logout as logout
    from .core.api import preview_profile as preview_profile
    from .core.api import profiles as profiles
    from .core.api import roles as roles
    from .core.api import save_profile as save_profile
    from .core.api import session as session
    from .core.api import sign_in as sign_in
    from .core.api import status as status
    from .core.api import suggest_profile_name as suggest_profile_name
    from .core.api import whoami as whoami
    from .core.credential_server import CredentialServer as CredentialServer
    from .core.credential_server import serve_credentials as serve_credentials
    from .core.errors import AccessDenied as AccessDenied
    from .core.errors import CacheError as CacheError
    from .core.errors import ConfigError as ConfigError
    from .core.errors import ConfigParseError as ConfigParseError
    from .core.errors import InvalidValueError as InvalidValueError
    from .core.errors import IpyAwsSsoError as IpyAwsSsoError
    from .core.errors import LoginCancelled as LoginCancelled
    from .core.errors import LoginError as LoginError
    from .core.errors import LoginExpired as LoginExpired
    from .core.errors import LoginRequired as LoginRequired
    from .core.errors import LoginTimeout as LoginTimeout
    from .core.errors import NotAnSsoProfile as NotAnSsoProfile
    from .core.errors import ProfileNotFound as ProfileNotFound
    from .core.errors import ServiceError as ServiceError
    from .core.models import Account as Account
    from .core.models import DeviceAuthorization as DeviceAuthorization
    from .core.models import LoginStatus as LoginStatus
    from .core.models import Profile as Profile
    from .core.models import Role as Role
    from .core.models import SsoSession as SsoSession
    from .core.portal import RoleCatalog as RoleCatalog
    from .core.sessions import Identity as Identity
    from .widgets import Panel as Panel

__all__ = sorted([*_MODULE_OF, "__version__", "load_ipython_extension", "unload_ipython_extension"])


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use: ``import ipyawssso`` loads no boto3."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'ipyawssso' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext ipyawssso``: registers ``%aws_sso``; everything heavy loads on first use.

    :param ipython: the running ``InteractiveShell`` (IPython passes it).
    :returns: None (IPython calls it once per shell; a second ``%load_ext`` does nothing).
    """
    from .magics import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext ipyawssso``: removes ``%aws_sso`` and what ``%load_ext`` installed.

    :param ipython: the running ``InteractiveShell`` (IPython passes it).
    :returns: None. Sessions already in the namespace keep working.
    """
    from .magics import unload

    unload(ipython)


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where ``jupyter labextension develop`` finds the built lab extension (no imports)."""
    return [{"src": "labextension", "dest": "ipyawssso"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """The server extension; ``ipyawssso.server`` loads its handlers only when Jupyter starts."""
    return [{"module": "ipyawssso.server"}]
