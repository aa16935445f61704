"""Property: for any valid config file, an SSO profile edit touches only its own sections.

Files are generated with everything botocore accepts and people write: comments (``#``/``;``,
indented), blank and whitespace-only lines, CRLF, a missing final newline, ``key=value`` and
``key: value``, indented keys, upper-case keys, quoted and spaced headers, indented sub-key
blocks (``s3 =`` / ``  endpoint_url = ...``) and ``[services]`` sections. botocore's own
``raw_config_parse`` (on a real file) is the oracle for what the result means.
"""

from __future__ import annotations

import string
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from botocore.configloader import build_profile_map, raw_config_parse
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from ipyawssso.core.aws_config import plan_sso_profile
from ipyawssso.core.errors import ConfigError, InvalidValueError, NotAnSsoProfile
from ipyawssso.core.models import Profile, SsoSession

PROFILE_NAMES = ["dev", "prod", "ml team", "data.science", "x_1", "default", "team@corp"]
SESSION_NAMES = ["corp", "corp eu", "s1"]
KEYS = [
    "region", "output", "sso_session", "sso_account_id", "sso_role_name", "sso_start_url",
    "sso_region", "sso_registration_scopes", "cli_pager", "role_arn", "services", "Region",
    "SSO_Role_Name",
]  # fmt: skip
VALUE_CHARS = string.ascii_letters + string.digits + " -_:/.#;=[]@"


@dataclass
class Chunk:
    header: str  # as botocore's configparser reads it
    text: str  # the header line through the line before the next header


@dataclass
class GeneratedFile:
    text: str
    preamble: str
    chunks: list[Chunk]
    eol: str


def _profile_header(draw: st.DrawFn, name: str) -> tuple[str, str]:
    """(header as configparser sees it, header as written) for a profile name."""
    if name == "default" and draw(st.booleans()):
        return "default", "[default]"
    if " " in name or (draw(st.booleans()) and name != "default"):
        quoted = f'profile "{name}"'
        return quoted, f"[{quoted}]"
    spaced = "profile" + draw(st.sampled_from([" ", "  "])) + name
    return spaced, f"[{spaced}]"


@st.composite
def _body(draw: st.DrawFn, eol: str, session_like: bool) -> list[str]:
    indent = draw(st.sampled_from(["", "", "  ", "\t"]))
    keys = draw(st.lists(st.sampled_from(KEYS), max_size=6, unique_by=str.lower))
    lines: list[str] = []
    for key in keys:
        for _ in range(draw(st.integers(0, 1))):
            lines.append(
                draw(st.sampled_from(["", "   ", "# note", "; note", "  # indented note", "#"]))
            )
        if draw(st.integers(0, 9)) == 0:  # an indented sub-key block
            lines.append(f"{indent}{key} =")
            for sub in draw(
                st.lists(
                    st.sampled_from(["a", "b", "endpoint_url"]), min_size=1, max_size=2, unique=True
                )
            ):
                lines.append(f"{indent}    {sub} = {draw(st.text(VALUE_CHARS, max_size=8))}")
            continue
        delimiter = draw(st.sampled_from([" = ", "=", ": ", ":", "   =   ", " =\t"]))
        value = draw(st.text(VALUE_CHARS, max_size=12))
        if session_like and key.lower() == "sso_start_url" and draw(st.booleans()):
            value = "https://old.awsapps.com/start"
        lines.append(
            f"{indent}{key}{delimiter}{value}".rstrip(" ") + draw(st.sampled_from(["", "", "  "]))
        )
    for _ in range(draw(st.integers(0, 2))):
        lines.append(draw(st.sampled_from(["", "# trailing", "; trailing", "  "])))
    return lines


