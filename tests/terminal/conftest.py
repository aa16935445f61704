"""Terminal IPython in a pseudo-terminal, driven like a person at a keyboard (pexpect).

``terminal_ipython`` starts ``python -m IPython`` (the real prompt_toolkit front end, not the
simple prompt) in the sandbox's world: temporary HOME and ``~/.aws``, temporary IPYTHONDIR, the
sandbox's endpoint variables. ``PROMPT_TOOLKIT_NO_CPR=1`` because this pseudo-terminal does not
answer cursor-position requests as a real terminal would. The transcript is kept, and after
each test the leak guard reads it and every file under HOME except the two token caches.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

import ipyawssso
from ipyawssso.sandbox import Sandbox
from ipyawssso.sandbox.leak_guard import find_leaks

REPO = Path(ipyawssso.__file__).resolve().parents[1]
PROMPT = r"In \[\d+\]:"


@pytest.fixture
def terminal_ipython(sandbox: Sandbox, aws_home: Path, tmp_path: Path) -> Iterator:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        IPYTHONDIR=str(tmp_path / "ipython"),
        IPYAWSSSO_CACHE_DIR=str(aws_home / ".cache" / "ipyawssso"),
        TERM="xterm",
        PROMPT_TOOLKIT_NO_CPR="1",
    )
    transcript = tmp_path / "terminal.log"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "IPython", "--no-banner", "--HistoryManager.enabled=False", "--colors=nocolor"],
        env=env,
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 220),
    )
    child.logfile_read = transcript.open("w", encoding="utf-8")
    child.expect(PROMPT)
    try:
        yield child
    finally:
        if child.isalive():
            child.sendline("exit")
            child.expect(pexpect.EOF, timeout=10)
        child.close(force=True)
        child.logfile_read.close()
    aws = aws_home / ".aws"
    leaks = find_leaks(
        [transcript, aws_home],
        sandbox.issued_secrets(),
        exclude=[aws / "sso" / "cache", aws / "cli" / "cache"],
    )
    assert not leaks, "\n".join(leaks)
