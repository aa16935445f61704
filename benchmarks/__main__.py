"""``python -m benchmarks``: the picker at scale against aws-sso-lib, the cached paths, and
the figures the docs publish (docs/performance.md). ``--quick`` for a smaller organisation."""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Sequence
from typing import Any

from . import clients
from .world import PROFILE, World, portal_calls, world

TARGET_ACCOUNTS_RATIO = 50.0
TARGET_RATE_SHARE = 0.90
TARGET_CACHED_OPEN_S = 0.050
TARGET_PICKER_UP_S = 1.0
#: The AWS CLI v2's ``aws configure sso`` makes about this many portal calls before its menu.
CLI_V2_CALLS_BEFORE_MENU = 50


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    accounts = 200 if args.quick else args.accounts
    print(
        f"ipyawssso benchmarks: {accounts} accounts x {args.roles} roles, "
        f"{args.latency * 1000:.0f} ms per call, portal limit {args.rate_limit:g} calls/s; "
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{_cpu_count()} CPUs"
    )
    started = time.perf_counter()
    with world(
        accounts=accounts,
        roles_per_account=args.roles,
        latency=args.latency,
        rate_limit=args.rate_limit,
    ) as here:
        rows = run_all(here, args)
    _print_rows(rows)
    print(f"(total {time.perf_counter() - started:.0f} s)")
    return 0