@st.composite
def config_files(draw: st.DrawFn) -> GeneratedFile:
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    preamble_lines = draw(st.lists(st.sampled_from(["# top", "; top", "", "  # x"]), max_size=3))
    profiles = draw(st.lists(st.sampled_from(PROFILE_NAMES), max_size=4, unique=True))
    sessions = draw(st.lists(st.sampled_from(SESSION_NAMES), max_size=2, unique=True))
    specs: list[tuple[str, str, bool]] = []
    for name in profiles:
        specs.append((*_profile_header(draw, name), False))
    for name in sessions:
        header = f'sso-session "{name}"' if " " in name else f"sso-session {name}"
        specs.append((header, f"[{header}]", True))
    if draw(st.booleans()):
        specs.append(("services local", "[services local]", False))
    if draw(st.booleans()):
        specs.append(("plugins", "[plugins]", False))
    order = draw(st.permutations(range(len(specs))))
    chunks: list[Chunk] = []
    for i in order:
        header, written, session_like = specs[i]
        body = draw(_body(eol, session_like))
        if session_like and draw(st.booleans()):  # a complete session, usable as-is
            body = ["sso_start_url = https://corp.awsapps.com/start", "sso_region = us-east-1"]
        chunks.append(Chunk(header, "".join(line + eol for line in [written, *body])))
    preamble = "".join(line + eol for line in preamble_lines)
    text = preamble + "".join(c.text for c in chunks)
    if text and draw(st.booleans()):
        text = text[: -len(eol)]  # no final newline
        if chunks:
            chunks[-1].text = chunks[-1].text[: -len(eol)]
        else:
            preamble = text
    return GeneratedFile(text, preamble, chunks, eol)


@st.composite
def edits(draw: st.DrawFn) -> tuple[Profile, SsoSession | None]:
    name = draw(st.sampled_from([*PROFILE_NAMES, "fresh", "new one"]))
    digits = st.text("0123456789", min_size=12, max_size=12)

    def optional(values: st.SearchStrategy[str]) -> str | None:
        """Mostly a value; sometimes None ("leave as is")."""
        value = draw(values)
        return None if draw(st.integers(0, 4)) == 4 else value

    sessions = st.builds(
        SsoSession,
        st.sampled_from([*SESSION_NAMES, "new-session"]),
        st.sampled_from(["https://corp.awsapps.com/start", "https://b.example.com/s"]),
        st.sampled_from(["us-east-1", "eu-west-1"]),
        st.sampled_from([(), ("sso:account:access",), ("a:b", "c:d")]),
    )
    session = None if draw(st.integers(0, 3)) == 3 else draw(sessions)
    legacy = session is None and draw(st.integers(0, 4)) == 0
    profile = Profile(
        name=name,
        sso_session=(
            None
            if legacy
            else optional(st.sampled_from(SESSION_NAMES))
            if session is None
            else draw(st.sampled_from([None, session.name]))
        ),
        start_url="https://legacy.awsapps.com/start" if legacy else None,
        sso_region="us-west-2" if legacy else None,
        account_id=optional(digits),
        role_name=optional(st.sampled_from(["ReadOnly", "Admin", "ML_Dev"])),
        region=optional(st.sampled_from(["us-east-1", "eu-central-1"])),
        output=optional(st.sampled_from(["json", "text"])),
    )
    return profile, session


def _text(values: dict, key: str) -> str | None:
    value = values.get(key)
    return value if isinstance(value, str) and value else None


def _scopes(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in text.split(",") if s.strip())


def _new_header(prefix: str, name: str) -> str:
    return f'{prefix} "{name}"' if " " in name else f"{prefix} {name}"


