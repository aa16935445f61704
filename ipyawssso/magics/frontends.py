"""What the front end can do while a login cell waits for a person.

A notebook kernel runs widget callbacks (Cancel, the role picker) only when it gets to read
their messages, and a blocking cell stops it from reading anything. Two ways out, depending on
the kernel:

* Recent ipykernel (7.4 has it) reads widget messages while a cell *awaits*: its
  ``dispatch_shell`` takes ``concurrent=``, which is what ``detect`` looks for.
  IPython has no awaitable magics, so an input transformer turns a top-level
  ``%aws_sso login ...`` line into an awaited call: the cell still blocks "Run All", but the
  kernel's event loop keeps turning.
* ipykernel 6 runs nothing while a cell awaits, but lets ``jupyter-ui-poll`` pump its queue
  from inside a blocking cell.

Elsewhere (a login inside a function on ipykernel 7, say) widgets cannot work while the cell
waits: the kernel interrupt cancels and the role question is asked through ``input()``.
Terminal IPython always uses ``input()`` and Ctrl-C.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "Frontend",
    "await_login_lines",
    "can_await",
    "detect",
    "login_transformer",
    "ui_poller",
]

#: How IPython writes ``%aws_sso ARGS`` after its own transforms, at the start of a line.
_MAGIC_CALL = re.compile(
    r"^(?P<assign>[A-Za-z_]\w*\s*=\s*)?get_ipython\(\)\.run_line_magic\('aws_sso', "
    r"(?P<args>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\)(?P<end>\s*(?:#.*)?)$"
)


@dataclass(frozen=True)
class Frontend:
    kind: Literal["kernel", "terminal"]
    #: The kernel handles widget messages while a cell awaits (feature-detected).
    comms_while_awaiting: bool = False
    #: ``jupyter-ui-poll`` can handle widget messages from inside a blocking cell.
    ui_poll: bool = False

    @property
    def cancel_hint(self) -> str:
        if self.kind == "terminal":
            return "Press Ctrl-C to cancel."
        return "Press Cancel or interrupt the kernel to cancel."


def detect(shell: Any) -> Frontend:
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return Frontend("terminal")
    dispatch = getattr(kernel, "dispatch_shell", None)
    try:
        concurrent = dispatch is not None and "concurrent" in inspect.signature(dispatch).parameters
    except (TypeError, ValueError):
        concurrent = False
    return Frontend(
        "kernel",
        comms_while_awaiting=concurrent,
        ui_poll=hasattr(kernel, "do_one_iteration"),
    )


@contextlib.contextmanager
def ui_poller(frontend: Frontend) -> Iterator[Callable[[], None] | None]:
    """A function that handles pending widget messages, for a blocking cell; None if none."""
    if not frontend.ui_poll:
        yield None
        return
    from jupyter_ui_poll import ui_events

    with ui_events() as poll:
        yield lambda: poll(10)


def _is_login(args_literal: str) -> bool:
    try:
        args = ast.literal_eval(args_literal)
    except (ValueError, SyntaxError):
        return False
    return isinstance(args, str) and args.split()[:1] == ["login"]


def await_login_lines(lines: list[str]) -> list[str]:
    """Make top-level ``%aws_sso login`` lines awaited calls (an ``input_transformers_post``).

    Only unindented lines change, so a login inside a ``def`` (where ``await`` would be a
    syntax error) stays a plain blocking call. The arguments still go through IPython's
    ``$name``/``{expr}`` expansion, in the cell's own frame.
    """
    out = []
    for line in lines:
        match = _MAGIC_CALL.match(line)
        if match is None or not _is_login(match["args"]):
            out.append(line)
            continue
        out.append(
            f"{match['assign'] or ''}await __import__('ipyawssso.magics').magics.run_awaitable("
            f"get_ipython(), get_ipython().var_expand({match['args']}, 0)){match['end']}"
            + ("\n" if line.endswith("\n") and not match["end"].endswith("\n") else "")
        )
    return out


def can_await(shell: Any) -> bool:
    """Top-level await runs in the kernel's loop only with autoawait and the asyncio runner."""
    from IPython.core.async_helpers import _asyncio_runner

    return bool(getattr(shell, "autoawait", False)) and shell.loop_runner is _asyncio_runner


def login_transformer(shell: Any) -> Callable[[list[str]], list[str]]:
    """:func:`await_login_lines` while the shell can run the result (``%autoawait`` may change)."""

    def transform(lines: list[str]) -> list[str]:
        return await_login_lines(lines) if can_await(shell) else lines

    return transform
