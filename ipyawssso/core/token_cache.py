"""The AWS CLI v2's own caches, read and written in its exact formats.

Sharing these files is the point: a sign-in here is a sign-in for the ``aws`` command, boto3 and
every other SDK, and the other way round. File names are the CLI's hashes
(docs/architecture.md §5), field order and JSON layout match what the CLI writes, files are 0600
and their folders 0700.

Folders are resolved from ``HOME`` at call time (botocore fixes its own at import time), so one
process can serve several homes, which the tests rely on.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.utils import JSONFileCache

from .atomic_file import write_atomic
from .errors import CacheError
from .models import Registration, Token
from .vocabulary import iso_time

__all__ = [
    "TokenCache",
    "cache_write_error",
    "cli_cache_dir",
    "format_time",
    "parse_time",
    "registration_cache_key",
    "role_credentials_cache_key",
    "sso_cache_dir",
    "token_cache_key",
]


def sso_cache_dir() -> Path:
    return Path(os.path.expanduser(os.path.join("~", ".aws", "sso", "cache")))


def cli_cache_dir() -> Path:
    return Path(os.path.expanduser(os.path.join("~", ".aws", "cli", "cache")))


def format_time(value: datetime) -> str:
    return iso_time(value)


def parse_time(value: str) -> datetime:
    """Parse the CLI's timestamps; botocore itself also writes ``+00:00`` and ``UTC`` forms."""
    text = value.strip()
    if text.endswith("UTC"):
        text = text[:-3] + "Z"
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def token_cache_key(session_name: str | None, start_url: str) -> str:
    """sha1 of the session name, or of the start URL for legacy profiles."""
    return hashlib.sha1((session_name or start_url).encode("utf-8")).hexdigest()  # noqa: S324


def registration_cache_key(
    start_url: str, region: str, scopes: tuple[str, ...] | None, session_name: str | None
) -> str:
    args = {
        "tool": "botocore",
        "startUrl": start_url,
        "region": region,
        "scopes": list(scopes) if scopes else None,
        "session_name": session_name,
    }
    return hashlib.sha1(json.dumps(args, sort_keys=True).encode("utf-8")).hexdigest()  # noqa: S324


