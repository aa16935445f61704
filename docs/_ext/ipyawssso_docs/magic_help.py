"""``ipyawssso-magic-help`` and ``ipyawssso-magic SUBCOMMAND``: ``%aws_sso``'s reference.

Both read the argparse parsers that the magic itself parses with
(``AwsSsoMagics.command_line()``), so a new option or subcommand appears in the next build
and a removed one disappears. ``ipyawssso-magic-help`` prints the ``%aws_sso?`` page verbatim;
``ipyawssso-magic login`` gives one subcommand's usage line, summary and options (each option
that has a configurable default links to its trait), followed by the hand-written body. The
build warns (so ``-W`` fails) when a subcommand has no ``ipyawssso-magic`` block.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

#: Options whose default comes from a trait of another name.
TRAIT_OF_OPTION = {"var": "var_name", "timeout": "login_timeout"}


def magics_class() -> Any:
    from ipyawssso.magics import AwsSsoMagics

    return AwsSsoMagics


def subparsers() -> dict[str, argparse.ArgumentParser]:
    return dict(magics_class().command_line().parsers)


def summaries() -> dict[str, str]:
    return {n: c.summary for n, c in magics_class().command_line().subcommands.items()}


def inline(text: str) -> list[nodes.Node]:
    """Help text with its `backticks` and ``--options`` as code (so no dash turns typographic)."""
    out: list[nodes.Node] = []
    for part in re.split(r"(`[^`]+`|(?<![\w-])--?[a-zA-Z][\w-]*(?:=[\w.-]+)?)", text):
        if not part:
            continue
        if part.startswith("`"):
            out.append(nodes.literal(text=part.strip("`")))
        elif part.startswith("-"):
            out.append(nodes.literal(text=part))
        else:
            out.append(nodes.Text(part))
    return out


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?)" else text + "."


def usage_line(parser: argparse.ArgumentParser, width: int = 88) -> str:
    """``%aws_sso login [--start-url URL] ...``, wrapped between bracketed groups only."""
    text = " ".join(parser.format_usage().split())
    text = re.sub(r"^(usage:|::)\s*", "", text)
    if not text.startswith("%"):
        text = "%" + text
    groups = re.findall(r"\[(?:[^\[\]]|\[[^\]]*\])*\]|\S+", text)
    head = " ".join(groups[:2])
    lines, current = [], head
    indent = " " * (len(head) + 1)
    for group in groups[2:]:
        if len(current) + 1 + len(group) > width and current.strip():
            lines.append(current)
            current = indent + group
        else:
            current += " " + group
    lines.append(current)
    return "\n".join(lines)


def option_names(action: argparse.Action) -> str:
    if action.option_strings:
        names = ", ".join(action.option_strings)
        if action.nargs == 0:
            return names
        choices = "{" + ",".join(map(str, action.choices)) + "}" if action.choices else None
        metavar = action.metavar or choices or action.dest.upper()
        return f"{names} {metavar}"
    return str(action.metavar or action.dest)


def option_facts(action: argparse.Action) -> list[str]:
    facts = []
    if not action.option_strings:
        facts.append("optional" if action.nargs == "?" else "required")
    if action.choices:
        facts.append("one of: " + ", ".join(map(str, action.choices)))
    if isinstance(action, argparse._AppendAction):
        facts.append("may be repeated")
    return facts


class MagicHelpDirective(SphinxDirective):
    """The ``%aws_sso?`` page, exactly as IPython shows it."""

    def run(self) -> list[nodes.Node]:
        page = magics_class().command_line().help_page()
        return [nodes.literal_block(page, page, language="text")]


class MagicSubcommandDirective(SphinxDirective):
    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        parsers = subparsers()
        if name not in parsers:
            raise self.error(f"%aws_sso has no subcommand {name!r} (it has: {', '.join(parsers)}).")
        seen = self.env.ipyawssso_magic = getattr(self.env, "ipyawssso_magic", {})
        seen.setdefault(name, []).append(self.env.docname)
        sub = parsers[name]
        traits = set(magics_class().class_traits(config=True))

        container = nodes.container(classes=["ipyawssso-magic"])
        usage = usage_line(sub)
        container += nodes.literal_block(usage, usage, language="text")
        summary = summaries().get(name, "")
        if summary:
            container += nodes.paragraph("", "", *inline(summary.replace("%%", "%")))
        options = nodes.definition_list(classes=["ipyawssso-options"])
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            item = nodes.definition_list_item()
            term = nodes.term()
            term += nodes.literal(text=option_names(action))
            item += term
            body = nodes.definition()
            para = nodes.paragraph("", "", *inline(sentence(action.help or "")))
            facts = option_facts(action)
            for fact in facts:
                para += nodes.Text(f" {fact[0].upper()}{fact[1:]}.")
            trait = TRAIT_OF_OPTION.get(action.dest, action.dest)
            if action.option_strings and trait in traits:
                para += nodes.Text(" Default: ")
                ref = addnodes.pending_xref(
                    "",
                    refdomain="std",
                    reftype="ref",
                    reftarget=f"config-{trait.replace('_', '-')}",
                    refexplicit=True,
                )
                ref += nodes.literal(text=f"c.AwsSsoMagics.{trait}")
                para += ref
                para += nodes.Text(".")
            body += para
            item += body
            options += item
        if len(options):
            container += options
        else:
            container += nodes.paragraph(text="No options.")
        if not self.content:
            raise self.error(f"%aws_sso {name}: say when to use it in the body.")
        self.state.nested_parse(self.content, self.content_offset, container)
        return [container]


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    seen = getattr(env, "ipyawssso_magic", {})
    for name in list(seen):
        seen[name] = [d for d in seen[name] if d != docname]


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    mine = env.ipyawssso_magic = getattr(env, "ipyawssso_magic", {})
    for name, docs in getattr(other, "ipyawssso_magic", {}).items():
        mine.setdefault(name, []).extend(docs)


def _check(app: Sphinx, env: BuildEnvironment) -> None:
    seen = getattr(env, "ipyawssso_magic", {})
    for name in subparsers():
        if not seen.get(name):
            logger.warning(
                f"%aws_sso {name} is not documented: add an ipyawssso-magic block for it to "
                "docs/magics.md."
            )


def setup(app: Sphinx) -> None:
    app.add_directive("ipyawssso-magic-help", MagicHelpDirective)
    app.add_directive("ipyawssso-magic", MagicSubcommandDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check)
