"""The picker's search index: what matches, what is shown, and how fast at 5,000 roles."""

from __future__ import annotations

import time

from ipyawssso.core.models import Account, Role
from ipyawssso.widgets.role_filter import RoleIndex
from tests.unit.widgets.fakes import make_accounts

ACME = Account("111111111111", "Acme Prod", "prod@acme.example")
LABS = Account("222222222222", "Labs", "labs@acme.example")


def _roles(account: Account, *names: str) -> list[Role]:
    return [Role(account.account_id, n, account.name, account.email) for n in names]


def _index() -> RoleIndex:
    index = RoleIndex()
    index.set_accounts([LABS, ACME])
    index.set_account_roles(ACME.account_id, _roles(ACME, "ReadOnly", "Admin"))
    return index


def test_accounts_without_roles_show_as_one_loading_row_sorted_by_name():
    result = _index().filter("")
    assert [(r.key, r.loading) for r in result.rows] == [
        ("111111111111/Admin", False),
        ("111111111111/ReadOnly", False),
        ("222222222222/", True),
    ]
    assert result.rows[0].label == "Admin — Acme Prod (111111111111, prod@acme.example)"
    assert result.rows[2].label.endswith("— loading roles…")


def test_every_word_must_match_name_id_email_or_role_case_insensitively():
    index = _index()
    assert [r.key for r in index.filter("acme READ").rows] == ["111111111111/ReadOnly"]
    assert [r.key for r in index.filter("1111 admin").rows] == ["111111111111/Admin"]
    assert [r.key for r in index.filter("labs@").rows] == ["222222222222/"]
    assert index.filter("acme labs-nothing").total == 0
    # Emails hold "acme" for both accounts: the email is part of what is searched.
    assert index.filter("acme").total == 3


def test_the_list_is_bounded_but_the_count_is_not():
    accounts, names = make_accounts(100, 5)
    index = RoleIndex()
    index.set_accounts(accounts)
    index.set_loaded({a.account_id: _roles(a, *names[a.account_id]) for a in accounts})
    result = index.filter("", limit=50)
    assert (len(result.rows), result.total, result.size, result.truncated) == (50, 500, 500, True)
    result = index.filter("team-0007", limit=50)
    assert (len(result.rows), result.total, result.truncated) == (5, 5, False)


def test_a_finished_prefetch_replaces_guesses_and_drops_accounts_without_roles():
    index = _index()
    index.set_roles(_roles(ACME, "ReadOnly"), complete=True)
    assert [r.key for r in index.filter("").rows] == ["111111111111/ReadOnly"]
    assert index.only_role() == _roles(ACME, "ReadOnly")[0]
    assert index.loaded(LABS.account_id)


def test_cached_roles_bring_their_accounts_and_a_new_account_list_keeps_them():
    index = RoleIndex()
    index.set_roles(_roles(ACME, "ReadOnly"))
    assert index.account_count == 1
    index.set_accounts([ACME, LABS])
    assert [r.key for r in index.filter("").rows] == ["111111111111/ReadOnly", "222222222222/"]
    index.set_accounts([LABS])
    assert [r.key for r in index.filter("").rows] == ["222222222222/"]


def test_filter_speed_at_5000_roles():
    """Filtering 5,000 rows per keystroke: printed, with only a generous sanity bound."""
    accounts, names = make_accounts(1000, 5)
    index = RoleIndex()
    index.set_accounts(accounts)
    started = time.perf_counter()
    index.set_loaded({a.account_id: _roles(a, *names[a.account_id]) for a in accounts})
    build = time.perf_counter() - started
    assert len(index) == 5000

    query = "team-07 data"
    timings = []
    for end in range(1, len(query) + 1):
        started = time.perf_counter()
        result = index.filter(query[:end], limit=200)
        timings.append(time.perf_counter() - started)
    assert result.total == 100  # team-0700..0799, DataScientist each
    worst = max(timings) * 1000
    mean = sum(timings) / len(timings) * 1000
    print(
        f"\nRoleIndex.filter over 5,000 roles: mean {mean:.2f} ms, worst {worst:.2f} ms per "
        f"keystroke ({len(timings)} keystrokes); index build {build * 1000:.1f} ms"
    )
    assert worst < 1000, "filtering is far slower than a keystroke allows"
