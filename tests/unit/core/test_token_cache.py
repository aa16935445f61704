"""The caches must be the AWS CLI v2's own files: same names, fields, layout and modes."""

import json
import shutil
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ipyawssso.core.models import Registration, Token
from ipyawssso.core.token_cache import (
    TokenCache,
    registration_cache_key,
    role_credentials_cache_key,
    token_cache_key,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "awscli-v2"
CLI_HOME = FIXTURES / "home" / ".aws"
START_URL = "https://d-1234567890.awsapps.com/start"


@pytest.fixture
def cli_cache(tmp_path):
    """A writable copy of the caches the real CLI wrote."""
    sso = tmp_path / "sso" / "cache"
    cli = tmp_path / "cli" / "cache"
    shutil.copytree(CLI_HOME / "sso" / "cache", sso)
    shutil.copytree(CLI_HOME / "cli" / "cache", cli)
    for p in [*sso.iterdir(), *cli.iterdir()]:
        p.chmod(0o600)
    return TokenCache(sso, cli)


def test_cache_keys_are_the_clis_hashes():
    assert (
        token_cache_key("my-sso-session", START_URL) == "b755b5ec73400c04400e978208d8559ad1f39053"
    )
    assert token_cache_key(None, START_URL) == "7487b5b67d5fa1132cf33fa93ae51ef38cc37752"
    assert (
        registration_cache_key(START_URL, "us-east-1", ("sso:account:access",), "my-sso-session")
        == "a879004427eca95014a75aa395b0e0b4312ef7da"
    )
    assert (
        registration_cache_key(START_URL, "us-east-1", None, None)
        == "365414a68be7c9bfc776c660981dbdbd942acea4"
    )
    assert (
        role_credentials_cache_key("100000000001", "ReadOnly", "my-sso-session", START_URL)
        == "e6094e3a049eabd38e784bc5f003b96b81301b02"
    )
    assert (
        role_credentials_cache_key("100000000002", "ReadOnly", None, START_URL)
        == "1ded509c9755196a0e4763a2e45ac905c6a7c89e"
    )
    for name in [
        "b755b5ec73400c04400e978208d8559ad1f39053",
        "7487b5b67d5fa1132cf33fa93ae51ef38cc37752",
        "a879004427eca95014a75aa395b0e0b4312ef7da",
        "365414a68be7c9bfc776c660981dbdbd942acea4",
    ]:
        assert (CLI_HOME / "sso" / "cache" / f"{name}.json").is_file()


@pytest.mark.parametrize("session_name", ["my-sso-session", None])
def test_cli_token_reads_and_rewrites_byte_for_byte(cli_cache, session_name):
    path = cli_cache.token_path(session_name, START_URL)
    original = path.read_bytes()
    token = cli_cache.load_token(session_name, START_URL)
    assert token is not None
    assert token.start_url == START_URL and token.region == "us-east-1"
    assert token.refreshable
    path.unlink()
    cli_cache.save_token(session_name, token)
    assert path.read_bytes() == original


@pytest.mark.parametrize(
    ("scopes", "session_name"), [(("sso:account:access",), "my-sso-session"), (None, None)]
)
def test_cli_registration_reads_and_rewrites_byte_for_byte(cli_cache, scopes, session_name):
    key = registration_cache_key(START_URL, "us-east-1", scopes, session_name)
    path = cli_cache.sso_dir / f"{key}.json"
    original = path.read_bytes()
    loaded = cli_cache.load_registration(START_URL, "us-east-1", scopes, session_name)
    assert loaded is not None
    registration, raw = loaded
    assert registration.scopes == scopes
    path.unlink()
    cli_cache.save_registration(START_URL, "us-east-1", scopes, session_name, registration)
    assert path.read_bytes() == original
    assert raw["clientId"] == registration.client_id


def test_new_files_are_private_in_private_folders(tmp_path):
    cache = TokenCache(tmp_path / "h" / "sso" / "cache", tmp_path / "h" / "cli" / "cache")
    when = datetime(2030, 1, 1, tzinfo=UTC)
    path = cache.save_token(
        "s",
        Token(
            "https://x.awsapps.com/start", "us-east-1", "at-secret", when, "cid", "cs", when, "rt"
        ),
    )
    reg = cache.save_registration(
        "https://x.awsapps.com/start",
        "us-east-1",
        ("sso:account:access",),
        "s",
        Registration("cid", "cs", when, ("sso:account:access",)),
    )
    for p in (path, reg):
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.sso_dir.stat().st_mode) == 0o700
    assert json.loads(path.read_text())["expiresAt"] == "2030-01-01T00:00:00Z"


def test_existing_open_folder_is_tightened(tmp_path):
    folder = tmp_path / "sso" / "cache"
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    cache = TokenCache(folder, tmp_path / "cli")
    when = datetime(2030, 1, 1, tzinfo=UTC)
    cache.save_token(None, Token("https://x.awsapps.com/start", "eu-west-1", "at", when))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_corrupt_or_partial_token_is_no_token(tmp_path):
    cache = TokenCache(tmp_path / "sso", tmp_path / "cli")
    cache.sso_dir.mkdir(parents=True)
    cache.token_path("s", "https://x").write_text("{not json")
    assert cache.load_token("s", "https://x") is None
    cache.token_path("s", "https://x").write_text('{"startUrl": "https://x"}')
    assert cache.load_token("s", "https://x") is None


def test_botocore_written_timestamps_are_understood(tmp_path):
    cache = TokenCache(tmp_path / "sso", tmp_path / "cli")
    cache.sso_dir.mkdir(parents=True)
    for stamp in ["2030-01-01T00:00:00Z", "2030-01-01T00:00:00UTC", "2030-01-01T00:00:00+00:00"]:
        cache.token_path("s", "https://x").write_text(
            json.dumps(
                {"startUrl": "https://x", "region": "r", "accessToken": "a", "expiresAt": stamp}
            )
        )
        token = cache.load_token("s", "https://x")
        assert token is not None and token.expires_at == datetime(2030, 1, 1, tzinfo=UTC)


def test_logout_removes_only_sso_role_credentials(cli_cache):
    other = cli_cache.cli_dir / "assume-role.json"
    other.write_text(json.dumps({"Credentials": {}, "ProviderType": "assume-role"}))
    assert cli_cache.load_role_credentials("100000000001", "ReadOnly", "my-sso-session", START_URL)
    assert cli_cache.delete_sso_role_credentials() == 2
    assert other.exists()
    assert not list(p for p in cli_cache.cli_dir.glob("*.json") if p != other)


def test_iter_token_files_skips_registrations(cli_cache):
    found = {p.name for p, _ in cli_cache.iter_token_files()}
    assert found == {
        "b755b5ec73400c04400e978208d8559ad1f39053.json",
        "7487b5b67d5fa1132cf33fa93ae51ef38cc37752.json",
    }


def test_reprs_hide_secrets(cli_cache):
    token = cli_cache.load_token("my-sso-session", START_URL)
    text = repr(token)
    assert token.access_token not in text
    assert token.refresh_token not in text
    assert token.client_secret not in text
    reg, _ = cli_cache.load_registration(
        START_URL, "us-east-1", ("sso:account:access",), "my-sso-session"
    )
    assert reg.client_secret not in repr(reg)
