"""``%aws_sso``: the magic and the modules only it uses (docs/architecture.md §2).

``magic.py`` holds the ``Magics`` class, one ``_cmd_<name>`` method per subcommand;
``arguments.py`` turns those methods' declarations into the parser and the ``%aws_sso?`` page.
What a waiting login cell shows and does is in ``login_flow.py``, ``waiting.py`` and
``frontends.py``; sessions and clients reach the namespace through ``injection.py``;
``expiry.py`` turns an ended sign-in into one line; ``serving.py`` is ``--serve``.

Nothing outside this package imports it but ``ipyawssso.load_ipython_extension`` (and the
input transformer's rewritten cell, which calls :func:`run_awaitable`).
"""

from __future__ import annotations

from .magic import AwsSsoMagics, load, run_awaitable, unload

__all__ = ["AwsSsoMagics", "load", "run_awaitable", "unload"]
