"""`%load_ext ipyawssso` must cost under 50 ms on a bare kernel and leave boto3 for later.

Measured inside real kernels (the best of up to three fresh ones, since other work on a small
machine can stall any single run): the wall time of the ``load_ext`` call itself, and which
heavy modules it pulled in.
"""

from __future__ import annotations

import json

import pytest
from kernel_harness import KernelNotebook, kernel_env

pytestmark = pytest.mark.kernel

BUDGET_MS = 50.0
HEAVY = ("boto3", "botocore.session", "ipywidgets", "jupyter_ui_poll", "ipyawssso.core.api")

MEASURE = f"""
import json, sys, time
before = set(sys.modules)
started = time.perf_counter()
get_ipython().run_line_magic("load_ext", "ipyawssso")
elapsed = (time.perf_counter() - started) * 1000
print(json.dumps({{"ms": elapsed, "heavy": [m for m in {HEAVY!r} if m in sys.modules],
                  "registered": "aws_sso" in get_ipython().magics_manager.magics["line"]}}))
"""


def measure(kernel: KernelNotebook) -> dict:
    return json.loads(KernelNotebook.text(kernel.run(MEASURE)).strip())


def test_load_ext_is_cheap_and_imports_no_boto3(kernel_nb, aws_home, tmp_path):
    runs = [measure(kernel_nb)]
    for attempt in range(2):
        if min(r["ms"] for r in runs) < BUDGET_MS:
            break
        workdir = tmp_path / f"again{attempt}"
        workdir.mkdir()
        extra = KernelNotebook(kernel_env(aws_home), workdir).start()
        try:
            runs.append(measure(extra))
        finally:
            extra.stop()
    for run in runs:
        assert run["registered"]
        assert run["heavy"] == []
    print(f"%load_ext ipyawssso: {[round(r['ms'], 1) for r in runs]} ms")  # shown with -s
    best = min(r["ms"] for r in runs)
    assert best < BUDGET_MS, f"%load_ext took {[round(r['ms'], 1) for r in runs]} ms"
