"""[profile P-process]: golden text, idempotence, and refusal of a section that is not ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipyawssso.core.errors import ConfigError, ProfileNotFound
from ipyawssso.core.process_profile import plan_process_text

PATH = Path("/home/ada/.aws/config")
PYTHON = "/opt/my tools/bin/python"
BEFORE = (
    "# mine\r\n"
    "[profile ai-dev]\r\n"
    "sso_session = my-sso\r\n"
    "sso_account_id = 123456789012\r\n"
    "sso_role_name = DataScientist\r\n"
    "region = eu-west-1\r\n"
    "[sso-session my-sso]\r\n"
    "sso_start_url = https://my-org.awsapps.com/start\r\n"
    "sso_region = us-east-1\r\n"
)
COMMAND = '"/opt/my tools/bin/python" -m ipyawssso credential-process --profile ai-dev'


def test_the_sibling_is_appended_and_nothing_else_moves():
    change = plan_process_text(PATH, BEFORE, "ai-dev", python=PYTHON)
    assert change.new_text == BEFORE + (
        f"[profile ai-dev-process]\r\ncredential_process = {COMMAND}\r\nregion = eu-west-1\r\n"
    )
    assert "+[profile ai-dev-process]" in change.diff


def test_planning_again_changes_nothing():
    once = plan_process_text(PATH, BEFORE, "ai-dev", python=PYTHON).new_text
    again = plan_process_text(PATH, once, "ai-dev", python=PYTHON)
    assert not again.changed


def test_a_section_of_that_name_running_something_else_is_refused():
    theirs = BEFORE + "[profile ai-dev-process]\r\ncredential_process = /usr/bin/other\r\n"
    with pytest.raises(ConfigError, match="Pick another name"):
        plan_process_text(PATH, theirs, "ai-dev", python=PYTHON)


def test_the_source_profile_must_exist():
    with pytest.raises(ProfileNotFound):
        plan_process_text(PATH, BEFORE, "nope", python=PYTHON)
