"""What must not touch the network: with a valid sign-in cached, ``session()``, ``status()``,
``profiles()``, a second ``login()`` and a second picker open (the role cache) make no call at
all; the sandbox counts every request it receives."""

from __future__ import annotations

import ipyawssso
from tests.reliability.conftest import SESSION


def test_cached_sign_in_needs_no_network(signed_in, sandbox, person):
    roles = ipyawssso.roles("ai-dev")  # fills the role cache
    sandbox.reset_calls()
    session = ipyawssso.session("ai-dev")
    ipyawssso.status()
    ipyawssso.profiles()
    ipyawssso.login("ai-dev", on_pending=person.approves)
    assert ipyawssso.catalog(session_name=SESSION).cached() == roles
    assert ipyawssso.roles("ai-dev") == roles
    assert sum(sandbox.calls.values()) == 0, sandbox.calls
    assert person.seen == []
    # The session's first AWS call fetches role credentials once (botocore), then reuses them.
    session.client("sts").get_caller_identity()
    session.client("sts").get_caller_identity()
    assert sandbox.calls["GetRoleCredentials"] == 1
