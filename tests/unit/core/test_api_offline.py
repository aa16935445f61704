"""API answers that need no network: what status and profiles say about an odd config."""

import os
from pathlib import Path

import ipyawssso


def test_a_profile_naming_a_missing_sso_session_is_listed_unsigned(aws_home):
    Path(os.environ["AWS_CONFIG_FILE"]).write_text(
        "[profile x]\nsso_session = nope\nsso_account_id = 111111111111\nsso_role_name = R\n"
        "[profile keys]\nregion = eu-west-1\n"
    )
    listed = {p.profile.name: p for p in ipyawssso.profiles()}
    assert set(listed) == {"x", "keys"}
    assert listed["x"].login is None and listed["x"].profile.is_sso
    assert listed["keys"].login is None and not listed["keys"].profile.is_sso
    assert ipyawssso.status() == []
