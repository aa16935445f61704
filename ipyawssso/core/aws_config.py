"""Read ~/.aws/config as botocore does; edit SSO profiles as `aws configure sso` does.

Reading uses botocore's own parser rules (:mod:`.config_text`), so a file botocore accepts is
accepted and a malformed one is reported with its line number. Editing changes single lines in
place and appends new sections at the end; every other byte (comments, blank lines, CRLF,
spacing, ``[services]`` blocks) stays as it was. Before anything is written, the new text is
parsed again and must read back as exactly the intended change, otherwise nothing is written.

Writes happen under a lock in ``~/.aws`` (:mod:`.locks`, removed after use, never beside a
symlink's target); the file is re-read inside the lock, so two kernels editing different
profiles at once never lose each other's edit. The file is
replaced atomically and keeps its mode; a new file is 0600 in a 0700 folder.
"""

from __future__ import annotations

import copy
import difflib
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from botocore.configloader import build_profile_map

from .atomic_file import ensure_private_folder, real_target, write_atomic
from .config_text import (
    ConfigText,
    RawConfig,
    defaults_like_botocore,
    parse_like_botocore,
    split_lines,
)
from .config_values import (
    parse_scopes,
    profile_header,
    scopes_text,
    session_header,
    validate_name,
    validate_start_url,
    validate_value,
)
from .errors import (
    ConfigError,
    ConfigParseError,
    InvalidValueError,
    NextStep,
    NotAnSsoProfile,
    ProfileNotFound,
)
from .locks import LockTimeout, config_lock_path, held
from .models import Profile, SsoSession

__all__ = [
    "AwsConfig",
    "ConfigChange",
    "config_path",
    "credentials_path",
    "plan_sso_profile",
    "plan_sso_session",
    "validate_name",
    "validate_start_url",
    "write_sso_profile",
    "write_sso_session",
]

LOCK_TIMEOUT = 15.0  # seconds; another kernel holds the lock for milliseconds
_EOL_BYTES = re.compile(rb"\r\n|\r|\n")
_LEGACY_KEYS = ("sso_start_url", "sso_region")

Values = dict[str, "str | dict[str, str]"]


def _env_path(variable: str, default: str) -> Path:
    # Same expansion as botocore (expandvars, then expanduser); an empty variable means unset.
    raw = os.environ.get(variable) or default
    return Path(os.path.expanduser(os.path.expandvars(raw)))


def config_path() -> Path:
    """``AWS_CONFIG_FILE`` if set, else ``~/.aws/config``; read at each call, never cached."""
    return _env_path("AWS_CONFIG_FILE", "~/.aws/config")


def credentials_path() -> Path:
    """``AWS_SHARED_CREDENTIALS_FILE`` if set, else ``~/.aws/credentials``."""
    return _env_path("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials")


def _read_text(path: Path) -> str:
    """The file's text ('' when missing); botocore also treats a missing file as empty."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ""
    except IsADirectoryError:
        raise ConfigError(
            f"{path} is a folder, not a file. Point AWS_CONFIG_FILE at a file (or unset it)."
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"Cannot read {path}: {exc.strerror}. Check its permissions (e.g. chmod 600 {path})."
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = len(_EOL_BYTES.findall(data, 0, exc.start)) + 1
        raise ConfigParseError(str(path), line, "this line is not valid UTF-8 text") from None


def _text_value(values: Values, key: str) -> str | None:
    value = values.get(key)
    return value if isinstance(value, str) and value else None


#: Keys that make a profile one ipyawssso reads but never writes.
UNMANAGED_KEYS = (
    "role_arn",
    "source_profile",
    "credential_source",
    "web_identity_token_file",
    "credential_process",
    "aws_access_key_id",
    "aws_secret_access_key",
)


def _profile_from(
    name: str, values: Values, credentials: Values | None = None, *, in_config: bool = True
) -> Profile:
    """The profile botocore sees: config values, overridden by the credentials file's (as
    botocore's ``full_config`` merges them). Secret values are looked at, never kept."""
    merged: Values = {**values, **(credentials or {})}
    files: tuple[str, ...] = ("config",) if in_config else ()
    if credentials is not None:
        files += ("credentials",)
    return Profile(
        name=name,
        sso_session=_text_value(merged, "sso_session"),
        start_url=_text_value(merged, "sso_start_url"),
        sso_region=_text_value(merged, "sso_region"),
        account_id=_text_value(merged, "sso_account_id"),
        role_name=_text_value(merged, "sso_role_name"),
        region=_text_value(merged, "region"),
        output=_text_value(merged, "output"),
        role_arn=_text_value(merged, "role_arn"),
        source_profile=_text_value(merged, "source_profile"),
        credential_source=_text_value(merged, "credential_source"),
        web_identity=_text_value(merged, "web_identity_token_file") is not None,
        credential_process=_text_value(merged, "credential_process") is not None,
        static_keys="aws_access_key_id" in merged or "aws_secret_access_key" in merged,
        files=files,
    )


