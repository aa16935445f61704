"""Shared pieces of the fault, crash, concurrency and hostile-input tests.

Every test drives stock botocore over HTTP against the loopback sandbox; faults come from the
sandbox's knobs (``fail_next``, ``hang_next``, ``corrupt_next``, lifetimes) or from the real
operating system (read-only mounts, a full tmpfs, ``kill -9``), never from patching.
"""

from __future__ import annotations

import contextlib
import functools
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.session import Session as BotocoreSession

import ipyawssso
from ipyawssso.sandbox.hostile import HOSTILE_NAMES
from ipyawssso.sandbox.leak_guard import find_leaks
from tests.integration.conftest import Person

REPO = Path(__file__).resolve().parents[2]
ACCOUNT = "100000000001"
ROLE = "USS_AI_DEV_Bedrock_Access"
SESSION = "my-sso"


def config_file() -> Path:
    return Path(os.environ["AWS_CONFIG_FILE"])


def sso_cache() -> Path:
    return Path(os.environ["HOME"]) / ".aws" / "sso" / "cache"


def token_file() -> Path:
    import hashlib

    return sso_cache() / f"{hashlib.sha1(SESSION.encode()).hexdigest()}.json"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes): 'nothing half-written' is checked
    by comparing two snapshots."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def login(sandbox: Any, person: Person, profile: str = "ai-dev", **kw: Any) -> Any:
    kw.setdefault("account_id", ACCOUNT)
    kw.setdefault("role_name", ROLE)
    return ipyawssso.login(
        profile,
        start_url=sandbox.start_url,
        sso_region=sandbox.region,
        session_name=SESSION,
        on_pending=person.approves,
        **kw,
    )


def quick_client(service: str, region: str = "us-east-1", *, read_timeout: float = 1.0) -> Any:
    """A stock, unsigned botocore client with a short read timeout and no retries: how a
    test sees a timeout in a second instead of botocore's default minute."""
    config = Config(
        region_name=region,
        signature_version=UNSIGNED,
        connect_timeout=1,
        read_timeout=read_timeout,
        retries={"mode": "standard", "total_max_attempts": 1},
    )
    return BotocoreSession().create_client(service, config=config)


def error_texts(exc: BaseException) -> list[str]:
    """What a user could ever see of an exception: message, repr and the full traceback."""
    return [str(exc), repr(exc), "".join(traceback.format_exception(exc))]


def assert_no_leaks(texts: list[str] | list[Any], sandbox: Any) -> None:
    leaks = find_leaks(texts, sandbox.issued_secrets())
    assert not leaks, "\n".join(leaks)


class _Tags(html.parser.HTMLParser):
    """Every element and attribute a browser would build from an HTML string."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_inert(markup: str) -> None:
    """No element or attribute that came from a hostile name: no script, img, handler or
    javascript: link. Our own constant handlers (the console button) are the only ones."""
    from ipyawssso.display import _CONSOLE

    parser = _Tags()
    parser.feed(markup)
    for tag, attrs in parser.tags:
        assert tag not in {"script", "img", "iframe", "object", "embed"}, (tag, markup[:300])
        for key, value in attrs.items():
            assert not key.startswith("on") or value == _CONSOLE, (tag, key)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, key)
    for name in HOSTILE_NAMES:
        assert name not in markup or "<" not in name, "a hostile name went in unescaped"


def run_python(
    code: str, *, env: dict[str, str] | None = None, timeout: float = 60, **kw: Any
) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that can import this checkout."""
    environment = dict(env or os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO), environment.get("PYTHONPATH", "")) if p
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        cwd=str(REPO),
        **kw,
    )


def last_json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the operating system's own faults ----------------------------------------------------


@functools.cache
def _can_mount() -> bool:
    """Root on Linux with the right to mount (a container may deny it even to root)."""
    if sys.platform != "linux" or os.geteuid() != 0:
        return False
    with tempfile.TemporaryDirectory() as probe:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", probe], capture_output=True
        )
        if mounted.returncode != 0:
            return False
        subprocess.run(["umount", probe], check=True)
    return True


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """Make ``folder`` read-only for real: a read-only bind mount when we are root (root
    ignores permission bits), else permission bits. Yields how it was done."""
    if _can_mount():
        subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(folder), str(folder)], check=True)
            yield "read-only bind mount"
        finally:
            subprocess.run(["umount", str(folder)], check=True)
        return
    if os.geteuid() == 0:
        pytest.skip("root ignores permission bits and this machine refuses mounts")
    modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
    for path in modes:
        path.chmod(0o500 if path.is_dir() else 0o400)
    try:
        yield "permission bits"
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


@contextlib.contextmanager
def tiny_disk(folder: Path, size_kib: int = 64) -> Iterator[Callable[[], None]]:
    """Mount a ``size_kib`` tmpfs on ``folder`` (copying what was there); yields ``fill()``,
    which takes every free byte so the next write fails with ENOSPC."""
    if not _can_mount():
        pytest.skip("a tiny tmpfs needs root; the RLIMIT_FSIZE test covers this machine")
    saved = snapshot(folder)
    modes = {str(p.relative_to(folder)): p.stat().st_mode for p in folder.rglob("*")}
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0700", "tmpfs", str(folder)],
        check=True,
    )
    try:
        for rel, data in saved.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.write_bytes(data)
            path.chmod(modes[rel] & 0o777)

        def fill() -> None:
            with contextlib.suppress(OSError):
                fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                try:
                    while True:
                        os.write(fd, b"\0" * 4096)
                finally:
                    os.close(fd)

        yield fill
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@pytest.fixture
def person() -> Person:
    """Answers the sandbox's verification page over HTTP, as a browser would."""
    return Person()


@pytest.fixture(scope="session")
def signed_in_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ``~/.aws`` after one real ``ipyawssso.login`` (profile ``ai-dev`` on sso-session
    ``my-sso``), made once per run: copying it is much faster than a device flow per test."""
    from ipyawssso.sandbox import Sandbox
    from ipyawssso.sandbox.isolation import isolated_environment, prepare_home

    home = tmp_path_factory.mktemp("template") / "home"
    aws = prepare_home(home)
    changes = isolated_environment(home, os.environ)
    saved = {name: os.environ.get(name) for name in changes}
    try:
        with Sandbox() as sb:
            changes.update(sb.env())
            for name, value in changes.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            login(sb, Person())
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return aws


@pytest.fixture
def signed_in(sandbox: Any, signed_in_template: Path) -> Any:
    """A profile ``ai-dev`` signed in: the template's files, honoured by this test's sandbox
    (``Sandbox.adopt_aws_folder``); returns ``ipyawssso.session("ai-dev")``."""
    aws = Path(os.environ["HOME"]) / ".aws"
    shutil.copytree(signed_in_template, aws, dirs_exist_ok=True)
    skipped = sandbox.adopt_aws_folder(aws)
    assert not skipped, skipped
    return ipyawssso.session("ai-dev")
