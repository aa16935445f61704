"""A real ipykernel, driven cell by cell through nbclient (the helpers behind the fixtures).

``KernelNotebook`` starts ``python3`` (this interpreter's ipykernel) with a given environment;
``run(code)`` executes one cell and returns it with its outputs, and ``on_message`` sees every
kernel message while the cell runs. That is how a test plays the person: ``Person`` reads the
user code from the device card and answers the sandbox's page over HTTP, and ``click`` /
``set_state`` send the ``comm_msg`` a browser sends when someone uses a widget.

``run_notebook(kernel, path)`` executes a whole ``.ipynb`` in such a kernel.
"""

from __future__ import annotations

import json
import os
import signal
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
from jupyter_core.utils import ensure_async, run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete

import ipyawssso
from ipyawssso.sandbox import Sandbox
from ipyawssso.sandbox.leak_guard import find_leaks
from tests.verification_page import answer_page

DEVICE_MIME = "application/vnd.ipyawssso.device+json"
REPO = Path(ipyawssso.__file__).resolve().parents[1]

MessageHook = Callable[[dict[str, Any], "KernelNotebook"], None]


class _Client(NotebookClient):
    """nbclient, plus a hook that sees each message as it arrives (mid-cell).

    A browser's widget manager applies every widget update, including those a widget sends
    in answer to a click (their parent is the click's ``comm_msg``, not the cell). nbclient
    keeps only the cell's messages, so this client also applies those comm messages to its
    widget state, as a browser would. (It overrides nbclient's private output poller.)
    """

    on_message: MessageHook | None = None
    owner: KernelNotebook | None = None

    def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
        try:
            return super().process_message(msg, cell, cell_index)
        finally:
            self._notify(msg)

    def _notify(self, msg: dict[str, Any]) -> None:
        if self.on_message is not None and self.owner is not None:
            self.on_message(msg, self.owner)

    async def _async_poll_output_msg(self, parent_msg_id: str, cell: Any, cell_index: int) -> None:
        assert self.kc is not None
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    return
            elif msg["msg_type"].startswith("comm"):
                self.handle_comm_msg([], msg, cell_index)
                self._notify(msg)


class KernelNotebook:
    """One live kernel and the notebook its cells are appended to."""

    def __init__(self, env: dict[str, str], workdir: Path, *, timeout: int = 90) -> None:
        self.env = env
        self.workdir = workdir
        self.nb = nbformat.v4.new_notebook()
        self.client = _Client(
            self.nb,
            kernel_name="python3",
            timeout=timeout,
            allow_errors=True,
            resources={"metadata": {"path": str(workdir)}},
        )
        self.client.owner = self
        self.client.on_cell_executed = self._record_reply
        self.last_status = ""
        self.log_path = workdir / "kernel.log"
        self._log = self.log_path.open("wb")

    def start(self) -> KernelNotebook:
        self.client.km = self.client.create_kernel_manager()
        self.client.start_new_kernel(env=self.env, stdout=self._log, stderr=self._log)
        self.client.start_new_kernel_client()
        return self

    def stop(self) -> None:
        km = self.client.km
        if self.client.kc is not None:
            self.client.kc.stop_channels()
        if km is not None and run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
        self._log.close()

    def _record_reply(self, *, cell: Any, cell_index: int, execute_reply: dict[str, Any]) -> None:
        self.last_status = execute_reply["content"]["status"]

    def run(
        self,
        source: str,
        *,
        on_message: MessageHook | None = None,
        allow_error: bool = False,
        timeout: int | None = None,
    ) -> Any:
        """Execute one cell; fails the test if the cell failed, unless ``allow_error``."""
        cell = nbformat.v4.new_code_cell(source)
        self.nb.cells.append(cell)
        self.client.on_message = on_message
        self.last_status = ""
        if timeout is not None:
            self.client.timeout = timeout
        try:
            self.client.execute_cell(cell, len(self.nb.cells) - 1)
        finally:
            self.client.on_message = None
        if not allow_error:
            # A UsageError is no error output (IPython prints one line), but the reply says so.
            assert self.last_status == "ok", f"{source!r} failed:\n{self.text(cell)}"
        return cell

    # --- reading outputs -----------------------------------------------------------------

    @staticmethod
    def text(cell: Any) -> str:
        """Everything a reader of the saved notebook sees as text, for one cell."""
        parts = []
        for out in cell.outputs:
            if out.output_type == "stream":
                parts.append(out.text)
            elif out.output_type == "error":
                parts.append("\n".join(out.traceback))
            elif "text/plain" in out.get("data", {}):
                parts.append(out.data["text/plain"])
        return "\n".join(parts)

    def widget_models(self, model_name: str, dom_class: str | None = None) -> list[str]:
        """Comm ids of live widgets by model name (and CSS class), newest last."""
        found = []
        for comm_id, state in self.client.widget_state.items():
            if state.get("_model_name") != model_name:
                continue
            if dom_class is None or dom_class in state.get("_dom_classes", ()):
                found.append(comm_id)
        return found

    def send_comm(self, comm_id: str, data: dict[str, Any]) -> None:
        """What a browser sends when a person clicks or types in a widget."""
        kc = self.client.kc
        msg = kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
        kc.shell_channel.send(msg)

    def interrupt(self) -> None:
        """What the kernel's stop button does (ipykernel's interrupt mode is a signal)."""
        os.kill(self.client.km.provisioner.pid, signal.SIGINT)

    def click(self, comm_id: str) -> None:
        self.send_comm(comm_id, {"method": "custom", "content": {"event": "click"}})

    def set_state(self, comm_id: str, **state: Any) -> None:
        self.send_comm(comm_id, {"method": "update", "state": state, "buffer_paths": []})

    def everything(self) -> list[tuple[str, str | bytes]]:
        """What the leak guard reads: the notebook, widget state and the kernel's log."""
        if not self._log.closed:
            self._log.flush()
        return [
            ("notebook", nbformat.writes(self.nb)),
            ("widget state", json.dumps(self.client.widget_state)),
            ("kernel log", self.log_path.read_bytes()),
        ]


