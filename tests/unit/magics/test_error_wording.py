"""The magic shows a core error in its own words: its flags and ``%aws_sso`` commands.

The same errors in every front end's words, side by side, are in
``tests/unit/test_front_end_wording.py``; here they go through a real shell, as a user types.
"""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

START_URL = "https://acme.awsapps.com/start"
CONFIG = """\
[sso-session acme]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1

[profile ai-dev]
sso_session = acme
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile keys]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = not-a-real-secret
"""


def _usage_error(shell, line: str) -> str:
    with pytest.raises(UsageError) as info:
        shell.run_cell(line)
    message = str(info.value)
    assert "\n" not in message
    assert "ipyawssso." not in message and "=..." not in message  # no Python calls
    return message


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


def test_a_missing_profile_is_created_and_listed_with_the_magic(shell, magics, aws_home):
    message = _usage_error(shell, "%aws_sso use nobody")
    assert message.startswith("The profile 'nobody' is not in ")
    assert message.endswith(
        "Create it with `%aws_sso login nobody --start-url URL --sso-region REGION`, "
        "or list existing ones with `%aws_sso profiles`."
    )


def test_a_sign_in_needed_says_the_magic_login(shell, magics, aws_home):
    (aws_home / ".aws" / "config").write_text(CONFIG)
    message = _usage_error(shell, "%aws_sso use ai-dev")
    assert message.startswith("AWS sign-in needed for ai-dev: ")
    assert message.endswith("Run `%aws_sso login ai-dev`.")


def test_a_profile_that_is_not_sso_points_at_use(shell, magics, aws_home):
    (aws_home / ".aws" / "config").write_text(CONFIG)
    message = _usage_error(shell, "%aws_sso login keys")
    assert message.endswith("boto3 uses it as it is (`%aws_sso use keys`).")
