"""Step 4: name the profile, choose region and output, and see the exact change to the file.

The preview is the core's ``preview_profile`` diff, recomputed on every edit, so what the
person reads is what ``save_profile`` will write. Names the core refuses (newlines, brackets)
show the core's message and disable the button; nothing is validated twice with other rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import ipywidgets as w

from ..core.errors import IpyAwsSsoError
from ..core.models import Role
from ..core.vocabulary import OUTPUT_FORMATS
from .backend import Backend, ProfileSettings
from .form_style import FIELD, LABEL
from .markup import diff_html, message_html
from .regions import all_regions
from .wording import PANEL

__all__ = ["OUTPUT_FORMATS", "ProfileForm", "ProfileRequest"]


@dataclass(frozen=True)
class ProfileRequest:
    """Everything ``save_profile`` needs, as the person confirmed it."""

    name: str
    session_name: str
    account_id: str
    role_name: str
    region: str | None
    output: str | None
    process_profile: bool = False

    def settings(self) -> ProfileSettings:
        """The keyword arguments of ``save_profile``/``preview_profile`` after the name."""
        return {
            "session_name": self.session_name,
            "account_id": self.account_id,
            "role_name": self.role_name,
            "region": self.region,
            "output": self.output,
            "process_profile": self.process_profile,
        }


class ProfileForm(w.VBox):
    """Calls ``on_write(ProfileRequest)`` when the person presses "Write profile"."""

    def __init__(
        self,
        backend: Backend,
        *,
        on_write: Callable[[ProfileRequest], None],
        on_back: Callable[[], None],
        region: str | None = None,
        output: str | None = None,
    ) -> None:
        self._backend = backend
        self._on_write = on_write
        self._on_back = on_back
        self._default_region = region
        self._role: Role | None = None
        self._session_name = ""
        self._existing: frozenset[str] = frozenset()

        regions = [("(not set)", ""), *all_regions()]
        if region and region not in {code for _, code in regions}:
            regions.append((region, region))
        outputs = [("(not set)", ""), *((o, o) for o in OUTPUT_FORMATS)]
        if output and output not in OUTPUT_FORMATS:
            outputs.append((output, output))

        self.role_info = w.HTML()
        self.name = w.Text(
            description="Profile name", continuous_update=True, style=LABEL, layout=FIELD
        )
        self.name.add_class("ipyawssso-profile-name")
        self.name_hint = w.HTML()
        self.region = w.Dropdown(
            description="Region", options=regions, value=region or "", style=LABEL, layout=FIELD
        )
        self.output = w.Dropdown(
            description="Output", options=outputs, value=output or "", style=LABEL, layout=FIELD
        )
        self.region.add_class("ipyawssso-region")
        self.output.add_class("ipyawssso-output")
        self.process = w.Checkbox(
            value=False,
            description="Also write NAME-process (credential_process) for tools without SSO",
            indent=False,
            layout=w.Layout(width="520px"),
        )
        self.process.add_class("ipyawssso-process-profile")
        self.preview = w.HTML()
        self.preview.add_class("ipyawssso-preview")
        self.written = w.HTML()
        self.written.add_class("ipyawssso-written")
        self.back = w.Button(description="Back")
        self.write = w.Button(description="Write profile", button_style="primary", disabled=True)
        self.write.add_class("ipyawssso-write")
        self.back.on_click(lambda _b: self._on_back())
        self.write.on_click(lambda _b: self._submit())
        for widget in (self.name, self.region, self.output, self.process):
            widget.observe(lambda _c: self.refresh(), "value")
        super().__init__(
            [
                w.HTML("<b>Save it as a profile</b>"),
                self.role_info,
                self.name,
                self.name_hint,
                self.region,
                self.output,
                self.process,
                self.written,
                w.HTML("Changes to <code>~/.aws/config</code>:"),
                self.preview,
                w.HBox([self.back, self.write]),
            ]
        )
        self.add_class("ipyawssso-form")

    def show(
        self,
        role: Role,
        *,
        session_name: str,
        name: str,
        sso_region: str,
        existing: frozenset[str] = frozenset(),
        session_written_at: str | None = None,
    ) -> None:
        """Fill the form for ``role``; ``name`` is the suggestion the person may edit.

        ``session_written_at`` (``HH:MM``): the sign-in wrote a new ``[sso-session]`` then.
        """
        self._role = role
        self.written.value = (
            message_html(
                f"[sso-session {session_name}] was written to ~/.aws/config at "
                f"{session_written_at}, when the sign-in succeeded. Write profile adds what is "
                "shown below; nothing else changes.",
                kind="info",
            )
            if session_written_at
            else ""
        )
        self._session_name = session_name
        self._existing = existing
        account = escape(role.account_name or role.account_id)
        self.role_info.value = (
            f"Role <b>{escape(role.role_name)}</b> in <b>{account}</b> "
            f"({escape(role.account_id)}), sign-in <code>{escape(session_name)}</code>"
        )
        self.name.value = name
        if self.region.value == "" and not self._default_region:
            regions = {code for _, code in self.region.options}
            if sso_region in regions:
                self.region.value = sso_region
        self.write.disabled = False
        self.refresh()

    def request(self) -> ProfileRequest | None:
        if self._role is None:
            return None
        return ProfileRequest(
            name=self.name.value.strip(),
            session_name=self._session_name,
            account_id=self._role.account_id,
            role_name=self._role.role_name,
            region=self.region.value or None,
            output=self.output.value or None,
            process_profile=bool(self.process.value),
        )

    def set_busy(self, busy: bool) -> None:
        for widget in (self.name, self.region, self.output, self.process, self.back):
            widget.disabled = busy
        if busy:
            self.write.disabled = True
        else:
            self.refresh()

    def refresh(self) -> bool:
        """Recompute the preview; True when the profile can be written as shown."""
        request = self.request()
        if request is None:
            self.write.disabled = True
            return False
        if not request.name:
            self.name_hint.value = message_html("Give the profile a name.", kind="warning")
            self.preview.value = ""
            self.write.disabled = True
            return False
        try:
            diff = self._backend.preview_profile(request.name, **request.settings())
        except IpyAwsSsoError as exc:
            self.name_hint.value = message_html(exc.worded(PANEL), kind="error")
            self.preview.value = ""
            self.write.disabled = True
            return False
        if request.name in self._existing:
            self.name_hint.value = message_html(
                f"A profile named {request.name!r} exists: writing replaces its settings as "
                "shown below.",
                kind="warning",
            )
        else:
            self.name_hint.value = message_html(
                f"Use it later as boto3.Session(profile_name={request.name!r}) or "
                f"`aws --profile {request.name}`.",
                kind="info",
            )
        self.preview.value = diff_html(diff)
        self.write.disabled = False
        return True

    def _submit(self) -> None:
        if not self.refresh():
            return
        request = self.request()
        if request is not None:
            self._on_write(request)
