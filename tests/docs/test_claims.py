"""The README's behavioural promises, each held by a test that quotes the sentence it guards.

The user's path every time: ``%aws_sso`` in a real IPython shell (history off, errors raised),
stock botocore over HTTP to the sandbox, the sandbox's request counter as the witness of the
network, and the files on disk as the witness of what was written. The sandbox approves every
code at once (its auto-approve, what a person pressing Allow does); a question through
``input()`` fails the test unless the test expects one.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from ipyawssso.sandbox.leak_guard import find_leaks

REPO = Path(__file__).resolve().parents[2]
CLI = REPO / "tests" / "fixtures" / "awscli-v2"
ACCOUNT, ROLE = "100000000001", "ReadOnly"


class RaisingShell(InteractiveShell):
    """``run_cell`` re-raises the cell's error, so a failing magic fails the test."""

    def run_cell(self, raw_cell, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = super().run_cell(raw_cell, *args, **kwargs)
        result.raise_error()
        return result


class NoQuestions:
    """stdin of a person who is not there: any question is a failure of the promise."""

    def readline(self, *_args: object) -> str:
        raise AssertionError("the login asked a question")

    def isatty(self) -> bool:
        return False


@pytest.fixture
def shell(sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    sandbox.configure(auto_approve_after=0)
    monkeypatch.setenv("IPYAWSSSO_CACHE_DIR", str(tmp_path / "roles"))
    monkeypatch.setattr("sys.stdin", NoQuestions())
    for name in ("AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)  # restored after the test, whatever it sets
    config = Config()
    config.HistoryManager.enabled = False
    InteractiveShell.clear_instance()
    sh = RaisingShell.instance(config=config, ipython_dir=str(tmp_path / "ipython"))
    sh.run_line_magic("load_ext", "ipyawssso")
    try:
        yield sh
    finally:
        sh.run_line_magic("unload_ext", "ipyawssso")
        RaisingShell.clear_instance()


def login_line(sandbox, profile: str = "ai-dev", extra: str = "") -> str:
    return (
        f"%aws_sso login {profile} --start-url {sandbox.start_url} --sso-region {sandbox.region} "
        f"--account-id {ACCOUNT} --role-name {ROLE} {extra}"
    )


def token_file(home: Path) -> Path:
    (path,) = [
        p
        for p in (home / ".aws" / "sso" / "cache").glob("*.json")
        if "accessToken" in p.read_text()
    ]
    return path


def set_time_left(home: Path, left: timedelta) -> None:
    """What the token file says after hours of work: the same token, nearer its end."""
    path = token_file(home)
    data = json.loads(path.read_text())
    data["expiresAt"] = (datetime.now(UTC) + left).strftime("%Y-%m-%dT%H:%M:%SZ")
    path.write_text(json.dumps(data))


def test_with_more_than_15_minutes_left_login_makes_no_network_call(shell, sandbox, capsys):
    """README: "With more than 15 minutes left it returns at once (no browser, no network
    call)"; tokens.md: "`%aws_sso login` asks nothing while more than 15 minutes are left, and
    makes no network call then." """
    shell.run_cell(login_line(sandbox))
    shell.user_ns.pop("session")
    capsys.readouterr()
    sandbox.reset_calls()

    shell.run_cell("%aws_sso login ai-dev")

    assert sum(sandbox.calls.values()) == 0, sandbox.calls
    assert "session" in shell.user_ns
    assert "Sign in to AWS" not in capsys.readouterr().out  # no device card, no browser


def test_closer_to_the_end_it_renews_through_the_refresh_token(shell, sandbox, aws_home, capsys):
    """README: "closer to the end it renews the sign-in through its refresh token (a network
    call, no browser)"."""
    shell.run_cell(login_line(sandbox))
    set_time_left(aws_home, timedelta(minutes=10))
    capsys.readouterr()
    sandbox.reset_calls()

    shell.run_cell("%aws_sso login ai-dev")

    assert sandbox.calls["CreateToken"] == 1  # the refresh-token grant
    assert sandbox.calls["StartDeviceAuthorization"] == 0
    assert "Sign in to AWS" not in capsys.readouterr().out
    left = json.loads(token_file(aws_home).read_text())["expiresAt"]
    assert datetime.strptime(left, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) > datetime.now(
        UTC
    ) + timedelta(hours=7)


def test_once_expired_only_the_device_code_is_asked_for(shell, sandbox, aws_home, capsys):
    """README: "when it has expired, only the device code is asked for." """
    shell.run_cell(login_line(sandbox))
    config_before = Path(os.environ["AWS_CONFIG_FILE"]).read_bytes()
    set_time_left(aws_home, timedelta(minutes=-5))
    sandbox.revoke_refresh_tokens()  # the sign-in's session has ended: no renewal possible
    capsys.readouterr()
    sandbox.reset_calls()

    shell.run_cell("%aws_sso login ai-dev")  # NoQuestions: no account, role or URL asked

    assert sandbox.calls["StartDeviceAuthorization"] == 1
    assert "Sign in to AWS for profile 'ai-dev'" in capsys.readouterr().out  # the code card
    assert Path(os.environ["AWS_CONFIG_FILE"]).read_bytes() == config_before


def test_no_secret_is_printed_logged_or_written_elsewhere(shell, sandbox, aws_home, capsys, caplog):
    """README: "Tokens, keys and secrets are never printed, logged, or saved in a notebook."

    Printed and logged: every subcommand here, with ipyawssso's loggers at DEBUG. Saved in a
    notebook: the example notebooks and kernel tests run the same leak guard on the .ipynb
    (``tests/docs/test_example_notebooks.py``, ``tests/kernel``).
    """
    caplog.set_level(logging.DEBUG, logger="ipyawssso")
    shell.run_cell(login_line(sandbox, extra="--client sts=sts --export-env"))
    shell.run_cell("print(repr(session), session.get_credentials() is not None)")
    shell.run_cell("sts.get_caller_identity()")
    for line in (
        "%aws_sso whoami",
        "%aws_sso status",
        "%aws_sso profiles",
        "%aws_sso accounts --refresh",
        "%aws_sso use ai-dev --var again",
        "%aws_sso logout ai-dev",
    ):
        shell.run_cell(line)
    out = capsys.readouterr()
    aws = aws_home / ".aws"
    places = [out.out, out.err, caplog.text, aws_home, Path(os.environ["IPYAWSSSO_CACHE_DIR"])]
    leaks = find_leaks(
        places, sandbox.issued_secrets(), exclude=[aws / "sso" / "cache", aws / "cli" / "cache"]
    )
    assert not leaks, "\n".join(leaks)
    assert "Logged out of" in out.out  # the run went all the way


def test_new_sections_are_byte_for_byte_what_aws_configure_sso_writes(shell, sandbox):
    """README: "It writes `[profile ai-dev]` and its `[sso-session]` to `~/.aws/config` exactly
    as the AWS CLI v2 would" — compared with the file the real AWS CLI v2 wrote for the same
    answers (``tests/fixtures/awscli-v2``)."""
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_bytes((CLI / "before.ini").read_bytes())

    shell.run_cell(
        "%aws_sso login ai-dev --start-url https://d-1234567890.awsapps.com/start "
        "--sso-region us-east-1 --session-name my-sso-session --account-id 100000000001 "
        "--role-name ReadOnly --region us-east-1 --output json"
    )

    assert config.read_bytes() == (CLI / "after-configure-sso.ini").read_bytes()


ODD = (
    b"# hand-written, CRLF, odd spacing: keep all of it\r\n"
    b"[default]\r\n"
    b"region=eu-west-1\r\n"
    b"\r\n"
    b"[profile ai-dev]\r\n"
    b"sso_session = d-sandbox0001\r\n"
    b"sso_account_id = 100000000001\r\n"
    b"sso_role_name = ReadOnly\r\n"
    b"region = us-east-1\r\n"
    b"\r\n"
    b"  # an indented comment between sections\r\n"
    b"[profile  keys ]\r\n"
    b"aws_access_key_id\t=\tAKIAEXAMPLE\r\n"
    b"\r\n"
    b"[sso-session d-sandbox0001]\r\n"
    b"sso_start_url = {start_url}\r\n"
    b"sso_region = us-east-1\r\n"
    b"sso_registration_scopes = sso:account:access\r\n"
    b"\r\n"
    b"[services local]\r\n"
    b"s3 =\r\n"
    b"  endpoint_url = http://localhost:9000"
)


def sections(raw: bytes) -> dict[bytes, bytes]:
    """The file cut at its section headers: header line -> the bytes up to the next one."""
    cut: dict[bytes, bytes] = {}
    name = b""
    for line in raw.splitlines(keepends=True):
        if line.startswith(b"["):
            name = line.strip()
        cut[name] = cut.get(name, b"") + line
    return cut


def test_everything_outside_the_edited_section_stays_byte_for_byte(shell, sandbox):
    """README: "byte for byte preserving everything else" — comments, CRLF, odd spacing, a
    missing final newline, sections we do not manage."""
    config = Path(os.environ["AWS_CONFIG_FILE"])
    before = ODD.replace(b"{start_url}", sandbox.start_url.encode())
    config.write_bytes(before)

    # Edit an existing profile: a new role for ai-dev.
    shell.run_cell(
        f"%aws_sso login ai-dev --account-id {ACCOUNT} --role-name USS_AI_DEV_Bedrock_Access"
    )
    after = config.read_bytes()
    old, new = sections(before), sections(after)
    assert b"sso_role_name = USS_AI_DEV_Bedrock_Access\r\n" in new[b"[profile ai-dev]"]
    assert {k: v for k, v in new.items() if k != b"[profile ai-dev]"} == {
        k: v for k, v in old.items() if k != b"[profile ai-dev]"
    }
    assert list(new) == list(old)

    # Add a profile: the old bytes stay as they were, in front of the new section.
    shell.run_cell(login_line(sandbox, profile="ai-ops"))
    added = config.read_bytes()
    assert added.startswith(after)
    assert b"[profile ai-ops]" in added[len(after) :]


def test_the_token_cache_is_the_cli_cache_0600_in_0700(shell, sandbox, aws_home):
    """README: "It keeps the token in the CLI's own cache (`~/.aws/sso/cache`, 0600 files in
    0700 folders)"."""
    shell.run_cell(login_line(sandbox))
    shell.run_cell("session.client('sts').get_caller_identity()")  # writes role credentials
    for folder in (aws_home / ".aws" / "sso" / "cache", aws_home / ".aws" / "cli" / "cache"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        files = list(folder.glob("*.json"))
        assert files, folder
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_export_env_sets_three_variables_and_nothing_else(shell, sandbox):
    """security.md: "**`--export-env`** sets `AWS_PROFILE`, `AWS_REGION` and
    `AWS_DEFAULT_REGION` only. Keys are never put in the environment"."""
    shell.run_cell(login_line(sandbox, extra="--no-inject"))
    before = dict(os.environ)

    shell.run_cell("%aws_sso use ai-dev --export-env")

    changed = {k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k)}
    assert changed == {"AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"}


def test_the_role_list_on_disk_holds_names_ids_and_emails(shell, sandbox):
    """magics.md: "from the on-disk list when there is one (names, ids and e-mails, never a
    secret)"; panel.md: "The list is kept on disk (names, ids and e-mails, never a secret)"."""
    shell.run_cell(login_line(sandbox, extra="--no-inject"))
    shell.run_cell("%aws_sso accounts ai-dev --refresh")
    (path,) = Path(os.environ["IPYAWSSSO_CACHE_DIR"]).rglob("*.json")
    data = json.loads(path.read_text())
    assert set(data) == {"version", "startUrl", "region", "savedAt", "accounts", "roles"}
    assert {key for account in data["accounts"] for key in account} == {
        "accountId",
        "accountName",
        "emailAddress",
    }
    assert all(isinstance(name, str) for names in data["roles"].values() for name in names)
    assert not find_leaks([path], sandbox.issued_secrets())


def test_a_wheel_carries_the_lab_extension_built():
    """README: "a wheel (`pip install ipyawssso`) carries it built and needs no Node.js";
    jupyterlab.md: "the wheel carries the extension built, so there is no `jupyter labextension
    install` and no Node.js to install".

    What makes it so: the wheel's build hook ensures the built files exist (building them with
    Node.js on the packager's machine when they do not), and ships that folder as the
    extension's data files. A wheel built from this tree therefore holds what JupyterLab loads.
    """
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    hatch = project["tool"]["hatch"]["build"]
    shared = hatch["targets"]["wheel"]["shared-data"]
    assert shared["ipyawssso/labextension"] == "share/jupyter/labextensions/ipyawssso"
    ensured = hatch["hooks"]["jupyter-builder"]["ensured-targets"]
    assert "ipyawssso/labextension/package.json" in ensured
    for target in ensured:
        assert (REPO / target).is_file(), f"{target}: build the extension (pip install -e .)"
    built = json.loads((REPO / "ipyawssso/labextension/package.json").read_text())
    entry = built["jupyterlab"]["_build"]["load"]  # written by the build, read by JupyterLab
    assert (REPO / "ipyawssso/labextension" / entry).is_file()
    assert (
        "Framework :: Jupyter :: JupyterLab :: Extensions :: Prebuilt"
        in (project["project"]["classifiers"])
    )


def test_status_reads_the_cache_only(shell, sandbox, aws_home, capsys):
    """magics.md, `status`: "It reads the cache only; no network call." — even for a sign-in
    near its end, which `login` would renew."""
    shell.run_cell(login_line(sandbox, extra="--no-inject"))
    set_time_left(aws_home, timedelta(minutes=10))
    capsys.readouterr()
    sandbox.reset_calls()

    shell.run_cell("%aws_sso status")

    assert sum(sandbox.calls.values()) == 0, sandbox.calls
    assert "ai-dev" in capsys.readouterr().out
