"""Step 3: pick an account and role, from one to thousands (docs/architecture.md §7).

Order of events for one catalog: the on-disk role cache shows at once (``cached()``), the
account list replaces it as soon as ``accounts()`` answers (accounts whose roles are unknown
show as groups "loading roles…", so they can be found by name right away), ``prefetch()``
loads every role in the background with a progress bar, and the accounts a person is looking
at (in view, opened, or selected) are loaded first through ``prioritize``/``roles_for``.

The list (:class:`~.role_list.RoleList`) groups roles under their account (name and id once
per group, collapsible), puts favourite and recently used roles on top
(:class:`~.picker_memory.PickerMemory`), highlights what matched and filters in the page on
every keystroke; only ``limit`` rows are ever in the DOM. Keyboard: type to search, Down into
the list, arrows to move, Left/Right to close or open an account, ``*`` for a favourite,
Enter to use the role.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as w

from ..core.models import Role
from .backend import CatalogLike
from .markup import fallback_bundle, message_html
from .picker_memory import PickerMemory
from .role_filter import RoleIndex, Row
from .role_list import RoleList, account_rows
from .tasks import TaskRunner

__all__ = ["RolePicker"]

ErrorSink = Callable[[BaseException, Callable[[], None] | None], None]

_TASKS = ("picker-accounts", "picker-prefetch", "picker-roles")

#: What a saved notebook shows where a picker stood, once it is gone.
PICKER_FALLBACK = "AWS account and role picker (ipyawssso) — run the cell again to choose a role."


class RolePicker(w.VBox):
    """Searchable account/role list; ``on_pick(Role)`` when the person chooses one."""

    def __init__(
        self,
        runner: TaskRunner,
        *,
        on_pick: Callable[[Role], None],
        on_back: Callable[[], None],
        on_error: ErrorSink,
        limit: int = 200,
        rows: int = 12,
        memory: PickerMemory | None = None,
    ) -> None:
        self._runner = runner
        self._on_pick = on_pick
        self._on_back = on_back
        self._on_error = on_error
        self._limit = limit
        self._visible_rows = rows
        self._lock = threading.RLock()
        self._index = RoleIndex()
        self._catalog: CatalogLike | None = None
        self._generation = 0
        self._complete = False
        self._wanted: list[str] = []
        self._loader_active = False
        self._memory = memory or PickerMemory()
        self._scope = ""
        self.repaint_interval = 0.5

        self.roles = RoleList(limit=limit, rows=rows, layout=w.Layout(width="100%"))
        self.roles.add_class("ipyawssso-roles")
        self.roles.on_pick(self._pick_key)
        self.roles.on_favourite(self._toggle_favourite)
        self.notice = w.HTML()
        self.detail = w.HTML()
        self.progress = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="240px"))
        self.progress_label = w.HTML()
        self.progress_box = w.HBox([self.progress, self.progress_label])
        self.progress_box.layout.display = "none"
        self.back = w.Button(description="Back")
        self.reload = w.Button(description="Refresh", tooltip="List accounts and roles again")
        self.use = w.Button(description="Use this role", button_style="primary", disabled=True)
        self.use.add_class("ipyawssso-use-role")
        self.back.on_click(lambda _b: self._back())
        self.reload.on_click(lambda _b: self._reload())
        self.use.on_click(lambda _b: self._use())
        self.roles.observe(self._selection_changed, "selected")
        self.roles.observe(self._wanted_changed, "wanted")
        super().__init__(
            [
                w.HTML("<b>Choose an account and role</b>"),
                self.roles,
                self.notice,
                self.detail,
                self.progress_box,
                # "Use this role" comes first so Tab goes search -> list -> Use.
                w.HBox([self.use, self.back, self.reload]),
            ],
            layout=w.Layout(width="100%", max_width="760px"),
        )
        self.add_class("ipyawssso-picker")

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return fallback_bundle(super()._repr_mimebundle_(**kwargs), PICKER_FALLBACK)

    # -- public -----------------------------------------------------------------------------

    @property
    def index(self) -> RoleIndex:
        return self._index

    @property
    def complete(self) -> bool:
        """True once every account's roles are known (the prefetch finished)."""
        return self._complete

    def selected(self) -> Row | None:
        key = self.roles.selected
        return self._index.row(key) if key else None

    def load(self, catalog: CatalogLike, *, refresh: bool = False) -> None:
        """Start showing ``catalog``; replaces whatever the picker showed before.

        Roles cached by an earlier session show at once; the list is then refreshed quietly
        from the portal (or right away with ``refresh``, the Refresh button).
        """
        self.stop()
        with self._lock:
            self._generation += 1
            generation = self._generation
            self._catalog = catalog
            self._index = RoleIndex()
            self._complete = False
            self._wanted = []
            self._loader_active = False
            self._scope = str(getattr(catalog, "start_url", "") or "")
        self.roles.query = ""
        self.roles.selected = ""
        self.roles.pinned = self._memory.pinned(self._scope)
        self.detail.value = ""
        self.notice.value = ""
        self._show_progress(0, 0, "Loading accounts…")
        self._publish()

        def work(cancel: threading.Event) -> list:
            if refresh:
                catalog.forget_roles()  # the Refresh button: ask the portal for every role
            cached = None if refresh else catalog.cached()
            if cached and not cancel.is_set():
                self._apply(generation, lambda index: index.set_roles(cached))
                self._show_progress(0, 0, "Checking for new accounts and roles…")
            return catalog.accounts(refresh=refresh or cached is not None, cancel=cancel)

        def done(accounts: list) -> None:
            if not self._apply(generation, lambda index: index.set_accounts(accounts)):
                return
            if not accounts:
                self._hide_progress()
                self.notice.value = message_html(
                    "This sign-in has no AWS accounts assigned. Ask your administrator for "
                    "access, or sign in with another start URL.",
                    kind="warning",
                )
                return
            self._want(self._in_view(), front=False)
            self._start_prefetch(generation)

        self._runner.run(
            "picker-accounts",
            work,
            done,
            lambda exc: self._failed(exc, lambda: self.load(catalog, refresh=refresh)),
        )

    def stop(self) -> None:
        """Stop loading (Back, Close, or a new catalog)."""
        self._runner.cancel(*_TASKS)
        with self._lock:
            self._loader_active = False
            self._wanted = []

    # -- background loading -----------------------------------------------------------------

    def _apply(self, generation: int, change: Callable[[RoleIndex], None]) -> bool:
        """Change the index and repaint, unless a newer catalog replaced this one."""
        with self._lock:
            if generation != self._generation:
                return False
            change(self._index)
            self._publish()
            return True

    def _start_prefetch(self, generation: int) -> None:
        catalog = self._catalog
        if catalog is None:
            return

        def work(cancel: threading.Event) -> list[Role]:
            shown = [0.0]

            def progress(done: int, total: int) -> None:
                if cancel.is_set() or generation != self._generation:
                    return
                self._show_progress(done, total)
                # Show what has loaded so far, at most twice a second: a repaint per
                # account would flood the browser when thousands of accounts load.
                now = time.monotonic()
                if now - shown[0] >= self.repaint_interval and done < total:
                    shown[0] = now
                    loaded = catalog.loaded()
                    self._apply(generation, lambda index: index.set_loaded(loaded))

            return catalog.prefetch(on_progress=progress, cancel=cancel)

        def done(roles: list[Role]) -> None:
            if not self._apply(generation, lambda index: index.set_roles(roles, complete=True)):
                return
            self._complete = True
            self._hide_progress()
            only = self._index.only_role()
            if only is not None and not self.roles.selected:
                self.roles.selected = f"{only.account_id}/{only.role_name}"

        self._runner.run(
            "picker-prefetch",
            work,
            done,
            lambda exc: self._failed(exc, lambda: self._start_prefetch(self._generation)),
        )

    def _want(self, account_ids: list[str], *, front: bool = True) -> None:
        """Load these accounts' roles before the rest (the ones the person is looking at)."""
        catalog = self._catalog
        if catalog is None or self._complete:
            return
        with self._lock:
            fresh = [a for a in account_ids if not self._index.loaded(a) and a not in self._wanted]
            if not fresh:
                return
            self._wanted = fresh + self._wanted if front else self._wanted + fresh
            if self._loader_active:
                return
            self._loader_active = True
            generation = self._generation

        def work(cancel: threading.Event) -> None:
            while not cancel.is_set():
                with self._lock:
                    if not self._wanted or generation != self._generation:
                        self._loader_active = False
                        return
                    account_id = self._wanted.pop(0)
                    if self._index.loaded(account_id):
                        continue
                catalog.prioritize(account_id)
                roles = catalog.roles_for(account_id, cancel)
                if cancel.is_set():
                    return
                self._apply(generation, functools.partial(_set_roles, account_id, roles))

        def failed(exc: BaseException) -> None:
            with self._lock:
                self._loader_active = False
            self._failed(exc, lambda: self._want(self._in_view()))

        self._runner.run("picker-roles", work, None, failed)

    def _failed(self, exc: BaseException, retry: Callable[[], None]) -> None:
        self._hide_progress()
        self._on_error(exc, retry)

    # -- view -------------------------------------------------------------------------------

    def _show_progress(self, done: int, total: int, text: str | None = None) -> None:
        with self.progress.hold_sync():
            self.progress.max = max(total, 1)
            self.progress.value = min(done, max(total, 1))
        self.progress_label.value = escape(text or f"Loading roles: {done:,} of {total:,} accounts")
        self.progress_box.layout.display = "flex"

    def _hide_progress(self) -> None:
        self.progress_box.layout.display = "none"
        self.progress_label.value = ""

    def _publish(self) -> None:
        """Hand the page the catalog as it is now; the page filters and draws it."""
        with self._lock:
            self.roles.accounts = account_rows(self._index.groups())
            self._show_detail()

    def _show_detail(self) -> None:
        row = self.selected()
        self.use.disabled = row is None or row.loading
        # "Use <label>" names the row the kernel will use. The lab extension's Enter in the
        # list waits for it: ipywidgets holds back a selection while the previous one is
        # unanswered but sends a click at once, so a quick Down, Down, Enter would otherwise
        # use the first Down's row.
        self.use.tooltip = f"Use {row.label}" if row is not None and not row.loading else None
        if row is None:
            self.detail.value = ""
            return
        account = row.account
        parts = [f"<b>{escape(account.name or account.account_id)}</b>"]
        if account.name:
            parts.append(escape(account.account_id))
        if account.email:
            parts.append(escape(account.email))
        text = " · ".join(parts)
        if row.role is None:
            text += " — loading its roles…"
        else:
            text += f" — role <b>{escape(row.role.role_name)}</b>"
        self.detail.value = text

    def _in_view(self) -> list[str]:
        """Before the page says what it shows (``wanted``): the first accounts still loading,
        as many as the list shows at once (the page draws accounts in the index's order)."""
        ids = [account.account_id for account, roles in self._index.groups() if roles is None]
        return ids[: self._visible_rows]

    # -- events (from the browser, or trait changes and calls in tests) ----------------------

    def _wanted_changed(self, change: dict) -> None:
        self._want(list(change["new"]), front=True)

    def _selection_changed(self, _change: dict) -> None:
        self._show_detail()

    def _pick_key(self, key: str) -> None:
        """Enter or a double-click on a role in the page: use it at once (the key travels with
        the event, so no selection still on its way can change which role is used)."""
        if self._index.row(key) is None:
            return
        self.roles.selected = key
        self._use()

    def _toggle_favourite(self, key: str) -> None:
        self.roles.pinned = self._memory.toggle_favourite(self._scope, key)

    def _use(self) -> None:
        row = self.selected()
        if row is None or row.role is None:
            return
        self.roles.pinned = self._memory.used(self._scope, row.key)
        self._on_pick(row.role)

    def _reload(self) -> None:
        if self._catalog is not None:
            self.load(self._catalog, refresh=True)

    def _back(self) -> None:
        self.stop()
        self._on_back()


def _set_roles(account_id: str, roles: list[Role], index: RoleIndex) -> None:
    index.set_account_roles(account_id, roles)
