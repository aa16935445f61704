"""The public surface changes only on purpose: this test pins it."""

import ast
import subprocess
import sys
from pathlib import Path

import ipyawssso
from ipyawssso.core import errors

EXPECTED = [
    "AccessDenied",
    "Account",
    "CacheError",
    "ConfigError",
    "ConfigParseError",
    "CredentialServer",
    "DeviceAuthorization",
    "Identity",
    "InvalidValueError",
    "IpyAwsSsoError",
    "LoginCancelled",
    "LoginError",
    "LoginExpired",
    "LoginRequired",
    "LoginStatus",
    "LoginTimeout",
    "NotAnSsoProfile",
    "Panel",
    "Profile",
    "ProfileNotFound",
    "ProfileStatus",
    "Role",
    "RoleCatalog",
    "ServiceError",
    "SsoSession",
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


def test_every_error_is_exported_from_the_package():
    for name in errors.__all__:
        assert getattr(ipyawssso, name) is getattr(errors, name)


def test_no_secret_bearing_type_is_exported():
    # A Token holds the access and refresh tokens, Keys the role's secret key.
    assert not {"Token", "Keys", "Registration"} & set(ipyawssso.__all__)


def test_dir_lists_the_public_names():
    assert set(ipyawssso.__all__) <= set(dir(ipyawssso))


def _type_checking_imports() -> dict[str, tuple[str, ...]]:
    """``from .module import X as X`` lines under ``if TYPE_CHECKING:``, by module."""
    tree = ast.parse(Path(ipyawssso.__file__).read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    )
    found: dict[str, tuple[str, ...]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        for alias in node.names:
            assert alias.asname == alias.name, "re-export for type checkers: `X as X`"
            found[node.module] = (*found.get(node.module, ()), alias.name)
    return found


def test_the_type_checking_imports_are_the_export_map():
    assert _type_checking_imports() == ipyawssso._EXPORTS


def test_the_wheel_ships_py_typed():
    from hatchling.builders.wheel import WheelBuilder

    root = Path(ipyawssso.__file__).resolve().parents[1]
    shipped = {f.distribution_path for f in WheelBuilder(str(root)).recurse_included_files()}
    assert "ipyawssso/py.typed" in shipped
    assert "ipyawssso/core/vocabulary.py" in shipped


def test_a_strict_type_checker_sees_the_exports(tmp_path):
    """What a user's ``mypy --strict`` makes of ``from ipyawssso import ...``: typed, and
    re-exported (py.typed, and ``X as X`` for names the package only imports lazily)."""
    (tmp_path / "user.py").write_text(
        "import ipyawssso\n"
        "from ipyawssso import LoginRequired, Role, login\n"
        "def first(roles: list[Role]) -> str:\n"
        "    return roles[0].role_name\n"
        "try:\n"
        "    ipyawssso.session('x')\n"
        "except LoginRequired as exc:\n"
        "    reveal_type(exc.profile)\n"
        "reveal_type(login)\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "user.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = result.stdout
    assert "Success" in out or "note: Revealed type" in out, out + result.stderr
    assert "error" not in out, out
    assert 'Revealed type is "str | None"' in out, out  # LoginRequired.profile