def refuse_unmanaged(profile: Profile, path: Path) -> None:
    """The last guard before any write: a profile whose credentials come from elsewhere
    (a role chain, a process, keys, web identity) is the user's own, so it is never edited."""
    if profile.managed:
        return
    raise NotAnSsoProfile(profile.name, profile.kind, where=str(path))


def _credentials_sections(path: Path) -> dict[str, Values]:
    """The sections of the shared credentials file (``[name]``, no ``profile`` prefix).

    A credentials file we cannot read or parse adds no profiles here: listing and status must
    keep working; boto3 itself reports the file's problem when such a profile is used.
    """
    try:
        text = _read_text(path)
        return dict(parse_like_botocore(text, str(path)))
    except ConfigError:
        return {}


def _session_from(name: str, values: Values) -> SsoSession | None:
    start_url = _text_value(values, "sso_start_url")
    region = _text_value(values, "sso_region")
    if not (start_url and region):
        return None
    scopes = _text_value(values, "sso_registration_scopes")
    return SsoSession(name, start_url, region, parse_scopes(scopes) if scopes else ())


def _headers(raw: RawConfig) -> tuple[dict[str, str], dict[str, str]]:
    """Profile and sso-session names -> the section header botocore takes them from."""
    mapped = build_profile_map({header: header for header in raw})
    return mapped["profiles"], mapped["sso_sessions"]


