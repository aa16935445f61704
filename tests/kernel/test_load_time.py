"""`%load_ext ipyawssso` must cost under 50 ms on a bare kernel and leave boto3 for later.

Measured inside real kernels: the ``load_ext`` call's CPU time on the kernel's main thread (the
work it does; wall time on a busy two-core machine mostly measures the neighbours), its wall
time for the record, and which heavy modules it pulled in. The best of up to three fresh kernels
counts, because a single run can still be stalled.
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
started, cpu = time.perf_counter(), time.thread_time()
get_ipython().run_line_magic("load_ext", "ipyawssso")
elapsed, cpu = (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000
print(json.dumps({{"ms": cpu, "wall_ms": elapsed,
                  "heavy": [m for m in {HEAVY!r} if m in sys.modules],
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
    for run in runs:  # shown with -s
        print(f"%load_ext ipyawssso: {run['ms']:.1f} ms CPU, {run['wall_ms']:.1f} ms wall")
    best = min(r["ms"] for r in runs)
    assert best < BUDGET_MS, f"%load_ext took {[round(r['ms'], 1) for r in runs]} ms of CPU"
