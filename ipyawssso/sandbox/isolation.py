"""The environment of an empty AWS world: used by the pytest fixtures and by ``--demo``.

Every ``AWS_*`` variable of the machine goes (profiles, keys, regions, endpoint overrides,
``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS``...), HOME, the per-user config folder
(``XDG_CONFIG_HOME``, where ipyawssso keeps the picker's favourites) and the two AWS files point
into a fresh folder, instance-metadata probing is off, and loopback bypasses any proxy. Nothing
of the user's real ``~/.aws`` can be read or written.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from pathlib import Path

__all__ = ["apply_changes", "isolated_environment", "prepare_home"]

_LOOPBACK = ("127.0.0.1", "localhost")


def apply_changes(changes: Mapping[str, str | None], environ: MutableMapping[str, str]) -> None:
    """Make ``environ`` (``os.environ``, usually) hold ``changes``: None removes a variable."""
    for name, value in changes.items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value


def prepare_home(home: Path) -> Path:
    """Creates ``home/.aws`` (0700), empty; returns it."""
    aws = home / ".aws"
    aws.mkdir(parents=True, exist_ok=True)
    aws.chmod(0o700)
    return aws


def isolated_environment(home: Path, current: Mapping[str, str]) -> dict[str, str | None]:
    """The changes to make to ``current``: a value to set, or None to remove the variable."""
    changes: dict[str, str | None] = {name: None for name in current if name.startswith("AWS_")}
    aws = home / ".aws"
    changes.update(
        {
            "HOME": str(home),
            "USERPROFILE": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "AWS_CONFIG_FILE": str(aws / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(aws / "credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    for name in ("NO_PROXY", "no_proxy"):
        hosts = [h for h in current.get(name, "").split(",") if h]
        changes[name] = ",".join([*hosts, *(h for h in _LOOPBACK if h not in hosts)])
    return changes
