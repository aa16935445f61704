"""Two processes (two kernels) editing different profiles of one config at once lose nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from botocore.configloader import load_config

from ipyawssso.core.aws_config import AwsConfig

REPO = Path(__file__).resolve().parents[3]
UPDATES = 50

WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ipyawssso.core.aws_config import write_sso_profile
    from ipyawssso.core.models import Profile, SsoSession

    worker, config, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    updates = int(sys.argv[4])
    session = SsoSession("corp", "https://corp.awsapps.com/start", "us-east-1")
    deadline = time.monotonic() + 30
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit("never told to start")
        time.sleep(0.005)
    for i in range(updates):
        profile = Profile(
            f"{worker}-{i:02d}",
            account_id=f"{i:012d}",
            role_name=f"Role{worker}",
            region="eu-west-1",
        )
        write_sso_profile(profile, session, path=config)
        if i % 10 == 9:  # and edit an existing profile again, in place
            write_sso_profile(
                Profile(f"{worker}-{i - 5:02d}", role_name=f"Edited{worker}"), None, path=config
            )
    print("done", worker)
    """
)


def test_two_processes_times_fifty_updates_lose_nothing(tmp_path: Path) -> None:
    config = tmp_path / ".aws" / "config"
    config.parent.mkdir(mode=0o700)
    original = "# shared by two kernels\r\n[default]\r\nregion = us-east-1\r\n"
    config.write_bytes(original.encode())
    go = tmp_path / "go"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, name, str(config), str(go), str(UPDATES)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    time.sleep(0.5)  # both are importing; then start them together
    started = time.monotonic()
    go.touch()
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        assert out.startswith("done")
    elapsed = time.monotonic() - started
    print(f"2 x {UPDATES} locked updates (+ {UPDATES // 5} in-place edits) in {elapsed:.2f} s")

    text = config.read_bytes().decode()
    assert text.startswith(original)  # the untouched start, CRLF and comment included
    assert "\n" not in text.replace("\r\n", "")  # every new line in the file's CRLF
    profiles = load_config(str(config))["profiles"]
    config_view = AwsConfig.load(config)
    for worker in ("a", "b"):
        for i in range(UPDATES):
            name = f"{worker}-{i:02d}"
            assert profiles[name]["sso_account_id"] == f"{i:012d}", name
            assert profiles[name]["sso_session"] == "corp"
            edited = i % 10 == 4
            role = f"Edited{worker}" if edited else f"Role{worker}"
            assert config_view.profile(name).role_name == role, name
    assert len(profiles) == 2 * UPDATES + 1
    assert list(config_view.sso_sessions) == ["corp"]
    assert text.count("[sso-session corp]") == 1
    leftovers = {p.name for p in config.parent.iterdir()} - {"config", "config.lock"}
    assert leftovers == set()
