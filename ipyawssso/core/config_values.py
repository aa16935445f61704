"""What may be written into ~/.aws/config, and how section headers are spelled.

The config file is INI read by botocore's ``configparser``: a newline or bracket in a name or
value would end the line or open a section, and botocore maps ``[profile NAME]`` headers back to
names with ``shlex``. Everything here refuses input that would not read back as itself, so an
edit can never change more than the caller meant. Messages echo names (never values, which the
CLI also keeps out of error text) and say what to do.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from botocore.configloader import build_profile_map

from .errors import InvalidValueError

__all__ = [
    "parse_scopes",
    "profile_header",
    "scopes_text",
    "session_header",
    "validate_name",
    "validate_start_url",
    "validate_value",
]

_HOST = re.compile(r"[\w.-]+")
#: ``scheme://user[:password]@``: user info anywhere in the authority part.
_USER_INFO = re.compile(r"^(?:[^/?#]*//)?[^/?#]*@")
_NAME_HINT = "Choose a name made of letters, digits and - _ . @ (spaces are allowed inside)."
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _bad_char(text: str) -> str | None:
    """The first character that cannot sit on one INI line, if any, described for a message."""
    for ch in text:
        if ch in _LINE_BREAKS:
            return "a line break"
        if ch in "[]":
            return f"{ch!r}"
        if unicodedata.category(ch) == "Cc":
            return f"the control character {ch!r}"
    return None


#: The keyword argument each kind of name is given as, for ``InvalidValueError.field``.
_NAME_FIELDS = {"profile": "profile", "sso-session": "session_name"}


def validate_name(name: str, what: str) -> str:
    """Refuse a profile or sso-session name that the config file cannot hold as itself.

    ``what`` names the thing for the message ("profile name", "sso-session name").
    """
    field = _NAME_FIELDS.get(what.removesuffix(" name"))
    if not isinstance(name, str) or not name:
        raise InvalidValueError(f"The {what} is empty. {_NAME_HINT}", field=field)
    _refuse_unreadable(name, f"The {what} {name!r}", _NAME_HINT, field=field, value=name)
    for ch in "\"'\\":
        if ch in name:
            raise InvalidValueError(
                f"The {what} {name!r} contains {ch!r}, which botocore reads as quoting. "
                f"{_NAME_HINT}",
                field=field,
                value=name,
            )
    return name


def validate_value(value: str, key: str) -> str:
    """Refuse a value that would not read back as itself; the value is not echoed."""
    if not isinstance(value, str) or not value:
        raise InvalidValueError(
            f"The value for {key} is empty. Give a value, or leave it out.", field=key
        )
    _refuse_unreadable(value, f"The value for {key}", "Remove it and try again.", field=key)
    return value


def _refuse_unreadable(
    text: str, subject: str, hint: str, *, field: str | None = None, value: str | None = None
) -> None:
    """What names and values share: no character the file cannot hold, and no surrounding
    spaces (the AWS tools would drop them). ``subject`` starts the message; the text itself
    is shown only if the subject shows it, and only then given as ``value``."""
    bad = _bad_char(text)
    if bad:
        raise InvalidValueError(
            f"{subject} contains {bad}, which ~/.aws/config cannot hold. {hint}",
            field=field,
            value=value,
        )
    if text != text.strip():
        raise InvalidValueError(
            f"{subject} starts or ends with a space, which the AWS tools would drop. "
            "Remove the surrounding spaces.",
            field=field,
            value=value,
        )


def validate_start_url(url: str) -> str:
    """Accept only an https URL with a host: the sign-in page is where a person types a code.

    Surrounding whitespace (a pasted URL) is removed; the rest is returned unchanged.
    """
    hint = "Use the https address of your AWS access portal, e.g. https://d-1234567890.awsapps.com/start."
    if not isinstance(url, str) or not url.strip():
        raise InvalidValueError(f"The start URL is empty. {hint}", field="start_url")
    url = url.strip()
    if _bad_char(url) or any(ch.isspace() for ch in url):
        raise InvalidValueError(
            f"The start URL contains a space, bracket or control character. {hint}",
            field="start_url",
        )
    if _USER_INFO.match(url):
        # Checked before anything can fail and echo the URL: what sits before '@' may be a
        # password, so no message (nor ``value``) ever shows it.
        raise InvalidValueError(
            f"The start URL must not contain a user name or password. {hint}", field="start_url"
        )
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise InvalidValueError(
            f"The start URL {url!r} is not a valid URL. {hint}", field="start_url", value=url
        ) from None
    if parts.scheme != "https":
        shown = f" ({parts.scheme}:)" if parts.scheme else ""
        raise InvalidValueError(f"The start URL must use https{shown}. {hint}", field="start_url")
    if not host or not _HOST.fullmatch(host):
        raise InvalidValueError(
            f"The start URL {url!r} has no proper host name. {hint}", field="start_url", value=url
        )
    return url


def _needs_quotes(name: str) -> bool:
    return any(ch.isspace() for ch in name)


def _header(prefix: str, name: str, kind: str, what: str) -> str:
    validate_name(name, what)
    shown = f'"{name}"' if _needs_quotes(name) else name
    header = f"{prefix} {shown}"
    # botocore is the judge: the header must map back to exactly this name.
    mapped = build_profile_map({header: {}})[kind]
    if list(mapped) != [name]:
        raise InvalidValueError(f"The {what} {name!r} does not read back as itself. {_NAME_HINT}")
    return header


def profile_header(name: str) -> str:
    """The section header (without brackets) for a new profile: ``default`` stays bare."""
    if name == "default":
        return "default"
    return _header("profile", name, "profiles", "profile name")


def session_header(name: str) -> str:
    """The section header (without brackets) for a new sso-session."""
    return _header("sso-session", name, "sso_sessions", "sso-session name")


def parse_scopes(text: str) -> tuple[str, ...]:
    """Scopes as the CLI reads them: comma-separated, blanks dropped."""
    return tuple(s.strip() for s in text.split(",") if s.strip())


def scopes_text(scopes: tuple[str, ...] | list[str]) -> str:
    """The comma-separated value written for ``sso_registration_scopes``."""
    for scope in scopes:
        validate_value(scope, "sso_registration_scopes")
        if "," in scope:
            raise InvalidValueError(
                f"The scope {scope!r} contains a comma, which separates scopes. "
                "Pass each scope as its own item.",
                field="scopes",
                value=scope,
            )
    return ", ".join(scopes)
