"""The notebooks in notebooks/: the sandbox tour runs start to finish on a real kernel, offline;
the quickstart (real AWS, which tests cannot reach) is checked for structure only: valid
nbformat, every cell compiles after IPython's transforms, every %aws_sso line parses."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from kernel_harness import REPO, KernelNotebook, run_notebook

from ipyawssso.sandbox.leak_guard import find_leaks

NOTEBOOKS = REPO / "notebooks"


@pytest.mark.kernel
def test_the_sandbox_tour_runs_start_to_finish(kernel_nb, tmp_path, monkeypatch):
    cells = run_notebook(kernel_nb, NOTEBOOKS / "sandbox-tour.ipynb")
    text = "\n".join(KernelNotebook.text(c) for c in cells)
    assert "Signed in to AWS for profile 'ai-dev'." in text
    assert "session is a boto3.Session for profile 'ai-dev'." in text
    assert "account='100000000001'" in text and "role='USS_AI_DEV_Bedrock_Access'" in text
    assert "Account    100000000001" in text  # whoami
    assert "100000000003" in text  # accounts lists every account
    assert "Hello from the ipyawssso tour" in text  # Bedrock echo through the injected client
    assert "arn:aws:sts::100000000001:assumed-role/USS_AI_DEV_Bedrock_Access" in text
    assert "Logged out of d-sandbox0001." in text
    assert "not signed in" in text  # status after logout

    # The tour's sandbox lives in the kernel: ask it, through a file, what it issued.
    secrets_file = tmp_path / "tour-secrets.json"
    kernel_nb.run(
        "import json, pathlib\n"
        f"pathlib.Path({str(secrets_file)!r}).write_text(json.dumps(sorted("
        "sandbox.issued_secrets())))"
    )
    secrets = json.loads(secrets_file.read_text())
    assert secrets, "the tour's sandbox issued nothing?"
    leaks = find_leaks(kernel_nb.everything(), secrets)
    assert not leaks, "\n".join(leaks)


def _code_cells(name: str) -> list[str]:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    return [c.source for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("name", ["quickstart.ipynb", "sandbox-tour.ipynb"])
def test_notebook_cells_compile_after_ipythons_transforms(name):
    cells = _code_cells(name)
    assert cells
    transformer = TransformerManager()
    for source in cells:
        compile(transformer.transform_cell(source), name, "exec", flags=0x2000)


def test_quickstart_magic_lines_parse(magics):
    lines = [
        line
        for source in _code_cells("quickstart.ipynb")
        for line in source.splitlines()
        if line.startswith("%aws_sso")
    ]
    commands = {magics.parse(line.removeprefix("%aws_sso")).command for line in lines}
    assert commands >= {"login", "whoami", "accounts", "use", "status", "logout"}


def test_quickstart_keeps_no_outputs():
    nb = nbformat.read(NOTEBOOKS / "quickstart.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


@pytest.fixture
def magics(tmp_path: Path):
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    InteractiveShell.clear_instance()
    shell = InteractiveShell.instance(config=config, ipython_dir=str(tmp_path / "ipython"))
    shell.run_line_magic("load_ext", "ipyawssso")
    yield shell.magics_manager.registry["AwsSsoMagics"]
    shell.run_line_magic("unload_ext", "ipyawssso")
    InteractiveShell.clear_instance()