# --- the person at the sandbox's verification page -------------------------------------------


def device_payload(msg: dict[str, Any]) -> dict[str, Any] | None:
    """The device card's JSON if ``msg`` shows or updates one."""
    if msg["msg_type"] not in {"display_data", "update_display_data"}:
        return None
    return msg["content"].get("data", {}).get(DEVICE_MIME)


class Person:
    """Reads the device card as it appears and answers the page; remembers what it saw."""

    def __init__(self, action: str = "allow") -> None:
        self.action = action
        self.cards: list[dict[str, Any]] = []
        self.answers: list[str] = []

    def __call__(self, msg: dict[str, Any], _kernel: KernelNotebook) -> None:
        card = device_payload(msg)
        if card is None:
            return
        self.cards.append(card)
        if card["state"] == "pending" and card["userCode"] not in self.answers:
            assert card["userCode"] in urllib.parse.unquote(card["verificationUriComplete"])
            self.answers.append(card["userCode"])
            answer_page(card["verificationUriComplete"], self.action)


# --- environment, leaks, whole notebooks ----------------------------------------------------


def kernel_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's (already isolated) environment, plus what a kernel of ours needs."""
    env = dict(os.environ)
    env.update(extra or {})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["IPYTHONDIR"] = str(home / ".ipython")
    env["IPYAWSSSO_CACHE_DIR"] = str(home / ".cache" / "ipyawssso")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env.pop("PYDEVD_DISABLE_FILE_VALIDATION", None)
    return env


def leaks_of(home: Path, sources: list[tuple[str, str | bytes]], sb: Sandbox) -> list[str]:
    aws = home / ".aws"
    return find_leaks(
        [*sources, home],
        sb.issued_secrets(),
        exclude=[aws / "sso" / "cache", aws / "cli" / "cache"],
    )


def run_notebook(
    kernel: KernelNotebook, path: Path, *, on_message: MessageHook | None = None
) -> list[Any]:
    """Execute every code cell of ``path`` in ``kernel``, in order; an error fails the test."""
    source = nbformat.read(path, as_version=4)
    executed = []
    for cell in source.cells:
        if cell.cell_type == "code":
            executed.append(kernel.run(cell.source, on_message=on_message))
        else:
            kernel.nb.cells.append(cell)
    return executed
