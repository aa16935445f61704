"""Loading and unloading, traitlets config, and the expired sign-in handler's chaining."""

from __future__ import annotations

import pytest
from botocore.exceptions import SSOTokenLoadError, TokenRetrievalError, UnauthorizedSSOTokenError
from IPython.core.error import UsageError
from traitlets import TraitError

from ipyawssso.core.errors import LoginRequired


def test_unload_removes_everything_load_added(shell):
    transformers = list(shell.input_transformers_post)
    custom = (shell.custom_exceptions, shell.CustomTB)
    shell.run_line_magic("load_ext", "ipyawssso")
    assert "aws_sso" in shell.magics_manager.magics["line"]
    assert UnauthorizedSSOTokenError in shell.custom_exceptions
    shell.run_line_magic("unload_ext", "ipyawssso")
    assert "aws_sso" not in shell.magics_manager.magics["line"]
    assert "AwsSsoMagics" not in shell.magics_manager.registry
    assert not any(type(c).__name__ == "AwsSsoMagics" for c in shell.configurables)
    assert shell.input_transformers_post == transformers
    assert (shell.custom_exceptions, shell.CustomTB) == custom


def test_a_previous_custom_handler_keeps_working_and_comes_back(shell, capsys):
    def previous(self, etype, value, tb, tb_offset=None):
        print(f"previous handled {etype.__name__}")

    shell.set_custom_exc((KeyError,), previous)
    before = shell.CustomTB
    shell.run_line_magic("load_ext", "ipyawssso")
    with pytest.raises(KeyError):
        shell.run_cell("raise KeyError('x')")
    assert "previous handled KeyError" in capsys.readouterr().out
    shell.run_line_magic("unload_ext", "ipyawssso")
    assert shell.CustomTB is before and shell.custom_exceptions == (KeyError,)


@pytest.mark.parametrize(
    ("raise_it", "line"),
    [
        (
            "UnauthorizedSSOTokenError()",
            "Your AWS sign-in for ai-dev expired. Run `%aws_sso login ai-dev`.",
        ),
        (
            "TokenRetrievalError(provider='sso', error_msg='Token has expired and refresh failed')",
            "Your AWS sign-in for ai-dev expired. Run `%aws_sso login ai-dev`.",
        ),
        (
            "SSOTokenLoadError(error_msg='Token for acme does not exist')",
            "You are not signed in to AWS for ai-dev. Run `%aws_sso login ai-dev`.",
        ),
    ],
)
def test_expired_sign_in_errors_become_one_line(shell, magics, capsys, monkeypatch, raise_it, line):
    monkeypatch.setenv("AWS_PROFILE", "ai-dev")
    shell.user_ns.update(
        UnauthorizedSSOTokenError=UnauthorizedSSOTokenError,
        TokenRetrievalError=TokenRetrievalError,
        SSOTokenLoadError=SSOTokenLoadError,
    )
    with pytest.raises(Exception):  # noqa: B017, PT011 - the cell still fails, as it should
        shell.run_cell(f"def call_aws():\n    raise {raise_it}\ncall_aws()")
    out = capsys.readouterr()
    assert [x for x in (out.out + out.err).splitlines() if x.strip()] == [line]


def test_the_profile_comes_from_botocores_token_provider_in_the_traceback(shell, magics, capsys):
    shell.user_ns["TokenRetrievalError"] = TokenRetrievalError
    cell = (
        "class SSOTokenProvider:  # the attribute botocore's provider keeps its profile in\n"
        "    _profile_name = 'team-prod'\n"
        "    def load_token(self):\n"
        "        raise TokenRetrievalError(provider='sso', error_msg='expired')\n"
        "SSOTokenProvider().load_token()\n"
    )
    with pytest.raises(TokenRetrievalError):
        shell.run_cell(cell)
    assert "Your AWS sign-in for team-prod expired." in capsys.readouterr().out


def test_our_login_required_is_shown_as_its_own_line(shell, magics, capsys):
    shell.user_ns["LoginRequired"] = LoginRequired
    with pytest.raises(LoginRequired):
        shell.run_cell("raise LoginRequired('ai-dev', 'the sign-in expired')")
    out = capsys.readouterr().out.strip()
    # In a notebook the magic's words: `%aws_sso login`, not the Python call str() names.
    assert out == "AWS sign-in needed for ai-dev: the sign-in expired. Run `%aws_sso login ai-dev`."


def test_other_errors_keep_their_traceback(shell, magics, capsys):
    with pytest.raises(ZeroDivisionError):
        shell.run_cell("1/0")
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_traits_come_from_config_and_are_checked(shell):
    shell.config.AwsSsoMagics.region = "eu-west-1"
    shell.config.AwsSsoMagics.friendly_expiry_errors = False
    shell.run_line_magic("load_ext", "ipyawssso")
    magics = shell.magics_manager.registry["AwsSsoMagics"]
    assert magics.region == "eu-west-1"
    assert UnauthorizedSSOTokenError not in shell.custom_exceptions
    shell.run_line_magic("config", "AwsSsoMagics.friendly_expiry_errors = True")
    assert UnauthorizedSSOTokenError in shell.custom_exceptions
    with pytest.raises(TraitError, match="must be an https:// URL"):
        magics.start_url = "http://acme.awsapps.com/start"
    with pytest.raises(TraitError, match="is not an AWS region"):
        magics.sso_region = "virginia"
    with pytest.raises(TraitError, match="cannot be a Python variable name"):
        magics.var_name = "my session"
    with pytest.raises(TraitError):
        magics.output = "xml"


def test_the_config_magic_lists_the_traits(shell, magics, capsys):
    shell.run_line_magic("config", "AwsSsoMagics")
    out = capsys.readouterr().out
    for name in (
        "start_url",
        "sso_region",
        "session_name",
        "region",
        "output",
        "scopes",
        "var_name",
        "export_env",
        "login_timeout",
        "friendly_expiry_errors",
    ):
        assert f"AwsSsoMagics.{name}" in out


def test_run_awaitable_after_unload_says_how_to_load_again(shell):
    import asyncio

    from ipyawssso.magics import run_awaitable

    with pytest.raises(UsageError, match="load_ext ipyawssso"):
        asyncio.run(run_awaitable(shell, "login"))
