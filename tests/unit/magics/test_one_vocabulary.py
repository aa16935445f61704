"""One vocabulary: the magic, the terminal command and the Python API accept the same values.

They used to keep their own patterns, and ``%aws_sso login --region us-east-100`` passed the
magic only for the core to refuse it. Each front end is asked through its own user's path.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from IPython.core.error import UsageError

import ipyawssso
from ipyawssso import cli
from ipyawssso.core.errors import InvalidValueError
from ipyawssso.core.vocabulary import ISO_TIME_FORMAT, OUTPUT_FORMATS, iso_time
from ipyawssso.widgets.profile_form import OUTPUT_FORMATS as FORM_OUTPUTS

REGIONS = {
    "us-east-1": True,
    "eu-central-2": True,
    "us-gov-west-1": True,
    "ap-southeast-10": True,
    "us-east-100": False,
    "useast1": False,
    "US-EAST-1": False,
    "us-east": False,
    "us-east-1a": False,
}
ACCOUNT_IDS = {
    "123456789012": True,
    "012345678901": True,
    "12345678901": False,
    "12345678901x": False,
}


def _magic_accepts(magics, option: str, value: str) -> bool:
    try:
        magics.parse(f"login ai-dev {option} {value}")
    except UsageError:
        return False
    return True


def _terminal_accepts(option: str, value: str) -> bool:
    try:
        cli.build_parser().parse_args(["login", "ai-dev", option, value])
    except SystemExit:
        return False
    return True


def _python_accepts(aws_home, **values: str) -> bool:
    """``login()`` checks values before any network call; with no sso-session it then asks
    which IAM Identity Center to use, which means the values passed."""
    try:
        ipyawssso.login("ai-dev", **values)
    except InvalidValueError as exc:
        return "Identity Center should this profile use" in str(exc)
    raise AssertionError("login() went on without a start URL")


@pytest.mark.parametrize(("region", "valid"), REGIONS.items())
def test_a_region_is_a_region_for_every_front_end(shell, magics, aws_home, capsys, region, valid):
    assert _magic_accepts(magics, "--region", region) is valid
    assert _magic_accepts(magics, "--sso-region", region) is valid
    assert _terminal_accepts("--region", region) is valid
    assert _python_accepts(aws_home, region=region) is valid


@pytest.mark.parametrize(("account_id", "valid"), ACCOUNT_IDS.items())
def test_an_account_id_is_one_for_every_front_end(
    shell, magics, aws_home, capsys, account_id, valid
):
    assert _magic_accepts(magics, "--account-id", account_id) is valid
    assert _terminal_accepts("--account-id", account_id) is valid
    assert _python_accepts(aws_home, account_id=account_id) is valid


def test_the_magic_refuses_the_region_the_core_refuses_in_one_line(shell, magics):
    with pytest.raises(UsageError) as info:
        shell.run_cell("%aws_sso login ai-dev --region us-east-100")
    assert "'us-east-100' is not an AWS region" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("output", OUTPUT_FORMATS)
def test_every_output_format_is_offered_everywhere(shell, magics, aws_home, capsys, output):
    assert _magic_accepts(magics, "--output", output)
    assert _terminal_accepts("--output", output)
    assert _python_accepts(aws_home, output=output)
    assert output in FORM_OUTPUTS


def test_an_unknown_output_format_is_refused_everywhere(shell, magics, aws_home, capsys):
    assert not _magic_accepts(magics, "--output", "xml")
    assert not _terminal_accepts("--output", "xml")
    assert not _python_accepts(aws_home, output="xml")


def test_iso_time_is_the_aws_cli_cache_form_in_utc():
    moment = datetime(2026, 11, 1, 13, 34, 56, tzinfo=timezone(timedelta(hours=1)))
    assert iso_time(moment) == "2026-11-01T12:34:56Z"
    assert datetime.strptime(iso_time(moment), ISO_TIME_FORMAT).replace(tzinfo=UTC) == moment


@pytest.mark.parametrize(
    ("option", "value", "valid"),
    [
        ("--timeout", "90", True),
        ("--timeout", "nan", False),
        ("--timeout", "0", False),
        ("--scopes", "sso:account:access", True),
        ("--scopes", ",", False),
    ],
)
def test_the_magic_and_the_terminal_read_a_flag_alike(magics, capsys, option, value, valid):
    assert _magic_accepts(magics, option, value) is valid
    assert _terminal_accepts(option, value) is valid
    capsys.readouterr()
