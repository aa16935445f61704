"""``python -m benchmarks.server_cost``: what ipyawssso's server extension costs each user server.

On a JupyterHub every user runs their own Jupyter server, so whatever the extension adds is
paid hundreds of times. The baseline is the same server, same environment and same command
with the extension switched off (``ServerApp.jpserver_extensions``); runs alternate between
the two so the machine's load falls on both alike, and each figure is the median of the runs.

Measured per server process (psutil): the time from launch until ``/api/status`` answers,
the resident memory (RSS and, where the OS reports it, USS) and the number of threads after
it has idled, and the same once the status bar's first request (``GET ipyawssso/api/status``)
has been answered. A server idles for ``--idle`` seconds before each reading, which is also
the check that nothing of ours runs or polls on its own meanwhile.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

BASELINE = "the same server without ipyawssso's extension"


@dataclass
class Reading:
    start_s: float
    rss_idle: int
    uss_idle: int | None
    threads_idle: int
    rss_used: int
    threads_used: int
    status_ms: float


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, token: str, timeout: float = 2.0) -> int:
    """GET a loopback URL of ours (http://127.0.0.1:PORT/...)."""
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0


def _memory(process: psutil.Process) -> tuple[int, int | None]:
    try:
        full = process.memory_full_info()
        return int(full.rss), int(getattr(full, "uss", 0)) or None
    except (psutil.AccessDenied, AttributeError):
        return int(process.memory_info().rss), None


@contextlib.contextmanager
def _server(
    app: str, extension: bool, root: Path
) -> Iterator[tuple[subprocess.Popen[bytes], str, str, float]]:
    home = Path(tempfile.mkdtemp(prefix="home-", dir=root))
    (home / ".aws").mkdir(mode=0o700)
    (home / ".aws" / "config").write_text("")
    config_dir = home / ".jupyter"
    config_dir.mkdir()
    (config_dir / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"ipyawssso": extension}}})
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "JUPYTER", "IPYTHON", "IPYAWSSSO_"))
    }
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(config_dir),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_DATA_DIR=str(home / "data"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    token, port = secrets.token_hex(16), _free_port()
    command = [
        sys.executable, "-m", "jupyter", app, "--no-browser", "--ServerApp.allow_root=True",
        f"--ServerApp.token={token}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--ServerApp.root_dir={home}",
    ]  # fmt: skip
    if app == "lab":
        command.append("--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate")
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while _get(f"{url}/api/status", token, timeout=0.5) != 200:
            if process.poll() is not None:
                raise RuntimeError(f"jupyter {app} exited with {process.returncode}")
            if time.perf_counter() - started > 120:
                raise RuntimeError(f"jupyter {app} did not start within 120 s")
            time.sleep(0.02)
        yield process, url, token, time.perf_counter() - started
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def measure(app: str, extension: bool, idle: float, root: Path) -> Reading:
    with _server(app, extension, root) as (process, url, token, start_s):
        proc = psutil.Process(process.pid)
        time.sleep(idle)
        rss_idle, uss_idle = _memory(proc)
        threads_idle = proc.num_threads()
        # The status bar's first question (the baseline answers 404: the request costs the
        # same to send; only our handler's work differs).
        asked = time.perf_counter()
        _get(f"{url}/ipyawssso/api/status", token, timeout=30)
        status_ms = (time.perf_counter() - asked) * 1000
        time.sleep(1.0)
        rss_used, _ = _memory(proc)
        return Reading(
            start_s, rss_idle, uss_idle, threads_idle, rss_used, proc.num_threads(), status_ms
        )


#: Run in a fresh interpreter: the CPU time of loading the extension into a real, initialised
#: ServerApp (whose config leaves ipyawssso off, so this call is its only load), the part of the
#: start that is ours.
_LOAD_SCRIPT = """
import json, sys, time
from jupyter_server.serverapp import ServerApp
app = ServerApp.instance()
app.initialize(argv=sys.argv[1:])
cpu, wall = time.process_time(), time.perf_counter()
from ipyawssso.server import _load_jupyter_server_extension
_load_jupyter_server_extension(app)
print(json.dumps([time.process_time() - cpu, time.perf_counter() - wall]))
"""


def load_cost(root: Path) -> tuple[float, float]:
    """(CPU s, wall s) of importing and loading the extension in a fresh server process."""
    home = Path(tempfile.mkdtemp(prefix="load-", dir=root))
    (home / "config").mkdir()
    (home / "config" / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"ipyawssso": False}}})
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("JUPYTER")}
    env.update(HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"))
    argv = ["--ServerApp.allow_root=True", f"--ServerApp.root_dir={home}"]
    out = subprocess.run(
        [sys.executable, "-c", _LOAD_SCRIPT, *argv],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=home,
    ).stdout
    cpu, wall = json.loads(out.strip().splitlines()[-1])
    return float(cpu), float(wall)


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server_cost", description=__doc__)
    parser.add_argument(
        "--app",
        choices=["lab", "server"],
        default="lab",
        help="what each user runs: JupyterLab (a hub's default) or the bare server",
    )
    parser.add_argument("--runs", type=int, default=5, help="servers started per side")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds idle before reading")
    args = parser.parse_args(argv)

    print(
        f"ipyawssso server extension, cost per user server: jupyter {args.app}, {args.runs} runs "
        f"per side, alternating; baseline: {BASELINE}. Python {platform.python_version()} on "
        f"{platform.machine()}, {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory(prefix="ipyawssso-server-cost-") as folder:
        root = Path(folder)
        ours: list[Reading] = []
        base: list[Reading] = []
        for _ in range(args.runs):
            base.append(measure(args.app, False, args.idle, root))
            ours.append(measure(args.app, True, args.idle, root))

        loads = [load_cost(root) for _ in range(args.runs)]

    mib = 1024 * 1024

    def row(label: str, pick: str, scale: float = 1.0, unit: str = "", fmt: str = ".2f") -> None:
        with_ext = _median([getattr(r, pick) / scale for r in ours])
        without = _median([getattr(r, pick) / scale for r in base])
        ratio = f"{with_ext / without:.3f}x" if without else "-"
        print(
            f"  {label:<44} {with_ext:>9{fmt}} {unit:<4} vs {without:>9{fmt}} {unit:<4} "
            f"({with_ext - without:+{fmt}} {unit}, {ratio})"
        )

    print(f"  {'figure (median)':<44} {'with':>14} vs {'without':>14}")
    row("time until the server answers", "start_s", unit="s")
    row("memory at idle (RSS)", "rss_idle", mib, "MiB", ".1f")
    if all(r.uss_idle for r in ours + base):
        row("memory at idle (USS)", "uss_idle", mib, "MiB", ".1f")
    row("threads at idle", "threads_idle", unit="", fmt=".0f")
    print(
        f"  {'loading the extension (CPU / wall)':<44} "
        f"{_median([c for c, _ in loads]) * 1000:>9.0f} ms   / "
        f"{_median([w for _, w in loads]) * 1000:.0f} ms (ours alone, in a fresh process)"
    )
    status = _median([r.status_ms for r in ours])
    print(f"  {'first status request (ours)':<44} {status:>9.0f} ms")
    row("memory after the first status request (RSS)", "rss_used", mib, "MiB", ".1f")
    row("threads after the first status request", "threads_used", unit="", fmt=".0f")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
