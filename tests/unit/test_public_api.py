"""The public surface changes only on purpose: this test pins it."""

import ipyawssso
from ipyawssso.core import errors

EXPECTED = [
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


def test_all_is_pinned():
    assert sorted(ipyawssso.__all__) == EXPECTED


def test_every_exported_name_resolves():
    for name in ipyawssso.__all__:
        assert getattr(ipyawssso, name) is not None, name


def test_error_tree_is_pinned():
    assert sorted(errors.__all__) == [
        "AccessDenied",
        "CacheError",
        "ConfigError",
        "ConfigParseError",
        "InvalidValueError",
        "IpyAwsSsoError",
        "LoginCancelled",
        "LoginError",
        "LoginExpired",
        "LoginRequired",
        "LoginTimeout",
        "NotAnSsoProfile",
        "ProfileNotFound",
        "ServiceError",
    ]
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.IpyAwsSsoError)
