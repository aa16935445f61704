"""Tests of the documentation site and the example notebooks it shows.

The notebooks run on a real ipykernel through the kernel tests' harness
(``tests/kernel/kernel_harness.py``), which is put on the path here so these tests also run on
their own (``pytest tests/docs``).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
KERNEL_TESTS = REPO / "tests" / "kernel"
if str(KERNEL_TESTS) not in sys.path:
    sys.path.insert(0, str(KERNEL_TESTS))
