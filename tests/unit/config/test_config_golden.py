"""Golden-text tests: original file, edits, exact expected bytes (comments, CRLF, spacing).

Each folder in ``golden/`` holds ``before.ini``, ``edits.json`` (applied in order through the
public write functions) and ``after.ini``, written by hand. The shared fixtures that the real
AWS CLI v2 wrote are checked too: our result equals the CLI's, byte for byte (new sections are
appended with no blank line before them, as ``aws configure sso`` writes them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.configloader import load_config, raw_config_parse

from ipyawssso.core.aws_config import (
    AwsConfig,
    plan_sso_profile,
    plan_sso_session,
    write_sso_profile,
    write_sso_session,
)
from ipyawssso.core.models import Profile, SsoSession

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())
CLI = Path(__file__).resolve().parents[2] / "fixtures" / "awscli-v2"
SHARED_CLI = Path(__file__).resolve().parents[4] / "shared" / "fixtures" / "awscli-v2"


def _session(data: dict[str, Any] | None) -> SsoSession | None:
    if data is None:
        return None
    return SsoSession(data["name"], data["start_url"], data["region"], tuple(data["scopes"]))


def _apply(edit: dict[str, Any], path: Path) -> None:
    if "session_only" in edit:
        session = _session(edit["session_only"])
        assert session is not None
        write_sso_session(session, path=path)
    else:
        write_sso_profile(Profile(**edit["profile"]), _session(edit["sso_session"]), path=path)


def test_there_are_enough_golden_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES)
def test_golden_edit(case: str, tmp_path: Path) -> None:
    folder = GOLDEN / case
    before = (folder / "before.ini").read_bytes()
    expected = (folder / "after.ini").read_bytes()
    config = tmp_path / "config"
    config.write_bytes(before)
    for edit in json.loads((folder / "edits.json").read_text()):
        _apply(edit, config)
    assert config.read_bytes() == expected
    # The expectation itself must be a file botocore reads, with the same profiles we read.
    botocore_view = load_config(str(config))
    ours = AwsConfig.load(config)
    assert set(ours.profiles) == set(botocore_view["profiles"])
    for name in ours.profiles:
        assert ours.values(name).keys() >= {
            k for k, v in botocore_view["profiles"][name].items() if isinstance(v, str)
        }


@pytest.mark.parametrize("case", CASES)
def test_golden_plan_writes_nothing(case: str, tmp_path: Path) -> None:
    folder = GOLDEN / case
    edit = json.loads((folder / "edits.json").read_text())[0]
    config = tmp_path / "config"
    config.write_bytes((folder / "before.ini").read_bytes())
    if "session_only" in edit:
        session = _session(edit["session_only"])
        assert session is not None
        change = plan_sso_session(session, path=config)
    else:
        change = plan_sso_profile(
            Profile(**edit["profile"]), _session(edit["sso_session"]), path=config
        )
    assert config.read_bytes() == (folder / "before.ini").read_bytes()
    assert change.old_text.encode() == (folder / "before.ini").read_bytes()
    assert change.changed == (change.old_text != change.new_text)
    if change.changed:
        assert change.diff.startswith(f"--- {config} (now)\n+++ {config} (after)\n")
    else:
        assert change.diff == ""


AI_DEV_SESSION = SsoSession(
    "my-sso-session",
    "https://d-1234567890.awsapps.com/start",
    "us-east-1",
    ("sso:account:access",),
)


@pytest.mark.parametrize("name", ["before.ini", "after-configure-sso.ini", "after-reconfigure.ini"])
def test_cli_copies_match_the_shared_fixtures(name: str) -> None:
    if not SHARED_CLI.is_dir():
        pytest.skip("the shared fixtures folder is not next to this checkout")
    assert (CLI / name).read_bytes() == (SHARED_CLI / name).read_bytes()


def test_matches_aws_configure_sso(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_bytes((CLI / "before.ini").read_bytes())
    profile = Profile(
        "ai-dev",
        account_id="100000000001",
        role_name="ReadOnly",
        region="us-east-1",
        output="json",
    )
    change = write_sso_profile(profile, AI_DEV_SESSION, path=config)
    cli = (CLI / "after-configure-sso.ini").read_bytes()
    assert config.read_bytes() == cli
    assert change.new_text.encode() == cli
    assert raw_config_parse(str(config)) == raw_config_parse(str(CLI / "after-configure-sso.ini"))


def test_matches_aws_reconfigure(tmp_path: Path) -> None:
    """Second `aws configure sso` run: the CLI edited the two lines in place."""
    config = tmp_path / "config"
    config.write_bytes((CLI / "after-configure-sso.ini").read_bytes())
    profile = Profile(
        "ai-dev",
        sso_session="my-sso-session",
        account_id="100000000002",
        role_name="USS_AI_DEV_Bedrock_Access",
        region="us-east-1",
        output="json",
    )
    change = write_sso_profile(profile, AI_DEV_SESSION, path=config)
    assert config.read_bytes() == (CLI / "after-reconfigure.ini").read_bytes()
    body = change.diff.splitlines()[2:]
    assert [line for line in body if line.startswith(("-", "+"))] == [
        "-sso_account_id = 100000000001",
        "-sso_role_name = ReadOnly",
        "+sso_account_id = 100000000002",
        "+sso_role_name = USS_AI_DEV_Bedrock_Access",
    ]


def test_reconfigure_on_the_cli_own_file_is_exact(tmp_path: Path) -> None:
    """On the CLI's own file (no blank lines added anywhere) the result is the CLI's, exactly."""
    config = tmp_path / "config"
    config.write_bytes((CLI / "after-configure-sso.ini").read_bytes())
    write_sso_profile(
        Profile("ai-dev", account_id="100000000002", role_name="USS_AI_DEV_Bedrock_Access"),
        None,
        path=config,
    )
    assert config.read_bytes() == (CLI / "after-reconfigure.ini").read_bytes()
