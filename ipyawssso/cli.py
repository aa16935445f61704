"""``ipyawssso`` (and ``python -m ipyawssso``): the magic's sign-in for terminals and scripts.

``login``, ``whoami``, ``status``, ``logout`` say what ``%aws_sso`` says, with the same flags
where they mean the same; the device code is printed as text and a new profile's role is
picked from the terminal menu (:mod:`.text_picker`). ``credential-process`` prints a profile's
keys as the SDKs' ``Version: 1`` JSON and never asks anything. ``serve`` runs the credential
endpoint for a command, or in the foreground for other shells (its token goes into a private
file named by ``AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE``, never onto the screen).

Errors are one line on stderr and exit status 1 (130 after Ctrl-C); the core's hints are worded
for a terminal (``ipyawssso login P --sso-region REGION``, see :mod:`.command_wording`). Only
what a subcommand needs is imported, so ``credential-process`` starts without IPython or the
widgets.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ._version import __version__
from .command_options import (
    ALL,
    FORCE,
    LOGIN,
    PROFILE,
    SERVICE,
    SUMMARY,
    TIMEOUT,
    login_keywords,
)
from .command_wording import TERMINAL
from .core.errors import IpyAwsSsoError
from .core.vocabulary import iso_time

__all__ = ["main"]

PROG = "ipyawssso"


def _fail(message: str, status: int = 1) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return status


# --- subcommands -------------------------------------------------------------------------


def _login(args: argparse.Namespace) -> int:
    from .core import api
    from .display import device_bundle
    from .text_picker import pick_role

    def show_code(auth: Any) -> None:
        text = device_bundle(auth, name, cancel_hint="Press Ctrl-C to cancel.")["text/plain"]
        print(text, flush=True)

    name = api.profile_name(args.profile)
    api.login(name, **login_keywords(args), on_pending=show_code, choose_role=pick_role)
    print(f"Signed in to AWS for profile {name!r}.")
    return 0


def _whoami(args: argparse.Namespace) -> int:
    from .core import api
    from .display import identity_bundle

    print(identity_bundle(api.whoami(args.profile))["text/plain"])
    return 0


def _status(args: argparse.Namespace) -> int:
    from .core import api
    from .display import status_bundle

    print(status_bundle(api.status(), wording=TERMINAL)["text/plain"])
    return 0


def _logout(args: argparse.Namespace) -> int:
    from .core import api

    if args.profile and args.all:
        return _fail("Give a PROFILE or --all, not both.", 2)
    ended = api.logout(None if args.all else args.profile, all=args.all)
    print(
        "Logged out of " + ", ".join(ended) + "." if ended else "There was no AWS sign-in to end."
    )
    return 0


def _console(args: argparse.Namespace) -> int:
    import webbrowser

    from .core.console import console_url

    name = _profile(args)
    if not webbrowser.open(console_url(name, service=args.service), new=2):
        return _fail("No browser could be opened from here (set BROWSER, or use a desktop).")
    print(f"Opened the AWS console for {name!r} in your browser.")
    return 0


def _credential_process(args: argparse.Namespace) -> int:
    from .core.credential_server import resolve_keys

    keys = resolve_keys(_profile(args))
    answer = {
        "Version": 1,
        "AccessKeyId": keys.access_key_id,
        "SecretAccessKey": keys.secret_access_key,
        "SessionToken": keys.session_token,
        "Expiration": iso_time(keys.expires_at),
    }
    if not keys.session_token:
        del answer["SessionToken"]
    sys.stdout.write(json.dumps(answer) + "\n")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .core.credential_server import serve_credentials

    server = serve_credentials(_profile(args), wording=TERMINAL)  # errors say `ipyawssso login`
    command = list(args.argv)
    if command:
        return _run_with(server, command)
    return _serve_in_foreground(server)


def _run_with(server: Any, command: list[str]) -> int:
    import os
    import subprocess

    try:
        return subprocess.call(command, env={**os.environ, **server.env})
    except FileNotFoundError:
        return _fail(f"{command[0]!r} was not found. Check the command after `--`.", 127)
    finally:
        server.stop()


def _serve_in_foreground(server: Any) -> int:
    import os
    import shlex
    import signal
    import tempfile
    import threading

    from .core.credential_server import AUTHORIZATION_ENV, FULL_URI_ENV

    folder = tempfile.mkdtemp(prefix="ipyawssso-")  # 0700, ours alone
    token_file = os.path.join(folder, "token")
    descriptor = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(server.env[AUTHORIZATION_ENV])
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(
        f"Serving AWS credentials for {server.profile!r} at {server.url}. In another shell:\n"
        f"  export {FULL_URI_ENV}={shlex.quote(server.url)}\n"
        f"  export {AUTHORIZATION_ENV}_FILE={shlex.quote(token_file)}\n"
        "Press Ctrl-C to stop.",
        flush=True,
    )
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        os.unlink(token_file)
        os.rmdir(folder)
    print("Stopped serving credentials.")
    return 0


def _profile(args: argparse.Namespace) -> str:
    from .core.api import profile_name

    return profile_name(getattr(args, "profile_flag", None) or getattr(args, "profile", None))


# --- parsing -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Sign in to AWS IAM Identity Center (SSO) from a terminal, and give its "
        "role to tools that cannot read SSO profiles.",
        epilog="Examples:\n"
        f"  {PROG} login ai-dev --start-url https://my-org.awsapps.com/start "
        "--sso-region us-east-1\n"
        f"  {PROG} status\n"
        f"  {PROG} serve ai-dev -- spark-submit job.py\n"
        f"  credential_process = python -m ipyawssso credential-process --profile ai-dev\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subs = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")

    def sub(name: str, summary: str, run: Callable[[argparse.Namespace], int]) -> Any:
        p = subs.add_parser(name, help=summary, description=summary)
        p.set_defaults(run=run)
        return p

    login = sub(
        "login",
        "Sign in (device code in the browser); creates the profile if it is new, asking for "
        "the account and role unless given.",
        _login,
    )
    for option in (PROFILE, *LOGIN, FORCE, TIMEOUT):
        option.add_to(login)
    PROFILE.add_to(sub("whoami", SUMMARY["whoami"], _whoami))
    sub("status", SUMMARY["status"], _status)
    logout = sub("logout", SUMMARY["logout"], _logout)
    PROFILE.add_to(logout)
    ALL.add_to(logout)
    console = sub(
        "console",
        "Open the AWS console as the profile's role in your browser (the one-time sign-in "
        "link is never printed).",
        _console,
    )
    PROFILE.add_to(console)
    SERVICE.add_to(console)

    process = sub(
        "credential-process",
        "Print a profile's role keys as credential_process JSON (Version 1); never asks "
        "anything: exits 1 with one line on stderr when a sign-in is needed.",
        _credential_process,
    )
    process.add_argument(
        "--profile", dest="profile_flag", metavar="PROFILE", help=PROFILE.settings["help"]
    )

    serve = sub(
        "serve",
        "Serve a profile's role keys to other tools (AWS_CONTAINER_CREDENTIALS_FULL_URI): "
        "for one command given after --, or in the foreground until Ctrl-C.",
        _serve,
    )
    serve.usage = f"{PROG} serve [PROFILE] [-- COMMAND [ARG ...]]"
    PROFILE.add_to(serve)
    serve.add_argument("--profile", dest="profile_flag", metavar="PROFILE", help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    command: list[str] = []
    if words[:1] == ["serve"] and "--" in words:  # everything after -- is the command, verbatim
        cut = words.index("--")
        words, command = words[:cut], words[cut + 1 :]
    args = build_parser().parse_args(words)
    args.argv = command
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return _fail("Sign-in cancelled. Nothing was changed; run the login again when ready.", 130)
    except IpyAwsSsoError as exc:
        # Its hint in this command's words: --sso-region, `ipyawssso login P`.
        return _fail(exc.worded(TERMINAL))
    except Exception as exc:
        if args.subcommand != "credential-process":
            raise
        # An SDK shows this stderr to its user as it is: one line, never a traceback.
        return _fail(
            f"Could not get credentials ({type(exc).__name__}). Check the profile with "
            "`ipyawssso whoami`, and report the problem if it persists."
        )


if __name__ == "__main__":  # pragma: no cover - python -m ipyawssso.cli
    sys.exit(main())