def role_credentials_cache_key(
    account_id: str, role_name: str, session_name: str | None, start_url: str
) -> str:
    """The key botocore's SSOCredentialFetcher uses for ``~/.aws/cli/cache``."""
    args: dict[str, str] = {"accountId": account_id, "roleName": role_name}
    if session_name:
        args["sessionName"] = session_name
    else:
        args["startUrl"] = start_url
    text = json.dumps(args, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()  # noqa: S324


def cache_write_error(directory: Path, exc: OSError) -> CacheError:
    reason = str(exc.strerror or exc)
    return CacheError(
        f"Could not write the AWS sign-in cache in {directory} ({reason}). Check "
        "that the folder is writable and the disk has space, then sign in again.",
        path=str(directory),
        reason=reason,
    )


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` 0700, and tighten an existing one: it holds bearer tokens."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_mode & 0o777 != 0o700:
        path.chmod(0o700)
    return path


def _token_to_json(token: Token) -> dict[str, Any]:
    data: dict[str, Any] = {
        "startUrl": token.start_url,
        "region": token.region,
        "accessToken": token.access_token,
        "expiresAt": format_time(token.expires_at),
    }
    if token.client_id and token.client_secret:
        data["clientId"] = token.client_id
        data["clientSecret"] = token.client_secret
    if token.registration_expires_at is not None:
        data["registrationExpiresAt"] = format_time(token.registration_expires_at)
    if token.refresh_token:
        data["refreshToken"] = token.refresh_token
    return data


def _token_from_json(data: dict[str, Any]) -> Token:
    reg = data.get("registrationExpiresAt")
    return Token(
        start_url=data["startUrl"],
        region=data["region"],
        access_token=data["accessToken"],
        expires_at=parse_time(data["expiresAt"]),
        client_id=data.get("clientId"),
        client_secret=data.get("clientSecret"),
        registration_expires_at=parse_time(reg) if reg else None,
        refresh_token=data.get("refreshToken"),
    )


class TokenCache:
    """Token, registration and role-credential files for one home.

    ``sso_dir``/``cli_dir`` default to the current user's folders, resolved when the object is
    made; tests pass their own.
    """

    def __init__(self, sso_dir: Path | None = None, cli_dir: Path | None = None) -> None:
        self.sso_dir = Path(sso_dir) if sso_dir else sso_cache_dir()
        self.cli_dir = Path(cli_dir) if cli_dir else cli_cache_dir()

    # botocore's own providers read and refresh through its JSONFileCache (mkstemp 0600 +
    # fsync + os.replace, like the CLI).
    def sso_json_cache(self) -> JSONFileCache:
        ensure_private_dir(self.sso_dir)
        return JSONFileCache(str(self.sso_dir), dumps_func=_dumps)

    def cli_json_cache(self) -> JSONFileCache:
        ensure_private_dir(self.cli_dir)
        return JSONFileCache(str(self.cli_dir), dumps_func=_dumps)

    def _read(self, path: Path) -> dict[str, Any] | None:
        try:
            with path.open(encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            # A corrupt or unreadable cache file is a missing sign-in, not a crash.
            return None
        return data if isinstance(data, dict) else None

    def _write(self, directory: Path, key: str, data: dict[str, Any]) -> Path:
        # The same bytes JSONFileCache writes, but a failed write (a full disk) leaves no
        # temporary file behind: JSONFileCache would leave one holding part of a token.
        path = directory / f"{key}.json"
        try:
            ensure_private_dir(directory)
            write_atomic(path, _dumps(data).encode("utf-8"), new_mode=0o600, keep_mode=False)
        except OSError as exc:
            raise cache_write_error(directory, exc) from None
        return path

    # --- tokens -------------------------------------------------------------------------

    def token_path(self, session_name: str | None, start_url: str) -> Path:
        return self.sso_dir / f"{token_cache_key(session_name, start_url)}.json"

    def load_token(self, session_name: str | None, start_url: str) -> Token | None:
        data = self._read(self.token_path(session_name, start_url))
        if not data:
            return None
        try:
            return _token_from_json(data)
        except (KeyError, TypeError, ValueError):
            return None

    def save_token(self, session_name: str | None, token: Token) -> Path:
        key = token_cache_key(session_name, token.start_url)
        return self._write(self.sso_dir, key, _token_to_json(token))

    def delete_token(self, session_name: str | None, start_url: str) -> bool:
        with contextlib.suppress(FileNotFoundError):
            self.token_path(session_name, start_url).unlink()
            return True
        return False

    def iter_token_files(self) -> Iterator[tuple[Path, Token]]:
        """Every token file in the folder, the way ``aws sso logout`` finds them."""
        if not self.sso_dir.is_dir():
            return
        for path in sorted(self.sso_dir.glob("*.json")):
            data = self._read(path)
            if not data or "accessToken" not in data:
                continue
            try:
                yield path, _token_from_json(data)
            except (KeyError, TypeError, ValueError):
                continue

    # --- registrations ------------------------------------------------------------------

    def load_registration(
        self,
        start_url: str,
        region: str,
        scopes: tuple[str, ...] | None,
        session_name: str | None,
    ) -> tuple[Registration, dict[str, Any]] | None:
        key = registration_cache_key(start_url, region, scopes, session_name)
        data = self._read(self.sso_dir / f"{key}.json")
        if not data:
            return None
        try:
            reg = Registration(
                client_id=data["clientId"],
                client_secret=data["clientSecret"],
                expires_at=parse_time(data["expiresAt"]),
                scopes=tuple(data["scopes"]) if data.get("scopes") else None,
            )
        except (KeyError, TypeError, ValueError):
            return None
        return reg, data

    def save_registration(
        self,
        start_url: str,
        region: str,
        scopes: tuple[str, ...] | None,
        session_name: str | None,
        registration: Registration,
    ) -> Path:
        key = registration_cache_key(start_url, region, scopes, session_name)
        data: dict[str, Any] = {
            "clientId": registration.client_id,
            "clientSecret": registration.client_secret,
            "expiresAt": format_time(registration.expires_at),
        }
        if registration.scopes:
            data["scopes"] = list(registration.scopes)
        return self._write(self.sso_dir, key, data)

    # --- role credentials ---------------------------------------------------------------

    def role_credentials_path(
        self, account_id: str, role_name: str, session_name: str | None, start_url: str
    ) -> Path:
        key = role_credentials_cache_key(account_id, role_name, session_name, start_url)
        return self.cli_dir / f"{key}.json"

    def load_role_credentials(
        self, account_id: str, role_name: str, session_name: str | None, start_url: str
    ) -> dict[str, Any] | None:
        data = self._read(
            self.role_credentials_path(account_id, role_name, session_name, start_url)
        )
        if not data or data.get("ProviderType") != "sso":
            return None
        creds = data.get("Credentials")
        return creds if isinstance(creds, dict) else None

    def delete_sso_role_credentials(self) -> int:
        """Remove every ``ProviderType: sso`` file, as ``aws sso logout`` does."""
        removed = 0
        if not self.cli_dir.is_dir():
            return 0
        for path in self.cli_dir.glob("*.json"):
            data = self._read(path)
            if data and data.get("ProviderType") == "sso":
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed += 1
        return removed


def _dumps(obj: Any) -> str:
    return json.dumps(obj, default=_serialize)


def _serialize(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_time(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")
