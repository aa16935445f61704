"""Writing: atomic replacement, modes, symlinks, the lock, and edits on odd-but-valid files."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from botocore.configloader import load_config

from ipyawssso.core import aws_config
from ipyawssso.core.aws_config import AwsConfig, write_sso_profile, write_sso_session
from ipyawssso.core.errors import ConfigError
from ipyawssso.core.locks import aws_folder, config_lock_path
from ipyawssso.core.locks import held as held_lock
from ipyawssso.core.models import Profile, SsoSession

ODD = Path(__file__).parent / "odd"
CORP = SsoSession("corp", "https://corp.awsapps.com/start", "us-east-1")
DEV = Profile("dev", account_id="111111111111", role_name="ReadOnly", region="eu-west-1")


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_and_folder_are_private(tmp_path: Path, umask_022: None) -> None:
    config = tmp_path / "home" / ".aws" / "config"
    change = write_sso_profile(DEV, CORP, path=config)
    assert change.old_text == "" and change.changed
    assert _mode(config.parent) == 0o700
    assert _mode(config) == 0o600
    assert load_config(str(config))["profiles"]["dev"]["sso_session"] == "corp"
    assert sorted(p.name for p in config.parent.iterdir()) == ["config"]


def test_existing_folder_mode_is_left_alone(tmp_path: Path, umask_022: None) -> None:
    folder = tmp_path / ".aws"
    folder.mkdir(mode=0o755)
    write_sso_session(CORP, path=folder / "config")
    assert _mode(folder) == 0o755
    assert _mode(folder / "config") == 0o600


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600])
def test_existing_mode_is_kept(tmp_path: Path, mode: int) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\nregion = us-east-1\n")
    config.chmod(mode)
    inode = config.stat().st_ino
    write_sso_profile(DEV, CORP, path=config)
    assert _mode(config) == mode
    assert config.stat().st_ino != inode  # replaced (os.replace), not rewritten in place


def test_no_change_means_no_write(tmp_path: Path) -> None:
    config = tmp_path / "config"
    write_sso_profile(DEV, CORP, path=config)
    before = config.stat()
    change = write_sso_profile(DEV, CORP, path=config)
    assert not change.changed and change.diff == ""
    after = config.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_symlinked_config_is_written_through(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "aws-config"
    real.write_text("# mine\n[default]\nregion = us-east-1\n")
    real.chmod(0o644)
    link = tmp_path / "config"
    link.symlink_to(real)
    write_sso_profile(DEV, CORP, path=link)
    assert link.is_symlink() and link.resolve() == real
    assert "[profile dev]" in real.read_text() and real.read_text().startswith("# mine\n")
    assert _mode(real) == 0o644
    # A dotfiles repo gets no lock file (nor anything else) beside its file.
    assert sorted(p.name for p in dotfiles.iterdir()) == ["aws-config"]
    assert list(aws_folder().glob("*.lock")) == []


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    config = tmp_path / "config"
    for i in range(5):
        write_sso_profile(Profile(f"p{i}", account_id="1", role_name="r"), CORP, path=config)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "config"]
    assert leftovers == []
    assert list(aws_folder().glob("*.lock")) == []


def test_a_held_lock_times_out_with_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\nregion = us-east-1\n")
    monkeypatch.setattr(aws_config, "LOCK_TIMEOUT", 0.3)
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with held_lock(config_lock_path(config), 5):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(5)
        with pytest.raises(ConfigError) as info:
            write_sso_profile(DEV, CORP, path=config)
    finally:
        release.set()
        holder.join()
    assert str(config_lock_path(config)) in str(info.value)
    assert "Wait for the other kernel" in str(info.value)
    assert config.read_text() == "[default]\nregion = us-east-1\n"
    write_sso_profile(DEV, CORP, path=config)  # free again
    assert "dev" in AwsConfig.load(config).profiles


def test_the_file_is_reread_inside_the_lock(tmp_path: Path) -> None:
    """An edit made by someone else between our read and our write is kept."""
    config = tmp_path / "config"
    config.write_text("[default]\nregion = us-east-1\n")
    stale = AwsConfig.load(config)
    config.write_text("[default]\nregion = us-east-1\n\n[profile other]\nregion = x\n")
    write_sso_profile(DEV, CORP, path=config)
    assert "other" not in stale.profiles
    assert {"default", "other", "dev"} <= set(AwsConfig.load(config).profiles)


@pytest.mark.parametrize("case", sorted(p.name for p in ODD.glob("*.ini")))
def test_edits_on_odd_but_valid_files_read_back(case: str, tmp_path: Path) -> None:
    config = tmp_path / "config"
    original = (ODD / case).read_bytes().decode()
    config.write_bytes(original.encode())
    for name in ("default", "a", "new one"):
        profile = Profile(name, account_id="123456789012", role_name="Dev", output="json")
        write_sso_profile(profile, CORP, path=config)
        seen = load_config(str(config))
        assert seen["profiles"][name]["sso_session"] == "corp"
        assert seen["profiles"][name]["sso_account_id"] == "123456789012"
        assert seen["sso_sessions"]["corp"]["sso_start_url"] == CORP.start_url
    text = config.read_bytes().decode()
    # What was there is still there, line for line, in the file's own line endings.
    if "\r" in original and "\n" not in original:
        assert "\n" not in text
    kept = [line for line in original.replace("\r", "\n").split("\n") if "region" not in line]
    for line in kept:
        assert line in text.replace("\r", "\n")
