"""The account/role picker of terminal IPython: a numbered menu with filtering, through input().

Two short menus instead of one long one, because users have from one to thousands of accounts:
first the account (skipped when there is only one), then its role (skipped when there is only
one). In each menu a number picks, any other text filters (every word must match), an empty
line shows the next page and ``q`` cancels. ``read`` and ``write`` are parameters so that tests
drive it with lists and a terminal drives it with the real ``input``/``print``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from .core.errors import InvalidValueError, LoginCancelled
from .core.models import Account, Role
from .display import clean

__all__ = ["pick_role"]

T = TypeVar("T")

PAGE_SIZE = 20
HELP = "Type a number to choose, text to filter, Enter for more, q to cancel."


class Catalog(Protocol):
    def accounts(self) -> list[Account]: ...

    def roles_for(self, account_id: str) -> list[Role]: ...


def _matches(haystack: str, text: str) -> bool:
    return all(word in haystack for word in text.lower().split())


def _account_label(account: Account) -> str:
    extra = f"  {account.email}" if account.email else ""
    return f"{account.account_id}  {account.name or '-'}{extra}"


def _menu(
    title: str,
    items: Sequence[T],
    label: Callable[[T], str],
    *,
    read: Callable[[str], str],
    write: Callable[[str], None],
    page_size: int,
) -> T:
    labels = [clean(label(item)) for item in items]
    haystacks = [text.lower() for text in labels]
    query = ""
    page = 0
    while True:
        shown = [i for i, hay in enumerate(haystacks) if _matches(hay, query)]
        if not shown:
            write(f"Nothing matches {query!r}; showing everything again.")
            query, page = "", 0
            continue
        pages = (len(shown) + page_size - 1) // page_size
        page %= pages
        first = page * page_size
        write(title + (f" (filter: {query!r})" if query else ""))
        for number, index in enumerate(shown[first : first + page_size], start=first + 1):
            write(f"  {number:>4}) {labels[index]}")
        where = f"{len(shown)} of {len(items)}"
        if pages > 1:
            where += f", page {page + 1}/{pages}"
        write(f"  [{where}] {HELP}")
        try:
            answer = read("> ").strip()
        except EOFError:
            raise LoginCancelled() from None
        if answer.lower() in {"q", "quit"}:
            raise LoginCancelled()
        if not answer:
            page += 1
        elif answer.isdigit() and 1 <= int(answer) <= len(shown):
            return items[shown[int(answer) - 1]]
        else:
            query, page = answer.removeprefix("/"), 0


def pick_role(
    catalog: Catalog,
    *,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
    page_size: int = PAGE_SIZE,
) -> Role:
    """Ask which account and role a new profile uses; ``LoginCancelled`` on ``q`` or EOF."""
    accounts = catalog.accounts()
    if not accounts:
        raise InvalidValueError(
            "Your sign-in has no AWS account assigned. Ask your AWS administrator for access."
        )
    while True:
        if len(accounts) == 1:
            account = accounts[0]
        else:
            account = _menu(
                "Which AWS account?",
                accounts,
                _account_label,
                read=read,
                write=write,
                page_size=page_size,
            )
        roles = catalog.roles_for(account.account_id)
        name = clean(account.name or account.account_id)
        if roles:
            break
        message = f"You have no role in account {account.account_id} ({name})."
        if len(accounts) == 1:
            raise InvalidValueError(
                f"{message} Ask your AWS administrator to assign you a permission set."
            )
        write(f"{message} Pick another account.")
    if len(roles) == 1:
        write(f"Using role {clean(roles[0].role_name)} in account {account.account_id} ({name}).")
        return roles[0]
    return _menu(
        f"Which role in account {account.account_id} ({name})?",
        roles,
        lambda role: role.role_name,
        read=read,
        write=write,
        page_size=page_size,
    )
