"""The docs' own Sphinx extension fails the build when the reference pages fall behind the code.

Each test builds a two-page project in a temporary folder with the extension, in-process, and
reads the warnings (which ``-W`` turns into a failed build).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from ipyawssso.magics import AwsSsoMagics

SUBCOMMANDS = list(AwsSsoMagics.command_line().subcommands)

pytestmark = pytest.mark.usefixtures("docs_tools")

REPO = Path(__file__).resolve().parents[2]
EXT = REPO / "docs" / "_ext"

CONF = f"""
import sys
sys.path.insert(0, {str(EXT)!r})
extensions = ["myst_parser", "ipyawssso_docs"]
exclude_patterns = ["_build"]
"""


def build(tmp_path: Path, pages: dict[str, str]) -> tuple[str, Path]:
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF)
    toc = "\n".join(name for name in pages if name != "index")
    (src / "index.md").write_text(
        pages.get("index", "# Home\n") + f"\n```{{toctree}}\n{toc}\n```\n"
    )
    for name, text in pages.items():
        if name != "index":
            (src / f"{name}.md").write_text(text)
    warnings = io.StringIO()
    with docutils_namespace():  # each build registers its nodes and directives afresh
        app = Sphinx(
            str(src),
            str(src),
            str(tmp_path / "out"),
            str(tmp_path / "doctrees"),
            "html",
            status=None,
            warning=warnings,
            freshenv=True,
        )
        app.build()
    return warnings.getvalue(), tmp_path / "out"


def other_warnings(warnings: str) -> list[str]:
    """Warnings besides the coverage checks (which fire here: these pages document nothing)."""
    return [
        line
        for line in warnings.splitlines()
        if ("WARNING" in line or "ERROR" in line)
        and "is not explained" not in line
        and "is not documented" not in line
    ]


def error_block(name: str, example: str = "") -> str:
    option = f":example: {example}\n" if example else ""
    return f"\n```{{ipyawssso-error}} {name}\n{option}\nWhat to do.\n```\n"


@pytest.fixture(autouse=True)
def _fresh_extension_import():
    yield
    for name in [m for m in sys.modules if m.startswith("ipyawssso_docs")]:
        del sys.modules[name]


def test_an_error_class_left_out_fails_the_build(tmp_path: Path) -> None:
    import ipyawssso.core.errors as errors

    documented = [name for name in errors.__all__ if name != "LoginExpired"]
    warnings, _ = build(tmp_path, {"errors": "# Errors\n" + "".join(map(error_block, documented))})
    assert "ipyawssso.core.errors.LoginExpired is not explained" in warnings
    assert warnings.count("is not explained") == 1, warnings


def test_an_example_must_give_its_class(tmp_path: Path) -> None:
    warnings, _ = build(
        tmp_path, {"errors": "# Errors\n" + error_block("LoginExpired", "LoginCancelled()")}
    )
    assert "example 'LoginCancelled()' for LoginExpired failed" in warnings


def test_a_subcommand_left_out_fails_the_build(tmp_path: Path) -> None:
    blocks = "".join(
        f"\n```{{ipyawssso-magic}} {name}\nWhen to use it.\n```\n"
        for name in SUBCOMMANDS
        if name != "panel"
    )
    warnings, out = build(tmp_path, {"magic": "# Magic\n" + blocks})
    assert "%aws_sso panel is not documented" in warnings
    assert warnings.count("is not documented") == 1, warnings
    assert "--start-url" in (out / "magic.html").read_text()


def test_an_unknown_subcommand_is_an_error(tmp_path: Path) -> None:
    warnings, _ = build(tmp_path, {"magic": "# Magic\n```{ipyawssso-magic} signin\nx\n```\n"})
    assert "%aws_sso has no subcommand 'signin'" in warnings


def test_every_trait_is_listed_with_its_default(tmp_path: Path) -> None:
    from ipyawssso.magics import AwsSsoMagics

    page = "# Config\n```{ipyawssso-traits} ipyawssso.magics.AwsSsoMagics\n```\n"
    warnings, out = build(tmp_path, {"config": page})
    html = (out / "config.html").read_text()
    for name in AwsSsoMagics.class_traits(config=True):
        assert f'id="config-{name.replace("_", "-")}"' in html, name
    assert not other_warnings(warnings)


def test_a_missing_page_is_text_not_a_broken_link(tmp_path: Path) -> None:
    page = "# A\nSee the {doc-if-exists}`figures <performance>` and {doc-if-exists}`b <b>`.\n"
    warnings, out = build(tmp_path, {"a": page, "b": "# B\n"})
    html = (out / "a.html").read_text()
    assert "figures" in html and 'href="performance.html"' not in html
    assert 'href="b.html"' in html
    assert not other_warnings(warnings)


def test_an_unknown_screenshot_is_an_error(tmp_path: Path) -> None:
    warnings, _ = build(tmp_path, {"shots": "# S\n```{screenshot} panel-nope\nA caption\n```\n"})
    assert "Unknown screenshot 'panel-nope'" in warnings
