"""What the magics show: the device card, identity cards and tables.

Every output is a MIME bundle with a ``text/plain`` part (terminal IPython, logs, nbconvert)
beside the rich parts, so one code path serves every front end. Values that came from a server
or a config file (codes, URLs, account and role names, emails) are escaped for HTML and cleaned
of control characters for text; only http(s) URLs become links. Nothing here ever receives a
token or a key, so nothing here can show one.

The device card goes out under a ``display_id`` and is replaced in place when the sign-in ends,
so the saved notebook keeps a one-line outcome, never a user code.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from .command_wording import MAGIC
from .core.errors import NextStep, Wording, render
from .core.vocabulary import iso_time

if TYPE_CHECKING:  # the models module alone costs ~8 ms of dataclasses at %load_ext
    from .core.models import DeviceAuthorization, LoginStatus, Role

__all__ = [
    "DEVICE_MIME",
    "DeviceCardOutput",
    "DeviceState",
    "code_text_bundle",
    "device_bundle",
    "device_payload",
    "format_time_left",
    "identity_bundle",
    "iso_utc",
    "profiles_bundle",
    "roles_bundle",
    "status_bundle",
    "table_bundle",
    "text_bundle",
]

#: Rendered by the JupyterLab extension; the HTML part is the fallback everywhere else.
DEVICE_MIME = "application/vnd.ipyawssso.device+json"

DeviceState = Literal["pending", "signed_in", "expired", "timed_out", "denied", "cancelled"]

#: The lab extension's renderer knows five states: a wait that timed out (``--timeout``) shows
#: there as ``expired`` with its own message, since that code can no longer sign anyone in.
_MIME_STATE: dict[str, str] = {"timed_out": "expired"}

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

_OUTCOME_TEXT: dict[str, str] = {
    "signed_in": "Signed in to AWS for profile {profile}.",
    "expired": "The AWS sign-in code for profile {profile} expired before it was approved.",
    "timed_out": "The AWS sign-in for profile {profile} stopped waiting for approval.",
    "denied": "The AWS sign-in for profile {profile} was denied.",
    "cancelled": "AWS sign-in for profile {profile} cancelled.",
}

_OUTCOME_COLOUR = {
    "signed_in": "var(--jp-success-color1,#388e3c)",
    "expired": "var(--jp-warn-color1,#f57c00)",
    "timed_out": "var(--jp-warn-color1,#f57c00)",
    "denied": "var(--jp-error-color1,#d32f2f)",
    "cancelled": "var(--jp-ui-font-color2,#555)",
}

_BOX = (
    "border:1px solid var(--jp-border-color1,#ccc);border-radius:4px;padding:10px 14px;"
    "margin:4px 0;max-width:640px;font-family:var(--jp-ui-font-family,sans-serif);"
)
_MUTED = "color:var(--jp-ui-font-color2,#666);"


# --- small formatting helpers --------------------------------------------------------------


def utcnow() -> datetime:
    return datetime.now(UTC)


def clean(value: object) -> str:
    """One line of text with no control characters (a hostile name cannot move the cursor)."""
    return _CONTROL.sub(" ", str(value))


def _h(value: object) -> str:
    return html.escape(clean(value), quote=True)


def iso_utc(moment: datetime) -> str:
    """``2026-11-01T12:34:56Z``: the format of the AWS CLI caches and of the device MIME type."""
    return iso_time(moment)


def _clock_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%H:%M UTC")


def format_time_left(left: timedelta | float | None) -> str:
    """``7h12m``, ``14m``, ``<1m``; ``expired`` at zero or below, ``-`` when unknown."""
    if left is None:
        return "-"
    seconds = left.total_seconds() if isinstance(left, timedelta) else float(left)
    if seconds <= 0:
        return "expired"
    hours, rest = divmod(int(seconds), 3600)
    minutes = rest // 60
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m" if minutes else "<1m"


def _time_left(expires_at: datetime | None, now: datetime | None = None) -> str:
    if expires_at is None:
        return "not signed in"
    return format_time_left(expires_at - (now or utcnow()))


def _sign_in_left(expires_at: datetime | None, now: datetime | None = None) -> str:
    """``7h12m left (until 20:34 UTC)``, ``expired``, or ``-`` when unknown."""
    if expires_at is None:
        return "-"
    left = format_time_left(expires_at - (now or utcnow()))
    return left if left == "expired" else f"{left} left (until {_clock_utc(expires_at)})"


def _link(url: str, label: str) -> str:
    """An anchor for http(s) URLs only: a ``javascript:`` URL from a server stays text."""
    if urlsplit(url).scheme not in ("http", "https"):
        return f"<code>{_h(url)}</code>"
    return (
        f'<a href="{_h(url)}" target="_blank" rel="noopener noreferrer" '
        f'style="font-weight:600">{_h(label)}</a>'
    )


def text_bundle(text: str) -> dict[str, str]:
    return {"text/plain": text}


_CODE = re.compile(r"`([^`\n]+)`")


def code_text_bundle(text: str) -> dict[str, str]:
    """Lines that name code (`` `session` is a boto3.Session…``): code as ``<code>`` in HTML,
    plain words in text, never literal backticks."""
    html_lines = [_CODE.sub(r"<code>\1</code>", _h(line)) for line in text.splitlines()]
    return {
        "text/plain": _CODE.sub(r"\1", clean_lines(text)),
        "text/html": "<div>" + "<br>".join(html_lines) + "</div>",
    }


def clean_lines(text: str) -> str:
    """Like :func:`clean`, line by line (the line breaks stay)."""
    return "\n".join(clean(line) for line in text.splitlines())


# --- the device card -----------------------------------------------------------------------


def device_payload(
    auth: DeviceAuthorization,
    profile: str,
    state: DeviceState = "pending",
    message: str | None = None,
    sign_in: str | None = None,
) -> dict[str, Any]:
    """The JSON of ``application/vnd.ipyawssso.device+json`` (the lab extension's contract).

    Once the sign-in is over the code is useless and is dropped, with the complete URI that
    embeds it, so a saved notebook does not keep it. ``sign_in`` is the id under which the
    kernel registered its wait (:mod:`ipyawssso.kernel_signins`): the card asks the server
    about it, so a card whose kernel is gone says so.
    """
    pending = state == "pending"
    payload: dict[str, Any] = {
        "userCode": auth.user_code if pending else "",
        "verificationUri": auth.verification_uri,
        "verificationUriComplete": (
            auth.verification_uri_complete if pending else auth.verification_uri
        ),
        "expiresAt": iso_utc(auth.expires_at),
        "state": _MIME_STATE.get(state, state),
        "profile": profile,
    }
    if message:
        payload["message"] = message
    if sign_in:
        payload["signIn"] = sign_in
    return payload


def _outcome_line(profile: str, state: DeviceState, message: str | None) -> str:
    line = _OUTCOME_TEXT[state].format(profile=repr(clean(profile)))
    return f"{line} {clean(message)}" if message else line


def _pending_text(auth: DeviceAuthorization, profile: str, cancel_hint: str) -> str:
    left = format_time_left(auth.seconds_left())
    return "\n".join(
        [
            f"Sign in to AWS for profile {clean(profile)!r}:",
            f"  1. Open {clean(auth.verification_uri_complete)}",
            f"  2. Check that the page shows the code {clean(auth.user_code)}, then press Allow.",
            f"  The code expires in {left} (at {_clock_utc(auth.expires_at)}). {cancel_hint}",
        ]
    )


# The countdown reads its deadline from a data attribute of its own card (found by a random id
# made here), so no server value is ever inside the script.
_COUNTDOWN = """<script>
(function () {
  var card = document.getElementById("%(id)s");
  if (!card) { return; }
  var out = card.querySelector(".ipyawssso-countdown");
  var end = Date.parse(card.getAttribute("data-expires"));
  function tick() {
    var s = Math.round((end - Date.now()) / 1000);
    if (s <= 0) { out.textContent = "expired"; return; }
    out.textContent = Math.floor(s / 60) + ":" + String(s %% 60).padStart(2, "0");
    if (document.body.contains(card)) { setTimeout(tick, 1000); }
  }
  tick();
})();
</script>"""

_COPY = (
    "navigator.clipboard&&navigator.clipboard.writeText(this.getAttribute('data-code'))"
    ".then(()=>{this.textContent='Copied'},()=>{this.textContent='Select the code to copy'})"
)


def _pending_html(auth: DeviceAuthorization, profile: str, cancel_hint: str) -> str:
    card_id = f"ipyawssso-device-{uuid.uuid4().hex}"
    code = _h(auth.user_code)
    expires = _h(iso_utc(auth.expires_at))
    return (
        f'<div id="{card_id}" class="ipyawssso-device" data-expires="{expires}" style="{_BOX}">'
        f"<div>Sign in to AWS for profile <b>{_h(profile)}</b></div>"
        f'<div style="margin:8px 0">'
        f'<span style="font:600 2em var(--jp-code-font-family,monospace);letter-spacing:0.12em;'
        f'user-select:all">{code}</span> '
        f'<button type="button" data-code="{code}" onclick="{html.escape(_COPY, quote=True)}" '
        f'title="Copy the code">Copy</button></div>'
        f"<div>{_link(auth.verification_uri_complete, 'Open the sign-in page')} "
        f"and check that it shows this code, then press <b>Allow</b>.</div>"
        f'<div style="{_MUTED}font-size:0.9em;margin-top:6px">'
        f"Page: <code>{_h(auth.verification_uri)}</code> · expires in "
        f'<span class="ipyawssso-countdown">{_h(format_time_left(auth.seconds_left()))}</span>'
        f" · {_h(cancel_hint)}</div></div>" + _COUNTDOWN % {"id": card_id}
    )


def _outcome_html(profile: str, state: DeviceState, message: str | None) -> str:
    return (
        f'<div class="ipyawssso-device-{state}" style="color:{_OUTCOME_COLOUR[state]}">'
        f"{_h(_outcome_line(profile, state, message))}</div>"
    )


def device_bundle(
    auth: DeviceAuthorization,
    profile: str,
    state: DeviceState = "pending",
    message: str | None = None,
    *,
    cancel_hint: str = "Interrupt the kernel to cancel.",
    sign_in: str | None = None,
) -> dict[str, Any]:
    """The card while the code waits for approval, then the one-line outcome."""
    if state == "pending":
        text = _pending_text(auth, profile, cancel_hint)
        rich = _pending_html(auth, profile, cancel_hint)
    else:
        text = _outcome_line(profile, state, message)
        rich = _outcome_html(profile, state, message)
    return {
        DEVICE_MIME: device_payload(auth, profile, state, message, sign_in),
        "text/html": rich,
        "text/plain": text,
    }


class DeviceCardOutput:
    """One device card in the output: shown when a code is ready, replaced by the outcome.

    Call it from the thread that runs the cell: outputs sent from other threads may land in
    whichever cell runs next.
    """

    def __init__(self, profile: str, *, cancel_hint: str) -> None:
        self.profile = profile
        self.cancel_hint = cancel_hint
        self.display_id = f"ipyawssso-device-{uuid.uuid4().hex}"
        self.authorization: DeviceAuthorization | None = None
        self.outcome: DeviceState | None = None
        #: The kernel registration's id (see ``device_payload``), set before ``show``.
        self.sign_in: str | None = None

    def show(self, auth: DeviceAuthorization) -> None:
        from IPython.display import display, update_display

        bundle = device_bundle(
            auth, self.profile, cancel_hint=self.cancel_hint, sign_in=self.sign_in
        )
        if self.authorization is None:
            display(bundle, raw=True, display_id=self.display_id)
        else:
            update_display(bundle, raw=True, display_id=self.display_id)
        self.authorization = auth

    def finish(self, state: DeviceState, message: str | None = None) -> None:
        """Replace the card by its outcome, once; nothing to do when no code was ever shown."""
        from IPython.display import update_display

        if self.authorization is None or self.outcome is not None:
            return
        self.outcome = state
        bundle = device_bundle(
            self.authorization, self.profile, state, message, sign_in=self.sign_in
        )
        update_display(bundle, raw=True, display_id=self.display_id)


# --- identity cards and tables ---------------------------------------------------------------


def table_bundle(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    title: str = "",
    empty: str = "Nothing to show.",
    note: str = "",
) -> dict[str, str]:
    """A plain-text table (aligned columns) and the same table in HTML."""
    cells = [[clean(c) for c in row] for row in rows]
    lines = [clean(title)] if title else []
    parts = [f"<div><b>{_h(title)}</b></div>"] if title else []
    if not cells:
        lines.append(empty)
        parts.append(f'<div style="{_MUTED}">{_h(empty)}</div>')
    else:
        widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
        lines.append("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
        lines.append("  ".join("-" * w for w in widths))
        lines.extend(
            "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells
        )
        head = "".join(f'<th style="text-align:left">{_h(h)}</th>' for h in headers)
        body = "".join(
            "<tr>" + "".join(f'<td style="text-align:left">{_h(c)}</td>' for c in r) + "</tr>"
            for r in cells
        )
        parts.append(f'<table class="ipyawssso-table"><thead><tr>{head}</tr></thead>')
        parts.append(f"<tbody>{body}</tbody></table>")
    if note:
        lines.append(clean(note))
        parts.append(f'<div style="{_MUTED}font-size:0.9em">{_h(note)}</div>')
    return {"text/plain": "\n".join(lines), "text/html": "".join(parts)}


# The console button asks the server extension for a one-time sign-in link when pressed and
# opens it at once: the link (a bearer credential) is never in an output, a widget's state or a
# log. The window opens first, inside the click, so no popup blocker stops it. The profile and
# service come from the button's own data attributes: no server value is inside the script.
_CONSOLE = (
    "var b=this,w=window.open('','_blank'),base='/';"
    "try{base=JSON.parse(document.getElementById('jupyter-config-data').textContent).baseUrl"
    "||'/'}catch(e){}"
    "var x=(document.cookie.match(/(?:^|; )_xsrf=([^;]*)/)||[])[1]||'';"
    "fetch(base+'ipyawssso/api/console',{method:'POST',credentials:'same-origin',"
    "headers:{'Content-Type':'application/json','X-XSRFToken':x},"
    "body:JSON.stringify({profile:b.getAttribute('data-profile'),"
    "service:b.getAttribute('data-service')||null})})"
    ".then(function(r){return r.json().then(function(j){"
    "if(!r.ok){throw new Error(j.message||('HTTP '+r.status))}"
    "w.opener=null;w.location.replace(j.url);b.textContent='Console opened'})})"
    ".catch(function(e){if(w){w.close()}"
    "b.textContent='Could not open the console: '+e.message})"
)


def console_button(profile: str, service: str | None = None) -> str:
    """A button that opens the AWS console as ``profile``'s role (needs the server extension:
    JupyterLab or Notebook 7)."""
    where = f" ({_h(service)})" if service else ""
    data_service = f' data-service="{_h(service)}"' if service else ""
    return (
        f'<button type="button" class="ipyawssso-console" data-profile="{_h(profile)}"'
        f'{data_service} onclick="{html.escape(_CONSOLE, quote=True)}">'
        f"Open the AWS console{where}</button>"
    )


def console_bundle(profile: str, role: str = "", service: str | None = None) -> dict[str, str]:
    """``%aws_sso console`` in a notebook: one click opens the console (a link cannot be
    opened for you: browsers block windows that no click asked for)."""
    who = f"role {clean(role)} of profile {clean(profile)!r}" if role else f"profile {profile!r}"
    text = (
        f"The AWS console as {who} opens from this output's button in JupyterLab or "
        "Notebook 7; the sign-in link is made when it is pressed and never shown."
    )
    button = console_button(profile, service)
    rich = f'<div class="ipyawssso-console-card" style="{_BOX}">{button}</div>'
    return {"text/plain": text, "text/html": rich}


def identity_bundle(identity: Any, *, now: datetime | None = None) -> dict[str, str]:
    """Who a profile is signed in as (``ipyawssso.core.sessions.Identity``)."""
    account = identity.account_id
    if identity.account_name:
        account = f"{identity.account_id} ({identity.account_name})"
    fields = [
        ("Account", account),
        ("Role", identity.role_name or "-"),
        ("Region", identity.region or "-"),
        ("Sign-in", _sign_in_left(identity.expires_at, now)),
        ("ARN", identity.arn),
    ]
    via = getattr(identity, "via", None)
    if via:
        fields.insert(
            4, ("Through", f"profile {via!r}, whose SSO sign-in the role is assumed from")
        )
    title = f"AWS identity for profile {clean(identity.profile)!r}"
    text = "\n".join([title] + [f"  {k:<10} {clean(v)}" for k, v in fields])
    rows = "".join(
        f'<tr><th style="text-align:left;padding-right:12px">{_h(k)}</th>'
        f'<td style="text-align:left">{_h(v)}</td></tr>'
        for k, v in fields
    )
    rich = (
        f'<div class="ipyawssso-identity" style="{_BOX}"><div>AWS identity for profile '
        f"<b>{_h(identity.profile)}</b></div><table>{rows}</table>"
        f"<div>{console_button(identity.profile)}</div></div>"
    )
    return {"text/plain": text, "text/html": rich}


def status_bundle(
    statuses: Sequence[LoginStatus], *, now: datetime | None = None, wording: Wording = MAGIC
) -> dict[str, str]:
    """Every sign-in; with none yet, the command that creates one, in ``wording``'s words."""
    rows = [
        (
            s.key,
            s.start_url,
            s.region,
            _time_left(s.expires_at, now),
            ", ".join(s.profiles) or "-",
        )
        for s in statuses
    ]
    return table_bundle(
        ("Sign-in", "Start URL", "SSO region", "Time left", "Profiles"),
        rows,
        title="AWS sign-ins",
        empty=render(
            (
                "No IAM Identity Center sign-in is configured yet. ",
                NextStep("login", "PROFILE", asks=("start_url", "sso_region"), lead="start with"),
                ".",
            ),
            wording,
        ),
    )