def run_all(here: World, args: argparse.Namespace) -> list[tuple[str, str, str]]:
    sb = here.sandbox
    params = {"start_url": sb.start_url, "region": sb.region}
    rows: list[tuple[str, str, str]] = []

    picker = here.run(
        clients.LOGIN_PICKER_UP.format(profile=PROFILE, **params),
        IPYAWSSSO_CACHE_DIR=str(here.home / "fresh-role-cache"),
    )
    _settle(args)
    ours = here.run(clients.OURS_LISTING)
    _settle(args)
    base = None if args.no_baseline else here.run(clients.BASELINE_ROLES.format(**params))
    _settle(args)
    base_accounts = (
        None if args.no_baseline else here.run(clients.BASELINE_ACCOUNTS.format(**params))
    )
    cached = here.run(clients.CACHED_OPEN)
    session = here.run(clients.CACHED_SESSION)

    expected_roles = args.roles * (200 if args.quick else args.accounts)
    calls = portal_calls(ours["calls"])
    rate = calls / ours["all_s"]
    received = sum(ours["calls"].values())
    rows.append(
        (
            "ipyawssso: accounts shown (RoleCatalog.accounts)",
            f"{ours['accounts_s']:.2f} s",
            f"{ours['accounts']} accounts",
        )
    )
    rows.append(("ipyawssso: roles of the account in view", f"{ours['first_roles_s']:.2f} s", ""))
    rows.append(
        (
            "ipyawssso: every role listed (RoleCatalog.prefetch)",
            f"{ours['all_s']:.1f} s",
            f"{ours['roles']}/{expected_roles} roles, {calls} portal calls",
        )
    )
    before_menu = portal_calls(picker["calls"])
    rows.append(
        (
            "ipyawssso: login() to role picker, no role cache",
            f"{picker['picker_up_s']:.2f} s",
            f"{before_menu} portal calls ({picker['calls'].get('ListAccountRoles', 0)} "
            f"ListAccountRoles); " + _verdict(picker["picker_up_s"] < TARGET_PICKER_UP_S, "< 1 s"),
        )
    )
    cli_s = CLI_V2_CALLS_BEFORE_MENU / args.rate_limit
    rows.append(
        (
            "AWS CLI v2: calls before its menu (its figure)",
            f">= {cli_s:.1f} s",
            f"~{CLI_V2_CALLS_BEFORE_MENU} portal calls at the {args.rate_limit:g}/s limit",
        )
    )
    rows.append(
        (
            "RATIO picker up: AWS CLI v2 / ours",
            f"{cli_s / picker['picker_up_s']:.1f}x sooner",
            f"and {ours['all_s'] / picker['picker_up_s']:.0f}x sooner than listing every role "
            "first (what login() did before)",
        )
    )
    rows.append(
        (
            "ipyawssso: listing rate",
            f"{rate:.1f} calls/s",
            f"{rate / args.rate_limit:.0%} of the {args.rate_limit:g}/s limit; "
            f"{ours['throttled']} throttled (429), {received - calls} other requests",
        )
    )
    if base is not None and base_accounts is not None:
        base_rate = portal_calls(base["calls"]) / base["all_s"]
        rows.append(
            (
                "aws-sso-lib: list_available_roles, all roles",
                f"{base['all_s']:.1f} s",
                f"{base['roles']}/{expected_roles} roles, {base_rate:.1f} calls/s",
            )
        )
        rows.append(("aws-sso-lib: first role yielded", f"{base['first_role_s']:.2f} s", ""))
        rows.append(
            (
                "aws-sso-lib: list_available_accounts",
                f"{base_accounts['all_s']:.2f} s",
                f"{base_accounts['accounts']} accounts",
            )
        )
        ratio = base["all_s"] / ours["accounts_s"]
        rows.append(
            (
                "RATIO accounts shown vs baseline full listing",
                f"{ratio:.0f}x sooner",
                _verdict(ratio >= TARGET_ACCOUNTS_RATIO, f">= {TARGET_ACCOUNTS_RATIO:g}x"),
            )
        )
        rows.append(
            (
                "RATIO every role, baseline time / ours",
                f"{base['all_s'] / ours['all_s']:.2f}x",
                "both near the portal's limit: the baseline is serial",
            )
        )
    rows.append(
        (
            "RATIO listing rate / portal limit",
            f"{rate / args.rate_limit:.0%}",
            _verdict(
                rate / args.rate_limit >= TARGET_RATE_SHARE
                and ours["roles"] == expected_roles
                and ours["throttled"] == 0,
                f">= {TARGET_RATE_SHARE:.0%}, all roles, 0 throttled",
            ),
        )
    )
    rows.append(
        (
            "second picker open, core (catalog().cached())",
            f"{cached['core_s'] * 1000:.1f} ms",
            f"{cached['roles']} roles; "
            + _verdict(cached["core_s"] < TARGET_CACHED_OPEN_S, "< 50 ms"),
        )
    )
    rows.append(
        (
            "second picker open, panel RolePicker list filled",
            f"{cached['picker_s'] * 1000:.1f} ms",
            _verdict(cached["picker_s"] < TARGET_CACHED_OPEN_S, "< 50 ms"),
        )
    )
    network = sum(session["calls"].values())
    rows.append(
        (
            "session() with a valid cached sign-in",
            f"{session['session_s'] * 1000:.1f} ms",
            f"{network} network calls (login() again: {session['login_s'] * 1000:.1f} ms); "
            + _verdict(network == 0, "0 calls"),
        )
    )
    return rows


def _settle(args: argparse.Namespace) -> None:
    """Let the portal's token bucket refill between clients, so neither inherits a debt."""
    time.sleep(max(1.5, 20 / args.rate_limit))


def _verdict(ok: bool, target: str) -> str:
    return f"target {target}: {'met' if ok else 'MISSED'}"


def _print_rows(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    value = max(len(r[1]) for r in rows)
    print()
    for name, figure, note in rows:
        print(f"{name:<{width}}  {figure:>{value}}  {note}")


def _cpu_count() -> Any:
    import os

    return os.cpu_count()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--roles", type=int, default=3, help="roles per account")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per call")
    parser.add_argument("--rate-limit", type=float, default=20.0, help="portal calls per second")
    parser.add_argument("--quick", action="store_true", help="200 accounts instead of 1,000")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip aws-sso-lib (when it is not installed)"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
