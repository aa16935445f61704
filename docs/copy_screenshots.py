"""Copy the screenshots that the browser tests took into ``docs/_static/screenshots``.

The UI tests (``tests/ui``) save every step as ``test-artifacts/ui/<test>/<NN>-<step>.png``.
The docs show some of them under stable names; this table says which test step each one is.
The docs build runs this itself (``conf.py``); run it by hand with
``python docs/copy_screenshots.py`` to see what it finds. Nothing here draws a picture.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SCREENSHOTS", "Shot", "copy_screenshots", "find_screenshot"]


@dataclass(frozen=True)
class Shot:
    """Where a screenshot comes from: the test that takes it and glob patterns for its file."""

    test: str
    patterns: tuple[str, ...]


_PANEL = "tests/ui/test_panel_lab.py"
_PANEL_RUN = "test_sign_in_pick_a_role_write_the_profile_and_use_the_session"
_LAB = "tests/ui/test_lab_extension.py"
_PALETTE_RUN = "test_sign_in_from_the_palette_then_a_kernel_needs_no_prompt"

SCREENSHOTS: dict[str, Shot] = {
    "panel-settings": Shot(_PANEL, (f"{_PANEL_RUN}/*-settings-filled.png",)),
    "panel-device": Shot(_PANEL, (f"{_PANEL_RUN}/*-device-card.png",)),
    "panel-picker": Shot(_PANEL, (f"{_PANEL_RUN}/*-picker-searched.png",)),
    "panel-form": Shot(_PANEL, (f"{_PANEL_RUN}/*-profile-form.png",)),
    "panel-done": Shot(_PANEL, (f"{_PANEL_RUN}/*-done.png",)),
    "device-card": Shot(
        _LAB, ("test_the_device_card_renders_copies_its_code_and_follows_updates/*-card.png",)
    ),
    "status-bar": Shot(_LAB, (f"{_PALETTE_RUN}/*-signed-in.png",)),
    "status-bar-amber": Shot(
        _LAB,
        ("test_near_expiry_the_item_turns_amber_then_red_and_the_popup_logs_out/*-amber.png",),
    ),
    "palette-sign-in": Shot(_LAB, (f"{_PALETTE_RUN}/*-sign-in-code.png",)),
}


def find_screenshot(artifacts: Path, shot: Shot) -> Path | None:
    """The newest file matching the shot's first pattern that matches anything."""
    for pattern in shot.patterns:
        found = [p for p in artifacts.glob(pattern) if p.is_file()]
        if found:
            return max(found, key=lambda p: (p.stat().st_mtime, p.name))
    return None


def copy_screenshots(artifacts: Path, dest: Path) -> dict[str, Path]:
    """Copy each screenshot found to ``dest/<name>.png``; drop stale copies of missing ones."""
    dest.mkdir(parents=True, exist_ok=True)
    copied: dict[str, Path] = {}
    for name, shot in SCREENSHOTS.items():
        target = dest / f"{name}.png"
        source = find_screenshot(artifacts, shot) if artifacts.is_dir() else None
        if source is None:
            target.unlink(missing_ok=True)
            continue
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
        copied[name] = source
    return copied


def main() -> int:
    here = Path(__file__).resolve().parent
    artifacts = here.parent / "test-artifacts" / "ui"
    copied = copy_screenshots(artifacts, here / "_static" / "screenshots")
    for name, shot in SCREENSHOTS.items():
        where = copied.get(name)
        print(f"{name:16} {where if where else 'missing: run ' + shot.test}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
