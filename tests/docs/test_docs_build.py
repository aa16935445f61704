"""The documentation builds with warnings as errors, notebooks executed, as the README says.

One build (about 30-50 s: three notebooks run against their sandboxes, and every page's code
examples run against theirs, where a failing one fails the build), then checks that the
generated reference pages hold what the code has: every ``%aws_sso`` subcommand and option,
every configurable trait, every error class with its real message. A secret that looks like one
the sandbox issues (``at-``, ``rt-``, ``csec-``, ``dc-`` prefixes) must appear nowhere in the
site; the exact leak guard runs over the same notebooks in ``test_example_notebooks.py``.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("docs_tools")

REPO = Path(__file__).resolve().parents[2]
SECRET_SHAPE = re.compile(rb"(?<![\w-])(?:at|rt|csec|dc)-[A-Za-z0-9_-]{30,}")


@pytest.fixture(scope="module")
def site(docs_tools: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    env = {k: v for k, v in os.environ.items() if not k.startswith("IPYAWSSSO_DOCS_")}
    # The README's command, into a temporary folder (and its doctrees next to it).
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html"]
    command += ["-d", str(out / "doctrees"), "docs", str(out / "html")]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    (out / "build-output.txt").write_text(result.stdout)
    return out


def page(site: Path, name: str) -> str:
    return (site / "html" / f"{name}.html").read_text(encoding="utf-8")


def text(site: Path, name: str) -> str:
    """The page as a reader sees it: no tags, single spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page(site, name))).split())


@pytest.mark.kernel
def test_magic_reference_has_every_subcommand_and_option(site: Path) -> None:
    from ipyawssso.magics import AwsSsoMagics

    shown = text(site, "magics")
    for name, sub in AwsSsoMagics.command_line().parsers.items():
        assert f"%aws_sso {name}" in shown, name
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in shown, f"{name} {option}"


@pytest.mark.kernel
def test_configuration_lists_every_trait(site: Path) -> None:
    from ipyawssso.magics import AwsSsoMagics

    shown = text(site, "configuration")
    for name in AwsSsoMagics.class_traits(config=True):
        assert f"c.AwsSsoMagics.{name} = " in shown, name


@pytest.mark.kernel
def test_troubleshooting_explains_every_error_with_its_message(site: Path) -> None:
    import ipyawssso.core.errors as errors

    source = page(site, "troubleshooting")
    for name in errors.__all__:
        assert f'id="error-{name.lower()}"' in source, name
    # Real messages, produced at build time by the code, not copies.
    shown = text(site, "troubleshooting")
    assert str(errors.LoginExpired()) in shown
    assert "The start URL must use https (http:)." in shown
    # The hint in a notebook's words and, below it, in Python's (the same error).
    assert "In a notebook (%aws_sso): AWS sign-in needed for ai-dev" in shown
    assert "Run `%aws_sso login ai-dev`." in shown and "Run `ipyawssso.login('ai-dev')`." in shown


@pytest.mark.kernel
def test_notebooks_were_executed_and_show_no_secret(site: Path) -> None:
    assert "Sandbox echo (anthropic.claude-3-5-haiku" in text(site, "examples/bedrock-chat")
    assert "ReadOnly-100000000004" in text(site, "examples/multi-account")
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".ipynb", ".txt", ".js"}:
            found = SECRET_SHAPE.search(path.read_bytes())
            assert found is None, f"{path}: something shaped like a sandbox secret"


@pytest.mark.kernel
def test_the_pages_code_examples_ran(site: Path) -> None:
    """Every page's examples ran against the sandbox (``docs/_ext/ipyawssso_docs/examples.py``):
    a build that silently stopped running them would keep no promise."""
    output = (site / "build-output.txt").read_text()
    found = re.search(r"examples: (\d+) run, (\d+) marked example-skip, on (\d+) pages", output)
    assert found, output[-2000:]
    ran, skipped, pages = map(int, found.groups())
    assert ran >= 30 and pages >= 10 and skipped < ran, found.group(0)


def _api_sections(source: str) -> dict[str, str]:
    """The API page cut at each object autodoc documented: its dotted path -> its HTML."""
    marks = list(re.finditer(r'id="(ipyawssso\.[\w.]+)"', source))
    ends = [m.start() for m in marks[1:]] + [len(source)]
    return {m.group(1): source[m.start() : end] for m, end in zip(marks, ends, strict=True)}


def test_the_api_page_shows_every_parameter_of_what_ipyawssso_exports(site: Path) -> None:
    """Each exported function and class is on the API page with each of its parameters in
    its field list, by name (``tests/unit/test_public_api_docs.py`` holds the docstrings;
    this holds the page that renders them)."""
    import inspect

    import ipyawssso

    sections = _api_sections(page(site, "api"))
    for name in ipyawssso.__all__:
        obj = getattr(ipyawssso, name)
        if not callable(obj):
            continue
        paths = [p for p in sections if re.fullmatch(rf"ipyawssso(\.core\.\w+)?\.{name}", p)]
        assert paths, f"{name} is not on the API page"
        shown = sections[paths[0]]
        if inspect.isclass(obj) and "__init__" not in vars(obj):
            continue  # an error that only passes its message on: its base documents that
        prose = inspect.isclass(obj) and issubclass(obj, ipyawssso.IpyAwsSsoError)
        for param in inspect.signature(obj).parameters:
            item = re.search(rf"<strong>{param}</strong>(.*?)</p>", shown, re.DOTALL)
            assert item, f"{name}: {param} is not shown"
            # "name (type) – what it is for"; an error names its facts in its prose instead.
            assert prose or "–" in item.group(1), f"{name}: {param} has no description"
    # The panel's signature is its own, not traitlets' (*args, **kwargs) (docs/conf.py).
    signature = sections["ipyawssso.Panel"].split("</dt>")[0]
    assert "var_name" in signature and "args" not in signature