def _expected(raw: dict, profile: Profile, session: SsoSession | None) -> dict | type:
    """botocore's view after the edit, or the error class the edit must be refused with."""
    names = build_profile_map({h: h for h in raw})
    p_header = names["profiles"].get(profile.name)
    old = raw[p_header] if p_header else {}
    if _text(old, "role_arn"):  # botocore assumes that role: not an SSO profile, never edited
        return NotAnSsoProfile
    s_name = profile.sso_session or (session.name if session else None)
    if s_name is None and _text(old, "sso_session"):
        if profile.start_url:
            return InvalidValueError
        s_name = _text(old, "sso_session")
    wanted = {
        "sso_session": profile.sso_session or (session.name if session else None),
        "sso_start_url": None if s_name else profile.start_url,
        "sso_region": None if s_name else profile.sso_region,
        "sso_account_id": profile.account_id,
        "sso_role_name": profile.role_name,
        "region": profile.region,
        "output": profile.output,
    }
    new = {**old, **{k: v for k, v in wanted.items() if v is not None}}
    if s_name:
        new.pop("sso_start_url", None)
        new.pop("sso_region", None)
    elif not (_text(new, "sso_start_url") and _text(new, "sso_region")):
        return InvalidValueError
    if s_name and session is None:
        s_values = names["sso_sessions"].get(s_name)
        if s_values is None or not (
            _text(raw[s_values], "sso_start_url") and _text(raw[s_values], "sso_region")
        ):
            return ConfigError
    if not (_text(new, "sso_account_id") and _text(new, "sso_role_name")):
        return InvalidValueError
    result = dict(raw)
    result[
        p_header
        or ("default" if profile.name == "default" else _new_header("profile", profile.name))
    ] = new
    if session is not None:
        s_header = names["sso_sessions"].get(session.name) or _new_header(
            "sso-session", session.name
        )
        s_new = dict(raw.get(s_header, {}))
        s_new.update(sso_start_url=session.start_url, sso_region=session.region)
        old_scopes = s_new.get("sso_registration_scopes")
        if session.scopes and not (
            isinstance(old_scopes, str) and _scopes(old_scopes) == session.scopes
        ):
            s_new["sso_registration_scopes"] = ", ".join(session.scopes)
        result[s_header] = s_new
    return result


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(config_files(), edits())
def test_edit_touches_only_its_sections(
    generated: GeneratedFile, edit: tuple[Profile, SsoSession | None]
) -> None:
    profile, session = edit
    with tempfile.TemporaryDirectory() as folder:
        before = Path(folder) / "before"
        before.write_bytes(generated.text.encode())
        try:
            raw = raw_config_parse(str(before))
        except Exception:  # a generated file botocore refuses is out of scope
            assume(False)
            raise
        expected = _expected(raw, profile, session)
        if isinstance(expected, type):
            event(f"refused: {expected.__name__}")
            with pytest.raises(expected):
                plan_sso_profile(profile, session, path=before)
            assert before.read_bytes() == generated.text.encode()
            return
        change = plan_sso_profile(profile, session, path=before)
        assert before.read_bytes() == generated.text.encode()  # planning writes nothing
        event("changed" if change.changed else "unchanged")

        after = Path(folder) / "after"
        after.write_bytes(change.new_text.encode())
        assert raw_config_parse(str(after)) == expected

        # Untouched sections: byte for byte, in their order (the last one may gain a line end
        # when sections are appended after it).
        touched = {h for h in expected if expected.get(h) != raw.get(h)}
        new_text = change.new_text
        assert new_text.startswith(generated.preamble)
        pos = len(generated.preamble)
        for chunk in generated.chunks:
            if chunk.header in touched:
                continue
            found = new_text.find(chunk.text, pos)
            assert found >= pos, f"section [{chunk.header}] changed or moved"
            pos = found + len(chunk.text)

        # Comments survive everywhere, touched sections included.
        def comments(text: str) -> list[str]:
            return sorted(line for line in text.splitlines() if line.strip().startswith(("#", ";")))

        assert comments(new_text) == comments(generated.text)
        # New lines use the file's own line ending (an empty file has none: "\n").
        if generated.eol == "\r\n" and "\n" in generated.text:
            assert new_text.count("\n") == new_text.count("\r\n")
        else:
            assert "\r" not in new_text
        # Planning again on the result changes nothing.
        assert not plan_sso_profile(profile, session, path=after).changed
