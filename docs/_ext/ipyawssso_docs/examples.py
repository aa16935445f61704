"""The build runs every page's code examples against the sandbox; one that breaks fails it.

When the builder starts, each ``*.md`` page of the source folder that has examples is run by
``example_runner.py`` in its own process (a fresh HOME, its own sandbox; see that module for
what runs and the two markers ``example-skip`` and ``example-setup``), a few pages at a time,
while Sphinx reads the pages and executes the notebooks. When the build finishes, every failure
is a warning at the page and line of the example, with its error in one line, which ``-W``
turns into a failed build. ``IPYAWSSSO_DOCS_EXECUTE=off`` (``nb_execution_mode = "off"``)
skips the examples along with the notebooks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from . import example_runner

logger = logging.getLogger(__name__)

#: Seconds one page may take before it counts as broken (a login that waits for nobody).
PAGE_TIMEOUT = 180
#: Pages run side by side; each is mostly waiting for its sandbox's one-second polls.
WORKERS = 4

_RUNNER = Path(example_runner.__file__).resolve()


def pages_with_examples(srcdir: Path) -> list[Path]:
    """The ``*.md`` pages of ``srcdir`` with at least one example to run (or a bad marker)."""
    found = []
    for page in sorted(srcdir.glob("*.md")):
        try:
            if example_runner.runnable(page.read_text(encoding="utf-8")):
                found.append(page)
        except example_runner.MarkerError:
            found.append(page)  # the runner reports it, at its line
    return found


def run_in_process(page: Path) -> dict[str, Any]:
    """One page in a fresh interpreter; its JSON answer, or a failure that says what went wrong."""
    page = page.resolve()
    command = [sys.executable, str(_RUNNER), str(page)]
    try:
        done = subprocess.run(
            command,
            cwd=page.parent,
            env=dict(os.environ),
            capture_output=True,
            text=True,
            timeout=PAGE_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return _broken(page, f"the page's examples did not finish within {PAGE_TIMEOUT} s")
    lines = done.stdout.strip().splitlines()
    try:
        return dict(json.loads(lines[-1]))
    except (IndexError, ValueError):
        tail = " ".join(done.stderr.strip().splitlines()[-3:]) or f"exit status {done.returncode}"
        return _broken(page, f"the example runner stopped without an answer: {tail}")


def _broken(page: Path, error: str) -> dict[str, Any]:
    return {"page": str(page), "run": 0, "skipped": [], "failures": [{"line": 0, "error": error}]}


def _start(app: Sphinx) -> None:
    app._ipyawssso_examples = None  # type: ignore[attr-defined]
    if getattr(app.config, "nb_execution_mode", "force") == "off":
        logger.info("examples: not run (execution is off)")
        return
    pages = pages_with_examples(Path(app.srcdir))
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="ipyawssso-examples")
    futures = {page: pool.submit(run_in_process, page) for page in pages}
    pool.shutdown(wait=False)
    app._ipyawssso_examples = (time.monotonic(), futures)  # type: ignore[attr-defined]


def _report(app: Sphinx, exception: Exception | None) -> None:
    started: float
    futures: dict[Path, Future[dict[str, Any]]]
    state = getattr(app, "_ipyawssso_examples", None)
    if state is None:
        return
    started, futures = state
    if exception is not None:
        for future in futures.values():
            future.cancel()
        return
    ran = skipped = 0
    for page, future in futures.items():
        result = future.result()
        ran += int(result.get("run", 0))
        skipped += len(result.get("skipped", []))
        docname = page.stem
        for failure in result.get("failures", []):
            line = int(failure.get("line") or 0)
            where = (docname, line) if line else docname
            logger.warning(
                f"example failed: {failure['error']}",
                location=where,
                type="ipyawssso",
                subtype="example",
            )
    took = time.monotonic() - started
    logger.info(
        f"examples: {ran} run, {skipped} marked example-skip, on {len(futures)} pages, "
        f"in {took:.1f} s"
    )


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", _start)
    app.connect("build-finished", _report)
