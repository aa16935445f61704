"""Refusals: unsafe input and malformed files leave the config byte-identical, and every
message says what to do (asserted on wording fragments)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import botocore.exceptions
import pytest
from botocore.configloader import raw_config_parse

from ipyawssso.core.aws_config import (
    AwsConfig,
    plan_sso_profile,
    validate_name,
    validate_start_url,
    write_sso_profile,
    write_sso_session,
)
from ipyawssso.core.errors import ConfigError, ConfigParseError, InvalidValueError
from ipyawssso.core.models import Profile, SsoSession

# CRLF, a comment and no final newline: any rewrite would show.
ORIGINAL = (
    b"# keep me\r\n[profile dev]\r\nsso_session = corp\r\nsso_account_id = 111111111111\r\n"
    b"sso_role_name = ReadOnly\r\n\r\n[sso-session corp]\r\n"
    b"sso_start_url = https://corp.awsapps.com/start\r\nsso_region = us-east-1"
)
CORP = SsoSession("corp", "https://corp.awsapps.com/start", "us-east-1")


def _profile(**changes: str | None) -> Profile:
    values: dict[str, str | None] = {
        "name": "dev",
        "account_id": "222222222222",
        "role_name": "Admin",
    }
    values.update(changes)
    return Profile(**values)  # type: ignore[arg-type]


def _session(**changes: str | tuple[str, ...]) -> SsoSession:
    values: dict = {"name": "corp", "start_url": CORP.start_url, "region": "us-east-1"}
    values.update(changes)
    return SsoSession(**values)


BAD_INPUT: dict[str, tuple[Callable[[Path], object], list[str]]] = {
    "empty profile name": (
        lambda p: write_sso_profile(_profile(name=""), CORP, path=p),
        ["profile name is empty", "Choose a name"],
    ),
    "newline in profile name": (
        lambda p: write_sso_profile(_profile(name="dev\n[evil]"), CORP, path=p),
        ["line break", "Choose a name"],
    ),
    "carriage return in profile name": (
        lambda p: write_sso_profile(_profile(name="dev\r"), CORP, path=p),
        ["line break", "Choose a name"],
    ),
    "opening bracket in profile name": (
        lambda p: write_sso_profile(_profile(name="[dev"), CORP, path=p),
        ["'['", "Choose a name"],
    ),
    "closing bracket in profile name": (
        lambda p: write_sso_profile(_profile(name="dev]"), CORP, path=p),
        ["']'", "Choose a name"],
    ),
    "leading space in profile name": (
        lambda p: write_sso_profile(_profile(name=" dev"), CORP, path=p),
        ["starts or ends with a space", "Remove the surrounding spaces"],
    ),
    "trailing space in profile name": (
        lambda p: write_sso_profile(_profile(name="dev "), CORP, path=p),
        ["starts or ends with a space", "Remove the surrounding spaces"],
    ),
    "quote in profile name": (
        lambda p: write_sso_profile(_profile(name='my"dev'), CORP, path=p),
        ["quoting", "Choose a name"],
    ),
    "tab in profile name": (
        lambda p: write_sso_profile(_profile(name="my\tdev"), CORP, path=p),
        ["control character", "Choose a name"],
    ),
    "bracket in session name": (
        lambda p: write_sso_profile(_profile(), _session(name="corp]"), path=p),
        ["sso-session name", "Choose a name"],
    ),
    "newline in session name (session only)": (
        lambda p: write_sso_session(_session(name="a\nb"), path=p),
        ["sso-session name", "line break", "Choose a name"],
    ),
    "http start URL": (
        lambda p: write_sso_profile(
            _profile(), _session(start_url="http://corp.awsapps.com/start"), path=p
        ),
        ["must use https (http:)", "Use the https address"],
    ),
    "javascript start URL": (
        lambda p: write_sso_session(_session(start_url="javascript:alert(1)"), path=p),
        ["must use https (javascript:)", "Use the https address"],
    ),
    "start URL without scheme": (
        lambda p: write_sso_session(_session(start_url="corp.awsapps.com/start"), path=p),
        ["must use https", "Use the https address"],
    ),
    "start URL without host": (
        lambda p: write_sso_session(_session(start_url="https:///start"), path=p),
        ["no proper host name", "Use the https address"],
    ),
    "garbage start URL": (
        lambda p: write_sso_session(_session(start_url="not a url"), path=p),
        ["space, bracket or control character", "Use the https address"],
    ),
    "start URL with a bad port": (
        lambda p: write_sso_session(_session(start_url="https://corp.com:99999/start"), path=p),
        ["not a valid URL", "Use the https address"],
    ),
    "start URL with a newline": (
        lambda p: write_sso_session(_session(start_url="https://corp.com/\nx=1"), path=p),
        ["space, bracket or control character", "Use the https address"],
    ),
    "legacy start URL over http": (
        lambda p: write_sso_profile(
            Profile(
                "old",
                start_url="http://x.com/start",
                sso_region="us-east-1",
                account_id="1",
                role_name="r",
            ),
            None,
            path=p,
        ),
        ["must use https", "Use the https address"],
    ),
    "newline in role name": (
        lambda p: write_sso_profile(_profile(role_name="Admin\nregion = evil"), CORP, path=p),
        ["value for sso_role_name", "line break", "Remove it"],
    ),
    "bracket in region": (
        lambda p: write_sso_profile(_profile(region="[us-east-1]"), CORP, path=p),
        ["value for region", "Remove it"],
    ),
    "carriage return in output": (
        lambda p: write_sso_profile(_profile(output="json\r"), CORP, path=p),
        ["value for output", "line break"],
    ),
    "empty account id": (
        lambda p: write_sso_profile(_profile(account_id=""), CORP, path=p),
        ["value for sso_account_id is empty", "Give a value"],
    ),
    "space around sso region": (
        lambda p: write_sso_session(_session(region=" us-east-1"), path=p),
        ["value for sso_region", "Remove the surrounding spaces"],
    ),
    "comma inside one scope": (
        lambda p: write_sso_session(_session(scopes=("a,b",)), path=p),
        ["contains a comma", "each scope as its own item"],
    ),
    "newline in a scope": (
        lambda p: write_sso_session(_session(scopes=("sso:account:access\n[x]",)), path=p),
        ["sso_registration_scopes", "line break"],
    ),
    "profile and session disagree": (
        lambda p: write_sso_profile(_profile(sso_session="other"), CORP, path=p),
        ["names the sso-session 'other'", "Pass the same session name"],
    ),
    "unknown sso-session": (
        lambda p: write_sso_profile(_profile(name="new", sso_session="ghost"), None, path=p),
        ["There is no [sso-session ghost]", "Create it by signing in", "session_name='ghost'"],
    ),
    "new profile without account": (
        lambda p: write_sso_profile(_profile(name="new", account_id=None), CORP, path=p),
        ["needs sso_account_id", "Pass account_id="],
    ),
    "new profile without role": (
        lambda p: write_sso_profile(_profile(name="new", role_name=None), CORP, path=p),
        ["needs sso_role_name", "Pass role_name="],
    ),
    "profile without any sign-in": (
        lambda p: write_sso_profile(_profile(name="new"), None, path=p),
        ["neither an sso-session nor a start URL", "Pass session_name"],
    ),
    "modern profile given a start URL": (
        lambda p: write_sso_profile(
            _profile(start_url="https://other.awsapps.com/start", sso_region="us-east-1"),
            None,
            path=p,
        ),
        ["signs in through [sso-session corp]", "pass session_name"],
    ),
}


# Refused because of the file's content rather than the input's shape.
NOT_INPUT_ERRORS = {"unknown sso-session"}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_refused_input_leaves_the_file_byte_identical(case: str, tmp_path: Path) -> None:
    call, fragments = BAD_INPUT[case]
    config = tmp_path / "config"
    config.write_bytes(ORIGINAL)
    before = os.stat(config)
    expected = ConfigError if case in NOT_INPUT_ERRORS else InvalidValueError
    with pytest.raises(expected) as info:
        call(config)
    assert (type(info.value) is InvalidValueError) == (expected is InvalidValueError)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message
    assert "\n" not in message  # one line
    assert config.read_bytes() == ORIGINAL
    after = os.stat(config)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert sorted(p.name for p in tmp_path.iterdir()) in (["config"], ["config", "config.lock"])


def test_values_are_not_echoed_in_messages(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_bytes(ORIGINAL)
    with pytest.raises(InvalidValueError) as info:
        write_sso_profile(_profile(role_name="s3cr3t-ish\nvalue"), CORP, path=config)
    assert "s3cr3t" not in str(info.value)
    with pytest.raises(InvalidValueError) as info:
        validate_start_url("https://alice:hunter2@corp.awsapps.com/start")
    assert "hunter2" not in str(info.value) and "alice" not in str(info.value)
    assert "user name or password" in str(info.value)


def test_refused_input_creates_no_file_or_folder(tmp_path: Path) -> None:
    config = tmp_path / "new-home" / ".aws" / "config"
    with pytest.raises(InvalidValueError):
        write_sso_profile(_profile(name="bad]"), CORP, path=config)
    assert not (tmp_path / "new-home").exists()


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("dev", "profile name"),
        ("ml team", "profile name"),
        ("a.b-c_d@e", "sso-session name"),
        ("émilie", "profile name"),
        ("default", "profile name"),
    ],
)
def test_validate_name_accepts_ordinary_names(name: str, what: str) -> None:
    assert validate_name(name, what) == name


@pytest.mark.parametrize(
    "url",
    [
        "https://d-1234567890.awsapps.com/start",
        "https://d-1234567890.awsapps.com/start/#/",
        "https://sso.example.com:8443/start",
        "https://localhost/start",
    ],
)
def test_validate_start_url_accepts_https(url: str) -> None:
    assert validate_start_url(url) == url
    assert validate_start_url(f"  {url}\n") == url  # a pasted URL


# -- malformed files ---------------------------------------------------------------------

MALFORMED: dict[str, tuple[bytes, int, str]] = {
    "duplicate section": (
        b"[default]\nregion = us-east-1\n\n[default]\noutput = json\n",
        4,
        "appears a second time",
    ),
    "duplicate profile (CRLF)": (
        b"# c\r\n[profile dev]\r\nregion = a\r\n[profile dev]\r\nregion = b\r\n",
        4,
        "[profile dev] appears a second time",
    ),
    "duplicate key": (
        b"[default]\nregion = us-east-1\nRegion = eu-west-1\n",
        3,
        "'region' appears a second time in [default]",
    ),
    "line outside any section": (
        b"region = us-east-1\n[default]\noutput = json\n",
        1,
        "outside any [section]",
    ),
    "comment then line outside any section": (
        b"# header\n\nregion = us-east-1\n",
        3,
        "outside any [section]",
    ),
    "garbage line": (
        b"[default]\nregion = us-east-1\nthis is not ini\n[profile x]\nregion = a\n",
        3,
        "neither a [section] header",
    ),
    "unterminated bracket": (
        b"[default]\nregion = us-east-1\n\n[profile broken\nregion = a\n",
        4,
        "neither a [section] header",
    ),
    "sub-key without '='": (
        b"[default]\nregion = a\ns3 =\n  addressing_style = path\n  oops\n",
        5,
        "needs the form key = value",
    ),
    "byte order mark": (
        b"\xef\xbb\xbf[default]\nregion = a\n",
        1,
        "outside any [section]",
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_file_is_reported_with_its_line_and_never_rewritten(
    case: str, tmp_path: Path
) -> None:
    data, line, fragment = MALFORMED[case]
    config = tmp_path / "config"
    config.write_bytes(data)
    # botocore itself refuses the file: it is the judge of what is malformed.
    with pytest.raises(botocore.exceptions.ConfigParseError):
        raw_config_parse(str(config))
    with pytest.raises(ConfigParseError) as info:
        AwsConfig.load(config)
    assert info.value.line == line
    assert fragment in info.value.problem
    assert f"{config}, line {line}:" in str(info.value)
    assert "Fix that line by hand" in str(info.value)
    for attempt in (
        lambda: write_sso_profile(_profile(), CORP, path=config),
        lambda: write_sso_session(CORP, path=config),
        lambda: plan_sso_profile(_profile(), CORP, path=config),
    ):
        with pytest.raises(ConfigParseError):
            attempt()
        assert config.read_bytes() == data


def test_non_utf8_file_is_reported_with_its_line(tmp_path: Path) -> None:
    config = tmp_path / "config"
    data = b"[default]\r\nregion = us-east-1\r\noutput = \xff\xfe\r\n"
    config.write_bytes(data)
    with pytest.raises(ConfigParseError) as info:
        write_sso_profile(_profile(), CORP, path=config)
    assert info.value.line == 3
    assert "not valid UTF-8" in str(info.value)
    assert config.read_bytes() == data


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"is a folder, not a file\. Point AWS_CONFIG_FILE"):
        AwsConfig.load(tmp_path)


def test_read_only_config_is_not_replaced(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_bytes(ORIGINAL)
    config.chmod(0o444)
    with pytest.raises(ConfigError, match=r"read-only.*chmod u\+w"):
        write_sso_profile(_profile(), CORP, path=config)
    assert config.read_bytes() == ORIGINAL
    assert (config.stat().st_mode & 0o777) == 0o444
