"""Defaults an administrator sets for every user through the environment.

A JupyterHub hands environment variables to every user's server (``c.Spawner.environment``,
Zero to JupyterHub's ``singleuser.extraEnv``, TLJH's ``jupyterhub_config.d``), and the server
hands them on to its kernels: one line in the hub's config then presets the organisation's
start URL for hundreds of people, with nothing to copy into their images or homes.

These are only the *defaults* of the ``AwsSsoMagics`` traits: an ``ipython_config.py``
(system-wide or the user's own) and ``%config`` in a kernel override them, in that order.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["PRESET_VARIABLES", "preset"]

#: Trait of ``AwsSsoMagics`` -> the environment variable that presets it.
PRESET_VARIABLES: dict[str, str] = {
    "start_url": "IPYAWSSSO_START_URL",
    "sso_region": "IPYAWSSSO_SSO_REGION",
    "session_name": "IPYAWSSSO_SESSION_NAME",
    "region": "IPYAWSSSO_REGION",
    "var_name": "IPYAWSSSO_VAR_NAME",
}


def preset(trait: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The administrator's value for ``trait``, or None when the variable is unset or blank."""
    value = (os.environ if environ is None else environ).get(PRESET_VARIABLES[trait], "")
    return value.strip() or None
