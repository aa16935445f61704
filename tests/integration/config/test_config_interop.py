"""What we write is read by the stock tools: the `aws` command and botocore in a fresh process.

Both run as subprocesses with nothing of ours imported (``import awscli`` would replace
botocore in-process), on a config that starts as a hand-kept file with CRLF line endings.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ipyawssso.core.aws_config import write_sso_profile, write_sso_session
from ipyawssso.core.models import Profile, SsoSession

pytestmark = pytest.mark.interop

CORP = SsoSession("corp eu", "https://corp.awsapps.com/start", "eu-west-1")
HAND_KEPT = (
    "# kept by hand\r\n[default]\r\nregion=us-east-2\r\n\r\n"
    "[services local]\r\ns3 =\r\n  endpoint_url = http://localhost:9000\r\n"
)


def _aws() -> str:
    beside = Path(sys.executable).with_name("aws")
    found = str(beside) if beside.exists() else shutil.which("aws")
    assert found, "the `aws` command (PyPI awscli, in the test extra) is not installed"
    return found


@pytest.fixture
def written(tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "config"
    config.write_bytes(HAND_KEPT.encode())
    write_sso_profile(
        Profile(
            "ml team",
            account_id="111122223333",
            role_name="ML_Engineer",
            region="eu-west-1",
            output="json",
        ),
        CORP,
        path=config,
    )
    write_sso_profile(
        Profile("default", account_id="444455556666", role_name="ReadOnly"), CORP, path=config
    )
    write_sso_session(CORP, path=config)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key != "PYTHONPATH"
    }
    env.update(
        AWS_CONFIG_FILE=str(config),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
        HOME=str(tmp_path),
    )
    return env


def test_the_aws_command_reads_our_profiles(written: dict[str, str]) -> None:
    def get(key: str, profile: str) -> str:
        result = subprocess.run(
            [_aws(), "configure", "get", key, "--profile", profile],
            env=written,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert get("sso_session", "ml team") == "corp eu"
    assert get("sso_account_id", "ml team") == "111122223333"
    assert get("region", "default") == "us-east-2"
    assert get("sso_role_name", "default") == "ReadOnly"


def test_stock_botocore_in_a_fresh_process_reads_our_profiles(written: dict[str, str]) -> None:
    script = textwrap.dedent(
        """
        import json, sys
        import botocore.session
        s = botocore.session.Session(profile="ml team")
        full = s.full_config
        json.dump({
            "profile": s.get_scoped_config(),
            "sessions": full["sso_sessions"],
            "services": full["services"],
            "default": full["profiles"]["default"],
            "ours": sorted(m for m in sys.modules if m.startswith("ipyawssso")),
        }, sys.stdout)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=written,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=written["HOME"],
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["ours"] == []
    assert seen["profile"] == {
        "sso_session": "corp eu",
        "sso_account_id": "111122223333",
        "sso_role_name": "ML_Engineer",
        "region": "eu-west-1",
        "output": "json",
    }
    assert seen["sessions"] == {
        "corp eu": {
            "sso_start_url": "https://corp.awsapps.com/start",
            "sso_region": "eu-west-1",
            "sso_registration_scopes": "sso:account:access",
        }
    }
    assert seen["services"] == {"local": {"s3": {"endpoint_url": "http://localhost:9000"}}}
    assert seen["default"]["region"] == "us-east-2"
    assert seen["default"]["sso_session"] == "corp eu"
