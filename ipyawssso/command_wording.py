"""How the two command lines, ``%aws_sso`` and the ``ipyawssso`` command, word a core error's
hint: a setting is a flag (``sso_region`` -> ``--sso-region``), a next step a command line
(``%aws_sso login ai-dev --start-url URL``).

The core names its hints as facts (:class:`~ipyawssso.core.errors.NextStep`,
:class:`~ipyawssso.core.errors.Option`); this module is where they become flags, so a Python
caller never reads ``--sso-region`` and a notebook user never reads ``sso_region=``. A step
the terminal command has no subcommand for is worded as the Python call that does it.
"""

from __future__ import annotations

from collections.abc import Mapping

from .core.errors import PYTHON, Action, NextStep, Wording

__all__ = ["MAGIC", "TERMINAL", "CommandWording", "flag"]

#: What a command line shows for a setting the reader supplies (``--start-url URL``).
METAVARS = {
    "start_url": "URL",
    "sso_region": "REGION",
    "session_name": "NAME",
    "account_id": "ID",
    "role_name": "ROLE",
    "timeout": "SECONDS",
}


def flag(option: str) -> str:
    """The command lines' option for a keyword argument of the Python API: ``sso_region`` ->
    ``--sso-region`` (every setting a core message asks for has this form)."""
    return "--" + option.replace("_", "-")


def _word(text: str) -> str:
    """A value as the command line needs it typed: ``'a b'`` quoted, placeholders bare."""
    import shlex  # only when an error is worded: %load_ext does not pay for it

    return shlex.quote(text)


class CommandWording:
    """``prog`` and its subcommand for each action it has; others fall back to ``fallback``."""

    def __init__(
        self, prog: str, subcommands: Mapping[Action, str], fallback: Wording = PYTHON
    ) -> None:
        self.prog = prog
        self.subcommands = dict(subcommands)
        self.fallback = fallback

    def option(self, name: str) -> str:
        return flag(name)

    def command(self, step: NextStep) -> str | None:
        """The command line that does ``step``, or None if this program cannot."""
        subcommand = self.subcommands.get(step.action)
        if subcommand is None:
            return None
        words = [self.prog, subcommand]
        if step.profile is not None:
            words.append(_word(step.profile))
        for name, value in step.given:
            words += [flag(name), _word(value)]
        for name in step.asks:
            words += [flag(name), METAVARS.get(name, name.upper())]
        return " ".join(words)

    def step(self, step: NextStep) -> str:
        line = self.command(step)
        if line is None:
            return self.fallback.step(step)
        return f"{step.lead} `{line}`".lstrip()


#: ``%aws_sso``: every action is one of its subcommands.
MAGIC = CommandWording(
    "%aws_sso",
    {
        "login": "login",
        "use": "use",
        "whoami": "whoami",
        "accounts": "accounts",
        "profiles": "profiles",
    },
)

#: ``ipyawssso`` in a terminal: ``status`` lists the profiles of each sign-in; using a
#: profile or listing accounts is a Python call there.
TERMINAL = CommandWording("ipyawssso", {"login": "login", "whoami": "whoami", "profiles": "status"})
