"""Let MyST-NB skip the device card's own MIME type without failing the ``-W`` build.

``%aws_sso login`` outputs ``application/vnd.ipyawssso.device+json`` (for the JupyterLab
renderer) next to ``text/html`` and ``text/plain``. MyST-NB renders every type of a bundle while
parsing, warns about types it has no renderer for, and only later keeps the HTML one. Its
renderers are registered through package entry points only, so instead this drops exactly that
one warning; an unknown type from anything else still fails the build.
"""

from __future__ import annotations

import logging

from sphinx.application import Sphinx

DEVICE_MIME = "application/vnd.ipyawssso.device+json"


class SkipDeviceMime(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "subtype", None) != "unknown_mime_type":
            return True
        return DEVICE_MIME not in record.getMessage()


def setup(app: Sphinx) -> None:
    keep = SkipDeviceMime()
    for handler in logging.getLogger("sphinx").handlers:
        handler.filters.insert(0, keep)  # before Sphinx's own filters count it as a warning
