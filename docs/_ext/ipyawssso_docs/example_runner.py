"""Runs the code examples of one docs page, in order, in a real IPython shell against the sandbox.

Every fenced block whose language is ``python`` or ``ipython`` is an example: ``%aws_sso``
lines, ``%load_ext``, ``%config`` and plain Python alike. A page is one notebook: its blocks
run top to bottom in one shell, so a later block may use what an earlier one made
(``session``, ``bedrock``). Two HTML comments, invisible on the page, say what else to do:

``<!-- example-skip: REASON -->``
    just before a block: do not run it. The reason is required and says what the block needs
    that the sandbox is not (``needs real AWS: S3``, ``a JupyterHub config file``).
``<!-- example-setup`` … ``-->``
    code run at that point without being shown: the state a page takes for granted (a profile
    the reader signed in to on an earlier page).

A block that calls ``get_config()`` is an ``ipython_config.py``: it is loaded the way a kernel
starting with that file would load it (its extensions, then its settings).

The world is empty and local: a fresh HOME (``ipyawssso.sandbox.isolation``), the sandbox as the
only AWS, with the accounts the docs name (``123456789012`` ``ml-dev`` and ``210987654321``
``ml-prod``, each with ``DataScientist`` and ``ReadOnly``). The person at the keyboard approves
every code at once (the sandbox's auto-approve) and answers every question of the text menu
with ``1`` (the first account, then its first role). The shell says it belongs to a kernel that
cannot handle widget messages while a cell waits (so the panel is built and displayed, and a
login asks through the menu). Afterwards nothing printed and no file outside the two token
caches may hold a secret the sandbox issued.

Run as a script, one page per process (botocore fixes its cache folders from HOME at import):
``python example_runner.py PAGE.md`` prints one JSON object: ``{"page", "run", "skipped",
"failures": [{"line", "error"}], "seconds"}``. It imports nothing of Sphinx, so the docs build
(``examples.py``) and the tests use the same code.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: Fence languages that are examples to run.
RUN_LANGUAGES = frozenset({"python", "ipython", "ipython3", "py"})
#: What the docs' examples name, so that they run as written.
DOCS_ACCOUNTS = (("123456789012", "ml-dev"), ("210987654321", "ml-prod"))
DOCS_ROLES = ("DataScientist", "ReadOnly")
DOCS_START_URL = "https://my-org.awsapps.com/start"

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_SKIP = re.compile(r"^\s*<!--\s*example-skip:\s*(?P<reason>.*?)\s*-->\s*$")
_SKIP_EMPTY = re.compile(r"^\s*<!--\s*example-skip\s*:?\s*-->\s*$")
_SETUP_START = re.compile(r"^\s*<!--\s*example-setup\s*$")
_SETUP_END = re.compile(r"^\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    """One example: ``line`` is the 1-based line of the page its code starts on."""

    line: int
    code: str
    hidden: bool = False
    skip: str | None = None


@dataclass
class PageResult:
    page: str
    run: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


class MarkerError(ValueError):
    """A marker the page misuses (no reason, no block after it, an unclosed setup)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def blocks_of(text: str) -> list[Block]:
    """The page's examples and setups, in page order. Raises ``MarkerError`` on a bad marker."""
    lines = text.splitlines()
    found: list[Block] = []
    pending_skip: tuple[int, str] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if _SKIP_EMPTY.match(line):
            raise MarkerError(i + 1, "example-skip needs a reason: <!-- example-skip: why -->")
        skip = _SKIP.match(line)
        if skip:
            pending_skip = (i + 1, skip["reason"])
            i += 1
            continue
        if _SETUP_START.match(line):
            end = next((j for j in range(i + 1, len(lines)) if _SETUP_END.match(lines[j])), None)
            if end is None:
                raise MarkerError(i + 1, "example-setup is not closed by a line holding -->")
            found.append(Block(i + 2, "\n".join(lines[i + 1 : end]) + "\n", hidden=True))
            i = end + 1
            continue
        fence = _FENCE.match(line)
        if fence is None:
            if line.strip() and pending_skip is not None:
                raise MarkerError(pending_skip[0], "example-skip must come just before a block")
            i += 1
            continue
        mark, indent = fence["fence"], fence["indent"]
        language = (fence["info"].split() or [""])[0].lower()
        end = i + 1
        while end < len(lines):
            closing = _FENCE.match(lines[end])
            if (
                closing
                and closing["fence"][0] == mark[0]
                and len(closing["fence"]) >= len(mark)
                and not closing["info"].strip()
            ):
                break
            end += 1
        body = [b[len(indent) :] if b.startswith(indent) else b for b in lines[i + 1 : end]]
        if language in RUN_LANGUAGES:
            reason = pending_skip[1] if pending_skip else None
            found.append(Block(i + 2, "\n".join(body) + "\n", skip=reason))
        elif pending_skip is not None:
            raise MarkerError(pending_skip[0], f"example-skip is before a {language!r} block")
        pending_skip = None
        i = end + 1
    if pending_skip is not None:
        raise MarkerError(pending_skip[0], "example-skip must come just before a block")
    return found


def runnable(text: str) -> bool:
    """Whether the page has anything to run (pages without examples cost no process)."""
    return any(b.skip is None for b in blocks_of(text))


# --- the run (in its own process) ----------------------------------------------------------


class _Person(io.TextIOBase):
    """stdin of the person at the keyboard: the first choice, every time it is asked."""

    def __init__(self) -> None:
        self.answers = 0

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> str:
        self.answers += 1
        if self.answers > 50:  # a menu that never accepts an answer would loop forever
            raise EOFError("asked more than 50 questions")
        return "1\n"

    def isatty(self) -> bool:
        return False


