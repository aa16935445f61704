"""Reading: paths from the environment, profiles and sessions as botocore sees them."""

from __future__ import annotations

from pathlib import Path

import pytest
from botocore.configloader import load_config, raw_config_parse

from ipyawssso.core.aws_config import AwsConfig, config_path, credentials_path
from ipyawssso.core.config_text import parse_like_botocore
from ipyawssso.core.errors import ConfigError, ProfileNotFound
from ipyawssso.core.models import Profile, SsoSession

GOLDEN = Path(__file__).parent / "golden"

TEAM = """# team config
[default]
region = us-east-2

[profile "data science"]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = Analyst
output = json

[profile ml]
sso_session=corp
sso_account_id=222222222222
sso_role_name=ML
s3 =
  addressing_style = path
  max_concurrent_requests = 5

[profile legacy]
sso_start_url = https://old.awsapps.com/start
sso_region = us-west-2
sso_account_id = 333333333333
sso_role_name = ReadOnly

[profile legacy2]
sso_start_url = https://old.awsapps.com/start
sso_region = us-west-2
sso_account_id = 444444444444
sso_role_name = Admin

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access, codewhisperer:completions

[sso-session bare]
sso_start_url = https://bare.awsapps.com/start
sso_region = us-east-1

[sso-session half]
sso_start_url = https://half.awsapps.com/start

[services local]
s3 =
  endpoint_url = http://localhost:9000
"""


@pytest.fixture
def team(tmp_path: Path) -> AwsConfig:
    path = tmp_path / "config"
    path.write_text(TEAM)
    return AwsConfig.load(path)


def test_paths_follow_the_environment_at_call_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("AWS_CONFIG_FILE", raising=False)
    monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE", raising=False)
    assert config_path() == tmp_path / ".aws" / "config"
    assert credentials_path() == tmp_path / ".aws" / "credentials"
    monkeypatch.setenv("AWS_CONFIG_FILE", "~/elsewhere/cfg")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "$HOME/creds")
    assert config_path() == tmp_path / "elsewhere" / "cfg"
    assert credentials_path() == tmp_path / "creds"
    monkeypatch.setenv("AWS_CONFIG_FILE", "")  # empty means unset, as for botocore
    assert config_path() == tmp_path / ".aws" / "config"


def test_load_uses_aws_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "my-config"
    path.write_text(TEAM)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(path))
    assert AwsConfig.load().path == path
    assert "ml" in AwsConfig.load().profiles


def test_missing_file_is_an_empty_config(tmp_path: Path) -> None:
    config = AwsConfig.load(tmp_path / "nope")
    assert config.profiles == {} and config.sso_sessions == {}
    assert config.path == tmp_path / "nope"


def test_profiles(team: AwsConfig) -> None:
    assert list(team.profiles) == ["default", "data science", "ml", "legacy", "legacy2"]
    assert team.profile("default") == Profile("default", region="us-east-2")
    assert team.profile("data science") == Profile(
        "data science",
        sso_session="corp",
        account_id="111111111111",
        role_name="Analyst",
        output="json",
    )
    legacy = team.profile("legacy")
    assert legacy.is_legacy and legacy.start_url == "https://old.awsapps.com/start"
    assert legacy.sso_region == "us-west-2"
    assert not team.profile("default").is_sso


def test_sessions(team: AwsConfig) -> None:
    assert team.sso_sessions == {
        "corp": SsoSession(
            "corp",
            "https://corp.awsapps.com/start",
            "eu-west-1",
            ("sso:account:access", "codewhisperer:completions"),
        ),
        # Without sso_registration_scopes botocore registers with no scopes.
        "bare": SsoSession("bare", "https://bare.awsapps.com/start", "us-east-1", ()),
    }
    assert team.sso_session("corp").region == "eu-west-1"


def test_missing_and_incomplete_sessions_say_what_to_do(team: AwsConfig) -> None:
    with pytest.raises(ConfigError) as info:
        team.sso_session("ghost")
    assert "There is no [sso-session ghost]" in str(info.value)
    assert "session_name='ghost', start_url=..., sso_region=...)`" in str(info.value)
    with pytest.raises(ConfigError) as info:
        team.sso_session("half")
    assert "[sso-session half]" in str(info.value) and "has no sso_region" in str(info.value)
    assert "Add it there" in str(info.value)


def test_unknown_profile(team: AwsConfig) -> None:
    with pytest.raises(ProfileNotFound) as info:
        team.profile("nope")
    assert str(team.path) in str(info.value) and "ipyawssso.login('nope'," in str(info.value)
    with pytest.raises(ProfileNotFound):
        team.values("nope")


def test_profiles_for_session_and_start_url(team: AwsConfig) -> None:
    assert [p.name for p in team.profiles_for_session("corp")] == ["data science", "ml"]
    assert team.profiles_for_session("bare") == []
    assert [p.name for p in team.profiles_for_start_url("https://old.awsapps.com/start")] == [
        "legacy",
        "legacy2",
    ]
    # Modern profiles never count as legacy ones, even for the same URL.
    assert team.profiles_for_start_url("https://corp.awsapps.com/start") == []


def test_values_flatten_sub_keys(team: AwsConfig) -> None:
    assert team.values("ml") == {
        "sso_session": "corp",
        "sso_account_id": "222222222222",
        "sso_role_name": "ML",
        "s3.addressing_style": "path",
        "s3.max_concurrent_requests": "5",
    }


# Files botocore accepts, however odd (indented headers, lone CRs, [DEFAULT], ...): we accept
# them too and read the same thing.
ODD = Path(__file__).parent / "odd"
ODD_CASES = sorted(p.name for p in ODD.glob("*.ini"))


def test_there_are_odd_files() -> None:
    assert len(ODD_CASES) >= 15


@pytest.mark.parametrize("case", ODD_CASES)
def test_we_read_what_botocore_reads(case: str) -> None:
    path = ODD / case
    assert parse_like_botocore(path.read_bytes().decode(), str(path)) == raw_config_parse(str(path))
    config = AwsConfig.load(path)
    botocore_profiles = load_config(str(path))["profiles"]
    assert set(config.profiles) == set(botocore_profiles)
    for name, values in botocore_profiles.items():
        assert config.profile(name).region == (values.get("region") or None)


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()))
def test_golden_files_read_like_botocore(case: str) -> None:
    for name in ("before.ini", "after.ini"):
        path = GOLDEN / case / name
        assert parse_like_botocore(path.read_bytes().decode(), str(path)) == raw_config_parse(
            str(path)
        )
