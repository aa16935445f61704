"""The core's errors carry their facts; each front end words the hint for its own user.

A Python caller is told ``sso_region=``, the magic and the terminal command ``--sso-region``,
the panel its "SSO region" field: the same error, raised once by the core.
"""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

import ipyawssso
from ipyawssso import cli
from ipyawssso.core.errors import InvalidValueError, LoginRequired, LoginTimeout, ProfileNotFound
from ipyawssso.widgets.panel import describe_error

START_URL = "https://acme.awsapps.com/start"


def _python_error(**values: str) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        ipyawssso.login("ai-dev", **values)
    return info.value


def test_python_callers_are_told_the_keyword_argument(aws_home):
    error = _python_error(start_url=START_URL)
    assert (error.field, error.options) == ("sso_region", ("sso_region",))
    assert "Pass sso_region= (the region of your IAM Identity Center" in str(error)
    assert "--" not in str(error)


def test_the_magic_says_its_option(shell, magics, aws_home):
    with pytest.raises(UsageError) as info:
        shell.run_cell(f"%aws_sso login ai-dev --start-url {START_URL}")
    message = str(info.value)
    assert "Pass --sso-region (the region of your IAM Identity Center" in message
    assert "sso_region=" not in message and "\n" not in message


def test_the_magic_names_both_options_a_new_profile_needs(shell, magics, aws_home):
    with pytest.raises(UsageError) as info:
        shell.run_cell("%aws_sso login ai-dev")
    message = str(info.value)
    assert "Pass --start-url (like https://your-org.awsapps.com/start) and --sso-region." in message


def test_the_terminal_command_says_its_option(aws_home, capsys):
    assert cli.main(["login", "ai-dev", "--start-url", START_URL]) == 1
    err = capsys.readouterr().err
    assert "Pass --sso-region (the region" in err and "sso_region=" not in err


def test_the_panel_names_its_field(aws_home):
    shown = describe_error(_python_error(start_url=START_URL))
    assert "Pass the SSO region field (the region of your IAM Identity Center" in shown
    shown = describe_error(_python_error())
    assert "Pass the Start URL field (like https://" in shown
    assert "and the SSO region field." in shown


def test_a_value_error_names_its_field_and_value(aws_home):
    error = _python_error(region="us-east-100")
    assert (error.field, error.value) == ("region", "us-east-100")
    error = _python_error(account_id="12345")
    assert (error.field, error.value) == ("account_id", "12345")


def test_a_timeout_carries_its_seconds_and_each_front_end_words_the_option():
    error = LoginTimeout(90)
    assert (error.seconds, error.elsewhere, error.options) == (90, False, ("timeout",))
    assert str(error).endswith("allow more time with timeout=.")
    assert error.worded(lambda o: f"--{o}").endswith("allow more time with --timeout.")
    assert LoginTimeout(5, elsewhere=True).options == ()  # its hint is "approve it there"


def test_lookups_carry_what_was_looked_up(aws_home):
    with pytest.raises(ProfileNotFound) as info:
        ipyawssso.session("nobody")
    assert info.value.profile == "nobody"
    assert info.value.config_path.endswith("config")
    required = LoginRequired("ai-dev", "the sign-in expired")
    assert (required.profile, required.reason) == ("ai-dev", "the sign-in expired")


def test_an_error_without_options_reads_the_same_everywhere():
    error = LoginRequired("ai-dev")
    assert error.options == ()
    assert error.worded(lambda o: "XX") == str(error)
