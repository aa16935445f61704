"""The panel's seam to the core: ``CoreBackend`` hands out the API functions by name, so no
type checker compares them with what ``Backend`` declares. These tests do."""

from __future__ import annotations

import inspect
import typing

import pytest

from ipyawssso.core import api
from ipyawssso.widgets.backend import Backend, CoreBackend, ProfileSettings


def _declared_methods() -> list[str]:
    return [n for n, v in vars(Backend).items() if inspect.isfunction(v) and not n.startswith("_")]


def test_every_backend_call_is_the_core_function_of_that_name():
    backend = CoreBackend()
    for name in _declared_methods():
        if name == "sso_sessions":
            continue  # the one call CoreBackend implements itself
        assert getattr(backend, name) is getattr(api, name), name


def test_the_core_takes_every_profile_setting_the_panel_passes():
    keys = set(typing.get_type_hints(ProfileSettings))
    assert keys == {
        "session_name",
        "account_id",
        "role_name",
        "region",
        "output",
        "process_profile",
    }
    for func in (api.save_profile, api.preview_profile):
        params = inspect.signature(func).parameters
        assert keys <= set(params), func.__name__
        assert all(params[k].kind is inspect.Parameter.KEYWORD_ONLY for k in keys)


def test_a_call_the_protocol_does_not_declare_is_refused():
    with pytest.raises(AttributeError):
        CoreBackend().logout  # noqa: B018 (the attribute access is the test)
