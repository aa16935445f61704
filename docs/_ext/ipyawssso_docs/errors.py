"""The troubleshooting page's generated half: ipyawssso's error classes and their real messages.

``ipyawssso-error NAME`` shows the class's place in the tree, its own docstring, and the message
a user actually sees, produced at build time by the expressions in ``:example:`` (one per line:
each must evaluate to, or raise, an instance of the class). The directive's body is the
hand-written explanation. ``ipyawssso-error-tree`` draws the tree with links. When the build
ends, every class exported by ``ipyawssso.core.errors`` must have been documented exactly
once, or the build warns (and ``-W`` fails it).
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

ERRORS_MODULE = "ipyawssso.core.errors"
ROOT = "IpyAwsSsoError"


def error_classes() -> dict[str, type[BaseException]]:
    import ipyawssso.core.errors as mod

    return {name: getattr(mod, name) for name in mod.__all__}


def label_for(name: str) -> str:
    return f"error-{name.lower()}"


def own_docstring(cls: type) -> str:
    doc = cls.__dict__.get("__doc__")
    return inspect.cleandoc(doc) if doc else ""


def example_namespace() -> dict[str, Any]:
    """What the expressions may use: the error classes, the core's validators, and modules.

    ``ipyawssso``, ``botocore`` and ``importlib`` are there so an expression can reach any
    message function of ours, e.g. ``importlib.import_module("ipyawssso.magics.expiry")``.
    """
    import importlib

    import botocore.exceptions

    import ipyawssso
    from ipyawssso.core import config_values
    from ipyawssso.core.aws_config import AwsConfig

    namespace: dict[str, Any] = dict(error_classes())
    namespace.update(
        {n: getattr(config_values, n) for n in dir(config_values) if n.startswith("validate")}
    )
    namespace.update(
        {
            "AwsConfig": AwsConfig,
            "Path": Path,
            "botocore": botocore,
            "importlib": importlib,
            "ipyawssso": ipyawssso,
            "usage_error": usage_error,
        }
    )
    return namespace


def usage_error(line: str) -> BaseException:
    """What ``%aws_sso <line>`` answers when the line is wrong: the magic's own parsing."""
    from ipyawssso.magics import AwsSsoMagics

    try:
        AwsSsoMagics.command_line().parse(line)
    except Exception as raised:
        return raised
    raise ValueError(f"%aws_sso {line} is not a usage error")


def example_error(expression: str, cls: type[BaseException]) -> BaseException:
    namespace = example_namespace()
    try:
        value = eval(expression, namespace)  # noqa: S307 - our own docs source, at build time
    except cls as raised:
        return raised
    if not isinstance(value, cls):
        raise TypeError(f"{expression!r} gave {value!r}, not a {cls.__name__}")
    return value


def wordings(error: BaseException) -> list[tuple[str, str]]:
    """The message as this page's readers see it: the magic's words, then Python's
    (``str(error)``) where they differ, e.g. ``%aws_sso login`` and ``ipyawssso.login()``."""
    from ipyawssso.command_wording import MAGIC
    from ipyawssso.core.errors import IpyAwsSsoError

    text = str(error)
    if isinstance(error, IpyAwsSsoError) and error.worded(MAGIC) != text:
        return [("In a notebook (%aws_sso):", error.worded(MAGIC)), ("In Python:", text)]
    return [("", text)]


def _xref(name: str) -> addnodes.pending_xref:
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="ref", reftarget=label_for(name), refexplicit=True
    )
    ref += nodes.literal(text=name)
    return ref


