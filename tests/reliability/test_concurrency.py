"""Many processes at once, as when a team's notebooks all "Run All" together: 8 sign-ins to one
sso-session make one device flow (a lock next to the token), and 16 processes adding profiles
to one config lose nothing (a lock next to the config)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time

from botocore.configloader import raw_config_parse

from tests.reliability.conftest import REPO, SESSION, config_file

SIGN_INS = 8
EDITORS = 16
EDITS_EACH = 4


def _start_together(code: str, count: int) -> list[subprocess.Popen[str]]:
    """Start ``count`` children, wait until each has imported everything, then release them
    at once (each waits for a line on stdin)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    children = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        for _ in range(count)
    ]
    for child in children:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line == "ready", (line, child.stderr.read() if child.stderr else "")
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    return children


def _results(children: list[subprocess.Popen[str]], timeout: float = 90) -> list[dict]:
    out = []
    for child in children:
        stdout, stderr = child.communicate(timeout=timeout)
        assert child.returncode == 0, stderr[-3000:]
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


SIGN_IN = textwrap.dedent(
    """
    import json, sys, time
    import ipyawssso
    codes = []
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.monotonic()
    status = ipyawssso.sign_in(
        session_name={session!r}, start_url={start_url!r}, sso_region={region!r},
        on_pending=lambda a: codes.append(a.user_code))
    expires = status.expires_at.replace(microsecond=0).isoformat()  # the file keeps seconds
    print(json.dumps({{"codes": codes, "expires": expires,
                      "seconds": time.monotonic() - started}}))
    """
)


def test_eight_processes_signing_in_at_once_make_one_device_flow(sandbox):
    code = SIGN_IN.format(session=SESSION, start_url=sandbox.start_url, region=sandbox.region)
    approved: list[str] = []
    stop = threading.Event()

    def person() -> None:  # approves whatever code appears, as often as asked
        while not stop.is_set():
            for user_code in sandbox.pending_user_codes():
                sandbox.approve(user_code)
                approved.append(user_code)
            time.sleep(0.05)

    threading.Thread(target=person, daemon=True).start()
    try:
        results = _results(_start_together(code, SIGN_INS))
    finally:
        stop.set()
    shown = [c for r in results for c in r["codes"]]
    calls = sandbox.calls
    print(
        f"{SIGN_INS} processes: StartDeviceAuthorization x{calls['StartDeviceAuthorization']}, "
        f"RegisterClient x{calls['RegisterClient']}, codes shown {len(shown)}, "
        f"slowest {max(r['seconds'] for r in results):.1f} s"
    )
    assert sandbox.calls["StartDeviceAuthorization"] == 1
    assert sandbox.calls["RegisterClient"] == 1
    assert len(shown) == 1 and approved == shown
    assert len({r["expires"] for r in results}) == 1, "they did not all get the same sign-in"
    text = config_file().read_text()
    assert text.count(f"[sso-session {SESSION}]") == 1
    assert raw_config_parse(str(config_file()))[f"sso-session {SESSION}"]["sso_start_url"] == (
        sandbox.start_url
    )


EDIT = textwrap.dedent(
    """
    import json, os, sys
    import ipyawssso
    me = os.getpid()
    print("ready", flush=True)
    sys.stdin.readline()
    names = []
    for k in range({edits}):
        name = f"p{{me}}-{{k}}"
        ipyawssso.save_profile(name, session_name="team", account_id=f"{{me % 10**12:012d}}",
                               role_name=f"Role{{k}}")
        names.append(name)
    print(json.dumps({{"names": names}}))
    """
)


def test_sixteen_processes_editing_distinct_profiles_lose_nothing(aws_home):
    original = (
        "# team config, keep this comment\n"
        "[sso-session team]\n"
        "sso_start_url = https://d-team.awsapps.com/start\n"
        "sso_region = eu-west-1\n"
        "sso_registration_scopes = sso:account:access\n"
    )
    config_file().write_text(original)
    results = _results(_start_together(EDIT.format(edits=EDITS_EACH), EDITORS))
    written = {name for r in results for name in r["names"]}
    assert len(written) == EDITORS * EDITS_EACH
    parsed = raw_config_parse(str(config_file()))
    found = {header.removeprefix("profile ") for header in parsed if header.startswith("profile")}
    assert found == written, f"lost: {sorted(written - found)[:5]}"
    for name in written:
        pid, k = name[1:].split("-")
        assert parsed[f"profile {name}"]["sso_role_name"] == f"Role{k}"
        assert parsed[f"profile {name}"]["sso_account_id"] == f"{int(pid) % 10**12:012d}"
    assert config_file().read_text().startswith(original)