@dataclass(frozen=True)
class AwsConfig:
    """A parsed, read-only snapshot of one config file.

    ``profiles`` holds every profile botocore sees (SSO or not); ``sso_sessions`` the complete
    ``[sso-session]`` sections (with start URL and region). A session without
    ``sso_registration_scopes`` has ``scopes == ()``, as botocore then registers without scopes.
    """

    path: Path
    profiles: dict[str, Profile]
    sso_sessions: dict[str, SsoSession]
    _profile_values: dict[str, Values] = field(repr=False, compare=False)
    _session_values: dict[str, Values] = field(repr=False, compare=False)

    @classmethod
    def load(cls, path: Path | None = None, *, credentials: Path | None = None) -> AwsConfig:
        """Read ``path`` (default :func:`config_path`) and the profiles of the credentials
        file (default :func:`credentials_path`); a missing file is an empty one."""
        path = Path(path) if path is not None else config_path()
        creds = _credentials_sections(credentials or credentials_path())
        return cls._from_raw(parse_like_botocore(_read_text(path), str(path)), path, creds)

    @classmethod
    def from_text(cls, text: str, path: Path) -> AwsConfig:
        return cls._from_raw(parse_like_botocore(text, str(path)), path)

    @classmethod
    def _from_raw(
        cls, raw: RawConfig, path: Path, credentials: dict[str, Values] | None = None
    ) -> AwsConfig:
        mapped = build_profile_map(raw)
        profile_values: dict[str, Values] = mapped["profiles"]
        session_values: dict[str, Values] = mapped["sso_sessions"]
        sessions = {
            name: session
            for name, values in session_values.items()
            if (session := _session_from(name, values)) is not None
        }
        creds = credentials or {}
        profiles = {
            name: _profile_from(name, values, creds.get(name))
            for name, values in profile_values.items()
        }
        for name, values in creds.items():
            if name not in profiles:
                profiles[name] = _profile_from(name, {}, values, in_config=False)
        return cls(
            path=Path(path),
            profiles=profiles,
            sso_sessions=sessions,
            _profile_values=profile_values,
            _session_values=session_values,
        )

    def profile(self, name: str) -> Profile:
        try:
            return self.profiles[name]
        except KeyError:
            raise ProfileNotFound(name, str(self.path)) from None

    def sso_session(self, name: str) -> SsoSession:
        if name in self.sso_sessions:
            return self.sso_sessions[name]

        def create(lead: str) -> NextStep:
            given = (("session_name", name),)
            asks = ("start_url", "sso_region")
            return NextStep("login", "PROFILE", given=given, asks=asks, lead=lead)

        values = self._session_values.get(name)
        if values is None:
            raise ConfigError(
                f"There is no [sso-session {name}] in {self.path}. ",
                create("create it by signing in with"),
                ".",
            )
        missing = " and ".join(k for k in _LEGACY_KEYS if not _text_value(values, k))
        raise ConfigError(
            f"The [sso-session {name}] in {self.path} has no {missing}. Add it there, or ",
            create("sign in again with"),
            ".",
        )

    def profiles_for_session(self, session_name: str) -> list[Profile]:
        return [p for p in self.profiles.values() if p.is_sso and p.sso_session == session_name]

    def profiles_for_start_url(self, start_url: str) -> list[Profile]:
        """Legacy profiles (``sso_start_url`` in the profile itself) signing in at this URL."""
        return [p for p in self.profiles.values() if p.is_legacy and p.start_url == start_url]

    def chain(self, name: str) -> tuple[Profile, ...]:
        """``name``, its ``source_profile``, and so on to the profile whose own credentials
        botocore uses (the root), following botocore's rules: a source profile with static
        keys, or without ``role_arn``, ends the chain; a profile may name itself as its source
        only when it holds static keys."""
        chain = [self.profile(name)]
        while chain[-1].kind == "chained":
            current = chain[-1]
            source = current.source_profile or ""
            if source not in self.profiles:
                raise ConfigError(
                    f"The profile {current.name!r} takes its credentials from source_profile "
                    f"{source!r}, which is in neither {self.path} nor the credentials file. "
                    "Fix source_profile there, or add that profile."
                )
            nxt = self.profiles[source]
            if nxt.static_keys or nxt.kind != "chained":
                chain.append(nxt)
                break
            if any(p.name == source for p in chain):
                path = " -> ".join([*(p.name for p in chain), source])
                raise ConfigError(
                    f"The profiles' source_profile settings go round in a loop ({path}), so "
                    "neither boto3 nor the AWS CLI can use them. Fix source_profile in "
                    f"{self.path}."
                )
            chain.append(nxt)
        return tuple(chain)

    def sso_root(self, name: str) -> Profile | None:
        """The SSO profile a chained profile gets its first credentials from, else None."""
        root = self.chain(name)[-1]
        return root if root.is_sso and root.name != name else None

    def chained_to(self, root: str) -> list[Profile]:
        """The chained profiles whose chain ends at the SSO profile ``root``."""
        out = []
        for prof in self.profiles.values():
            if prof.kind != "chained":
                continue
            try:
                found = self.sso_root(prof.name)
            except ConfigError:
                continue
            if found is not None and found.name == root:
                out.append(prof)
        return out

    def values(self, name: str) -> dict[str, str]:
        """Every key of a profile as text; an indented block ``s3 =`` shows as ``s3.key``."""
        if name not in self._profile_values:
            raise ProfileNotFound(name, str(self.path))
        flat: dict[str, str] = {}
        for key, value in self._profile_values[name].items():
            if isinstance(value, dict):
                flat.update({f"{key}.{sub}": subvalue for sub, subvalue in value.items()})
            else:
                flat[key] = value
        return flat


@dataclass(frozen=True)
class ConfigChange:
    """An edit of one config file, computed before (and independently of) writing it."""

    path: Path
    old_text: str
    new_text: str

    @property
    def changed(self) -> bool:
        return self.old_text != self.new_text

    @property
    def diff(self) -> str:
        """A unified diff for people to read ('' when nothing changes)."""
        old = [body for body, _ in split_lines(self.old_text)]
        new = [body for body, _ in split_lines(self.new_text)]
        lines = difflib.unified_diff(
            old, new, f"{self.path} (now)", f"{self.path} (after)", lineterm=""
        )
        return "".join(line + "\n" for line in lines)


# -- planning ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Wanted:
    """Validated input: what the profile and session sections must hold afterwards."""

    profile_name: str
    session_name: str | None
    profile_items: tuple[tuple[str, str], ...]
    session: SsoSession | None
    session_items: tuple[tuple[str, str], ...]


def _session_items(session: SsoSession) -> tuple[tuple[str, str], ...]:
    session_header(session.name)  # validates the name as a header botocore reads back
    items = [
        ("sso_start_url", validate_start_url(session.start_url)),
        ("sso_region", validate_value(session.region, "sso_region")),
    ]
    if session.scopes:
        items.append(("sso_registration_scopes", scopes_text(session.scopes)))
    return tuple(items)


