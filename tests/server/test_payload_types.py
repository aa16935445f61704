"""The JSON the server answers with has exactly the fields the lab extension's types declare.

``labextension/src/api.ts`` types the REST answers by hand; ``ipyawssso/server/views.py``
builds them field by field. A field added, renamed or dropped on one side only would reach
the browser as ``undefined`` with no error anywhere, so each answer built here from the real
view functions is compared with the interface it is read as, and the closed sets of strings
(sign-in states, why a profile is in use) with their TypeScript unions.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ipyawssso.core.api import ProfileStatus
from ipyawssso.core.models import DeviceAuthorization, LoginStatus, Profile
from ipyawssso.server import signins
from ipyawssso.server.signins import SignInJob
from ipyawssso.server.views import StatusInputs, job_view, status_view

API_TS = Path(__file__).resolve().parents[2] / "labextension" / "src" / "api.ts"
NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


def _body(source: str, opening: str) -> str:
    """The text between the braces that follow ``opening`` (nested braces included)."""
    start = source.index("{", source.index(opening)) + 1
    depth, end = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(source[end], 0)
        end += 1
    return source[start : end - 1]


def interface_fields(name: str) -> set[str]:
    """The top-level field names of ``export interface <name>`` (comments left out)."""
    body = _body(API_TS.read_text(encoding="utf-8"), f"export interface {name} ")
    body = re.sub(r"/\*.*?\*/|//[^\n]*", "", body, flags=re.S)
    fields, depth = set(), 0
    for line in body.splitlines():
        if depth == 0 and (match := re.match(r"\s*(\w+)\??\s*:", line)):
            fields.add(match.group(1))
        depth += line.count("{") - line.count("}")
    return fields


def string_union(text: str) -> set[str]:
    return set(re.findall(r"'([^']*)'", text))


def inputs(signed_in_at: dict[str, float]) -> StatusInputs:
    sbx = LoginStatus("sbx", "https://sbx", "us-east-1", NOW + timedelta(hours=8), ("alpha",))
    profiles = [
        ProfileStatus(Profile(name, sso_session="sbx", account_id="1" * 12, role_name="R"), sbx)
        for name in ("alpha", "default")
    ]
    return StatusInputs([sbx], profiles, signed_in_at, NOW)


def test_the_status_answer_has_the_fields_of_istatus():
    status = status_view(inputs({"sbx": 0.0}), requested="alpha")
    assert set(status) == interface_fields("IStatus")
    assert set(status["sessions"][0]) == interface_fields("ISession")
    assert set(status["profiles"][0]) == interface_fields("IProfile")
    assert set(status["inUse"]) == interface_fields("IInUse")


def test_a_sign_in_job_has_the_fields_of_isigninjob():
    job = SignInJob("id-1", "sbx", "alpha")
    assert set(job_view(job)) == interface_fields("ISignInJob")
    job.authorization = DeviceAuthorization(
        user_code="ABCD-EFGH",
        verification_uri="http://127.0.0.1:1/device",
        verification_uri_complete="http://127.0.0.1:1/device?user_code=ABCD-EFGH",
        expires_at=NOW + timedelta(minutes=10),
        interval=5,
    )
    assert set(job_view(job, joined=True)) == interface_fields("ISignInJob")


def test_the_sign_in_states_are_the_servers():
    source = API_TS.read_text(encoding="utf-8")
    declared = string_union(source.split("export type SignInState")[1].split(";")[0])
    assert declared == {signins.STARTING, signins.PENDING} | set(signins.FINAL_STATES)
    final = string_union(source.split("export const FINAL_STATES")[1].split(";")[0])
    assert final == set(signins.FINAL_STATES)


def test_every_reason_a_profile_is_in_use_is_declared(monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_PROFILE", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    seen = {
        status_view(inputs({}), requested="alpha")["inUse"]["source"],
        status_view(inputs({"sbx": 0.0}), last_profile="alpha")["inUse"]["source"],
        status_view(inputs({}))["inUse"]["source"],
    }
    monkeypatch.setenv("AWS_PROFILE", "alpha")
    seen.add(status_view(inputs({"sbx": 0.0}))["inUse"]["source"])
    declared = string_union(_body(API_TS.read_text(encoding="utf-8"), "export interface IInUse "))
    assert seen == declared == {"request", "recent", "environment", "default"}


def test_a_kernels_sign_in_has_the_fields_of_ikernelsignin(tmp_path):
    from ipyawssso import kernel_signins

    assert set(kernel_signins.probe(tmp_path, "no-such-id")) == interface_fields("IKernelSignIn")