#: How a profile that does not sign in through SSO gets its credentials, in a few words.
KIND_LABELS = {
    "chained": "assumes a role (source_profile)",
    "credential-source": "assumes a role (credential_source)",
    "web-identity": "web identity",
    "static": "access keys",
    "process": "credential_process",
    "plain": "-",
}


def profiles_bundle(profiles: Sequence[Any], *, now: datetime | None = None) -> dict[str, str]:
    """``api.profiles()`` rows: name, account, role, region, sign-in and time left."""
    rows = []
    for item in profiles:
        prof, login = item.profile, item.login
        via = getattr(item, "via", None)
        expires = login.expires_at if login else None
        left = _time_left(expires, now) if prof.is_sso or via else "-"
        if via:
            sign_in = f"via {via}"
            role = (prof.role_arn or "-").rsplit("/", 1)[-1]
            account = (prof.role_arn or "").split(":")[4] if prof.role_arn else "-"
        else:
            sign_in = prof.sso_session or prof.start_url or KIND_LABELS.get(prof.kind, "-")
            role, account = prof.role_name or "-", prof.account_id or "-"
        rows.append((prof.name, account or "-", role, prof.region or "-", sign_in, left))
    return table_bundle(
        ("Profile", "Account", "Role", "Region", "Sign-in", "Time left"),
        rows,
        title="AWS profiles",
        empty=render(
            (
                "There are no profiles yet. ",
                NextStep("login", "PROFILE", lead="create one with"),
                ".",
            ),
            MAGIC,
        ),
    )


def roles_bundle(roles: Sequence[Role], *, total: int, filter_text: str = "") -> dict[str, str]:
    rows = [(r.account_id, r.account_name or "-", r.role_name) for r in roles]
    note = f"{len(roles)} of {total} account/role pairs"
    if filter_text:
        note += f" match {filter_text!r}"
    return table_bundle(
        ("Account", "Account name", "Role"),
        rows,
        title="Accounts and roles",
        empty="No account or role matches." if filter_text else "No account or role assigned.",
        note=note + ".",
    )
