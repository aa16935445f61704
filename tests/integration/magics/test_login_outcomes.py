"""What a finished ``%aws_sso login`` says, once and in its own words.

Terminal-like IPython against the sandbox: the sandbox approves codes by itself where a test
needs a sign-in (its auto-approve), and no one approves where a test needs the wait to run out.
"""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

from ipyawssso.core.errors import LoginTimeout
from ipyawssso.widgets.panel import describe_error

ACCOUNT, ROLE = "100000000001", "ReadOnly"
SIGNED_IN = "Signed in to AWS for profile 'ai-dev'."


def login_line(sandbox, extra: str = "") -> str:
    return (
        f"%aws_sso login ai-dev --start-url {sandbox.start_url} --sso-region {sandbox.region} "
        f"--account-id {ACCOUNT} --role-name {ROLE} {extra}"
    )


def test_no_inject_says_signed_in_once(shell, magics, sandbox, capsys):
    sandbox.configure(auto_approve_after=0)
    shell.run_cell(login_line(sandbox, "--no-inject"))  # with a device card
    out = capsys.readouterr().out
    assert out.count(SIGNED_IN) == 1, out
    assert "session" not in shell.user_ns

    shell.run_cell("%aws_sso login ai-dev --no-inject")  # signed in already: no card
    assert capsys.readouterr().out.count(SIGNED_IN) == 1


def test_a_timeout_says_the_wait_ended_not_that_the_code_expired(shell, magics, sandbox, capsys):
    with pytest.raises(UsageError) as info:
        shell.run_cell(login_line(sandbox, "--timeout 1"))
    message = str(info.value)
    assert message.startswith("The sign-in timed out after 1 s, before the code was approved.")
    assert "--timeout" in message and "\n" not in message
    out = capsys.readouterr().out
    assert (
        "The AWS sign-in for profile 'ai-dev' stopped waiting for approval. No approval "
        "within 1 s." in out
    )
    assert "expired before it was approved" not in out
    assert sandbox.pending_user_codes(), "the code itself is still valid"


def test_the_lab_card_of_a_timeout_is_an_expired_card_with_its_message():
    from datetime import UTC, datetime, timedelta

    from ipyawssso.core.models import DeviceAuthorization
    from ipyawssso.display import DEVICE_MIME, device_bundle

    auth = DeviceAuthorization(
        user_code="ABCD-EFGH",
        verification_uri="https://device.sso.us-east-1.amazonaws.com/",
        verification_uri_complete="https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH",
        expires_at=datetime.now(UTC) + timedelta(minutes=10),
        interval=5,
    )
    bundle = device_bundle(auth, "ai-dev", "timed_out", "No approval within 1 s.")
    assert bundle[DEVICE_MIME]["state"] == "expired"  # a state the lab renderer knows
    assert bundle[DEVICE_MIME]["message"] == "No approval within 1 s."
    assert "expired" not in bundle["text/plain"]


@pytest.mark.parametrize(
    "line",
    ["login ai-dev --var 1x", "login ai-dev --client s3=1x", "login ai-dev --region xx", "use"],
)
def test_usage_errors_end_each_sentence_once(shell, magics, line):
    with pytest.raises(UsageError) as info:
        shell.run_cell(f"%aws_sso {line}")
    assert ".." not in str(info.value).replace("...", ""), str(info.value)


def test_panel_errors_end_each_sentence_once():
    assert ".." not in describe_error(OSError("Connection refused."))
    assert ".." not in describe_error(LoginTimeout(5))
