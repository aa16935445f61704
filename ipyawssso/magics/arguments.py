"""The magic's command line, built from the methods that run it.

A method ``_cmd_<name>`` marked ``@subcommand(summary, *options)`` is ``%aws_sso <name>``: the
parser, the ``%aws_sso?`` page, the docs' reference and the dispatch all read those marks, so a
new subcommand is one method (plus its line in the examples). IPython's ``magic_arguments`` has
no sub-commands, so this is plain argparse with IPython's parser class (errors become
``UsageError``) and help formatter. The parsers are built on first use: for nine subcommands
that is ~30 ms of argparse and textwrap, most of what ``%load_ext`` would otherwise cost.
"""

from __future__ import annotations

import argparse
import functools
import shlex
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from IPython.core.error import UsageError
from IPython.core.magic_arguments import MagicArgumentParser, MagicHelpFormatter

from ..command_options import Option

__all__ = ["CommandLine", "Subcommand", "clause", "subcommand"]

Method = TypeVar("Method", bound=Callable[..., Any])

#: The attribute ``@subcommand`` leaves on a method, and the prefix of the methods that carry it.
_MARK = "__ipyawssso_subcommand__"
_PREFIX = "_cmd_"


@dataclass(frozen=True)
class Subcommand:
    """``%aws_sso <name>``: what it does in one sentence, and its options."""

    name: str
    summary: str
    options: tuple[Option, ...]

    @property
    def long_flags(self) -> tuple[str, ...]:
        return tuple(f for option in self.options for f in option.long_flags)


def subcommand(summary: str, *options: Option) -> Callable[[Method], Method]:
    """Mark ``_cmd_<name>`` as the subcommand ``<name>``, with its summary and options."""

    def mark(method: Method) -> Method:
        if not method.__name__.startswith(_PREFIX):
            raise TypeError(f"@subcommand goes on a method named {_PREFIX}<name>, not {method}")
        setattr(method, _MARK, (summary, options))
        return method

    return mark


def clause(message: object) -> str:
    """A message to be followed by more words: without its final full stop, so that
    ``f"{clause(exc)}. Help: ..."`` never reads ``(e.g. bedrock).. Help``."""
    return str(message).rstrip().rstrip(".")


class _SubcommandParser(MagicArgumentParser):
    """Errors name the subcommand: ``%aws_sso use: the following arguments are required``."""

    def error(self, message: str) -> Any:
        magic = self.prog.split()[0]
        raise UsageError(f"%{self.prog}: {clause(message)}. Help: `%{magic}?`")


@dataclass
class CommandLine:
    """The subcommands of one ``Magics`` class (``owner``), its parser and its help page.

    ``default`` is what a line that names no subcommand means (``%aws_sso ai-dev`` is the
    panel for ``ai-dev``).
    """

    owner: type
    name: str
    description: str
    examples: str
    default: str

    @functools.cached_property
    def subcommands(self) -> dict[str, Subcommand]:
        """Every ``_cmd_<name>`` the class marks, in the order it defines them."""
        found: dict[str, Subcommand] = {}
        for cls in reversed(self.owner.__mro__):
            for attribute, value in vars(cls).items():
                mark = getattr(value, _MARK, None)
                if mark is not None:
                    name = attribute.removeprefix(_PREFIX).replace("_", "-")
                    found[name] = Subcommand(name, mark[0], tuple(mark[1]))
        return found

    @staticmethod
    def method(name: str) -> str:
        """The method that runs subcommand ``name``."""
        return _PREFIX + name.replace("-", "_")

    @functools.cached_property
    def _parsers(self) -> tuple[MagicArgumentParser, dict[str, argparse.ArgumentParser]]:
        parser = MagicArgumentParser(self.name, description=self.description)
        choices = parser.add_subparsers(
            dest="command", metavar="COMMAND", parser_class=_SubcommandParser
        )
        subs: dict[str, argparse.ArgumentParser] = {}
        for command in self.subcommands.values():
            sub = choices.add_parser(
                command.name,
                help=command.summary,
                description=textwrap.fill(command.summary, 78),
                formatter_class=MagicHelpFormatter,
                prog=f"{self.name} {command.name}",
            )
            for option in command.options:
                option.add_to(sub)
            subs[command.name] = sub
        return parser, subs

    @property
    def parser(self) -> MagicArgumentParser:
        return self._parsers[0]

    @property
    def parsers(self) -> dict[str, argparse.ArgumentParser]:
        """Each subcommand's own parser, by name."""
        return self._parsers[1]

    def help_page(self) -> str:
        """The ``%aws_sso?`` page: the command, every subcommand's options, the examples."""
        pages = [sub.format_help() for sub in self.parsers.values()]
        return "\n".join([self.parser.format_help(), *pages, self.examples])

    def parse(self, line: str) -> argparse.Namespace:
        """``line`` as arguments; a line with no subcommand means :attr:`default`, and
        ``-h`` anywhere gives ``command="help"`` with the page to print."""
        try:
            argv = shlex.split(line, comments=True)  # `%aws_sso status  # note` is fine
        except ValueError as exc:
            raise UsageError(f"Cannot read the arguments: {clause(exc)}.") from None
        names = list(self.subcommands)
        if not argv:
            argv = [self.default]
        elif argv[0] not in names and not argv[0].startswith("-"):
            from difflib import get_close_matches  # only for a mistyped line

            close = get_close_matches(argv[0], names, 1, 0.75)
            if close:
                raise UsageError(
                    f"Unknown subcommand {argv[0]!r}; did you mean `%{self.name} {close[0]}`? "
                    f"(For the panel of a profile called {argv[0]!r}: "
                    f"`%{self.name} {self.default} {argv[0]}`.)"
                )
            argv = [self.default, *argv]
        if "-h" in argv or "--help" in argv:
            sub = self.parsers.get(argv[0])
            return argparse.Namespace(command="help", text=(sub or self.parser).format_help())
        try:
            return self.parser.parse_args(argv)
        except UsageError as exc:
            if str(exc).startswith(f"%{self.name}"):
                raise
            hint = self._option_hint(argv[0], argv[1:])
            raise UsageError(
                f"%{self.name} {argv[0]}: {clause(exc)}.{hint} Help: `%{self.name}?`"
            ) from None

    def _option_hint(self, name: str, args: list[str]) -> str:
        """`` Did you mean --account-id?`` for a mistyped option, like subcommands get."""
        command = self.subcommands.get(name)
        if command is None:
            return ""
        known = list(command.long_flags)
        for arg in args:
            given = arg.split("=", 1)[0]
            if given.startswith("--") and given not in known:
                from difflib import get_close_matches

                close = get_close_matches(given, known, 1, 0.7)
                if close:
                    return f" Did you mean {close[0]}?"
        return ""
