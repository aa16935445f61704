"""The picker's search: thousands of account/role rows filtered on every keystroke.

Each row keeps one lower-cased haystack (account name, id, email, role name) built once, so a
keystroke costs one substring test per row and query word: a few milliseconds for 5,000 rows.
Only the first ``limit`` matches become options, so the browser never renders thousands of
``<option>`` elements; the count of all matches is still reported.

Accounts whose roles have not loaded yet stay in the list as one "loading" row, so a person can
find an account by name at once and the picker can ask for its roles first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..core.models import Account, Role

__all__ = ["FilterResult", "RoleIndex", "Row"]


@dataclass(frozen=True)
class Row:
    """One option: a role of an account, or (role is None) an account still loading."""

    key: str
    label: str
    account: Account
    role: Role | None
    haystack: str = field(repr=False, compare=False)

    @property
    def loading(self) -> bool:
        return self.role is None


@dataclass(frozen=True)
class FilterResult:
    rows: tuple[Row, ...]
    total: int  # every match, of which ``rows`` holds the first ``limit``
    size: int  # every row in the index

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def _account_label(account: Account) -> str:
    name = account.name or account.account_id
    details = [d for d in (account.account_id if account.name else "", account.email) if d]
    return f"{name} ({', '.join(details)})" if details else name


def _role_row(account: Account, role: Role) -> Row:
    label = f"{role.role_name} — {_account_label(account)}"
    hay = " ".join((account.name, account.account_id, account.email, role.role_name)).lower()
    return Row(f"{account.account_id}/{role.role_name}", label, account, role, hay)


def _loading_row(account: Account) -> Row:
    label = f"{_account_label(account)} — loading roles…"
    hay = " ".join((account.name, account.account_id, account.email)).lower()
    return Row(f"{account.account_id}/", label, account, None, hay)


class RoleIndex:
    """Accounts and whatever roles are known for them, in a stable order (account, role)."""

    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}
        self._roles: dict[str, list[Role]] = {}
        self._rows: list[Row] = []
        self._by_key: dict[str, Row] = {}

    # -- building ---------------------------------------------------------------------------

    def set_accounts(self, accounts: Iterable[Account]) -> None:
        """Replace the account list; roles already known for kept accounts stay."""
        self._accounts = {a.account_id: a for a in accounts}
        self._roles = {k: v for k, v in self._roles.items() if k in self._accounts}
        self._rebuild()

    def set_roles(self, roles: Iterable[Role], *, complete: bool = False) -> None:
        """Record roles, grouped by account; accounts seen only here are added from the role.

        ``complete=True`` means ``roles`` is every role of every account (a finished prefetch):
        accounts without any then show no loading row.
        """
        grouped: dict[str, list[Role]] = {}
        for role in roles:
            grouped.setdefault(role.account_id, []).append(role)
            if role.account_id not in self._accounts:
                self._accounts[role.account_id] = Account(
                    role.account_id, role.account_name, role.account_email
                )
        if complete:
            self._roles = {aid: grouped.get(aid, []) for aid in self._accounts}
        else:
            self._roles.update(grouped)
        self._rebuild()

    def set_account_roles(self, account_id: str, roles: Sequence[Role]) -> None:
        """The roles of one account, as ``roles_for`` answered (possibly none)."""
        self.set_loaded({account_id: roles})

    def set_loaded(self, loaded: Mapping[str, Sequence[Role]]) -> None:
        """The roles of several accounts (``RoleCatalog.loaded()`` while a prefetch runs)."""
        for account_id, roles in loaded.items():
            self._roles[account_id] = list(roles)
            if account_id not in self._accounts and roles:
                first = roles[0]
                self._accounts[account_id] = Account(
                    account_id, first.account_name, first.account_email
                )
        self._rebuild()

    def _rebuild(self) -> None:
        rows: list[Row] = []
        accounts = sorted(
            self._accounts.values(), key=lambda a: ((a.name or a.account_id).lower(), a.account_id)
        )
        for account in accounts:
            roles = self._roles.get(account.account_id)
            if roles is None:
                rows.append(_loading_row(account))
                continue
            for role in sorted(roles, key=lambda r: r.role_name.lower()):
                rows.append(_role_row(account, role))
        self._rows = rows
        self._by_key = {row.key: row for row in rows}

    # -- reading ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def account_count(self) -> int:
        return len(self._accounts)

    @property
    def role_count(self) -> int:
        return sum(len(v) for v in self._roles.values())

    def loaded(self, account_id: str) -> bool:
        return account_id in self._roles

    def row(self, key: str) -> Row | None:
        return self._by_key.get(key)

    def groups(self) -> list[tuple[Account, list[Role] | None]]:
        """Accounts in display order, each with its roles sorted, or None while loading."""
        accounts = sorted(
            self._accounts.values(), key=lambda a: ((a.name or a.account_id).lower(), a.account_id)
        )
        out: list[tuple[Account, list[Role] | None]] = []
        for account in accounts:
            roles = self._roles.get(account.account_id)
            if roles is not None:
                roles = sorted(roles, key=lambda r: r.role_name.lower())
            out.append((account, roles))
        return out

    def only_role(self) -> Role | None:
        """The single role, when every account has loaded and there is exactly one."""
        if len(self._roles) != len(self._accounts) or self.role_count != 1:
            return None
        return next(r for roles in self._roles.values() for r in roles)

    def filter(self, query: str, limit: int = 200) -> FilterResult:
        """Rows containing every whitespace-separated word of ``query`` (case-insensitive)."""
        words = query.lower().split()
        rows = self._rows
        if not words:
            return FilterResult(tuple(rows[:limit]), len(rows), len(rows))
        shown: list[Row] = []
        total = 0
        if len(words) == 1:
            word = words[0]
            for row in rows:
                if word in row.haystack:
                    total += 1
                    if total <= limit:
                        shown.append(row)
        else:
            for row in rows:
                hay = row.haystack
                if all(w in hay for w in words):
                    total += 1
                    if total <= limit:
                        shown.append(row)
        return FilterResult(tuple(shown), total, len(rows))
