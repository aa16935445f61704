"""One sandbox world for a whole Jupyter server: ``jupyter lab --IpyAwsSso.sandbox=True``.

A sandbox started inside a kernel, with that kernel's own HOME, is a world the Jupyter server
never sees: its status bar stays hidden and its palette finds no profile. Here the server
extension starts the sandbox in the server process, before anything reads HOME, and changes
the server's own environment, which every kernel it starts inherits:

* HOME (and the two AWS files) point into a throw-away folder, and every ``AWS_*`` variable of
  the machine is gone (see :mod:`.isolation`): the real ``~/.aws`` is neither read nor written;
* the ``AWS_ENDPOINT_URL_*`` variables point botocore, the AWS CLI and ipyawssso at it;
* the magics' start URL and SSO region are preset (``IPYAWSSSO_START_URL`` and
  ``IPYAWSSSO_SSO_REGION``), so ``%aws_sso login ai-dev`` needs no flags;
* ``IPYAWSSSO_SANDBOX`` describes it, for :func:`current_world` (the tour uses that to skip
  its own set-up).

Standard library only, like the rest of the sandbox.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path

from .config import SandboxConfig
from .isolation import apply_changes, isolated_environment, prepare_home
from .server import Sandbox, endpoint_environment

__all__ = ["ENV", "ServerWorld", "World", "current_world", "join"]

#: Describes the server's sandbox to its kernels (JSON: url, startUrl, region, home).
ENV = "IPYAWSSSO_SANDBOX"


@dataclass(frozen=True)
class World:
    """The sandbox a Jupyter server runs, as its kernels see it."""

    url: str
    start_url: str
    region: str
    home: Path

    @property
    def verification_uri(self) -> str:
        return f"{self.url}/device"


def current_world(environ: MutableMapping[str, str] | None = None) -> World | None:
    """The sandbox of the Jupyter server this process runs under, or None."""
    raw = (os.environ if environ is None else environ).get(ENV)
    if not raw:
        return None
    try:
        data = json.loads(raw)
        return World(
            url=str(data["url"]),
            start_url=str(data["startUrl"]),
            region=str(data["region"]),
            home=Path(data["home"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def _describe(world: World) -> dict[str, str | None]:
    """The variables that put a process in ``world`` (besides HOME's isolation)."""
    return {
        **endpoint_environment(world.url),
        "IPYAWSSSO_START_URL": world.start_url,
        "IPYAWSSSO_SSO_REGION": world.region,
        ENV: json.dumps(
            {
                "url": world.url,
                "startUrl": world.start_url,
                "region": world.region,
                "home": str(world.home),
            }
        ),
    }


def join(
    url: str,
    start_url: str = "https://d-sandbox0001.awsapps.com/start",
    region: str = "us-east-1",
    environ: MutableMapping[str, str] | None = None,
) -> World:
    """Put this process (a notebook's kernel) in the world of a sandbox already running at
    ``url`` (``python -m ipyawssso.sandbox`` prints this line): a throw-away HOME, none of the
    machine's ``AWS_*`` variables, the endpoints and the magics' start URL and region.

    Run it before ``%load_ext ipyawssso`` so that the magic picks up the start URL; the real
    ``~/.aws`` is not read or written afterwards.
    """
    environ = os.environ if environ is None else environ
    home = Path(tempfile.mkdtemp(prefix="ipyawssso-sandbox-home-"))
    prepare_home(home)
    world = World(url.rstrip("/"), start_url, region, home)
    changes: dict[str, str | None] = dict(isolated_environment(home, environ))
    changes.update(_describe(world))
    apply_changes(changes, environ)
    return world


class ServerWorld:
    """Starts a sandbox and a throw-away HOME, and points an environment at both."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.sandbox = Sandbox(config or SandboxConfig())
        self.home: Path | None = None

    def start(self, environ: MutableMapping[str, str]) -> World:
        """Start, and change ``environ`` (``os.environ`` for a server) to live in it."""
        self.sandbox.start()
        self.home = Path(tempfile.mkdtemp(prefix="ipyawssso-sandbox-home-"))
        prepare_home(self.home)
        world = World(self.sandbox.url, self.sandbox.start_url, self.sandbox.region, self.home)
        changes: dict[str, str | None] = dict(isolated_environment(self.home, environ))
        changes.update(_describe(world))
        apply_changes(changes, environ)
        return world

    def stop(self) -> None:
        """Stop the sandbox and delete the throw-away HOME (at the server's exit)."""
        self.sandbox.stop()
        if self.home is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(self.home)
            self.home = None
