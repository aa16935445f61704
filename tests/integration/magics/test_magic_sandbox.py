"""%aws_sso end to end in a terminal-like IPython shell, against the sandbox over HTTP.

The person is a thread that waits for the sandbox to hold a pending code (the device card is
printed, so the test checks afterwards that the printed code is the one it answered), then
presses Allow or Deny. Role questions are answered through ``input()`` from a fake stdin.
"""

from __future__ import annotations

import _thread
import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import UnauthorizedSSOTokenError
from IPython.core.error import UsageError

from ipyawssso.magics.outcome import SignInEnded
from ipyawssso.profile_session import ProfileSession
from ipyawssso.sandbox.leak_guard import find_leaks

ACCOUNT = "100000000002"
ROLE = "USS_AI_DEV_Bedrock_Access"


class Person(threading.Thread):
    """Answers the next device code the sandbox issues, like a person on the page."""

    def __init__(self, sandbox, action: str = "allow", delay: float = 0.0) -> None:
        super().__init__(daemon=True)
        self.sandbox = sandbox
        self.action = action
        self.delay = delay
        self.codes: list[str] = []
        self.start()

    def run(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pending = self.sandbox.pending_user_codes()
            if pending:
                time.sleep(self.delay)
                self.codes.append(pending[0])
                getattr(self.sandbox, "approve" if self.action == "allow" else "deny")(pending[0])
                return
            time.sleep(0.05)


def login_line(sandbox, extra: str = "") -> str:
    return (
        f"%aws_sso login ai-dev --start-url {sandbox.start_url} --sso-region {sandbox.region} "
        f"{extra}"
    )


@pytest.fixture
def no_leaks(sandbox, aws_home: Path, capsys):
    """Whatever the test printed, and every file outside the token caches, holds no secret."""
    yield
    out = capsys.readouterr()
    aws = aws_home / ".aws"
    leaks = find_leaks(
        [out.out, out.err, aws_home],
        sandbox.issued_secrets(),
        exclude=[aws / "sso" / "cache", aws / "cli" / "cache"],
    )
    assert not leaks, "\n".join(leaks)


def test_login_creates_the_profile_and_injects_a_labelled_session(
    shell, magics, sandbox, aws_home, capsys, no_leaks
):
    person = Person(sandbox)
    shell.run_cell(login_line(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE}"))
    out = capsys.readouterr().out
    assert person.codes and person.codes[0] in out, out  # the printed code is the one approved
    assert "Check that the page shows the code" in out
    assert "Signed in to AWS for profile 'ai-dev'." in out
    assert "session is a boto3.Session for profile 'ai-dev'." in out

    session = shell.user_ns["session"]
    assert isinstance(session, boto3.Session) and isinstance(session, ProfileSession)
    shown = repr(session)
    for part in ("ai-dev", ACCOUNT, ROLE, "us-east-1", "expires_in='7h"):
        assert part in shown, shown
    assert session.client("sts").get_caller_identity()["Account"] == ACCOUNT
    config = (aws_home / ".aws" / "config").read_text()
    assert "[profile ai-dev]" in config and f"sso_account_id = {ACCOUNT}" in config


def test_second_login_asks_nothing_and_makes_no_call(shell, magics, sandbox, capsys, no_leaks):
    Person(sandbox)
    shell.run_cell(login_line(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE}"))
    capsys.readouterr()
    sandbox.reset_calls()
    started = time.monotonic()
    shell.run_cell("%aws_sso login ai-dev --var again")
    assert time.monotonic() - started < 2
    assert sum(sandbox.calls.values()) == 0
    out = capsys.readouterr().out
    assert "Sign in to AWS" not in out
    assert "again is a boto3.Session" in out


def test_traits_fill_in_a_new_profile(shell, magics, sandbox, aws_home, no_leaks):
    shell.run_line_magic("config", f"AwsSsoMagics.start_url = {sandbox.start_url!r}")
    shell.run_line_magic("config", "AwsSsoMagics.sso_region = 'us-east-1'")
    shell.run_line_magic("config", "AwsSsoMagics.region = 'eu-west-1'")
    shell.run_line_magic("config", "AwsSsoMagics.var_name = 'aws'")
    Person(sandbox)
    shell.run_cell(f"%aws_sso login ai-dev --account-id {ACCOUNT} --role-name {ROLE}")
    assert shell.user_ns["aws"].region_name == "eu-west-1"
    assert "region = eu-west-1" in (aws_home / ".aws" / "config").read_text()


def test_text_menu_picks_the_role_through_input(shell, magics, sandbox, monkeypatch, capsys):
    # account menu: filter by name, pick 1; role menu: pick USS_AI_DEV_Bedrock_Access (2)
    monkeypatch.setattr(sys, "stdin", io.StringIO("ml-002\n1\n2\n"))
    Person(sandbox)
    shell.run_cell(login_line(sandbox, "--client bedrock-runtime=bedrock"))
    out = capsys.readouterr().out
    assert "Which AWS account?" in out and "(filter: 'ml-002')" in out
    assert f"Which role in account {ACCOUNT} (sandbox-ml-002)?" in out
    assert shell.user_ns["session"].client("sts").get_caller_identity()["Account"] == ACCOUNT
    reply = shell.user_ns["bedrock"].converse(
        modelId="anthropic.claude-3-haiku-20240307-v1:0",
        messages=[{"role": "user", "content": [{"text": "hello"}]}],
    )
    assert "hello" in reply["output"]["message"]["content"][0]["text"]


def test_q_in_the_menu_cancels_and_writes_nothing(shell, magics, sandbox, aws_home, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    Person(sandbox)
    with pytest.raises(SignInEnded, match="Sign-in cancelled") as info:
        shell.run_cell(login_line(sandbox))
    assert not info.value.shown  # the card said "Signed in."; the menu's cancel needs a line
    assert "session" not in shell.user_ns
    config = aws_home / ".aws" / "config"
    assert not config.exists() or "ai-dev" not in config.read_text()


def test_ctrl_c_cancels_within_a_second(shell, magics, sandbox, capsys):
    def interrupt_when_pending() -> None:
        while not sandbox.pending_user_codes():
            time.sleep(0.05)
        _thread.interrupt_main()

    threading.Thread(target=interrupt_when_pending, daemon=True).start()
    started = time.monotonic()
    with pytest.raises(SignInEnded, match="Sign-in cancelled") as info:
        shell.run_cell(login_line(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE}"))
    assert time.monotonic() - started < 5
    assert info.value.shown  # the card's outcome line is the one line: no UsageError
    assert capsys.readouterr().out.count("cancelled") == 1


def test_denied_sign_in_says_so(shell, magics, sandbox, capsys):
    Person(sandbox, action="deny")
    with pytest.raises(SignInEnded, match="denied") as info:
        shell.run_cell(login_line(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE}"))
    assert "\n" not in str(info.value) and info.value.shown
    out = capsys.readouterr().out
    assert "The AWS sign-in for profile 'ai-dev' was denied." in out and out.count("denied") == 1


def test_whoami_status_profiles_accounts_logout(shell, magics, sandbox, aws_home, capsys, no_leaks):
    Person(sandbox)
    shell.run_cell(login_line(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE} --no-inject"))
    assert "session" not in shell.user_ns
    capsys.readouterr()

    shell.run_cell("%aws_sso whoami ai-dev")
    out = capsys.readouterr().out
    assert f"Account    {ACCOUNT}" in out and ROLE in out and "left (until" in out

    shell.run_cell("%aws_sso status")
    out = capsys.readouterr().out
    assert "d-sandbox0001" in out and sandbox.start_url in out and "ai-dev" in out

    shell.run_cell("%aws_sso profiles")
    assert f"ai-dev   {ACCOUNT}" in capsys.readouterr().out

    shell.run_cell("%aws_sso accounts ai-dev --filter ml-003")
    out = capsys.readouterr().out
    assert "100000000003" in out and ACCOUNT not in out and "2 of 6" in out

    shell.run_cell("%aws_sso logout ai-dev")
    assert "Logged out of d-sandbox0001." in capsys.readouterr().out
    assert not list((aws_home / ".aws" / "sso" / "cache").glob("*.json")) or all(
        "accessToken" not in p.read_text()
        for p in (aws_home / ".aws" / "sso" / "cache").glob("*.json")
    )
    with pytest.raises(UsageError, match="Run `%aws_sso login ai-dev`"):
        shell.run_cell("%aws_sso use ai-dev")


def test_use_exports_the_profile_to_the_environment(shell, magics, sandbox, monkeypatch):
    for name in ("AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        # setenv first, so monkeypatch restores "unset" afterwards: --export-env sets them,
        # and a later test must not inherit this test's profile.
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    Person(sandbox)
    shell.run_cell(login_line(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE} --no-inject"))
    shell.run_cell("%aws_sso use ai-dev --var dev --export-env")
    assert os.environ["AWS_PROFILE"] == "ai-dev"
    assert os.environ["AWS_REGION"] == os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
    # What `!aws ...` or a library in a subprocess sees: stock boto3, nothing of ours.
    code = "import boto3; print(boto3.Session().client('sts').get_caller_identity()['Account'])"
    child = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert child.stdout.strip() == ACCOUNT


def test_an_expired_sign_in_is_one_line_not_a_traceback(shell, magics, sandbox, capsys):
    # Role credentials live 60 s, so botocore fetches new ones on every call (it refreshes
    # within 10 minutes of expiry); the portal then finds the sign-in expired.
    sandbox.configure(role_credentials_ttl=60)
    Person(sandbox)
    shell.run_cell(login_line(sandbox, f"--account-id {ACCOUNT} --role-name {ROLE}"))
    shell.run_cell("session.client('sts').get_caller_identity()")
    capsys.readouterr()
    sandbox.expire_tokens()
    with pytest.raises(UnauthorizedSSOTokenError):
        shell.run_cell("session.client('sts').get_caller_identity()")
    out = capsys.readouterr()
    lines = [line for line in (out.out + out.err).splitlines() if line.strip()]
    assert lines == ["Your AWS sign-in for ai-dev expired. Run `%aws_sso login ai-dev`."]


def test_re_pointing_a_session_says_so_and_signs_in_anew(
    shell, magics, sandbox, aws_home, capsys, no_leaks
):
    Person(sandbox)
    line = f"--session-name org --account-id {ACCOUNT} --role-name {ROLE}"
    shell.run_cell(login_line(sandbox, line))
    capsys.readouterr()
    person = Person(sandbox)
    new_url = "https://d-neworg0001.awsapps.com/start"
    shell.run_cell(
        f"%aws_sso login ai-dev --start-url {new_url} --sso-region {sandbox.region} {line}"
    )
    out = capsys.readouterr().out
    assert f"it now points at {new_url}, so this is a new sign-in there." in out
    assert person.codes and person.codes[0] in out  # a new code was shown and approved


def test_a_login_behind_another_kernels_sign_in_says_whose_wait_it_is(
    shell, magics, sandbox, aws_home, capsys, no_leaks
):
    import ipyawssso

    shown = threading.Event()
    release = threading.Event()

    def other_kernels_person(auth) -> None:
        shown.set()
        release.wait(15)
        sandbox.approve(auth.user_code)

    other = threading.Thread(
        target=lambda: ipyawssso.login(
            "other",
            start_url=sandbox.start_url,
            sso_region=sandbox.region,
            session_name="org",
            account_id=ACCOUNT,
            role_name=ROLE,
            on_pending=other_kernels_person,
        )
    )
    other.start()
    try:
        assert shown.wait(15)
        with pytest.raises(UsageError) as info:
            shell.run_cell(
                login_line(
                    sandbox,
                    f"--session-name org --account-id {ACCOUNT} --role-name {ROLE} --timeout 1",
                )
            )
    finally:
        release.set()
        other.join(20)
    out = capsys.readouterr().out
    assert "Waiting for the AWS sign-in started in another notebook or terminal" in out
    assert "started in another notebook or process was not finished within 1 s" in str(info.value)
    assert "expired before it was approved" not in str(info.value)


def test_use_and_profiles_take_a_profile_that_lives_only_in_credentials(
    shell, magics, sandbox, aws_home, capsys, no_leaks
):
    credentials = Path(os.environ["AWS_SHARED_CREDENTIALS_FILE"])
    credentials.write_text(
        "[keys]\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\n"
        "aws_secret_access_key = not-a-real-secret-example-value-0000000\n"
    )
    shell.run_cell("%aws_sso use keys")
    assert isinstance(shell.user_ns["session"], boto3.Session)
    assert shell.user_ns["session"].profile_name == "keys"
    shell.run_cell("%aws_sso profiles")
    out = capsys.readouterr().out
    assert "keys" in out and "access keys" in out
    with pytest.raises(UsageError, match="nothing to sign in to"):
        shell.run_cell("%aws_sso login keys")
    assert not Path(os.environ["AWS_CONFIG_FILE"]).exists()
