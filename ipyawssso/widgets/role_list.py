"""The picker's list: roles grouped under their account, filtered in the page (anywidget).

The kernel hands the page the whole catalog once (ids and names, no secret) and hears back
the query, the selected role, which accounts still loading are in view (``wanted``) and two
events: a role picked (Enter, double-click) and a favourite toggled (``*``, the star). The
view is ``role_list.js``; see its header for why the filtering happens in the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets as t

from ..core.models import Account, Role

__all__ = ["RoleList", "account_rows"]

_HERE = Path(__file__).parent


def account_rows(groups: Sequence[tuple[Account, Sequence[Role] | None]]) -> list[list[Any]]:
    """The ``accounts`` trait: ``[id, name, email, [role names] or None while loading]``."""
    return [
        [
            account.account_id,
            account.name or "",
            account.email or "",
            None if roles is None else [role.role_name for role in roles],
        ]
        for account, roles in groups
    ]


class RoleList(anywidget.AnyWidget):
    """See the module docstring; ``on_pick(key)`` and ``on_favourite(key)`` take
    ``"<account id>/<role name>"`` keys."""

    _esm = _HERE / "role_list.js"
    _css = _HERE / "role_list.css"

    accounts: t.List[list[Any]] = t.List().tag(sync=True)
    pinned: t.Dict[str, list[str]] = t.Dict().tag(sync=True)
    query = t.Unicode("").tag(sync=True)
    selected = t.Unicode("").tag(sync=True)
    wanted = t.List(t.Unicode()).tag(sync=True)
    limit = t.Int(200).tag(sync=True)
    rows = t.Int(12).tag(sync=True)
    placeholder = t.Unicode(
        "Search by account name, account id, email or role (↓ to the list, Enter to use)"
    ).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pick: list[Callable[[str], None]] = []
        self._favourite: list[Callable[[str], None]] = []
        self.on_msg(self._message)

    def on_pick(self, callback: Callable[[str], None]) -> None:
        self._pick.append(callback)

    def on_favourite(self, callback: Callable[[str], None]) -> None:
        self._favourite.append(callback)

    def pick(self, key: str) -> None:
        """What Enter on a role does in the page (tests call it too)."""
        for callback in self._pick:
            callback(key)

    def favourite(self, key: str) -> None:
        for callback in self._favourite:
            callback(key)

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or not isinstance(content.get("key"), str):
            return
        if content.get("event") == "select":
            # The page's selection, sent as a message too: a state update may be held back
            # by ipywidgets while the cell that shows the picker waits (see role_list.js).
            self.selected = content["key"]
        elif content.get("event") == "pick":
            self.pick(content["key"])
        elif content.get("event") == "favourite":
            self.favourite(content["key"])
