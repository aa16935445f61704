"""Top-level `%aws_sso login` lines become awaited calls; nothing else changes."""

from __future__ import annotations

from IPython.core.inputtransformer2 import TransformerManager

from ipyawssso.magics.frontends import await_login_lines, detect


def transformed(cell: str) -> str:
    manager = TransformerManager()
    manager.line_transforms.append(await_login_lines)  # after IPython's own, like _post
    return "".join(await_login_lines(manager.transform_cell(cell).splitlines(keepends=True)))


def test_login_lines_are_awaited_with_variable_expansion():
    out = transformed("%aws_sso login ai-dev --var $name\n")
    assert out == (
        "await __import__('ipyawssso.magics').magics.run_awaitable(get_ipython(), "
        "get_ipython().var_expand('login ai-dev --var $name', 0))\n"
    )
    compile(out, "<cell>", "exec", flags=0x2000)  # PyCF_ALLOW_TOP_LEVEL_AWAIT


def test_assignment_is_kept():
    out = transformed("x = %aws_sso login ai-dev\n")
    assert out.startswith("x = await ")
    assert out.endswith("var_expand('login ai-dev', 0))\n")


def test_other_subcommands_and_indented_lines_stay_blocking_calls():
    cell = "%aws_sso status\nif True:\n    %aws_sso login ai-dev\ndef f():\n    %aws_sso login\n"
    out = transformed(cell)
    assert "await" not in out
    compile(out, "<cell>", "exec")


def test_a_plain_shell_is_a_terminal(shell):
    frontend = detect(shell)
    assert frontend.kind == "terminal"
    assert not frontend.comms_while_awaiting and not frontend.ui_poll