class ErrorDirective(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"example": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        classes = error_classes()
        if name not in classes:
            raise self.error(f"{name} is not exported by {ERRORS_MODULE} (__all__).")
        cls = classes[name]
        self.env.ipyawssso_errors = getattr(self.env, "ipyawssso_errors", {})
        self.env.ipyawssso_errors.setdefault(name, []).append(self.env.docname)

        container = nodes.container(classes=["ipyawssso-error"])
        lineage = nodes.paragraph()
        lineage += nodes.literal(text=f"{ERRORS_MODULE}.{name}")
        parents = [c.__name__ for c in cls.__mro__[1:] if c.__name__ in classes]
        if parents:
            lineage += nodes.Text(" · a kind of ")
            for i, parent in enumerate(parents):
                if i:
                    lineage += nodes.Text(", ")
                lineage += _xref(parent)
        container += lineage
        doc = own_docstring(cls)
        if doc:
            container += nodes.paragraph(text=" ".join(doc.split()))
        examples = [line.strip() for line in self.options.get("example", "").splitlines()]
        for expression in filter(None, examples):
            try:
                error = example_error(expression, cls)
            except Exception as exc:
                raise self.error(f"example {expression!r} for {name} failed: {exc}") from exc
            for reader, message in wordings(error):
                if reader:
                    container += nodes.paragraph(text=reader, classes=["ipyawssso-reader"])
                container += nodes.literal_block(
                    message, message, language="text", classes=["ipyawssso-message"]
                )
        if not self.content:
            raise self.error(f"{name}: write what it means and what to do in the body.")
        self.state.nested_parse(self.content, self.content_offset, container)
        return [container]


class MessageDirective(SphinxDirective):
    """``ipyawssso-message``: the text one Python expression of ours gives, as a user sees it.

    For messages that are not exception classes (the expired sign-in line, usage errors), so
    the page quotes the code's words rather than a copy of them.
    """

    has_content = True

    def run(self) -> list[nodes.Node]:
        expression = "\n".join(self.content).strip()
        namespace = example_namespace()
        try:
            value = eval(expression, namespace)  # noqa: S307 - our own docs source, at build time
        except Exception as raised:
            value = raised
        text = str(value)
        if not text:
            raise self.error(f"{expression!r} gave an empty message.")
        return [nodes.literal_block(text, text, language="text", classes=["ipyawssso-message"])]


class ErrorTreeDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        classes = error_classes()
        root = classes[ROOT]

        def branch(cls: type) -> nodes.bullet_list:
            items = nodes.bullet_list()
            for sub in sorted(cls.__subclasses__(), key=lambda c: c.__name__):
                if sub.__name__ not in classes:
                    continue
                item = nodes.list_item()
                para = nodes.paragraph()
                para += _xref(sub.__name__)
                summary = own_docstring(sub).split("\n\n")[0]
                if summary:
                    para += nodes.Text(" — " + " ".join(summary.split()))
                item += para
                if sub.__subclasses__():
                    item += branch(sub)
                items += item
            return items

        top = nodes.bullet_list()
        item = nodes.list_item()
        para = nodes.paragraph()
        para += _xref(ROOT)
        para += nodes.Text(" — " + " ".join(own_docstring(root).split()))
        item += para
        item += branch(root)
        top += item
        return [top]


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    seen = getattr(env, "ipyawssso_errors", {})
    for name in list(seen):
        seen[name] = [d for d in seen[name] if d != docname]


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    mine = env.ipyawssso_errors = getattr(env, "ipyawssso_errors", {})
    for name, docs in getattr(other, "ipyawssso_errors", {}).items():
        mine.setdefault(name, []).extend(docs)


def _check(app: Sphinx, env: BuildEnvironment) -> None:
    seen = {name: docs for name, docs in getattr(env, "ipyawssso_errors", {}).items() if docs}
    for name in error_classes():
        docs = seen.get(name, [])
        if not docs:
            logger.warning(
                f"{ERRORS_MODULE}.{name} is not explained: add an ipyawssso-error block for it "
                "to docs/troubleshooting.md."
            )
        elif len(docs) > 1:
            logger.warning(f"{ERRORS_MODULE}.{name} is explained {len(docs)} times: {docs}")


def setup(app: Sphinx) -> None:
    app.add_directive("ipyawssso-error", ErrorDirective)
    app.add_directive("ipyawssso-error-tree", ErrorTreeDirective)
    app.add_directive("ipyawssso-message", MessageDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check)