def _wanted(profile: Profile, session: SsoSession | None) -> _Wanted:
    """Check every name and value before the file is even read: refusals change nothing."""
    profile_header(profile.name)  # validates, and checks botocore maps it back to the name
    session_items = _session_items(session) if session is not None else ()
    session_name = profile.sso_session
    if session is not None:
        if session_name is not None and session_name != session.name:
            raise InvalidValueError(
                f"The profile {profile.name!r} names the sso-session {session_name!r}, but the "
                f"session given is {session.name!r}. Pass the same session name for both."
            )
        session_name = session.name
    items: list[tuple[str, str]] = []
    if session_name is not None:
        items.append(("sso_session", validate_name(session_name, "sso-session name")))
    else:
        if profile.start_url is not None:
            items.append(("sso_start_url", validate_start_url(profile.start_url)))
        if profile.sso_region is not None:
            items.append(("sso_region", validate_value(profile.sso_region, "sso_region")))
    for key, value in (
        ("sso_account_id", profile.account_id),
        ("sso_role_name", profile.role_name),
        ("region", profile.region),
        ("output", profile.output),
    ):
        if value is not None:
            items.append((key, validate_value(value, key)))
    return _Wanted(profile.name, session_name, tuple(items), session, session_items)


def _same_scopes(old: str | dict[str, str] | None, new: str) -> bool:
    return isinstance(old, str) and parse_scopes(old) == parse_scopes(new)


def _apply(
    doc: ConfigText,
    raw: RawConfig,
    header: str | None,
    new_header: Callable[[], str],
    items: tuple[tuple[str, str], ...],
    remove: tuple[str, ...] = (),
) -> tuple[str, Values]:
    """Create or update one section; returns its header and the values it must end up with."""
    if header is None:
        header = new_header()
        doc.append_section(header, items)
        return header, dict(items)
    current = raw[header]
    expected = {k: v for k, v in current.items() if k not in remove}
    for key, value in items:
        old = current.get(key)
        if old == value or (key == "sso_registration_scopes" and _same_scopes(old, value)):
            continue
        doc.set_key(header, key, value)
        expected[key] = value
    for key in remove:
        doc.remove_key(header, key)
    return header, expected


def _check_reads_back(
    path: Path, old_text: str, new_text: str, raw: RawConfig, changed: dict[str, Values]
) -> None:
    """The written text must parse (as botocore would) to the old values plus our edits."""
    defaults = defaults_like_botocore(old_text, str(path))
    expected = copy.deepcopy(raw)
    for header, values in changed.items():
        expected[header] = {**defaults, **values}
    try:
        actual = parse_like_botocore(new_text, str(path))
    except ConfigParseError:
        actual = None
    if actual != expected:
        raise ConfigError(
            f"ipyawssso could not edit {path} safely (the result would not read back as "
            "intended), so it left the file unchanged. Make this change with `aws configure "
            "sso` or by hand, and please report the problem."
        )


def _plan_text(path: Path, text: str, wanted: _Wanted) -> ConfigChange:
    raw = parse_like_botocore(text, str(path))
    config = AwsConfig._from_raw(raw, path)
    profile_headers, session_headers = _headers(raw)
    doc = ConfigText.from_text(text)
    changed: dict[str, Values] = {}

    header = profile_headers.get(wanted.profile_name)
    old_values = raw[header] if header is not None else {}
    refuse_unmanaged(_profile_from(wanted.profile_name, old_values), path)
    # None means "leave as is": a modern profile stays on its sso-session.
    session_name = wanted.session_name or _text_value(old_values, "sso_session")
    converting_back = any(key in _LEGACY_KEYS for key, _ in wanted.profile_items)
    if wanted.session_name is None and session_name is not None and converting_back:
        raise InvalidValueError(
            f"The profile {wanted.profile_name!r} signs in through [sso-session "
            f"{session_name}]. To change where it signs in, pass session_name with "
            "start_url and sso_region instead of a start URL for the profile."
        )
    will_have = {**old_values, **dict(wanted.profile_items)}
    if session_name is None:
        if not (_text_value(will_have, "sso_start_url") and _text_value(will_have, "sso_region")):
            raise InvalidValueError(
                f"The profile {wanted.profile_name!r} would have neither an sso-session nor a "
                "start URL and SSO region. Pass session_name with start_url and sso_region."
            )
    elif wanted.session is None:
        config.sso_session(session_name)  # raises with what to do when absent
    for key, what in (("sso_account_id", "account_id"), ("sso_role_name", "role_name")):
        if not _text_value(will_have, key):
            raise InvalidValueError(
                f"The profile {wanted.profile_name!r} needs {key}. Pass {what}= (or pick a "
                "role from the list after signing in)."
            )

    # CLI order: the profile first, then the sso-session.
    header, values = _apply(
        doc,
        raw,
        header,
        lambda: profile_header(wanted.profile_name),
        wanted.profile_items,
        remove=_LEGACY_KEYS if session_name is not None else (),
    )
    changed[header] = values
    session = wanted.session
    if session is not None:
        header, values = _apply(
            doc,
            raw,
            session_headers.get(session.name),
            lambda: session_header(session.name),
            wanted.session_items,
        )
        changed[header] = values
    new_text = doc.render()
    _check_reads_back(path, text, new_text, raw, changed)
    return ConfigChange(path, text, new_text)


