"""The look the panel's two forms share (sign-in settings, then the profile), so that their
labels and fields line up from one step to the next."""

from __future__ import annotations

__all__ = ["FIELD", "LABEL"]

#: ``style=`` of a form field: the width of its label column.
LABEL = {"description_width": "110px"}
#: ``layout=`` of a form field. A dict, not a Layout: each widget gets a fresh Layout, so
#: closing one field does not close the others'.
FIELD = {"width": "520px"}
