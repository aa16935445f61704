"""``--serve``: put a profile's credential endpoint into this process's environment.

The endpoint itself lives in :mod:`ipyawssso.core.credential_server`; this module is what the
magic and the terminal command share: start it and export the two variables, so ``!cmd``,
``subprocess``, Spark and R started from here inherit them; say where it serves (never the
token); and stop it on logout, taking the variables back out.
"""

from __future__ import annotations

import os

from ..command_wording import MAGIC
from ..core.credential_server import (
    AUTHORIZATION_ENV,
    FULL_URI_ENV,
    CredentialServer,
    running_servers,
    serve_credentials,
    stop_serving,
)

__all__ = ["serve_and_export", "serving_lines", "stop_and_unexport"]


def serve_and_export(profile: str) -> str:
    """Start (or reuse) the endpoint for ``profile`` and export it; one line saying so."""
    server = serve_credentials(profile, wording=MAGIC)  # its errors say `%aws_sso login`
    replaced = _exported()
    os.environ.update(server.env)
    line = (
        f"Serving AWS credentials for {profile!r} at {server.url}: {FULL_URI_ENV} and "
        f"{AUTHORIZATION_ENV} are set, so tools started from here (!cmd, subprocess, Spark, "
        "R, Node) use this role."
    )
    if replaced is not None and replaced is not server:
        line += f" (They pointed at {replaced.profile!r} before.)"
    return line


def serving_lines() -> list[str]:
    """One line per running endpoint, marking the one the environment points at."""
    exported = _exported()
    lines = []
    for server in running_servers():
        mark = " (exported in this process)" if server is exported else ""
        lines.append(f"Credentials served for {server.profile!r} at {server.url}{mark}")
    return lines


def stop_and_unexport(profile: str | None) -> list[str]:
    """Stop the endpoint of ``profile`` (every one when None); drop the variables if they
    pointed at a stopped one. Returns the profiles whose endpoint stopped."""
    exported = _exported()
    stopped = stop_serving(profile)
    if exported is not None and exported.profile in stopped:
        os.environ.pop(FULL_URI_ENV, None)
        os.environ.pop(AUTHORIZATION_ENV, None)
    return stopped


def _exported() -> CredentialServer | None:
    url = os.environ.get(FULL_URI_ENV)
    return next((s for s in running_servers() if s.url == url), None)
