"""%aws_sso in terminal IPython: the numbered menu through the keyboard, Ctrl-C to cancel."""

from __future__ import annotations

import time

CODE = r"shows the code ([A-Z0-9]{4}-[A-Z0-9]{4})"
PROMPT = r"In \[\d+\]:"


def start_login(child, sandbox, extra: str = "") -> str:
    child.sendline("%load_ext ipyawssso")
    child.expect(PROMPT)
    child.sendline(
        f"%aws_sso login ai-dev --start-url {sandbox.start_url} --sso-region {sandbox.region}"
        + extra
    )
    child.expect(CODE)
    code = child.match.group(1)
    child.expect("Press Ctrl-C to cancel.")
    return code


def test_text_menu_driven_from_the_keyboard(terminal_ipython, sandbox):
    child = terminal_ipython
    code = start_login(child, sandbox)
    sandbox.approve(code)  # the person pressed Allow on the page for the code they read
    child.expect("Signed in to AWS for profile 'ai-dev'.")
    child.expect("Which AWS account?")
    child.expect("> ")
    child.sendline("ml-002")  # filter
    child.expect(r"\(filter: 'ml-002'\)")
    child.expect(r"1\) 100000000002  sandbox-ml-002")
    child.expect("> ")
    child.sendline("1")
    child.expect(r"Which role in account 100000000002 \(sandbox-ml-002\)\?")
    child.expect(r"2\) USS_AI_DEV_Bedrock_Access")
    child.expect("> ")
    child.sendline("2")
    child.expect("session is a boto3.Session for profile 'ai-dev'.")
    child.expect(PROMPT)
    child.sendline("session.client('sts').get_caller_identity()['Arn']")
    child.expect("arn:aws:sts::100000000002:assumed-role/USS_AI_DEV_Bedrock_Access/")
    child.expect(PROMPT)
    child.sendline("%aws_sso whoami")
    child.expect(r"Account    100000000002")


def test_ctrl_c_cancels_the_sign_in_and_gives_the_prompt_back(terminal_ipython, sandbox):
    child = terminal_ipython
    start_login(child, sandbox, " --account-id 100000000002 --role-name ReadOnly")
    started = time.monotonic()
    child.sendintr()
    child.expect("AWS sign-in for profile .ai-dev. cancelled.")
    child.expect(PROMPT)
    assert time.monotonic() - started < 5
    child.sendline("'session' in dir()")
    child.expect("False")
