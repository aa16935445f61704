"""The example notebooks run offline from the first cell to the last, and leak nothing.

Each notebook starts its own sandbox inside the kernel, in a throw-away HOME (as it does for a
reader and in the docs build). Just before its teardown cell, the test asks the kernel which
secrets that sandbox issued, then runs the leak guard over the notebook with every output,
the widget state, the kernel's log and every file of the throw-away HOME except the two token
caches.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from kernel_harness import KernelNotebook, kernel_env

from ipyawssso.sandbox.leak_guard import find_leaks

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
DEVICE_MIME = "application/vnd.ipyawssso.device+json"

# Cell run (on the notebook's kernel, not saved anywhere shown) to learn what to look for.
COLLECT = """\
import json as _json
from pathlib import Path as _Path
_written = _Path({path!r}).write_text(_json.dumps({{
    "secrets": sorted(sandbox.issued_secrets()),
    "home": str(notebook_home),
}}))
"""

EXPECTED = {
    "bedrock-chat": [
        "Sandbox echo (anthropic.claude-3-5-haiku-20241022-v1:0): What is IAM Identity Center?",
        "stop reason: end_turn",
        "4 messages in the conversation",
        "Sandbox echo (anthropic.claude-3-5-haiku-20241022-v1:0): Stream this answer word by word",
        "usage: {'inputTokens'",
        "AccessDeniedException: User: arn:aws:sts::100000000001:assumed-role/ReadOnly/",
        "Logged out of",
    ],
    "multi-account": [
        "4 of 12 account/role pairs match 'bedrock'",
        "+[profile ReadOnly-100000000001]",
        "ReadOnly-100000000003 100000000003",
        "ReadOnly-100000000004  account 100000000004  role ReadOnly",
        "Logged out of my-org.",
        "AWS sign-in needed for ReadOnly-100000000004",
    ],
}


def all_text(nb: Any) -> str:
    """What a reader sees as text; a streamed answer's pieces join up as they do on screen."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                parts.append(out.text)
            elif "data" in out:
                parts.append("\n" + out.data.get("text/plain", "") + "\n")
        parts.append("\n")
    return "".join(parts)


def run_with_leak_guard(name: str, aws_home: Path, tmp_path: Path) -> tuple[Any, set[str]]:
    scratch = tmp_path / "tmp"
    workdir = tmp_path / "work"
    scratch.mkdir()
    workdir.mkdir()
    # TMPDIR: the notebook's throw-away HOME lands inside this test's folder.
    env = kernel_env(aws_home, {"TMPDIR": str(scratch)})
    env.pop("JPY_SESSION_NAME", None)  # headless: the sandbox approves sign-ins by itself
    issued_file = tmp_path / "issued.json"
    source = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    kernel = KernelNotebook(env, workdir, timeout=120).start()
    leaks: list[str] = []
    issued: set[str] = set()
    try:
        for cell in source.cells:
            if cell.cell_type != "code":
                kernel.nb.cells.append(cell)
                continue
            if "sandbox-teardown" in cell.metadata.get("tags", []):
                kernel.run(COLLECT.format(path=str(issued_file)))
                facts = json.loads(issued_file.read_text())
                issued = set(facts["secrets"])
                home = Path(facts["home"])
                aws = home / ".aws"
                leaks += find_leaks(
                    [home, workdir],
                    issued,
                    exclude=[aws / "sso" / "cache", aws / "cli" / "cache"],
                )
            kernel.run(cell.source)
    finally:
        kernel.stop()
    leaks += find_leaks(kernel.everything(), issued)
    assert not leaks, "\n".join(leaks)
    return kernel.nb, issued


@pytest.mark.kernel
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_offline_and_leaks_nothing(name: str, aws_home: Path, tmp_path: Path) -> None:
    nb, issued = run_with_leak_guard(name, aws_home, tmp_path)

    # The guard had something to look for: tokens, client secret, device code, role keys.
    kinds = {s.split("-", 1)[0] for s in issued if "-" in s[:5]}
    assert {"at", "rt", "csec", "dc"} <= kinds, sorted(kinds)
    text = all_text(nb)
    for expected in EXPECTED[name]:
        assert expected in text, f"{expected!r} not in the outputs of {name}"
    # The saved notebook keeps the sign-in's outcome, not a code someone could still approve.
    cards = [
        out.data[DEVICE_MIME]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if DEVICE_MIME in out.get("data", {})
    ]
    assert cards, "no device card: the notebook did not sign in"
    assert all(card["state"] != "pending" for card in cards), cards
