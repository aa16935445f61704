"""Names and an environment shared by the credential tests (not fixtures: see conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

ACCOUNT = "100000000001"
ROLE = "USS_AI_DEV_Bedrock_Access"
PROFILE = "ai-dev"
NODE_SDK = Path(__file__).resolve().parents[3] / ".ci" / "npm-sdk"


def bare_env(tmp_path: Path, extra: dict[str, str]) -> dict[str, str]:
    """A child's environment whose only AWS settings are ``extra`` and the sandbox endpoints:
    an empty HOME and config, no profile, no keys."""
    home = tmp_path / "bare-home"
    (home / ".aws").mkdir(parents=True, exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_") or k.startswith("AWS_ENDPOINT_URL_")
    }
    env.update(
        HOME=str(home),
        AWS_CONFIG_FILE=str(home / ".aws" / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / ".aws" / "credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    env.update(extra)
    return env


def ensure_node_sdk() -> Path:
    """node_modules holding npm's @aws-sdk/client-sts (installed once, by .ci/run or here)."""
    import shutil
    import subprocess

    import pytest

    if shutil.which("node") is None or shutil.which("npm") is None:
        if os.environ.get("CI"):
            pytest.fail("Node.js and npm are needed for the JavaScript SDK test")
        pytest.skip("Node.js and npm are not installed")
    if not (NODE_SDK / "node_modules" / "@aws-sdk" / "client-sts").is_dir():
        NODE_SDK.mkdir(parents=True, exist_ok=True)
        package = "@aws-sdk/client-sts@3"
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--silent",
                "--prefix",
                str(NODE_SDK),
                package,
            ],
            check=True,
            timeout=600,
        )
    return NODE_SDK / "node_modules"


def adopted_sign_in(
    sandbox, profile: str = PROFILE, session: str = "my-sso", expires_in: float = 8 * 3600
) -> str:
    """A signed-in SSO profile without the device flow's one-second polls: the sandbox adopts
    a token we write where the AWS CLI would (the sign-in itself is tested elsewhere)."""
    import secrets
    from datetime import UTC, datetime, timedelta

    from ipyawssso.core.aws_config import write_sso_profile
    from ipyawssso.core.models import Profile, SsoSession, Token
    from ipyawssso.core.token_cache import TokenCache

    now = datetime.now(UTC).replace(microsecond=0)
    token = Token(
        start_url=sandbox.start_url,
        region=sandbox.region,
        access_token="at-" + secrets.token_urlsafe(40),
        expires_at=now + timedelta(seconds=expires_in),
        client_id="cid-" + secrets.token_hex(6),
        client_secret="csec-" + secrets.token_urlsafe(40),
        registration_expires_at=now + timedelta(days=90),
        refresh_token="rt-" + secrets.token_urlsafe(40),
    )
    sandbox.adopt(
        tokens=[
            {
                "accessToken": token.access_token,
                "expiresAt": token.expires_at.timestamp(),
                "startUrl": token.start_url,
                "clientId": token.client_id,
                "clientSecret": token.client_secret,
                "registrationExpiresAt": token.registration_expires_at.timestamp(),
                "refreshToken": token.refresh_token,
            }
        ]
    )
    TokenCache().save_token(session, token)
    sso = SsoSession(session, sandbox.start_url, sandbox.region, ("sso:account:access",))
    write_sso_profile(
        Profile(
            name=profile,
            sso_session=session,
            account_id=ACCOUNT,
            role_name=ROLE,
            region=sandbox.region,
        ),
        sso,
    )
    return profile
