"""docs/architecture.md §2: who may import whom, checked on the source and in fresh processes."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "ipyawssso"
CORE_ALLOWED_THIRD_PARTY = {"botocore", "boto3", "filelock", "platformdirs"}
UI_LIBS = {"IPython", "ipywidgets", "traitlets", "jupyter_ui_poll", "tornado", "jupyter_server"}


def _imports(path: Path) -> set[str]:
    """Absolute module names a file imports (relative imports resolved against the package)."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    package = list(rel.parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
                found.add(mod)
                if not node.module:
                    found.update(f"{mod}.{a.name}" for a in node.names)
            elif node.module:
                found.add(node.module)
    return found


def _files(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py")) if (PACKAGE / sub).is_dir() else []


def test_core_imports_only_stdlib_botocore_and_file_helpers():
    stdlib = set(sys.stdlib_module_names)
    for path in _files("core"):
        for mod in _imports(path):
            top = mod.split(".")[0]
            if top == "ipyawssso":
                assert mod.startswith("ipyawssso.core"), f"{path.name} imports {mod}"
                continue
            assert top in stdlib or top in CORE_ALLOWED_THIRD_PARTY or top == "__future__", (
                f"core/{path.name} imports {mod}"
            )


def test_sandbox_imports_nothing_of_ours():
    for path in _files("sandbox"):
        if path.name == "__main__.py":
            continue  # the --demo entry point drives the public API, like a user would
        for mod in _imports(path):
            assert not mod.startswith("ipyawssso") or mod.startswith("ipyawssso.sandbox"), (
                f"sandbox/{path.name} imports {mod}"
            )


def test_nothing_imports_magics():
    for path in PACKAGE.rglob("*.py"):
        if path.name in {"magics.py", "__init__.py"} and path.parent == PACKAGE:
            continue
        assert "ipyawssso.magics" not in _imports(path), f"{path} imports magics"


def test_only_magics_may_use_widgets_and_display():
    for layer in ("core", "display.py", "widgets", "server"):
        files = [PACKAGE / layer] if layer.endswith(".py") else _files(layer)
        for path in files:
            if not path.exists():
                continue
            for mod in _imports(path):
                if layer in ("display.py", "server"):
                    assert not mod.startswith("ipyawssso.widgets"), f"{path} imports {mod}"
                if layer == "core":
                    assert mod.split(".")[0] not in UI_LIBS, f"{path} imports {mod}"


#: Modules that serve only the magic (docs/architecture.md §2): the panel must not need them.
MAGIC_ONLY = {
    "ipyawssso.magics",
    "ipyawssso.magics.login_flow",
    "ipyawssso.magics.waiting",
    "ipyawssso.magics.frontends",
    "ipyawssso.text_picker",
    "ipyawssso.magics.injection",
    "ipyawssso.magics.expiry",
    "ipyawssso.magics.serving",
    "ipyawssso.magics.outcome",
}


def test_widgets_never_import_the_magics_side():
    for path in _files("widgets"):
        for mod in _imports(path):
            assert mod not in MAGIC_ONLY, f"widgets/{path.name} imports {mod}"


def test_only_the_servers_sandbox_mode_imports_the_sandbox():
    """The sandbox is for tests, docs, benchmarks and demos; in the package only the server's
    opt-in sandbox mode starts one (``--IpyAwsSso.sandbox=True``, server/sandbox_mode.py)."""
    allowed = {PACKAGE / "server" / "sandbox_mode.py"}
    for path in PACKAGE.rglob("*.py"):
        if (PACKAGE / "sandbox") in path.parents or path in allowed:
            continue
        for mod in _imports(path):
            assert not mod.startswith("ipyawssso.sandbox"), f"{path} imports {mod}"


def _fresh(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()


def test_core_import_pulls_no_ui_library():
    out = _fresh(
        "import sys, ipyawssso.core.api, ipyawssso.core.portal, ipyawssso.core.sessions;"
        "print(sorted(m for m in ('IPython','ipywidgets','traitlets') if m in sys.modules))"
    )
    assert out == "[]"


def test_package_import_does_not_import_boto3():
    out = _fresh("import sys, ipyawssso; print('boto3' in sys.modules, 'botocore' in sys.modules)")
    assert out == "False False"
