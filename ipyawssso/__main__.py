"""``python -m ipyawssso``: the terminal command (see :mod:`ipyawssso.cli`)."""

import sys

from .cli import main

sys.exit(main())
