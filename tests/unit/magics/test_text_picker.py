"""The terminal's numbered menu: filter, page, pick, cancel."""

from __future__ import annotations

import pytest

from ipyawssso.core.errors import InvalidValueError, LoginCancelled
from ipyawssso.core.models import Account, Role
from ipyawssso.text_picker import pick_role


class Catalog:
    """Accounts and roles as RoleCatalog serves them (already listed; no network here)."""

    def __init__(self, roles_per_account: dict[Account, list[str]]) -> None:
        self._accounts = list(roles_per_account)
        self._roles = {
            a.account_id: [Role(a.account_id, name, a.name, a.email) for name in names]
            for a, names in roles_per_account.items()
        }

    def accounts(self) -> list[Account]:
        return list(self._accounts)

    def roles_for(self, account_id: str) -> list[Role]:
        return list(self._roles[account_id])


def account(n: int, name: str | None = None) -> Account:
    return Account(f"{n:012d}", name or f"team-{n:03d}", f"team{n}@example.com")


def run(catalog: Catalog, answers: list[str], page_size: int = 20) -> tuple[Role, list[str]]:
    replies = iter(answers)
    shown: list[str] = []

    def read(prompt: str) -> str:
        try:
            return next(replies)
        except StopIteration:
            raise EOFError from None

    role = pick_role(catalog, read=read, write=shown.append, page_size=page_size)
    return role, shown


def test_one_account_one_role_asks_nothing():
    role, shown = run(Catalog({account(1): ["Dev"]}), [])
    assert role.role_name == "Dev"
    assert shown == ["Using role Dev in account 000000000001 (team-001)."]


def test_pick_by_number_in_both_menus():
    catalog = Catalog({account(1): ["Dev"], account(2): ["Admin", "Dev", "ReadOnly"]})
    role, shown = run(catalog, ["2", "3"])
    assert (role.account_id, role.role_name) == ("000000000002", "ReadOnly")
    assert "Which AWS account?" in shown
    assert "Which role in account 000000000002 (team-002)?" in shown


def test_text_filters_every_word_and_numbers_follow_the_filtered_list():
    catalog = Catalog(
        {account(n): ["Dev"] for n in range(1, 60)} | {account(77, "ml prod"): ["Dev"]}
    )
    role, shown = run(catalog, ["ML PROD", "1"])
    assert role.account_id == "000000000077"
    assert "Which AWS account? (filter: 'ML PROD')" in shown
    assert any("[1 of 60]" in line for line in shown)


def test_enter_pages_and_a_long_number_filters_by_account_id():
    catalog = Catalog({account(n): ["Dev"] for n in range(1, 46)})
    role, shown = run(catalog, ["", "", "000000000044", "1"], page_size=20)
    assert role.account_id == "000000000044"
    pages = [line for line in shown if "page" in line]
    assert "page 1/3" in pages[0] and "page 2/3" in pages[1] and "page 3/3" in pages[2]
    assert "    41) 000000000041  team-041  team41@example.com" in shown


def test_nothing_matching_shows_everything_again():
    catalog = Catalog({account(1): ["Dev"], account(2): ["Dev"]})
    role, shown = run(catalog, ["zzz", "2"])
    assert role.account_id == "000000000002"
    assert "Nothing matches 'zzz'; showing everything again." in shown


def test_slash_filters_for_text_that_looks_like_a_command():
    catalog = Catalog({account(1, "q-team"): ["Dev"], account(2): ["Dev"]})
    role, _ = run(catalog, ["/q", "1"])
    assert role.account_id == "000000000001"


@pytest.mark.parametrize("answers", [["q"], ["quit"], []])
def test_q_and_end_of_input_cancel(answers):
    catalog = Catalog({account(1): ["Dev"], account(2): ["Dev"]})
    with pytest.raises(LoginCancelled):
        run(catalog, answers)


def test_an_account_without_roles_sends_you_back():
    catalog = Catalog({account(1): [], account(2): ["Dev"]})
    role, shown = run(catalog, ["1", "2"])
    assert role.account_id == "000000000002"
    assert "You have no role in account 000000000001 (team-001). Pick another account." in shown


def test_no_account_at_all_says_whom_to_ask():
    with pytest.raises(InvalidValueError, match="administrator"):
        run(Catalog({}), [])
    with pytest.raises(InvalidValueError, match="permission set"):
        run(Catalog({account(1): []}), [])


def test_names_cannot_smuggle_terminal_escapes():
    catalog = Catalog({account(1, "evil\x1b[2Jname"): ["Dev"], account(2): ["Dev"]})
    _, shown = run(catalog, ["1"])
    assert not any("\x1b" in line for line in shown)
