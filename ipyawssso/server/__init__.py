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
    from .handlers import setup_handlers
    from .signins import SignInManager

    manager = SignInManager(log=serverapp.log)
    setup_handlers(serverapp.web_app, manager)
    # A plain module extension gets no stop hook; cancel pending sign-ins when the process
    # exits so their polling threads end with it (they are daemons, this makes it prompt).
    atexit.register(manager.shutdown)
    serverapp.log.info("ipyawssso: REST API at %sipyawssso/api/", serverapp.base_url)
