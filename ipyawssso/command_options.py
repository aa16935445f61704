"""The options both command lines share, ``%aws_sso`` and the ``ipyawssso`` command: their
argparse types and their declarations, so a flag is spelt, explained and refused the same way
in a notebook and in a terminal, and a new login option reaches both at once."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .core.vocabulary import ACCOUNT_ID, OUTPUT_FORMATS, REGION

__all__ = [
    "ALL",
    "FORCE",
    "LOGIN",
    "PROFILE",
    "SERVICE",
    "SUMMARY",
    "TIMEOUT",
    "Option",
    "account_id",
    "aws_region",
    "login_keywords",
    "scopes",
    "seconds",
]


# --- types: each failure is one line argparse puts after the option's name ---------------------


def account_id(text: str) -> str:
    if not ACCOUNT_ID.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an AWS account id (12 digits, like 123456789012)"
        )
    return text


def aws_region(text: str) -> str:
    if not REGION.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not an AWS region (like us-east-1)")
    return text


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:  # NaN too
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


def scopes(text: str) -> tuple[str, ...]:
    found = tuple(s.strip() for s in text.split(",") if s.strip())
    if not found:
        raise argparse.ArgumentTypeError("give one or more scopes, comma-separated")
    return found


# --- declarations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One ``add_argument`` call kept as data, so two parsers can make the same one."""

    flags: tuple[str, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(*self.flags, **self.settings)

    @property
    def dest(self) -> str:
        """Where argparse puts the value: ``--sso-region`` -> ``sso_region``."""
        return str(self.settings.get("dest") or self.flags[0].lstrip("-").replace("-", "_"))

    @property
    def long_flags(self) -> tuple[str, ...]:
        """``--start-url``: what a mistyped option is compared with."""
        return tuple(f for f in self.flags if f.startswith("--"))


def option(*flags: str, **settings: Any) -> Option:
    return Option(flags, settings)


PROFILE = option(
    "profile",
    nargs="?",
    metavar="PROFILE",
    help="default: AWS_DEFAULT_PROFILE, else AWS_PROFILE (botocore's order), else default",
)

#: What a login may set on the profile it signs in or creates.
LOGIN = (
    option("--start-url", metavar="URL", help="IAM Identity Center start URL (https)"),
    option("--sso-region", type=aws_region, metavar="R", help="its region"),
    option("--session-name", metavar="NAME", help="[sso-session] name"),
    option("--account-id", type=account_id, metavar="ID", help="12-digit account id"),
    option("--role-name", metavar="ROLE", help="role (permission set) name"),
    option("--region", type=aws_region, metavar="R", help="the profile's default region"),
    option("--output", choices=OUTPUT_FORMATS, help="the profile's CLI output format"),
    option("--scopes", type=scopes, metavar="S", help="registration scopes, comma-separated"),
)
FORCE = option("--force", action="store_true", help="sign in again even if still signed in")
TIMEOUT = option("--timeout", type=seconds, metavar="SECONDS", help="give up after this long")
ALL = option("--all", action="store_true", help="every cached sign-in")
SERVICE = option("--service", metavar="SERVICE", help="land on a service, e.g. bedrock or s3")


def login_keywords(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``ipyawssso.login()`` that the shared login options give (the
    options are named as its keywords, so each maps to one)."""
    return {option.dest: getattr(args, option.dest) for option in (*LOGIN, FORCE, TIMEOUT)}


#: What the subcommands both command lines have do, said once.
SUMMARY = {
    "whoami": "Show the account, role, region and time left of a profile.",
    "status": "List every sign-in (sso-session) with its time left and profiles.",
    "logout": "End a sign-in like `aws sso logout` (the profile's, or every one with --all).",
}
