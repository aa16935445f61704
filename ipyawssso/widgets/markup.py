"""HTML fragments for the panel's ``HTML`` widgets.

Every value that came from a server or a config file (codes, URLs, account names, emails, role
names, diffs) is escaped here before it reaches ``innerHTML``. The only script is the small
inline clipboard handler of ``copy_button``, whose text is passed as a JSON string literal.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlsplit

from ..display import format_time_left

__all__ = [
    "FALLBACK_CLASS",
    "copy_button",
    "diff_html",
    "fallback_bundle",
    "identity_html",
    "link_button",
    "message_html",
]

_BUTTON_STYLE = (
    "display:inline-block;padding:0 12px;line-height:28px;height:28px;border-radius:2px;"
    "border:1px solid var(--jp-border-color1,#bbb);cursor:pointer;font-size:13px;"
    "text-decoration:none;vertical-align:middle;"
)
_PRIMARY_STYLE = (
    _BUTTON_STYLE + "background:var(--jp-brand-color1,#1976d2);color:#fff;border-color:transparent;"
)
_PLAIN_STYLE = (
    _BUTTON_STYLE + "background:var(--jp-layout-color2,#eee);color:var(--jp-ui-font-color1,#000);"
)


#: Marks the HTML fallback of our widgets (the lab extension looks for it, see fallback.ts).
FALLBACK_CLASS = "ipyawssso-widget-fallback"


def fallback_bundle(bundle: dict[str, Any] | None, text: str) -> dict[str, Any]:
    """A widget's MIME bundle with a ``text/plain`` and an HTML fallback saying what it was.

    A saved notebook reopened without its kernel (or read on GitHub, nbviewer, by nbconvert)
    cannot show the widget; instead of ``Panel(children=(HBox(…`` it says what stood there
    and how to get it back.
    """
    data = dict(bundle or {})
    data["text/plain"] = text
    data["text/html"] = (
        f'<div class="{FALLBACK_CLASS}" style="color:var(--jp-ui-font-color2,#666);'
        f'font-style:italic">{escape(text)}</div>'
    )
    return data


def link_button(url: str, label: str, *, css_class: str = "ipyawssso-open") -> str:
    """An anchor that looks like a button and opens ``url`` in a new tab.

    Only http(s) URLs become links: a ``javascript:`` URL from a hostile server renders as text.
    """
    if urlsplit(url).scheme not in ("https", "http"):
        return f"<code>{escape(url)}</code>"
    return (
        f'<a class="{escape(css_class)}" href="{escape(url, quote=True)}" target="_blank" '
        f'rel="noopener noreferrer" style="{_PRIMARY_STYLE}">{escape(label)}</a>'
    )


_COPY_SCRIPT = (
    "(function(b,t){"
    "var l=b.textContent;"
    "function ok(){b.textContent='Copied';setTimeout(function(){b.textContent=l;},1500);}"
    "function old(){var a=document.createElement('textarea');a.value=t;"
    "a.setAttribute('readonly','');a.style.position='fixed';a.style.opacity='0';"
    "document.body.appendChild(a);a.select();"
    "try{if(document.execCommand('copy')){ok();}else{b.textContent='Select and copy';}}"
    "catch(e){b.textContent='Select and copy';}"
    "document.body.removeChild(a);}"
    "if(navigator.clipboard&&window.isSecureContext){"
    "navigator.clipboard.writeText(t).then(ok,old);}else{old();}"
    "})(this,{text})"
)


def copy_button(text: str, label: str = "Copy", *, css_class: str = "ipyawssso-copy") -> str:
    """A button that copies ``text`` to the clipboard, in the browser, with no kernel round trip.

    The Clipboard API needs a secure context (https or 127.0.0.1); elsewhere it falls back to
    a hidden textarea and ``execCommand('copy')``. Failures change the label, never throw.
    """
    script = _COPY_SCRIPT.replace("{text}", json.dumps(text))
    return (
        f'<button type="button" class="{escape(css_class)}" style="{_PLAIN_STYLE}" '
        f'title="Copy to the clipboard" onclick="{escape(script, quote=True)}">'
        f"{escape(label)}</button>"
    )


_CODE = re.compile(r"`([^`\n]+)`")


def message_html(message: str, *, kind: str = "error") -> str:
    colour = {
        "error": "var(--jp-error-color1,#d32f2f)",
        "warning": "var(--jp-warn-color1,#f57c00)",
        "info": "var(--jp-ui-font-color2,#555)",
        "success": "var(--jp-success-color1,#388e3c)",
    }[kind]
    # `code` in a message (the core's "run `%aws_sso login ai-dev`") is shown as code.
    text = _CODE.sub(r"<code>\1</code>", escape(message))
    return f'<div class="ipyawssso-{kind}" style="color:{colour}">{text}</div>'


def diff_html(diff: str) -> str:
    """A unified diff of ``~/.aws/config`` as a coloured ``<pre>``; empty means no change."""
    if not diff.strip():
        return message_html("~/.aws/config already says exactly this: no change.", kind="info")
    lines = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            style = "color:var(--jp-ui-font-color2,#555)"
        elif line.startswith("+"):
            style = "color:var(--jp-success-color1,#2e7d32)"
        elif line.startswith("-"):
            style = "color:var(--jp-error-color1,#c62828)"
        elif line.startswith("@@"):
            style = "color:var(--jp-info-color1,#0277bd)"
        else:
            style = ""
        lines.append(f'<span style="{style}">{escape(line)}</span>' if style else escape(line))
    body = "\n".join(lines)
    return (
        '<pre class="ipyawssso-diff" style="margin:0;padding:6px;max-height:16em;overflow:auto;'
        'background:var(--jp-layout-color2,#f5f5f5);font-size:12px">'
        f"{body}</pre>"
    )


def _row(label: str, value: str) -> str:
    return (
        f'<tr><th style="text-align:left;padding-right:12px;font-weight:normal;'
        f'color:var(--jp-ui-font-color2,#555)">{escape(label)}</th>'
        f"<td>{value}</td></tr>"
    )


def identity_html(identity: Any, *, profile: str, now: datetime | None = None) -> str:
    """The identity card shown when done: who the injected session acts as."""
    account = escape(identity.account_id or "")
    if getattr(identity, "account_name", ""):
        account = f"{escape(identity.account_name)} ({account})"
    rows = [
        _row("Profile", f"<code>{escape(profile)}</code>"),
        _row("Account", account),
        _row("Role", escape(getattr(identity, "role_name", "") or "")),
        _row("ARN", f"<code>{escape(getattr(identity, 'arn', '') or '')}</code>"),
    ]
    if getattr(identity, "region", None):
        rows.append(_row("Region", escape(identity.region)))
    expires_at = getattr(identity, "expires_at", None)
    if expires_at is not None:
        left = format_time_left(expires_at - (now or datetime.now(expires_at.tzinfo)))
        when = expires_at.astimezone().strftime("%Y-%m-%d %H:%M %Z")
        rows.append(_row("Signed in until", f"{escape(when)} ({escape(left)} left)"))
    return '<table class="ipyawssso-identity-table">' + "".join(rows) + "</table>"
