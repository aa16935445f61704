"""The lab extension's TypeScript unit tests (``labextension/src/__tests__``, Node's own test
runner through ``jlpm test``), and the one contract they share with Python: the snippet the
lab's "Insert session snippet" writes is read back by ``%aws_sso use`` as the same profile."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from ipyawssso.magics import AwsSsoMagics
from tests.labextension.node_tools import LABEXTENSION, jlpm

#: Profile names a user may have, the awkward ones included (spaces, quotes, backslashes,
#: a `#` that would start a comment, non-ASCII).
NAMES = ["ai-dev", "my profile", 'a"b\\c', "it's", "x#y", "$HOME", "ünï"]


@pytest.fixture(scope="module")
def compiled_tests() -> str:
    """``jlpm test``'s output (it compiles the tests and format.ts into lib-test/, then runs)."""
    result = jlpm("test")
    assert result.returncode == 0, f"jlpm test failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_typescript_unit_tests_pass(compiled_tests: str) -> None:
    passed = re.search(r"^# pass (\d+)$", compiled_tests, re.M)
    failed = re.search(r"^# fail (\d+)$", compiled_tests, re.M)
    assert passed and failed, compiled_tests
    assert int(passed.group(1)) > 0, "Node's test runner found no tests"
    assert int(failed.group(1)) == 0, compiled_tests


def test_the_lab_snippet_names_the_same_profile_to_the_magic(compiled_tests: str) -> None:
    script = (
        "const { sessionSnippet } = require('./lib-test/format.js');"
        f"console.log(JSON.stringify({json.dumps(NAMES)}.map(sessionSnippet)));"
    )
    snippets = json.loads(
        subprocess.run(
            ["node", "-e", script],
            cwd=LABEXTENSION,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
    )
    for name, snippet in zip(NAMES, snippets, strict=True):
        load, use = snippet.split("\n")
        assert load == "%load_ext ipyawssso"
        assert use.startswith("%aws_sso ")
        args = AwsSsoMagics.command_line().parse(use.removeprefix("%aws_sso "))
        assert (args.command, args.profile) == ("use", name), snippet
