"""Every name ``ipyawssso`` exports documents itself on the API page (docs/api.md).

The page renders docstrings through autodoc, so a parameter, a return value or an error that
the docstring leaves out is missing for the reader. This walks the package's export map and
holds each exported function, each exported class's constructor and each public method of an
exported class to Sphinx's field lists: ``:param NAME:`` for every parameter, ``:returns:``
where something is returned, ``:raises ERROR:`` naming the errors callers can catch.
"""

from __future__ import annotations

import builtins
import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import ipyawssso
from ipyawssso.core import errors

#: Exported functions that raise nothing of their own (everything else must say what it raises).
RAISES_NOTHING = {"suggest_profile_name", "load_ipython_extension", "unload_ipython_extension"}

_PARAM = re.compile(r"^\s*:param (?:[^:\n]+ )?(\*{0,2}\w+):", re.MULTILINE)
_RAISES = re.compile(r"^\s*:raises (\w+):", re.MULTILINE)
_RETURNS = re.compile(r"^\s*:returns?:", re.MULTILINE)


def _exported() -> dict[str, Any]:
    return {name: getattr(ipyawssso, name) for name in ipyawssso.__all__ if name != "__version__"}


def _functions() -> dict[str, Callable[..., Any]]:
    return {n: o for n, o in _exported().items() if inspect.isfunction(o)}


def _classes() -> dict[str, type]:
    return {n: o for n, o in _exported().items() if inspect.isclass(o)}


def _parameters(func: Callable[..., Any]) -> list[str]:
    return [p for p in inspect.signature(func).parameters if p not in ("self", "cls")]


def _returns_something(func: Callable[..., Any]) -> bool:
    annotation = inspect.signature(func).return_annotation
    return annotation not in (None, "None", inspect.Signature.empty)


def _documented(doc: str) -> set[str]:
    return {name.lstrip("*") for name in _PARAM.findall(doc)}


def _own_methods(cls: type) -> Iterator[tuple[str, Callable[..., Any]]]:
    """Public methods the class itself defines (what the page lists), not inherited ones."""
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, staticmethod | classmethod):
            value = value.__func__
        if inspect.isfunction(value):
            yield name, value


def _constructor_parameters(cls: type) -> list[str]:
    """The parameters a caller passes to ``cls(...)``; an error documents only those its own
    ``__init__`` adds (the base ``IpyAwsSsoError`` documents ``args`` and ``options``)."""
    if issubclass(cls, errors.IpyAwsSsoError) and "__init__" not in vars(cls):
        return []
    return list(inspect.signature(cls).parameters)


@pytest.mark.parametrize("name", sorted(_functions()))
def test_an_exported_function_documents_each_parameter(name: str) -> None:
    func = _functions()[name]
    doc = inspect.getdoc(func) or ""
    missing = [p for p in _parameters(func) if p not in _documented(doc)]
    assert not missing, f"{name}: no ':param NAME:' for {missing}"
    unknown = _documented(doc) - set(_parameters(func))
    assert not unknown, f"{name} documents parameters it does not take: {unknown}"


@pytest.mark.parametrize("name", sorted(_functions()))
def test_an_exported_function_says_what_it_returns(name: str) -> None:
    func = _functions()[name]
    doc = inspect.getdoc(func) or ""
    if _returns_something(func):
        assert _RETURNS.search(doc), f"{name} returns a value but has no ':returns:'"


@pytest.mark.parametrize("name", sorted(_functions()))
def test_an_exported_function_lists_the_ipyawssso_errors_it_raises(name: str) -> None:
    func = _functions()[name]
    raised = _RAISES.findall(inspect.getdoc(func) or "")
    if name in RAISES_NOTHING:
        assert not raised, f"{name} raises {raised}: take it out of RAISES_NOTHING"
        return
    assert raised, f"{name} has no ':raises ERROR:' section"
    for error in raised:
        assert error in errors.__all__, f"{name} raises {error}, which ipyawssso does not export"


@pytest.mark.parametrize("name", sorted(_classes()))
def test_an_exported_class_documents_its_constructor(name: str) -> None:
    cls = _classes()[name]
    doc = inspect.getdoc(cls) or ""
    assert doc, f"{name} has no docstring"
    documented = _documented(doc)
    if issubclass(cls, errors.IpyAwsSsoError):
        # The troubleshooting page shows an error's docstring as a paragraph: its facts are
        # named in the prose (``field``), which is also what callers read them by.
        documented |= set(re.findall(r"``(\w+)``", doc))
    missing = [p for p in _constructor_parameters(cls) if p not in documented]
    assert not missing, f"{name}: no ':param NAME:' in the class docstring for {missing}"
    for error in _RAISES.findall(doc):
        assert error in errors.__all__ or isinstance(getattr(builtins, error, None), type), error


def _methods() -> dict[str, Callable[..., Any]]:
    return {
        f"{cls_name}.{name}": method
        for cls_name, cls in _classes().items()
        for name, method in _own_methods(cls)
    }


@pytest.mark.parametrize("name", sorted(_methods()))
def test_a_public_method_of_an_exported_class_documents_itself(name: str) -> None:
    method = _methods()[name]
    doc = inspect.getdoc(method) or ""
    assert doc, f"{name} has no docstring"
    missing = [p for p in _parameters(method) if p not in _documented(doc)]
    assert not missing, f"{name}: no ':param NAME:' for {missing}"
    if _returns_something(method):
        assert _RETURNS.search(doc), f"{name} returns a value but has no ':returns:'"
    for error in _RAISES.findall(doc):
        assert error in errors.__all__ or isinstance(getattr(builtins, error, None), type), error


def test_the_checks_see_the_whole_surface() -> None:
    """The walk covers what the API page promises: 14 functions of ``core.api`` among them,
    ``login`` with its 15 parameters, and the panel and the credential server's constructors."""
    assert {"login", "sign_in", "serve_credentials", "whoami"} <= set(_functions())
    assert len(_parameters(ipyawssso.login)) == 15
    assert {"Panel", "CredentialServer", "RoleCatalog", "Identity"} <= set(_classes())
    assert "var_name" in _constructor_parameters(ipyawssso.Panel)
    assert "RoleCatalog.roles_for" in _methods()


def test_the_field_list_reader_finds_what_sphinx_renders() -> None:
    doc = ":param profile: a name.\n:param int count: typed.\n:returns: x.\n"
    doc += ":raises LoginRequired: y."
    assert _documented(doc) == {"profile", "count"}
    assert _RETURNS.search(doc)
    assert _RAISES.findall(doc) == ["LoginRequired"]
