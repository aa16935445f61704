"""A throw-away AWS world for one benchmark run: a temporary HOME, the sandbox, a signed-in
profile, and a way to run a measured client in a fresh process inside it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PROFILE = "bench"
ACCOUNT = "100000000001"
ROLE = "ReadOnly"


@dataclass
class World:
    sandbox: Any
    home: Path
    env: dict[str, str]

    def run(self, code: str, *, timeout: float = 900, **env: str) -> dict[str, Any]:
        """Run ``code`` in a fresh interpreter in this world; it prints one JSON object last.
        Returns it, with ``calls``: the requests the sandbox received meanwhile."""
        before = self.sandbox.calls
        result = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**self.env, **env},
            cwd=str(self.home),
        )
        if result.returncode != 0:
            raise RuntimeError(f"a benchmark child failed:\n{result.stderr[-3000:]}")
        out = json.loads(result.stdout.strip().splitlines()[-1])
        out["calls"] = dict(self.sandbox.calls - before)
        return out


@contextmanager
def world(**knobs: Any) -> Iterator[World]:
    """A sandbox with ``knobs`` and a legacy SSO profile ``bench`` signed in through
    ``ipyawssso.sign_in``: its token is keyed by start URL, where aws-sso-lib looks too."""
    from ipyawssso.sandbox import Sandbox, SandboxConfig
    from ipyawssso.sandbox.isolation import isolated_environment, prepare_home

    with tempfile.TemporaryDirectory(prefix="ipyawssso-bench-") as tmp:
        home = Path(tmp) / "home"
        prepare_home(home)
        config = SandboxConfig(auto_approve_after=0, **knobs)
        with Sandbox(config) as sb:
            changes = isolated_environment(home, os.environ)
            env = {k: v for k, v in os.environ.items() if k not in changes}
            env.update({k: v for k, v in changes.items() if v is not None})
            env.update(sb.env())
            env["IPYAWSSSO_CACHE_DIR"] = str(Path(tmp) / "ipyawssso-cache")
            env["PYTHONPATH"] = os.pathsep.join(
                p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p
            )
            here = World(sb, home, env)
            here.run(
                f"""
                import json
                import ipyawssso
                from ipyawssso.core.aws_config import write_sso_profile
                from ipyawssso.core.models import Profile
                write_sso_profile(Profile({PROFILE!r}, start_url={sb.start_url!r},
                                          sso_region={sb.region!r}, account_id={ACCOUNT!r},
                                          role_name={ROLE!r}, region="us-east-1"), None)
                status = ipyawssso.sign_in({PROFILE!r})
                print(json.dumps({{"signed_in": status.signed_in}}))
                """
            )
            yield here


def portal_calls(calls: dict[str, int] | Counter[str]) -> int:
    return calls.get("ListAccounts", 0) + calls.get("ListAccountRoles", 0)
