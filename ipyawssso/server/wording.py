"""A core error's hint in the words of a JupyterLab user, for the messages the REST API returns.

The lab extension shows ``message`` as it is (a notification, or the sign-in dialog's card).
Its user can sign in from the AWS status bar or the command palette, and pick a profile there;
everything else (creating a profile, listing accounts, using a profile in code) is done in a
notebook, so those hints name the magic, said to be typed in one.
"""

from __future__ import annotations

from ..command_wording import MAGIC, flag
from ..core.errors import IpyAwsSsoError, NextStep

__all__ = ["LAB", "LabWording", "lab_message"]

#: Where the lab extension signs in (labextension/src/statusbar.ts). Short: JupyterLab's
#: notifications cut a message at 140 characters, and the palette's command has the same name.
SIGN_IN = "Sign in… in the AWS status bar"


class LabWording:
    """The lab's own controls where it has them, else the magic in a notebook."""

    def option(self, name: str) -> str:
        return f"`%aws_sso login {flag(name)}` in a notebook"

    def step(self, step: NextStep) -> str:
        if step.action == "login" and not step.asks:
            verb = "use" if step.lead == "run" else step.lead
            return f"{verb} {SIGN_IN}"
        if step.action == "profiles":  # its dialog lists them
            return f"{step.lead} {SIGN_IN}".lstrip()
        return f"{MAGIC.step(step)} in a notebook"


#: How the server words a core error's hint for the lab extension.
LAB = LabWording()


def lab_message(error: IpyAwsSsoError) -> str:
    """The ``message`` of a REST answer about ``error``."""
    return error.worded(LAB)
