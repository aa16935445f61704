"""The sandbox is the standard library only, so it can stand in for AWS anywhere."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import ipyawssso.sandbox

SANDBOX = Path(ipyawssso.sandbox.__file__).parent
# pytest_plugin needs pytest; __main__ --demo drives ipyawssso.core (lazily, in that branch).
OUTSIDE_THE_SERVER = {"pytest_plugin.py", "__main__.py"}


def test_server_modules_import_only_the_standard_library():
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    for path in sorted(SANDBOX.glob("*.py")):
        if path.name in OUTSIDE_THE_SERVER:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"sandbox/{path.name} imports {name}"


def test_importing_the_sandbox_loads_no_aws_library():
    code = (
        "import sys, ipyawssso.sandbox, ipyawssso.sandbox.leak_guard\n"
        "ipyawssso.sandbox.Sandbox().start().stop()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'boto3', 'botocore', 'pytest', 'IPython'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=SANDBOX.parents[1],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
