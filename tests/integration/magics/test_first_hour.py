"""What a new user typed in their first hour, and what they must be told (issue 11, 8-9).

A bare ``%aws_sso login`` creates ``default`` (say so before a code appears); a mistyped
option gets a suggestion as a mistyped subcommand does; ``--sso-region`` that the profile's
sign-in cannot use is refused instead of silently ignored.
"""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

ACCOUNT, ROLE = "100000000001", "ReadOnly"


def test_a_mistyped_option_gets_a_suggestion(shell, magics):
    with pytest.raises(UsageError) as info:
        shell.run_cell(f"%aws_sso login ai-dev --acount-id {ACCOUNT}")
    message = str(info.value)
    assert "unrecognized arguments: --acount-id" in message
    assert "Did you mean --account-id?" in message


def test_a_bare_login_says_it_creates_default(shell, magics, sandbox, capsys):
    sandbox.configure(auto_approve_after=0)
    shell.run_cell(
        f"%aws_sso login --start-url {sandbox.start_url} --sso-region {sandbox.region} "
        f"--account-id {ACCOUNT} --role-name {ROLE}"
    )
    out = capsys.readouterr().out
    assert "this signs in and creates the profile 'default'" in out
    assert out.index("creates the profile 'default'") < out.index("Signed in")
    shell.run_cell("%aws_sso login")  # it exists now: nothing more to say about it
    assert "creates the profile" not in capsys.readouterr().out


def test_an_sso_region_the_sign_in_cannot_use_is_refused(shell, magics, sandbox, capsys):
    sandbox.configure(auto_approve_after=0)
    shell.run_cell(
        f"%aws_sso login ai-dev --start-url {sandbox.start_url} --sso-region {sandbox.region} "
        f"--account-id {ACCOUNT} --role-name {ROLE}"
    )
    with pytest.raises(UsageError) as info:
        shell.run_cell("%aws_sso login ai-dev --sso-region us-east-9")
    message = str(info.value)
    assert "in us-east-1; --sso-region us-east-9 conflicts with it" in message
    assert "--start-url URL --sso-region us-east-9" in message
    capsys.readouterr()
    # The region it already uses is no request to change anything: no question, no picker.
    shell.run_cell(f"%aws_sso login ai-dev --sso-region {sandbox.region}")
    assert "boto3.Session for profile 'ai-dev'" in capsys.readouterr().out
