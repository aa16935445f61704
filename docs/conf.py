"""Sphinx configuration of the ipyawssso documentation.

Build (from the repository root; warnings are errors, notebooks run against the sandbox)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The example notebooks live in ``../notebooks`` (where the tests run them) and are copied into
``examples/`` here when the build starts. They are executed at build time with errors not
allowed; each starts ``ipyawssso.sandbox`` in its own kernel, in a throw-away HOME. The build
itself also runs in a throw-away HOME with no ``AWS_*`` variables, so neither Sphinx nor a
kernel can read or write the real ``~/.aws``. The ``python``/``ipython`` examples of every page
run too, a page per process against its own sandbox, and one that fails is a warning at its
line (``_ext/ipyawssso_docs/example_runner.py`` says how to mark a block that needs real AWS).
``IPYAWSSSO_DOCS_EXECUTE=off`` skips execution (a quick check of the pages, not a release build).
"""

from __future__ import annotations

import atexit
import inspect
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(ROOT))

import ipyawssso  # noqa: E402
from ipyawssso.sandbox.isolation import (  # noqa: E402
    apply_changes,
    isolated_environment,
    prepare_home,
)


def _isolate_build() -> None:
    """Kernels inherit this environment: give them an empty AWS world before any starts."""
    home = Path(tempfile.mkdtemp(prefix="ipyawssso-docs-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    prepare_home(home)
    apply_changes(isolated_environment(home, os.environ), os.environ)
    os.environ["IPYAWSSSO_CACHE_DIR"] = str(home / ".cache" / "ipyawssso")
    os.environ["IPYTHONDIR"] = str(home / ".ipython")


def _copy_notebooks() -> None:
    """``../notebooks/*.ipynb`` -> ``examples/``; a file is rewritten only when it changed.

    Cells of a notebook that is shown without running (the quickstart) are highlighted as
    IPython, so ``%aws_sso`` and ``!aws`` lines are not a Python syntax error to Pygments.
    """
    target = HERE / "examples"
    target.mkdir(exist_ok=True)
    wanted = {p.name: p for p in sorted((ROOT / "notebooks").glob("*.ipynb"))}
    for stale in target.glob("*.ipynb"):
        if stale.name not in wanted:
            stale.unlink()
    for name, source in wanted.items():
        notebook = json.loads(source.read_text(encoding="utf-8"))
        info = notebook.setdefault("metadata", {}).setdefault("language_info", {})
        info.setdefault("pygments_lexer", "ipython3")
        text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        copy = target / name
        if not copy.exists() or copy.read_text(encoding="utf-8") != text:
            copy.write_text(text, encoding="utf-8")


_isolate_build()
_copy_notebooks()

project = "ipyawssso"
author = "ipyawssso developers"
copyright = "ipyawssso developers"
version = release = ipyawssso.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx_copybutton",
    "sphinx_design",
    "ipyawssso_docs",
]
exclude_patterns = ["_build", "jupyter_execute", ".DS_Store", "**.ipynb_checkpoints"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "substitution"]
myst_heading_anchors = 3

# Notebooks: executed on every build, and an error in any cell fails it.
nb_execution_mode = os.environ.get("IPYAWSSSO_DOCS_EXECUTE", "force")
nb_execution_raise_on_error = True
nb_execution_allow_errors = False
nb_execution_show_tb = True
nb_execution_timeout = 180
# The quickstart signs in to a real AWS account: it is shown, not run.
nb_execution_excludepatterns = ["examples/quickstart.ipynb"]
nb_merge_streams = True

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}


def _init_signature(app, what, name, obj, options, signature, return_annotation):
    """A widget class (the panel) reads ``(*args, **kwargs)`` to autodoc, from traitlets'
    ``__new__``: show the parameters its ``__init__`` takes and documents instead."""
    if what != "class" or signature != "(*args, **kwargs)" or "__init__" not in vars(obj):
        return None
    params = list(inspect.signature(obj.__init__).parameters.values())[1:]
    bare = [p.replace(annotation=inspect.Parameter.empty) for p in params]
    return str(inspect.Signature(bare)), return_annotation


def setup(app):
    app.connect("autodoc-process-signature", _init_signature)


html_theme = "furo"
html_title = f"ipyawssso {release}"
html_static_path = ["_static"]
html_css_files = ["ipyawssso.css"]
html_theme_options = {
    "source_repository": "https://github.com/ipyawssso/ipyawssso/",
    "source_branch": "main",
    "source_directory": "docs/",
}
