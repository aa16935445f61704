"""The sandbox's verification page, answered over HTTP exactly as a browser would.

GET the link from the device card, read the form, POST it with the pressed button's value: the
same path a person takes, so tests exercise the page and not a back door.
"""

from __future__ import annotations

import html.parser
import urllib.parse
import urllib.request

__all__ = ["answer_page"]


class _FormReader(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.action = a.get("action") or ""
        elif tag == "input" and a.get("name"):
            self.fields[a["name"] or ""] = a.get("value") or ""


def answer_page(link: str, action: str = "allow") -> str:
    """Open the link from the device card and press Allow or Deny, as a browser would."""
    with urllib.request.urlopen(link, timeout=10) as response:  # the sandbox, on 127.0.0.1
        page = response.read().decode()
    form = _FormReader()
    form.feed(page)
    target = urllib.parse.urljoin(link, form.action)
    data = urllib.parse.urlencode({**form.fields, "action": action}).encode()
    with urllib.request.urlopen(target, data=data, timeout=10) as response:
        return response.read().decode()
