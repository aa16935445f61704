"""kill -9 in the middle of writing: a child process rewrites the config (or the token) as fast
as it can and is killed at random moments. Every time, the file on disk is a complete old or new
version that botocore reads, and the next writer is not blocked by a dead one's lock."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from botocore.configloader import raw_config_parse

from tests.reliability.conftest import REPO, config_file, run_python

ROUNDS = 8

BASE = (
    "# my settings\n"
    "[default]\n"
    "region = eu-west-1\n"
    "\n"
    "[sso-session crash]\n"
    "sso_start_url = https://d-crash.awsapps.com/start\n"
    "sso_region = us-east-1\n"
    "sso_registration_scopes = sso:account:access\n"
    "\n"
    "[profile hammer]\n"
    "sso_session = crash\n"
    "sso_account_id = 000000000000\n"
    "sso_role_name = ReadOnly\n"
)

CONFIG_HAMMER = textwrap.dedent(
    """
    import sys
    from ipyawssso.core.aws_config import write_sso_profile
    from ipyawssso.core.models import Profile
    n = 0
    print("ready", flush=True)
    while True:
        n += 1
        write_sso_profile(Profile("hammer", sso_session="crash", account_id=f"{n:012d}",
                                  role_name="ReadOnly"), None)
    """
)

TOKEN_HAMMER = textwrap.dedent(
    """
    from datetime import datetime, timedelta, timezone
    from ipyawssso.core.models import Token
    from ipyawssso.core.token_cache import TokenCache
    cache = TokenCache()
    n = 0
    print("ready", flush=True)
    while True:
        n += 1
        cache.save_token("crash", Token(
            start_url="https://d-crash.awsapps.com/start", region="us-east-1",
            access_token=f"at-{n:08d}" + "x" * 3000,
            expires_at=datetime(2030, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=n),
            client_id="cid", client_secret="csec-" + "y" * 2000,
            registration_expires_at=datetime(2030, 1, 1, tzinfo=timezone.utc),
            refresh_token=f"rt-{n:08d}" + "z" * 2000))
    """
)


def _age_leftovers(folder: Path) -> list[Path]:
    """The temp files killed writers left, made to look two minutes old."""
    leftovers = [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    old = time.time() - 120
    for path in leftovers:
        os.utime(path, (old, old))
    return leftovers


def _hammer_and_kill(code: str, check) -> list[float]:
    """Start the hammer, let it write for a random moment, kill -9; ``check()`` the file."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    moments = []
    rng = random.Random(8628)
    for _ in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env, cwd=REPO
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        moment = rng.uniform(0.01, 0.25)
        time.sleep(moment)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert child.returncode == -signal.SIGKILL
        moments.append(moment)
        check()
    return moments


def test_config_is_always_the_old_or_the_new_version(aws_home):
    config_file().write_text(BASE)
    config_file().chmod(0o600)
    seen: set[int] = set()

    def check() -> None:
        text = config_file().read_text()
        account = raw_config_parse(str(config_file()))["profile hammer"]["sso_account_id"]
        assert text == BASE.replace("000000000000", account), "a partial or mixed file"
        seen.add(int(account))

    _hammer_and_kill(CONFIG_HAMMER, check)
    assert len(seen) >= ROUNDS // 2, "the kills did not land during writes"
    leftovers = _age_leftovers(config_file().parent)
    # A dead writer's lock does not block the next one (flock dies with its process), and
    # the next write removes the partial copies dead writers left.
    started = time.monotonic()
    result = run_python(
        "from ipyawssso.core.aws_config import write_sso_profile\n"
        "from ipyawssso.core.models import Profile\n"
        "write_sso_profile(Profile('after', sso_session='crash', account_id='123456789012',"
        " role_name='ReadOnly'), None)\n",
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 10
    assert "[profile after]" in config_file().read_text()
    assert not [p for p in config_file().parent.iterdir() if p.name.endswith(".tmp")]
    print(f"kills landed after writes {sorted(seen)}; {len(leftovers)} partial copies swept")


def test_token_is_always_a_whole_token(aws_home):
    cache = Path(os.environ["HOME"]) / ".aws" / "sso" / "cache"
    counters: set[str] = set()

    def check() -> None:
        files = [p for p in cache.glob("*.json")]
        if not files:
            return
        [token] = files
        data = json.loads(token.read_text())  # never a partial JSON document
        assert data["accessToken"][3:11] == data["refreshToken"][3:11], "a mixed file"
        assert oct(token.stat().st_mode & 0o777) == "0o600"
        counters.add(data["accessToken"][3:11])

    _hammer_and_kill(TOKEN_HAMMER, check)
    assert len(counters) >= ROUNDS // 2
    leftovers = _age_leftovers(cache)
    result = run_python(TOKEN_HAMMER.replace("while True:", "for _ in range(1):"))
    assert result.returncode == 0, result.stderr
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")], "partial tokens stay"
    print(f"{len(leftovers)} partial token copies swept")
