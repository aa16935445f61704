"""argparse types shared by the two command lines, ``%aws_sso`` and the ``ipyawssso`` command,
so a flag means and refuses the same thing in a notebook and in a terminal."""

from __future__ import annotations

import argparse

from .core.vocabulary import ACCOUNT_ID, REGION

__all__ = ["account_id", "aws_region", "scopes", "seconds"]


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
