"""The docs' code examples run in the build, and one that breaks fails it at its page and line.

``docs/_ext/ipyawssso_docs/example_runner.py`` finds the examples of a page and runs them in a
real IPython shell against the sandbox; ``examples.py`` does that for every page while Sphinx
builds and turns each failure into a warning (``-W`` fails the build). These tests check the
reading of the markers, that a broken example is reported where it is, that a leaked secret is
a failure too, and that the README's examples, which no Sphinx build reads, run as well.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("docs_tools")

REPO = Path(__file__).resolve().parents[2]
EXT = REPO / "docs" / "_ext"
if str(EXT) not in sys.path:
    sys.path.insert(0, str(EXT))

from ipyawssso_docs import example_runner  # noqa: E402
from ipyawssso_docs.example_runner import MarkerError, blocks_of  # noqa: E402
from ipyawssso_docs.examples import run_in_process  # noqa: E402

PAGE = textwrap.dedent(
    """\
    # A page

    ```python
    x = 1
    ```

    ```bash
    pip install ipyawssso
    ```

    <!-- example-skip: needs real AWS (S3) -->
    ```ipython
    !aws s3 ls
    ```

    <!-- example-setup
    y = 2
    -->

    ::::{grid} 2
    :::{grid-item-card} In a card
    ```python
    z = x + y
    ```
    :::
    ::::

    ````{note}
    ```text
    not code
    ```
    ````
    """
)


def test_examples_are_the_python_and_ipython_blocks_with_their_lines() -> None:
    blocks = blocks_of(PAGE)
    assert [(b.line, b.code, b.hidden, b.skip) for b in blocks] == [
        (4, "x = 1\n", False, None),
        (13, "!aws s3 ls\n", False, "needs real AWS (S3)"),
        (17, "y = 2\n", True, None),
        (23, "z = x + y\n", False, None),
    ]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("<!-- example-skip: -->\n```python\nx\n```\n", 1, "needs a reason"),
        ("<!-- example-skip: why -->\ntext\n```python\nx\n```\n", 1, "just before a block"),
        ("<!-- example-skip: why -->\n```bash\nls\n```\n", 1, "before a 'bash' block"),
        ("a\n<!-- example-setup\nx = 1\n", 2, "not closed"),
    ],
)
def test_a_misused_marker_is_an_error_at_its_line(text: str, line: int, problem: str) -> None:
    with pytest.raises(MarkerError, match=problem) as info:
        blocks_of(text)
    assert info.value.line == line


def _page(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_failing_example_is_reported_at_its_line_and_stops_the_page(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "broken.md",
        """\
        # Broken

        ```ipython
        %load_ext ipyawssso
        %aws_sso logn ai-dev
        ```

        ```python
        never_runs()
        ```
        """,
    )
    result = run_in_process(page)
    assert result["failures"] == [
        {
            "line": 5,
            "error": "UsageError: Unknown subcommand 'logn'; did you mean `%aws_sso login`? "
            "(For the panel of a profile called 'logn': `%aws_sso panel logn`.)",
        }
    ]
    assert result["run"] == 1


def test_a_secret_an_example_prints_is_a_failure(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "leaky.md",
        f"""\
        # Leaky

        ```python
        import ipyawssso

        session = ipyawssso.login("ai-dev", start_url="{example_runner.DOCS_START_URL}",
                                  sso_region="us-east-1", account_id="123456789012",
                                  role_name="DataScientist")
        print(session.get_credentials().secret_key)
        ```
        """,
    )
    result = run_in_process(page)
    assert result["run"] == 1
    assert result["failures"], result
    assert all(f["error"].startswith("a secret of the sandbox leaked") for f in result["failures"])


def test_the_build_fails_at_the_page_and_line_of_a_broken_example(tmp_path: Path) -> None:
    from test_docs_extension import build

    page = (
        "# Python\n\nSome text.\n\n```python\nimport ipyawssso\n\nipyawssso.no_such_thing()\n```\n"
    )
    warnings, _ = build(tmp_path, {"python": page})
    expected = (
        "python.md:8: WARNING: example failed: AttributeError: module 'ipyawssso' has no "
        "attribute 'no_such_thing'"
    )
    assert expected in warnings, warnings


def test_the_readme_examples_run() -> None:
    """The README is not a page of the site, so its examples are run here."""
    result = run_in_process(REPO / "README.md")
    assert result["failures"] == []
    assert result["run"] >= 2
