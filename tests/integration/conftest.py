"""Helpers for integration tests: a person who answers the sandbox's verification page.

The person uses the page over HTTP exactly as a browser would (GET the link from the device
card, POST the form with the button pressed), so the tests exercise what a user does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.verification_page import answer_page


class Person:
    """Opens the verification link and presses Allow or Deny."""

    def __init__(self) -> None:
        self.seen: list = []

    def answer(self, link: str, action: str = "allow") -> str:
        return answer_page(link, action)

    def approves(self, auth) -> None:
        """An ``on_pending`` callback: checks the code is shown, then presses Allow."""
        self.seen.append(auth)
        assert auth.user_code in urllib.parse.unquote(auth.verification_uri_complete)
        assert "Approved" in self.answer(auth.verification_uri_complete, "allow")

    def denies(self, auth) -> None:
        self.seen.append(auth)
        assert "Denied" in self.answer(auth.verification_uri_complete, "deny")


@pytest.fixture
def person() -> Person:
    return Person()


def run_fresh(code: str, *, env: dict[str, str] | None = None) -> dict:
    """Run ``code`` in a new interpreter with nothing of ours imported; it prints JSON."""
    guard = "import sys\nassert not any(m.startswith('ipyawssso') for m in sys.modules)\n"
    result = subprocess.run(
        [sys.executable, "-c", code + "\n" + guard],
        capture_output=True,
        text=True,
        timeout=120,
        env=env or dict(os.environ),
        cwd=os.environ.get("HOME"),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def aws_cli() -> str:
    """The `aws` command of PyPI's awscli, installed by the test extras beside this Python."""
    candidate = Path(sys.executable).with_name("aws")
    if candidate.exists():
        return str(candidate)
    if os.environ.get("CI"):
        pytest.fail("the aws command (PyPI awscli, a test extra) is not installed")
    pytest.skip("the aws command (PyPI awscli) is not installed")
