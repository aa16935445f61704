"""The status answer shows a chained profile as signed in through its SSO root."""

from __future__ import annotations

import os
from pathlib import Path

import ipyawssso
from ipyawssso.server.views import StatusInputs, status_view
from tests.integration.conftest import Person

CONFIG = """[profile login]
sso_session = corp
sso_account_id = 100000000001
sso_role_name = ReadOnly
[profile bedrock]
role_arn = arn:aws:iam::222222222222:role/bedrock-user
source_profile = login
[profile vault]
credential_process = /bin/false
[sso-session corp]
sso_start_url = {url}
sso_region = {region}
"""


def test_a_chained_profile_shows_its_roots_sign_in(sandbox):
    person = Person()
    Path(os.environ["AWS_CONFIG_FILE"]).write_text(
        CONFIG.format(url=sandbox.start_url, region=sandbox.region)
    )
    ipyawssso.login("bedrock", on_pending=person.approves)  # signs in through "login"
    view = status_view(StatusInputs.gather(), requested="bedrock")
    profiles = {p["name"]: p for p in view["profiles"]}
    assert set(profiles) == {"login", "bedrock"}  # the credential_process one is not ours
    assert profiles["bedrock"]["via"] == "login"
    assert profiles["bedrock"]["roleArn"] == "arn:aws:iam::222222222222:role/bedrock-user"
    assert profiles["bedrock"]["key"] == profiles["login"]["key"] == "corp"
    (corp,) = view["sessions"]
    assert corp["profiles"] == ["login", "bedrock"] and corp["expiresAt"]
    assert view["inUse"] == {"profile": "bedrock", "key": "corp", "source": "request"}
