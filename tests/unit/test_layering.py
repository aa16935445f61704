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
                if node.module:
                    found.add(mod)
                else:  # `from .. import command_options`: the modules, not their package
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


#: The package's layers: a folder, or a top-level module shared by several front ends.
SHARED = {
    "display",  # what the magic, the panel and the terminal command show
    "profile_session",  # the session the magic and the panel put into the namespace
    "text_picker",  # the numbered role menu of terminal IPython and the `ipyawssso` command
    "command_options",  # the options %aws_sso and the `ipyawssso` command both have
    "command_wording",  # an error's hint worded for a command line
    "kernel_signins",  # a waiting login cell, as the magic and the server both see it
    "presets",  # the administrator's IPYAWSSSO_* defaults
}

#: Who may import whom (docs/architecture.md §2): every edge between two layers is listed here,
#: so a new one is a decision made in this table and in that page, never an accident.
ALLOWED = {
    "core": set(),
    "shared": {"core"},
    "widgets": {"core", "shared"},
    "magics": {"core", "shared", "widgets"},
    "server": {"core", "shared", "sandbox"},  # sandbox: sandbox_mode.py alone
    "cli": {"core", "shared", "package"},
    "sandbox": {"core"},  # sandbox/__main__.py's --demo drives the public API
    "package": {"core", "widgets", "magics"},  # lazy exports and %load_ext
}


def _layer(parts: tuple[str, ...]) -> str:
    """The layer of ``ipyawssso.<parts>`` (a module path inside the package)."""
    if not parts or parts[0] in {"__init__", "_version"}:
        return "package"
    if not (PACKAGE / parts[0]).is_dir() and not (PACKAGE / f"{parts[0]}.py").exists():
        return "package"  # a name the package defines (`from .. import __version__`)
    if (PACKAGE / parts[0]).is_dir():
        return parts[0]
    if parts[0] in {"cli", "__main__"}:
        return "cli"
    assert parts[0] in SHARED, f"ipyawssso/{parts[0]}.py is in no layer: add it to SHARED"
    return "shared"


def _edges() -> set[tuple[str, str, str]]:
    """(importing layer, imported layer, file) for every import that crosses layers."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        source = _layer(path.relative_to(PACKAGE).with_suffix("").parts)
        for mod in _imports(path):
            parts = tuple(mod.split("."))
            if parts[0] != "ipyawssso":
                continue
            target = _layer(parts[1:])
            if target != source:
                found.add((source, target, str(path.relative_to(PACKAGE))))
    return found


def test_every_import_between_layers_is_an_allowed_edge():
    for source, target, path in sorted(_edges()):
        assert target in ALLOWED[source], f"{path}: {source} may not import {target}"


def test_the_allowed_edges_have_no_cycle_and_each_is_used():
    used = {(source, target) for source, target, _ in _edges()}
    assert used == {(s, t) for s, targets in ALLOWED.items() for t in targets}, (
        "ALLOWED lists an edge nothing uses (or the other way round): keep it exact"
    )

    def visit(layer: str, path: tuple[str, ...]) -> None:
        assert layer not in path, "a cycle: " + " -> ".join((*path, layer))
        for target in sorted(ALLOWED[layer]):
            visit(target, (*path, layer))

    for layer in ALLOWED:
        visit(layer, ())


def test_the_shared_modules_need_no_widget_library():
    """The terminal command imports them: ipywidgets, traitlets and the server stay out (the
    device card's in-place update takes IPython.display, on first use, in a kernel only)."""
    for name in SHARED:
        for mod in _imports(PACKAGE / f"{name}.py"):
            assert mod.split(".")[0] not in UI_LIBS - {"IPython"}, f"{name}.py imports {mod}"


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
