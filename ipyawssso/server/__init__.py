"""The jupyter_server extension: a small REST API the lab extension talks to.

It lets the status bar and the "Sign in…" dialog work without a kernel: the server runs the
device sign-in with the core API and puts the token in the shared cache, so every kernel,
``!aws ...`` and anything else in the server process (jupyter-ai) use it at once. Answers hold
names, start URLs, user codes, verification links and times only, never a token or key.

Enabled on install by ``etc/jupyter/jupyter_server_config.d/ipyawssso.json``; the entry point
``ipyawssso._jupyter_server_extension_points`` names this module.
"""

from __future__ import annotations

import atexit
from typing import Any

__all__ = ["_load_jupyter_server_extension"]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    from .sandbox_mode import start_sandbox_mode

    start_sandbox_mode(serverapp)  # first: it changes HOME before botocore loads
    _follow_kernel_signins(serverapp)
    from .handlers import setup_handlers
    from .signins import SignInManager

    manager = SignInManager(log=serverapp.log)
    setup_handlers(serverapp.web_app, manager)
    _keep_shipped_notebooks_clean(serverapp)
    # A plain module extension gets no stop hook; cancel pending sign-ins when the process
    # exits so their polling threads end with it (they are daemons, this makes it prompt).
    atexit.register(manager.shutdown)
    serverapp.log.info("ipyawssso: REST API at %sipyawssso/api/", serverapp.base_url)


def _follow_kernel_signins(serverapp: Any) -> None:
    """Name the folder where the kernels this server starts register their waiting sign-ins
    (they inherit the variable), so a device card can ask whether its kernel still waits."""
    import os
    from pathlib import Path

    from ..kernel_signins import ENV, prune

    if not os.environ.get(ENV):
        os.environ[ENV] = str(Path(serverapp.runtime_dir) / "ipyawssso-signins")
    prune(Path(os.environ[ENV]))


def _keep_shipped_notebooks_clean(serverapp: Any) -> None:
    """The sandbox tour is saved without its outputs (see ``clean_save``)."""
    from .clean_save import strip_outputs_on_save

    register = getattr(serverapp.contents_manager, "register_pre_save_hook", None)
    if register is not None:
        register(strip_outputs_on_save)
