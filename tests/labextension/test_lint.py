"""The lab extension's sources pass the extension template's linters (``jlpm lint:check``:
Stylelint, Prettier, then ESLint with typescript-eslint and @jupyter/eslint-plugin), so the
README's test command catches what ``jlpm lint`` would fix."""

from __future__ import annotations

from tests.labextension.node_tools import jlpm


def test_lint_check_passes() -> None:
    result = jlpm("lint:check")
    assert result.returncode == 0, (
        "jlpm lint:check failed in labextension/ (run `jlpm lint` there to fix what can be "
        f"fixed):\n{result.stdout}\n{result.stderr}"
    )
