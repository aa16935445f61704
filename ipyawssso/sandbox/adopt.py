"""Reads an ``~/.aws`` folder that another stand-in filled (the AWS CLI fixtures) so the
sandbox can honour its registrations, tokens and role credentials.

Interop tests start from files the real AWS CLI wrote against a different loopback service;
adopting them lets ``session()`` use those files with no new sign-in, and lets botocore refresh
their tokens through the sandbox. Role-credential files do not name their role, so the profiles
in ``config`` are hashed the way the CLI names those files to find which is which.
"""

from __future__ import annotations

import configparser
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = ["CachedSecrets", "read_aws_folder"]


@dataclass
class CachedSecrets:
    """Secrets another stand-in issued, in the cache files' own fields (times in epoch s).

    ``registrations``: clientId, clientSecret, expiresAt, scopes?. ``tokens``: accessToken,
    expiresAt, startUrl, clientId, refreshToken?, and clientSecret + registrationExpiresAt
    for a client not adopted yet. ``role_credentials``: AccessKeyId, SecretAccessKey,
    SessionToken, Expiration, AccountId, RoleName.
    """

    registrations: list[dict[str, Any]] = field(default_factory=list)
    tokens: list[dict[str, Any]] = field(default_factory=list)
    role_credentials: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # file names, with the reason


def read_aws_folder(aws_dir: Path, role_names: Iterable[str] = ()) -> CachedSecrets:
    """``role_names``: roles to try for a credential file no profile names any more (the
    profile was re-pointed at another role since the file was written)."""
    found = CachedSecrets()
    for path in sorted((aws_dir / "sso" / "cache").glob("*.json")):
        data = _load(path, found)
        if data is None:
            continue
        try:
            if "accessToken" in data:
                token = dict(data, expiresAt=_epoch(data["expiresAt"]))
                if "registrationExpiresAt" in data:
                    token["registrationExpiresAt"] = _epoch(data["registrationExpiresAt"])
                found.tokens.append(token)
            elif {"clientId", "clientSecret", "expiresAt"} <= data.keys():
                found.registrations.append(dict(data, expiresAt=_epoch(data["expiresAt"])))
            else:
                found.skipped.append(f"{path.name}: neither a token nor a registration")
        except (KeyError, ValueError, TypeError):
            found.skipped.append(f"{path.name}: a field is missing or malformed")
    roles, sign_ins = _profiles(aws_dir / "config")
    candidates = tuple(role_names)
    for path in sorted((aws_dir / "cli" / "cache").glob("*.json")):
        data = _load(path, found)
        if data is None or data.get("ProviderType") != "sso":
            continue
        account = str((data.get("Credentials") or {}).get("AccountId", ""))
        role = roles.get(path.stem) or _guess_role(path.stem, account, candidates, sign_ins)
        if role is None:
            found.skipped.append(f"{path.name}: no profile in config names this role")
            continue
        try:
            creds = data["Credentials"]
            found.role_credentials.append(
                {
                    "AccessKeyId": creds["AccessKeyId"],
                    "SecretAccessKey": creds["SecretAccessKey"],
                    "SessionToken": creds["SessionToken"],
                    "Expiration": _epoch(creds["Expiration"]),
                    "AccountId": role[0],
                    "RoleName": role[1],
                }
            )
        except (KeyError, ValueError, TypeError):
            found.skipped.append(f"{path.name}: a field is missing or malformed")
    return found


def _profiles(config_path: Path) -> tuple[dict[str, tuple[str, str]], set[tuple[str, str]]]:
    """(file stem -> (account id, role name) for every SSO profile in the config, and every
    sign-in as the CLI keys it: ("sessionName", name) or ("startUrl", url))."""
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read(config_path, encoding="utf-8")
    except configparser.Error:
        return {}, set()
    names: dict[str, tuple[str, str]] = {}
    sign_ins: set[tuple[str, str]] = set()
    for section in parser.sections():
        values = parser[section]
        if section.startswith("sso-session "):
            sign_ins.add(("sessionName", section.removeprefix("sso-session ").strip()))
            continue
        if values.get("sso_session"):
            sign_in = ("sessionName", values["sso_session"])
        elif values.get("sso_start_url"):
            sign_in = ("startUrl", values["sso_start_url"])
        else:
            continue
        sign_ins.add(sign_in)
        account, role = values.get("sso_account_id"), values.get("sso_role_name")
        if account and role:
            names[_cache_stem(account, role, sign_in)] = (account, role)
    return names, sign_ins


def _guess_role(
    stem: str, account: str, role_names: tuple[str, ...], sign_ins: set[tuple[str, str]]
) -> tuple[str, str] | None:
    """The role of a file no profile names any more: the account is written inside the file,
    so try each known role with each sign-in until the CLI's hash matches the file name."""
    for sign_in in sign_ins:
        for role in role_names:
            if _cache_stem(account, role, sign_in) == stem:
                return account, role
    return None


def _cache_stem(account: str, role: str, sign_in: tuple[str, str]) -> str:
    """The AWS CLI's name for a role-credential file (sha1 of compact, sorted JSON)."""
    args = {"accountId": account, "roleName": role, sign_in[0]: sign_in[1]}
    key = json.dumps(args, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(key.encode()).hexdigest()


def _load(path: Path, found: CachedSecrets) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        found.skipped.append(f"{path.name}: not readable JSON")
        return None
    if not isinstance(data, dict):
        found.skipped.append(f"{path.name}: not a JSON object")
        return None
    return data


def _epoch(value: str) -> float:
    """The CLI writes ``2026-11-26T11:31:41Z``; botocore sometimes ``+00:00`` or ``UTC``."""
    text = value.strip().replace("UTC", "+00:00").replace("Z", "+00:00")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
