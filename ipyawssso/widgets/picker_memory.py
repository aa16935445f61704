"""The roles a person uses often: favourites and the recently used, on top of the picker.

Kept in ipyawssso's own settings file, ``settings.json`` in the per-user config folder
(``platformdirs.user_config_dir("ipyawssso")``: ``~/.config/ipyawssso`` on Linux), never in
``~/.aws/config``, which belongs to the AWS tools. One entry per sign-in (its start URL), as
``"<account id>/<role name>"`` keys: ids and names only, nothing secret. Written atomically; a
file that cannot be read or written costs the picker its memory, never the sign-in.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from ..core.atomic_file import ensure_private_folder, write_atomic

__all__ = ["RECENT_KEEP", "PickerMemory", "settings_path"]

#: How many recently used roles the picker keeps per sign-in.
RECENT_KEEP = 5


def settings_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("ipyawssso", appauthor=False)) / "settings.json"


class PickerMemory:
    """Favourite and recent roles per sign-in; ``path`` defaults to :func:`settings_path`."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        self._lock = threading.Lock()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _entry(self, data: dict[str, Any], scope: str) -> dict[str, list[str]]:
        picker = data.get("picker")
        entry = picker.get(scope) if isinstance(picker, dict) else None
        if not isinstance(entry, dict):
            entry = {}

        def keys(name: str) -> list[str]:
            value = entry.get(name)
            return [k for k in value if isinstance(k, str)] if isinstance(value, list) else []

        return {"favourites": keys("favourites"), "recent": keys("recent")}

    def pinned(self, scope: str) -> dict[str, list[str]]:
        """``{"favourites": [...], "recent": [...]}`` for one sign-in."""
        with self._lock:
            return self._entry(self._read(), scope)

    def _change(self, scope: str, change: Any) -> dict[str, list[str]]:
        with self._lock:
            data = self._read()
            entry = self._entry(data, scope)
            change(entry)
            found = data.get("picker")
            picker: dict[str, Any] = found if isinstance(found, dict) else {}
            picker[scope] = entry
            data["picker"] = picker
            try:
                ensure_private_folder(self.path.parent)
                write_atomic(self.path, (json.dumps(data, indent=1) + "\n").encode())
            except OSError:
                pass  # a read-only home: the picker forgets, the sign-in goes on
            return entry

    def toggle_favourite(self, scope: str, key: str) -> dict[str, list[str]]:
        def change(entry: dict[str, list[str]]) -> None:
            if key in entry["favourites"]:
                entry["favourites"].remove(key)
            else:
                entry["favourites"].append(key)

        return self._change(scope, change)

    def used(self, scope: str, key: str) -> dict[str, list[str]]:
        def change(entry: dict[str, list[str]]) -> None:
            entry["recent"] = [key, *[k for k in entry["recent"] if k != key]][:RECENT_KEEP]

        return self._change(scope, change)
