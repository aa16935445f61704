"""The files under faults: a token deleted or corrupted mid-session, ~/.aws read-only, a full
disk. Every case is one clear ipyawssso error (never a JSONDecodeError or a raw OSError),
leaves no file half-written, and a new sign-in works once the cause is gone."""

from __future__ import annotations

import json
import os
import stat
import textwrap
from pathlib import Path

import pytest

import ipyawssso
from ipyawssso.core.errors import CacheError, ConfigError, LoginRequired
from tests.reliability.conftest import (
    ACCOUNT,
    SESSION,
    assert_no_leaks,
    config_file,
    error_texts,
    last_json,
    login,
    read_only,
    run_python,
    snapshot,
    sso_cache,
    tiny_disk,
    token_file,
)

CORRUPTIONS = {
    "deleted": None,
    "empty": b"",
    "garbage": b"\x00\xff\xfe not json at all",
    "truncated": b'{"startUrl": "https://d-sandbox0001.awsapps.com/start", "accessTo',
    "a list": b"[1, 2, 3]",
    "no access token": b'{"startUrl": "https://x.awsapps.com/start", "region": "us-east-1"}',
    "bad date": json.dumps(
        {
            "startUrl": "https://d-sandbox0001.awsapps.com/start",
            "region": "us-east-1",
            "accessToken": "at-nonsense",
            "expiresAt": "next tuesday",
        }
    ).encode(),
}


def test_token_deleted_or_corrupted_mid_session(signed_in, sandbox, person):
    assert signed_in.client("sts").get_caller_identity()["Account"] == ACCOUNT
    good = token_file().read_bytes()
    for damage, content in CORRUPTIONS.items():
        if content is None:
            token_file().unlink()
        else:
            token_file().write_bytes(content)
        reason = "you are not signed in" if content is None else "could not be renewed|not signed"
        with pytest.raises(LoginRequired, match=reason) as caught:
            ipyawssso.session("ai-dev")
        assert "Run `ipyawssso.login('ai-dev')`" in str(caught.value)
        assert_no_leaks(error_texts(caught.value), sandbox)
        [status] = ipyawssso.status()
        assert not status.signed_in, damage
        assert ipyawssso.profiles()[0].profile.name == "ai-dev"
        # The session made before the damage keeps its role credentials.
        assert signed_in.client("sts").get_caller_identity()["Account"] == ACCOUNT
        token_file().write_bytes(good)
        assert ipyawssso.session("ai-dev")
    token_file().write_bytes(CORRUPTIONS["garbage"])
    session = ipyawssso.login("ai-dev", on_pending=person.approves)
    assert session.client("sts").get_caller_identity()["Account"] == ACCOUNT
    assert json.loads(token_file().read_text())["accessToken"] in sandbox.issued_secrets()
    assert stat.S_IMODE(token_file().stat().st_mode) == 0o600


def test_corrupt_registration_and_role_caches_are_replaced(signed_in, sandbox, person):
    home = Path(os.environ["HOME"]) / ".aws"
    for path in [*sso_cache().glob("*.json"), *(home / "cli" / "cache").glob("*.json")]:
        if path != token_file():
            path.write_bytes(b"{broken")
    sandbox.reset_calls()
    assert ipyawssso.whoami("ai-dev").account_id == ACCOUNT  # role keys fetched again
    assert sandbox.calls["GetRoleCredentials"] == 1
    ipyawssso.login("ai-dev", force=True, on_pending=person.approves)
    assert sandbox.calls["RegisterClient"] == 1  # a new registration replaced the broken one


def test_read_only_aws_folder_is_a_clear_cache_error(sandbox, person):
    aws = Path(os.environ["HOME"]) / ".aws"
    config_file().write_text("# mine\n[default]\nregion = eu-west-1\n")
    before = snapshot(aws)
    with read_only(aws) as how, pytest.raises(CacheError, match="writable") as caught:
        login(sandbox, person)
    print(f"read-only ~/.aws made with a {how}")
    assert_no_leaks(error_texts(caught.value), sandbox)
    assert snapshot(aws) == before, "something was written into a read-only ~/.aws"
    session = login(sandbox, person)  # writable again: the same process signs in
    assert session.client("sts").get_caller_identity()["Account"] == ACCOUNT


