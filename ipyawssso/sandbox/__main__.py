"""``python -m ipyawssso.sandbox``: run the loopback IAM Identity Center until Ctrl-C.

It prints the URL, the start URL and region to sign in with, and the ``export`` lines that
point botocore and the AWS CLI at it. ``--demo`` instead signs in against a fresh sandbox from
start to finish in a throw-away HOME (the real ``~/.aws`` is never touched), approving the
code by itself after two seconds, and prints the identity STS reports.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .config import SandboxConfig
from .isolation import apply_changes, isolated_environment, prepare_home
from .server import Sandbox

DEMO_PROFILE = "ai-dev"
DEMO_ACCOUNT = "100000000001"
DEMO_ROLE = "USS_AI_DEV_Bedrock_Access"
DEMO_MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
DEMO_APPROVE_AFTER = 2.0

#: The ``SandboxConfig`` fields the command line sets, as ``--field-name`` with the config's
#: default: field -> (type, metavar, help). ``_config`` hands every one of them back.
_KNOBS: dict[str, tuple[Callable[[str], Any], str | None, str | None]] = {
    "port": (int, None, "port on 127.0.0.1 (0: any free one)"),
    "accounts": (int, "N", None),
    "roles_per_account": (int, "N", None),
    "latency": (float, "SECONDS", "delay added to every API call"),
    "rate_limit": (
        float,
        "CALLS_PER_S",
        "portal calls per second before TooManyRequests (default: unlimited; AWS: ~20)",
    ),
    "page_size": (int, "N", "portal page size when the client asks for none (1-100)"),
    "poll_interval": (int, "SECONDS", "device-code polling interval advertised"),
    "device_code_ttl": (float, "SECONDS", None),
    "access_token_ttl": (float, "SECONDS", None),
    "registration_ttl": (float, "SECONDS", None),
    "role_credentials_ttl": (float, "SECONDS", None),
    "auto_approve_after": (
        float,
        "SECONDS",
        "approve every sign-in code by itself after this long (--demo: 2)",
    ),
    "user_name": (str, None, "the person who approves sign-ins"),
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config = _config(args)
    if args.demo:
        return _demo(config)
    return _serve(config)


def _parser() -> argparse.ArgumentParser:
    defaults = SandboxConfig()
    parser = argparse.ArgumentParser(
        prog="python -m ipyawssso.sandbox",
        description=(
            "A loopback stand-in for AWS IAM Identity Center (sso-oidc, the SSO portal, STS "
            "GetCallerIdentity and AssumeRole, and a Bedrock Converse echo) for tests and "
            "offline demos."
        ),
        epilog=(
            "Example: python -m ipyawssso.sandbox --accounts 300 --rate-limit 20 "
            "--auto-approve-after 3"
        ),
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="sign in against a fresh sandbox end to end in a temporary HOME, print the "
        "identity and exit",
    )
    for name, (kind, metavar, help_text) in _KNOBS.items():
        parser.add_argument(
            "--" + name.replace("_", "-"),
            type=kind,
            default=getattr(defaults, name),
            metavar=metavar,
            help=help_text,
        )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="log each request's method, path and status to stderr",
    )
    return parser


def _config(args: argparse.Namespace) -> SandboxConfig:
    knobs: dict[str, Any] = {name: getattr(args, name) for name in (*_KNOBS, "verbose")}
    try:
        return SandboxConfig(**knobs)
    except ValueError as error:
        raise SystemExit(f"python -m ipyawssso.sandbox: {error}") from None


def _serve(config: SandboxConfig) -> int:
    sb = Sandbox(config)
    try:
        sb.start()
    except OSError as error:
        print(
            f"Could not listen on 127.0.0.1:{config.port} ({error.strerror}). Pick another "
            "port with --port, or leave it out to use any free one.",
            file=sys.stderr,
        )
        return 1
    with sb:
        print(f"IAM Identity Center sandbox running at {sb.url}")
        print(f"  start URL:    {sb.start_url}")
        print(f"  SSO region:   {sb.region}")
        print(f"  sign-in page: {sb.verification_uri}")
        print(
            f"  {config.accounts} account(s) x {config.roles_per_account} role(s), "
            f"signing in as {config.user_name}"
        )
        print("Point botocore and the AWS CLI at it (paste into your shell):")
        for name, value in sb.env().items():
            print(f"  export {name}={value}")
        # In a notebook the export lines would point the kernel at the sandbox but leave HOME,
        # so sign-ins would land in the real ~/.aws: the notebook form isolates HOME too.
        print("In a notebook, run this first (a throw-away HOME: your ~/.aws is not touched):")
        print(
            f"  from ipyawssso.sandbox.world import join; "
            f"join({sb.url!r}, {sb.start_url!r}, {sb.region!r})"
        )
        print("Or run a whole JupyterLab in a sandbox: jupyter lab --IpyAwsSso.sandbox=True")
        print("Press Ctrl-C to stop.", flush=True)
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _interrupt)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("\nStopped.", flush=True)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the server as cleanly as Ctrl-C does."""
    raise KeyboardInterrupt


def _demo(config: SandboxConfig) -> int:
    if config.auto_approve_after is None:
        config = dataclasses.replace(config, auto_approve_after=DEMO_APPROVE_AFTER)
    approve_after = config.auto_approve_after
    with tempfile.TemporaryDirectory(prefix="ipyawssso-demo-") as tmp, Sandbox(config) as sb:
        home = Path(tmp) / "home"
        prepare_home(home)
        changes = isolated_environment(home, os.environ)
        changes.update(sb.env())
        apply_changes(changes, os.environ)
        print(f"Sandbox at {sb.url}; a throw-away HOME at {home} (your ~/.aws is untouched).")

        # Imported only now: botocore fixes its cache folders from HOME when first imported.
        from botocore.exceptions import BotoCoreError, ClientError

        from ipyawssso.core import api
        from ipyawssso.core.errors import IpyAwsSsoError

        def on_pending(authorization: Any) -> None:
            print(
                f"Open {authorization.verification_uri_complete} and confirm the code "
                f"{authorization.user_code} (the sandbox approves it by itself in "
                f"{approve_after:g} s)...",
                flush=True,
            )

        try:
            session = api.login(
                DEMO_PROFILE,
                start_url=sb.start_url,
                sso_region=sb.region,
                session_name="sandbox",
                account_id=DEMO_ACCOUNT,
                role_name=DEMO_ROLE,
                region=sb.region,
                on_pending=on_pending,
                timeout=120,
            )
            identity = session.client("sts").get_caller_identity()
            reply = session.client("bedrock-runtime").converse(
                modelId=DEMO_MODEL,
                messages=[{"role": "user", "content": [{"text": "Hello from the demo"}]}],
            )
        except (IpyAwsSsoError, BotoCoreError, ClientError) as error:
            print(f"Demo failed: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("\nDemo interrupted.", file=sys.stderr)
            return 130
        print(f"Signed in: profile {DEMO_PROFILE!r} in {os.environ['AWS_CONFIG_FILE']}")
        print(f"  Account  {identity['Account']}")
        print(f"  Arn      {identity['Arn']}")
        print(f"  UserId   {identity['UserId']}")
        print(f"Bedrock (sandbox echo): {reply['output']['message']['content'][0]['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
