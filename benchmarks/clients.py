"""The measured clients, each run in a fresh process by ``World.run``. Imports happen before
the clock starts, for ours and the baseline alike; each prints one JSON object."""

from __future__ import annotations

from .world import PROFILE

#: ipyawssso's picker path: accounts first (what the picker shows), then every role under the
#: catalog's rate limit. ``first_roles_s``: the roles of the account in view.
OURS_LISTING = f"""
    import json, time
    import ipyawssso
    import ipyawssso.core.api  # imported before the clock, like the baseline's import
    started = time.perf_counter()
    catalog = ipyawssso.catalog({PROFILE!r})
    accounts = catalog.accounts()
    accounts_s = time.perf_counter() - started
    catalog.roles_for(accounts[0].account_id)
    first_roles_s = time.perf_counter() - started
    roles = catalog.prefetch()
    all_s = time.perf_counter() - started
    print(json.dumps({{"accounts": len(accounts), "roles": len(roles), "accounts_s": accounts_s,
                      "first_roles_s": first_roles_s, "all_s": all_s,
                      "attempts": catalog.calls, "throttled": catalog.throttled}}))
"""

#: aws-sso-lib, as documented: one generator over every account's roles, serial.
BASELINE_ROLES = """
    import json, time
    import aws_sso_lib
    started = time.perf_counter()
    first_s, roles, accounts = None, 0, set()
    for account_id, _name, _role in aws_sso_lib.list_available_roles({start_url!r}, {region!r}):
        if first_s is None:
            first_s = time.perf_counter() - started
        roles += 1
        accounts.add(account_id)
    all_s = time.perf_counter() - started
    print(json.dumps({{"accounts": len(accounts), "roles": roles, "first_role_s": first_s,
                      "all_s": all_s}}))
"""

#: aws-sso-lib's accounts-only listing: what a picker built on it could show first.
BASELINE_ACCOUNTS = """
    import json, time
    import aws_sso_lib
    started = time.perf_counter()
    accounts = list(aws_sso_lib.list_available_accounts({start_url!r}, {region!r}))
    print(json.dumps({{"accounts": len(accounts), "all_s": time.perf_counter() - started}}))
"""

#: The second picker open: core only (catalog + on-disk role cache), then the panel's picker
#: widget until its list shows the cached roles (no browser: the widget models' state).
CACHED_OPEN = f"""
    import json, time
    import ipyawssso
    import ipyawssso.core.api
    from ipyawssso.widgets.picker import RolePicker
    from ipyawssso.widgets.tasks import TaskRunner
    best_core, best_picker, roles = None, None, 0
    for _ in range(5):
        started = time.perf_counter()
        cached = ipyawssso.catalog({PROFILE!r}).cached()
        core = time.perf_counter() - started
        roles = len(cached)
        best_core = core if best_core is None else min(best_core, core)
    for _ in range(3):
        runner = TaskRunner()
        started = time.perf_counter()
        picker = RolePicker(runner, on_pick=lambda role: None, on_back=lambda: None,
                            on_error=lambda exc, retry: None)
        picker.load(ipyawssso.catalog({PROFILE!r}))
        while not any(row[3] for row in picker.roles.accounts):
            time.sleep(0.0005)
        shown = time.perf_counter() - started
        picker.stop()
        runner.close()
        best_picker = shown if best_picker is None else min(best_picker, shown)
    print(json.dumps({{"roles": roles, "core_s": best_core, "picker_s": best_picker}}))
"""

#: With a valid sign-in cached: session() and a repeated login() must not touch the network.
#: boto3 is imported first (a kernel that uses AWS has it already; its import is ~0.2 s).
CACHED_SESSION = f"""
    import json, time
    import boto3
    import ipyawssso
    import ipyawssso.core.api
    started = time.perf_counter()
    session = ipyawssso.session({PROFILE!r})
    session_s = time.perf_counter() - started
    started = time.perf_counter()
    ipyawssso.login({PROFILE!r})
    login_s = time.perf_counter() - started
    print(json.dumps({{"session_s": session_s, "login_s": login_s}}))
"""

#: ``login()`` with no account or role: time from the call (the sign-in is already valid, so
#: this is what follows an approval) until the role picker is asked, with no role cache.
LOGIN_PICKER_UP = """
    import json, time
    import ipyawssso
    import ipyawssso.core.api

    class PickerUp(Exception):
        pass

    up = {{}}

    def choose_role(catalog):
        up["s"] = time.perf_counter() - started
        up["accounts"] = len(catalog.accounts())
        raise PickerUp

    started = time.perf_counter()
    try:
        ipyawssso.login({profile!r}, start_url={start_url!r}, sso_region={region!r},
                        choose_role=choose_role)
    except PickerUp:
        pass
    print(json.dumps({{"picker_up_s": up["s"], "accounts": up["accounts"]}}))
"""