def _plan_session_text(path: Path, text: str, session: SsoSession) -> ConfigChange:
    items = _session_items(session)
    raw = parse_like_botocore(text, str(path))
    _, session_headers = _headers(raw)
    doc = ConfigText.from_text(text)
    header, values = _apply(
        doc, raw, session_headers.get(session.name), lambda: session_header(session.name), items
    )
    new_text = doc.render()
    _check_reads_back(path, text, new_text, raw, {header: values})
    return ConfigChange(path, text, new_text)


def plan_sso_profile(
    profile: Profile, sso_session: SsoSession | None, *, path: Path | None = None
) -> ConfigChange:
    """The edit that :func:`write_sso_profile` would make now, without writing anything.

    Uses ``profile.name, sso_session, account_id, role_name, region, output`` (``None`` leaves
    a key as it is; ``start_url``/``sso_region`` only for a legacy profile without a session).
    With ``sso_session`` the ``[sso-session]`` section is created or updated too. A modern
    profile never repeats ``sso_start_url``/``sso_region``: converting a legacy profile drops them.
    """
    path = Path(path) if path is not None else config_path()
    wanted = _wanted(profile, sso_session)
    return _plan_text(path, _read_text(path), wanted)


def plan_sso_session(sso_session: SsoSession, *, path: Path | None = None) -> ConfigChange:
    """The edit that :func:`write_sso_session` would make now, without writing anything."""
    path = Path(path) if path is not None else config_path()
    _session_items(sso_session)
    return _plan_session_text(path, _read_text(path), sso_session)


def _refuse_read_only(target: Path, path: Path) -> None:
    """A config the owner made read-only is a wish to keep it; the rename would ignore it."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    if not mode & stat.S_IWUSR:
        raise ConfigError(
            f"{path} is read-only, so ipyawssso left it unchanged. Make it writable "
            f"(chmod u+w {path}) and try again, or make the change by hand."
        )


def _locked_write(path: Path, plan: Callable[[str], ConfigChange]) -> ConfigChange:
    """Re-read the file under the lock, plan on that text, write only if something changes."""
    target = real_target(path)
    lock = config_lock_path(target)
    try:
        ensure_private_folder(target.parent)
        with held(lock, LOCK_TIMEOUT):
            change = plan(_read_text(target))
            if change.changed:
                _refuse_read_only(target, path)
                write_atomic(target, change.new_text.encode("utf-8"))
    except LockTimeout:
        raise ConfigError(
            f"Another process has held {lock} for over {LOCK_TIMEOUT:g} s, so {path} "
            "was not changed. Wait for the other kernel to finish (or delete the lock file if "
            "none is running), then try again."
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"Could not write {path}: {exc.strerror or exc}. Check that you can write to "
            f"{target.parent}; the file was left as it was."
        ) from None
    return change


def write_sso_profile(
    profile: Profile, sso_session: SsoSession | None, *, path: Path | None = None
) -> ConfigChange:
    """Plan (see :func:`plan_sso_profile`) and write atomically under the config's lock."""
    path = Path(path) if path is not None else config_path()
    wanted = _wanted(profile, sso_session)
    return _locked_write(path, lambda text: _plan_text(path, text, wanted))


def write_sso_session(sso_session: SsoSession, *, path: Path | None = None) -> ConfigChange:
    """Create or update only the ``[sso-session NAME]`` section."""
    path = Path(path) if path is not None else config_path()
    _session_items(sso_session)
    return _locked_write(path, lambda text: _plan_session_text(path, text, sso_session))
