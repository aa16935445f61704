"""The magic against the sandbox: the same real IPython shell as the magic's unit tests."""

from tests.unit.magics.conftest import RaisingShell, magics, shell

__all__ = ["RaisingShell", "magics", "shell"]