class _NotebookKernel:
    """What ``ipyawssso.magics.frontends.detect`` finds on a kernel that cannot pump widget messages
    while a cell waits: the panel is shown, and a login asks through ``input()``."""


def _isolate(home: Path) -> None:
    from ipyawssso.sandbox.isolation import apply_changes, isolated_environment, prepare_home

    prepare_home(home)
    apply_changes(isolated_environment(home, os.environ), os.environ)
    os.environ["IPYAWSSSO_CACHE_DIR"] = str(home / ".cache" / "ipyawssso")
    os.environ["IPYTHONDIR"] = str(home / ".ipython")
    presets = [n for n in os.environ if n.startswith("IPYAWSSSO_") and n != "IPYAWSSSO_CACHE_DIR"]
    for name in presets:  # an administrator's presets on this machine are not the page's
        os.environ.pop(name)


def _shell(home: Path) -> Any:
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config, ipython_dir=str(home / ".ipython"))
    shell.kernel = _NotebookKernel()
    return shell


def _load_config_file(shell: Any, code: str) -> None:
    """As a kernel starting with this ``ipython_config.py``: extensions, then settings."""
    from traitlets.config import Config

    config = Config()
    exec(compile(code, "ipython_config.py", "exec"), {"get_config": lambda: config})  # noqa: S102
    extensions = config.InteractiveShellApp.get("extensions", [])
    shell.config.merge(config)
    for name in extensions:
        shell.extension_manager.load_extension(name)
    for configurable in list(shell.configurables):
        configurable.update_config(config)


def _cell_line(error: BaseException) -> int | None:
    """The line of the cell the error came from (the last frame inside the cell)."""
    line = None
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        name = frame.f_code.co_filename
        if name.startswith("<ipython-input-") or name == "ipython_config.py":
            line = lineno
    return line


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@contextlib.contextmanager
def _captured(into: io.StringIO) -> Iterator[None]:
    """What the block prints, shows and says on stderr, kept for the report and the leak scan."""
    old = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = into
    try:
        yield
    finally:
        sys.stdout, sys.stderr = old


def run_page(path: Path, *, show: Any = None) -> PageResult:
    """Runs every example of the page at ``path``; this process's environment is changed.

    ``show``: a stream that gets everything the examples printed, block by block (``--show``).
    """
    started = time.monotonic()
    result = PageResult(page=str(path))
    try:
        blocks = blocks_of(path.read_text(encoding="utf-8"))
    except MarkerError as bad:
        result.failures.append({"line": bad.line, "error": str(bad)})
        return result
    home = Path(tempfile.mkdtemp(prefix="ipyawssso-example-"))
    _isolate(home)

    from ipyawssso.sandbox import Sandbox
    from ipyawssso.sandbox.leak_guard import find_leaks

    sandbox = Sandbox(
        named_accounts=DOCS_ACCOUNTS,
        accounts=0,
        role_names=DOCS_ROLES,
        roles_per_account=len(DOCS_ROLES),
        auto_approve_after=0,
    ).start()
    os.environ.update(sandbox.env())
    shell = _shell(home)
    person = _Person()
    printed = io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = person
    try:
        for block in blocks:
            if block.skip is not None:
                result.skipped.append({"line": block.line, "reason": block.skip})
                continue
            if show is not None:
                show.write(f"--- line {block.line}{' (setup)' if block.hidden else ''}\n")
                show.write(block.code)
                show.write("--- output\n")
            mark = printed.tell()
            error = _run_block(shell, block, printed)
            if show is not None:
                show.write(printed.getvalue()[mark:])
                show.flush()
            result.run += 0 if block.hidden else 1
            if error is not None:
                line, message = error
                result.failures.append({"line": line, "error": message})
                break  # the blocks after it build on it: one failure, not a cascade
        leaks = find_leaks(
            [printed.getvalue(), home],
            sandbox.issued_secrets(),
            exclude=[home / ".aws" / "sso" / "cache", home / ".aws" / "cli" / "cache"],
        )
        for leak in leaks:
            result.failures.append({"line": 0, "error": f"a secret of the sandbox leaked: {leak}"})
    finally:
        sys.stdin = old_stdin
        if "aws_sso" in shell.magics_manager.magics["line"]:
            with _captured(printed):
                shell.run_line_magic("unload_ext", "ipyawssso")
        sandbox.stop()
        shutil.rmtree(home, ignore_errors=True)
    result.seconds = round(time.monotonic() - started, 2)
    return result


def _run_block(shell: Any, block: Block, printed: io.StringIO) -> tuple[int, str] | None:
    """None when the block ran; else (page line, one-line error)."""
    with _captured(printed):
        if "get_config()" in block.code:
            try:
                _load_config_file(shell, block.code)
            except Exception as exc:
                offset = _cell_line(exc)
                return block.line + (offset - 1 if offset else 0), _one_line(exc)
            return None
        outcome = shell.run_cell(block.code, store_history=False, silent=False)
    error = outcome.error_before_exec or outcome.error_in_exec
    if error is None:
        return None
    offset = _cell_line(error)
    return block.line + (offset - 1 if offset else 0), _one_line(error)


def main(argv: list[str]) -> int:
    show = "--show" in argv
    pages = [a for a in argv if a != "--show"]
    if len(pages) != 1:
        print("usage: python example_runner.py [--show] PAGE.md", file=sys.stderr)
        return 2
    result = run_page(Path(pages[0]), show=sys.stderr if show else None)
    sys.stdout.write(json.dumps(asdict(result)) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    # The sandbox's threads and the kernel-less widgets may linger: the answer is written.
    code = main(sys.argv[1:])
    os._exit(code)
