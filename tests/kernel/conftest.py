"""Fixtures for kernel tests: a live ipykernel in the sandbox's world, with the leak guard.

``kernel_nb`` starts ``python3`` (this interpreter's ipykernel) with the sandbox's environment,
a temporary HOME and ``~/.aws`` and a temporary IPYTHONDIR; ``kernel_nb.run(code)`` executes one
cell (see ``kernel_harness.KernelNotebook``). ``person()`` is a message hook that reads each new
device card and answers the sandbox's page (Allow; ``person("deny")`` for Deny).

After every test the leak guard reads everything the kernel produced (the notebook with all
outputs and widget state, the kernel's own stdout/stderr, every file under HOME except the two
token caches) and fails the test if any secret the sandbox issued is there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from kernel_harness import KernelNotebook, Person, kernel_env, leaks_of

from ipyawssso.sandbox import Sandbox
from ipyawssso.sandbox.leak_guard import find_leaks


@pytest.fixture
def person() -> type[Person]:
    """``person()`` presses Allow on each new device card; ``person("deny")`` presses Deny."""
    return Person


@pytest.fixture
def kernel_nb(sandbox: Sandbox, aws_home: Path, tmp_path: Path) -> Iterator[KernelNotebook]:
    """A started kernel in the sandbox's world; the leak guard runs over it afterwards."""
    workdir = tmp_path / "work"
    workdir.mkdir()
    kernel = KernelNotebook(kernel_env(aws_home), workdir).start()
    try:
        yield kernel
    finally:
        kernel.stop()
    leaks = leaks_of(aws_home, kernel.everything(), sandbox)
    leaks += find_leaks(workdir, sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)
