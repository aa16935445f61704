"""``jupyter lab --IpyAwsSso.sandbox=True``: the whole server lives in the sandbox's world.

The try-it path of the README: the tour, the panel, the status bar and the palette all see one
loopback IAM Identity Center and one throw-away HOME (see :mod:`ipyawssso.sandbox.world`),
and the real ``~/.aws`` is neither read nor written by the server or any kernel it starts.

This runs first when the extension loads, before our handlers import botocore (which fixes its
cache folders from HOME when imported). Jupyter's own folders (settings, workspaces, runtime
files) are pinned where they were, so only the AWS world changes, not JupyterLab's.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import Any

from traitlets import Bool
from traitlets.config import Configurable

__all__ = ["IpyAwsSso", "start_sandbox_mode"]


class IpyAwsSso(Configurable):
    """Options of the ipyawssso server extension (``--IpyAwsSso.<name>=...`` or
    ``c.IpyAwsSso.<name> = ...`` in ``jupyter_server_config.py``)."""

    sandbox = Bool(
        False,
        help="""Run a loopback IAM Identity Center (ipyawssso.sandbox) for this server and
        every kernel it starts, in a throw-away HOME with no AWS_* variables of yours: for
        trying ipyawssso without an AWS account. Your ~/.aws is never read or written.""",
    ).tag(config=True)


def _pin_jupyter_folders() -> None:
    from jupyter_core.paths import jupyter_config_dir, jupyter_data_dir, jupyter_runtime_dir

    for name, where in (
        ("JUPYTER_CONFIG_DIR", jupyter_config_dir),
        ("JUPYTER_DATA_DIR", jupyter_data_dir),
        ("JUPYTER_RUNTIME_DIR", jupyter_runtime_dir),
    ):
        if not os.environ.get(name):
            os.environ[name] = where()


def start_sandbox_mode(serverapp: Any) -> bool:
    """Start the sandbox world if the configuration asks for it; True when it did."""
    if not IpyAwsSso(config=serverapp.config).sandbox:
        return False
    if "botocore" in sys.modules:
        # Another extension loaded botocore with the real HOME: its caches would stay there.
        raise RuntimeError(
            "IpyAwsSso.sandbox needs to change HOME before botocore loads, but another server "
            "extension loaded botocore first. Disable that extension for the sandbox session."
        )
    from ..sandbox.world import ServerWorld

    _pin_jupyter_folders()
    world = ServerWorld()
    started = world.start(os.environ)
    atexit.register(world.stop)
    serverapp.log.warning(
        "ipyawssso: sandbox mode: a loopback IAM Identity Center runs at %s (start URL %s, "
        "region %s); this server and its kernels use HOME=%s, and your ~/.aws is not used.",
        started.url,
        started.start_url,
        started.region,
        started.home,
    )
    return True
