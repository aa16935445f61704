"""Step 1: where to sign in (start URL, IAM Identity Center region, session name).

The fields are prefilled from the panel's arguments and from the ``[sso-session]`` sections
already in ``~/.aws/config``: picking an existing session name fills its URL and region, so a
returning user presses one button. Checks here are hints only; the core has the final word.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import ipywidgets as w

from ..core.models import SsoSession
from .form_style import FIELD, LABEL
from .markup import message_html
from .regions import identity_center_regions

__all__ = ["SignInSettings", "SignInValues", "session_name_from_url"]


@dataclass(frozen=True)
class SignInValues:
    session_name: str
    start_url: str
    sso_region: str


def session_name_from_url(url: str) -> str:
    """``https://my-org.awsapps.com/start`` -> ``my-org``: a name people recognise."""
    host = urlsplit(url.strip()).hostname or ""
    return host.split(".", 1)[0] if host else ""


def _is_https(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.hostname)


class SignInSettings(w.VBox):
    """The sign-in form; calls ``on_submit(SignInValues)`` when the button is pressed."""

    def __init__(
        self,
        *,
        sessions: Mapping[str, SsoSession],
        on_submit: Callable[[SignInValues], None],
        start_url: str | None = None,
        sso_region: str | None = None,
        session_name: str | None = None,
    ) -> None:
        self._sessions = dict(sessions)
        self._on_submit = on_submit
        self._suggested_name = ""
        regions = list(identity_center_regions())
        known = {code for _, code in regions}
        wanted = [sso_region] + [s.region for s in self._sessions.values()]
        for region in wanted:
            if region and region not in known:
                regions.append((region, region))
                known.add(region)

        self.session_name = w.Combobox(
            description="Session name",
            options=tuple(sorted(self._sessions)),
            ensure_option=False,
            placeholder="a short name, e.g. my-org",
            style=LABEL,
            layout=FIELD,
        )
        self.start_url = w.Text(
            description="Start URL",
            placeholder="https://my-org.awsapps.com/start",
            style=LABEL,
            layout=FIELD,
        )
        self.sso_region = w.Dropdown(
            description="SSO region", options=regions, style=LABEL, layout=FIELD
        )
        self.session_name.add_class("ipyawssso-session-name")
        self.start_url.add_class("ipyawssso-start-url")
        self.sso_region.add_class("ipyawssso-sso-region")
        self.hint = w.HTML()
        self.submit = w.Button(description="Sign in", button_style="primary", disabled=True)
        self.submit.add_class("ipyawssso-sign-in")
        self.submit.on_click(self._submit)

        if session_name is None and start_url is None and len(self._sessions) == 1:
            session_name = next(iter(self._sessions))
        existing = self._sessions.get(session_name or "")
        self.session_name.value = session_name or ""
        self.start_url.value = start_url or (existing.start_url if existing else "")
        self.sso_region.value = sso_region or (existing.region if existing else "us-east-1")
        if not self.session_name.value and self.start_url.value:
            self._suggested_name = session_name_from_url(self.start_url.value)
            self.session_name.value = self._suggested_name

        self.session_name.observe(self._session_changed, "value")
        self.start_url.observe(self._url_changed, "value")
        self._check()
        super().__init__(
            [
                w.HTML("<b>Sign in to IAM Identity Center</b>"),
                self.session_name,
                self.start_url,
                self.sso_region,
                self.hint,
                self.submit,
            ]
        )
        self.add_class("ipyawssso-settings")

    def values(self) -> SignInValues:
        return SignInValues(
            session_name=self.session_name.value.strip(),
            start_url=self.start_url.value.strip(),
            sso_region=self.sso_region.value,
        )

    def set_busy(self, busy: bool) -> None:
        for widget in (self.session_name, self.start_url, self.sso_region):
            widget.disabled = busy
        if busy:
            self.submit.disabled = True
        else:
            self._check()

    def _session_changed(self, change: dict) -> None:
        existing = self._sessions.get(change["new"].strip())
        if existing is not None:
            self.start_url.value = existing.start_url
            self.sso_region.value = existing.region
        self._check()

    def _url_changed(self, change: dict) -> None:
        # Suggest a session name from the URL until the person types one of their own.
        if self.session_name.value in ("", self._suggested_name):
            self._suggested_name = session_name_from_url(change["new"])
            self.session_name.value = self._suggested_name
        self._check()

    def _check(self) -> None:
        values = self.values()
        problem = ""
        if not values.start_url:
            problem = "Enter your AWS access portal URL (your administrator has it)."
        elif not _is_https(values.start_url):
            problem = (
                "The start URL must begin with https://, e.g. https://my-org.awsapps.com/start."
            )
        elif not values.session_name:
            problem = "Give this sign-in a session name (it names the [sso-session] section)."
        self.hint.value = message_html(problem, kind="warning") if problem else ""
        self.submit.disabled = bool(problem)

    def _submit(self, _button: w.Button) -> None:
        self._check()
        if not self.submit.disabled:
            self._on_submit(self.values())
