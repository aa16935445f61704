"""A sibling ``[profile P-process]`` that gets P's keys through ``credential_process``.

Tools outside the kernel that cannot read SSO profiles (older SDKs, the AWS CLI v1, Spark's
Hadoop S3A with the process provider, R's paws) all run a ``credential_process`` command. The
sibling profile runs ``<this python> -m ipyawssso credential-process --profile P``, which
prints P's role keys in the SDKs' ``Version: 1`` JSON and never prompts.

The edit follows :mod:`.aws_config`'s rules: planned on the text (shown as a diff first),
appended as a new section, read back as botocore would, written atomically under the config's
lock. A section of that name that already runs a different command is someone else's and is
refused, never overwritten.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .aws_config import (
    AwsConfig,
    ConfigChange,
    _check_reads_back,
    _headers,
    _locked_write,
    _read_text,
    config_path,
)
from .config_text import ConfigText, parse_like_botocore
from .config_values import profile_header, validate_name, validate_value
from .errors import ConfigError, InvalidValueError

__all__ = [
    "credential_process_command",
    "plan_process_profile",
    "plan_process_text",
    "process_profile_name",
    "write_process_profile",
]

# What every SDK's splitter (shlex on POSIX, the CLI's own on Windows, a shell for Node) reads
# the same way without quotes; anything else is double-quoted.
_BARE = re.compile(r"[A-Za-z0-9@%+=:,./_-]+")
# A backslash is kept (Windows paths) unless a splitter would read it as an escape.
_UNQUOTABLE = set('"$`')


def process_profile_name(profile: str) -> str:
    return f"{profile}-process"


def _quote(word: str) -> str:
    if _BARE.fullmatch(word):
        return word
    bad = sorted(set(word) & _UNQUOTABLE)
    if "\\\\" in word or word.endswith("\\"):
        bad.append("\\\\")
    if bad:
        raise InvalidValueError(
            f"{word!r} contains {' '.join(bad)}, which the AWS SDKs cannot all read back from "
            "credential_process. Use a Python (and profile name) without those characters."
        )
    return f'"{word}"'


def credential_process_command(profile: str, python: str | None = None) -> str:
    """``<python> -m ipyawssso credential-process --profile P``, quoted for every SDK."""
    words = [python or sys.executable, "-m", "ipyawssso", "credential-process", "--profile"]
    return " ".join(_quote(w) for w in [*words, validate_name(profile, "profile name")])


def plan_process_text(
    path: Path, text: str, profile: str, *, name: str | None = None, python: str | None = None
) -> ConfigChange:
    """The edit on ``text`` (which must already hold ``profile``), without writing."""
    name = validate_name(name or process_profile_name(profile), "profile name")
    command = validate_value(credential_process_command(profile, python), "credential_process")
    config = AwsConfig.from_text(text, path)
    source = config.profile(profile)  # ProfileNotFound with what to do
    if name == profile:
        raise InvalidValueError(
            f"The credential_process profile needs its own name, not {profile!r} itself."
        )
    items = [("credential_process", command)]
    if source.region:
        items.append(("region", validate_value(source.region, "region")))
    raw = parse_like_botocore(text, str(path))
    existing = _headers(raw)[0].get(name)
    if existing is not None:
        if raw[existing].get("credential_process") == command:
            return ConfigChange(path, text, text)
        raise ConfigError(
            f"The profile {name!r} already exists in {path} and does not run ipyawssso's "
            f"credential_process for {profile!r}, so it was left alone. Pick another name."
        )
    doc = ConfigText.from_text(text)
    header = profile_header(name)
    doc.append_section(header, items)
    new_text = doc.render()
    _check_reads_back(path, text, new_text, raw, {header: dict(items)})
    return ConfigChange(path, text, new_text)


def plan_process_profile(
    profile: str, *, name: str | None = None, path: Path | None = None
) -> ConfigChange:
    path = Path(path) if path is not None else config_path()
    return plan_process_text(path, _read_text(path), profile, name=name)


def write_process_profile(
    profile: str, *, name: str | None = None, path: Path | None = None
) -> ConfigChange:
    """Plan and write under the config's lock (re-read inside it)."""
    path = Path(path) if path is not None else config_path()
    return _locked_write(path, lambda text: plan_process_text(path, text, profile, name=name))