def test_read_only_config_folder_is_a_clear_config_error(sandbox, person, tmp_path, monkeypatch):
    folder = tmp_path / "etc-aws"
    folder.mkdir()
    config = folder / "config"
    config.write_text("# shared, managed by IT\n[default]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    before = snapshot(folder)
    with read_only(folder), pytest.raises(ConfigError, match="config") as caught:
        login(sandbox, person)
    assert "left" in str(caught.value) or "unchanged" in str(caught.value)
    assert_no_leaks(error_texts(caught.value), sandbox)
    assert snapshot(folder) == before
    # The sign-in itself succeeded and was kept; once writable, no second device flow.
    session = ipyawssso.login(
        "ai-dev",
        session_name=SESSION,
        start_url=sandbox.start_url,
        sso_region=sandbox.region,
        account_id=ACCOUNT,
        role_name="ReadOnly",
    )
    assert len(person.seen) == 1
    assert session.client("sts").get_caller_identity()["Account"] == ACCOUNT


def test_read_only_config_file_is_refused_untouched(signed_in, sandbox):
    config_file().chmod(0o400)
    before = config_file().read_bytes()
    with pytest.raises(ConfigError, match="read-only"):
        ipyawssso.save_profile(
            "second", session_name=SESSION, account_id=ACCOUNT, role_name="ReadOnly"
        )
    assert config_file().read_bytes() == before
    config_file().chmod(0o600)
    ipyawssso.save_profile("second", session_name=SESSION, account_id=ACCOUNT, role_name="ReadOnly")
    assert ipyawssso.whoami("second").role_name == "ReadOnly"


def _no_temp_files(root: Path) -> None:
    assert not [p for p in root.rglob("*") if p.name.endswith(".tmp")], "a temp file was left"


def test_disk_full_on_the_token_write(sandbox, person):
    aws = Path(os.environ["HOME"]) / ".aws"
    (aws / "sso" / "cache").mkdir(parents=True, mode=0o700)
    with tiny_disk(aws) as fill:
        fill()
        before = snapshot(aws)
        with pytest.raises(CacheError, match="space") as caught:
            login(sandbox, person)
        assert_no_leaks(error_texts(caught.value), sandbox)
        assert_no_leaks([aws], sandbox)  # not even part of a token in a stray file
        _no_temp_files(aws)
        assert snapshot(aws) == before
        for filler in aws.glob("filler*"):
            filler.unlink()
        session = login(sandbox, person)
        assert session.client("sts").get_caller_identity()["Account"] == ACCOUNT


def test_disk_full_on_the_config_write(signed_in, sandbox):
    aws = Path(os.environ["HOME"]) / ".aws"
    with tiny_disk(aws) as fill:
        fill()
        before = config_file().read_bytes()
        with pytest.raises(ConfigError, match="space") as caught:
            ipyawssso.save_profile(
                "second", session_name=SESSION, account_id=ACCOUNT, role_name="ReadOnly"
            )
        assert "left as it was" in str(caught.value)
        assert config_file().read_bytes() == before
        _no_temp_files(aws)


def test_file_size_limit_on_every_write(sandbox, person):
    """The same full-disk path without root: RLIMIT_FSIZE in a child makes every write past a
    few bytes fail (EFBIG), which is how a quota or full disk looks to the writer."""
    login(sandbox, person)
    config_before = config_file().read_bytes()
    token_before = token_file().read_bytes()
    code = textwrap.dedent(
        f"""
        import json, resource, signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        import ipyawssso
        from ipyawssso.core.token_cache import TokenCache
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
        out = {{}}
        try:
            ipyawssso.save_profile("second", session_name={SESSION!r},
                                   account_id={ACCOUNT!r}, role_name="ReadOnly")
        except Exception as exc:
            out["config"] = [type(exc).__name__, str(exc)]
        cache = TokenCache()
        token = cache.load_token({SESSION!r}, "unused")
        try:
            cache.save_token({SESSION!r}, token)
        except Exception as exc:
            out["token"] = [type(exc).__name__, str(exc)]
        print(json.dumps(out))
        """
    )
    out = last_json(run_python(code))
    assert out["config"][0] == "ConfigError" and "File too large" in out["config"][1]
    assert out["token"][0] == "CacheError" and "File too large" in out["token"][1]
    assert config_file().read_bytes() == config_before
    assert token_file().read_bytes() == token_before
    _no_temp_files(Path(os.environ["HOME"]) / ".aws")
