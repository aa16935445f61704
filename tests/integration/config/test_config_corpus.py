"""Every profile shape people really have, against the sandbox, judged by stock boto3.

Each folder of ``tests/fixtures/configs`` is a grown ``~/.aws`` (``config``, maybe
``credentials``) and ``expect.json``: for each profile, its kind, the SSO profile it signs in
through, what ``login()`` and ``session()`` must do, and the identity a fresh process with
stock boto3 must get. The test signs in (the person approves on the sandbox's page), then runs
``profiles()``, ``status()``, ``session()``, ``whoami()``, ``login()`` and ``save_profile()``
for every profile, and checks that no byte the operation need not change was changed, and
that no lock or temporary file was left behind.

Placeholders: ``{{URL}}``/``{{URL2}}`` two organisations' start URLs, ``{{REGION}}``,
``{{KEYS}}`` temporary keys the sandbox honours (as pasted from the access portal),
``{{PROCESS}}`` a ``credential_process`` command printing them, ``{{HOME}}``.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import ipyawssso
from ipyawssso.core import errors
from tests.integration.conftest import run_fresh

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "configs"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
OTHER_ORG = "https://partner-org.awsapps.com/start"


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 30


def _mint_keys(sandbox: Any) -> dict[str, str]:
    """Temporary keys for 100000000001/ReadOnly that the sandbox honours as its own, as if
    pasted from the access portal (no sign-in needed to make them)."""
    keys = {
        "AccessKeyId": "ASIA" + secrets.token_hex(8).upper(),
        "SecretAccessKey": secrets.token_urlsafe(30),
        "SessionToken": secrets.token_urlsafe(60),
    }
    sandbox.adopt(
        role_credentials=[
            {
                **keys,
                "Expiration": time.time() + 3600,
                "AccountId": "100000000001",
                "RoleName": "ReadOnly",
            }
        ]
    )
    return keys


def _fill(text: str, values: dict[str, str]) -> str:
    eol = "\r\n" if "\r\n" in text else "\n"
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value.replace("\n", eol))
    assert "{{" not in text, text
    return text


def _lay_out(case: str, sandbox: Any, home: Path):
    folder = CORPUS / case
    expect = json.loads((folder / "expect.json").read_text())
    config_text = (folder / "config").read_bytes().decode()
    creds_file = folder / "credentials"
    creds_text = creds_file.read_bytes().decode() if creds_file.exists() else None
    values = {
        "URL": sandbox.start_url,
        "URL2": OTHER_ORG,
        "REGION": sandbox.region,
        "HOME": str(home),
    }
    if "{{KEYS}}" in config_text + (creds_text or "") or "{{PROCESS}}" in config_text:
        keys = _mint_keys(sandbox)
        values["KEYS"] = (
            f"aws_access_key_id = {keys['AccessKeyId']}\n"
            f"aws_secret_access_key = {keys['SecretAccessKey']}\n"
            f"aws_session_token = {keys['SessionToken']}"
        )
        script = home / "print-keys.py"
        script.write_text(f"print({json.dumps(json.dumps({'Version': 1, **keys}))})\n")
        values["PROCESS"] = f'"{sys.executable}" "{script}"'
    config = home / ".aws" / "config"
    files = [config]
    if expect.get("symlink"):
        dotfiles = home / "dotfiles"
        dotfiles.mkdir()
        target = dotfiles / "aws-config"
        target.write_bytes(_fill(config_text, values).encode())
        config.symlink_to(target)
        files = [target]
    else:
        config.write_bytes(_fill(config_text, values).encode())
    if creds_text is not None:
        creds = home / ".aws" / "credentials"
        creds.write_bytes(_fill(creds_text, values).encode())
        files.append(creds)
    return expect, files


def _snapshot(files: list[Path]) -> dict[Path, bytes]:
    return {f: f.read_bytes() for f in files}


def _raises(expected: str, call: Any) -> None:
    """``call()`` fails with the named error class, in one line, or succeeds for "ok"."""
    if expected == "ok":
        call()
        return
    cls = getattr(errors, expected)
    with pytest.raises(cls) as info:
        call()
    message = str(info.value)
    assert "\n" not in message and message.endswith((".", ")", "`")), message


def _no_litter(home: Path) -> None:
    left = [p for p in home.rglob("*") if p.name.endswith((".lock", ".tmp"))]
    assert left == [], left


@pytest.mark.interop
@pytest.mark.parametrize("case", CASES)
def test_every_profile_shape(case, sandbox, person, aws_home, monkeypatch):
    # STS through an endpoint override needs a region to sign with (AWS itself would take
    # the global endpoint for a profile without one); the fresh process inherits it.
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    expect, files = _lay_out(case, sandbox, aws_home)
    before = _snapshot(files)

    if "broken" in expect:
        for call in (
            ipyawssso.profiles,
            ipyawssso.status,
            lambda: ipyawssso.login("login", on_pending=person.approves),
            lambda: ipyawssso.session("login"),
        ):
            _raises(expect["broken"], call)
        assert _snapshot(files) == before
        return

    profiles: dict[str, dict[str, Any]] = expect["profiles"]
    seen_before = len(person.seen)
    # 1. login() each profile in file order: a device flow only where a sign-in is missing.
    for name, want in profiles.items():
        _raises(want["login"], lambda name=name: ipyawssso.login(name, on_pending=person.approves))
        assert _snapshot(files) == before, f"login({name!r}) changed a file"
    flows = len(person.seen) - seen_before

    # 2. profiles() and status(): kinds, chains, signed in through the root.
    listed = {p.profile.name: p for p in ipyawssso.profiles()}
    assert set(listed) >= set(profiles)
    statuses = ipyawssso.status()
    for name, want in profiles.items():
        got = listed[name]
        assert got.profile.kind == want["kind"], name
        assert got.via == want["via"], name
        assert bool(got.login and got.login.signed_in) == want["signed_in"], name
        if "files" in want:
            assert list(got.profile.files) == want["files"], name
        sharing = [s for s in statuses if name in s.profiles]
        assert bool(sharing and sharing[0].signed_in) == want["signed_in"], name

    # 3. session(): as boto3 makes it; SSO and chained ones only while signed in.
    judged = {}
    for name, want in profiles.items():
        if want["session"] == "skip":
            continue
        _raises(want["session"], lambda name=name: ipyawssso.session(name))
        if "arn" in want:
            me = ipyawssso.session(name).client("sts", region_name="us-east-1")
            assert me.get_caller_identity()["Arn"].startswith(want["arn"]), name
            judged[name] = want["arn"]
        if want["via"]:
            identity = ipyawssso.whoami(name)
            assert identity.via == want["via"] and identity.arn.startswith(want["arn"])
            assert identity.expires_at is not None
    assert _snapshot(files) == before

    # 4. The judge: stock boto3 in a fresh process gets the same identities.
    if judged:
        fresh = run_fresh(
            "import boto3, json\nout = {}\n"
            f"for name in {sorted(judged)!r}:\n"
            "    try:\n"
            "        s = boto3.Session(profile_name=name)\n"
            "        out[name] = s.client('sts', region_name='us-east-1')"
            ".get_caller_identity()['Arn']\n"
            "    except Exception as exc:\n"
            "        out[name] = f'{type(exc).__name__}: {exc}'\n"
            "print(json.dumps(out))"
        )
        for name, arn in judged.items():
            assert fresh[name].startswith(arn), (name, fresh[name])

    # 5. save_profile(): never into a profile we do not manage; a new one only appends.
    for name, want in profiles.items():
        if want["kind"] not in ("sso", "plain"):
            _raises(
                "NotAnSsoProfile",
                lambda name=name: ipyawssso.core.api.save_profile(
                    name, session_name="corp", account_id="100000000001", role_name="ReadOnly"
                ),
            )
            assert _snapshot(files) == before
    if "save" in expect:
        ipyawssso.core.api.save_profile(
            "corpus-new",
            session_name=expect["save"],
            account_id="100000000001",
            role_name="ReadOnly",
        )
        after = _snapshot(files)
        config = files[0]
        old = before[config]
        eol = b"\r\n" if b"\r\n" in old else b"\n"
        if old and not old.endswith(b"\n"):
            old += eol
        assert after[config].startswith(old), "bytes before the new section changed"
        assert after[config][len(old) :] == eol.join(
            [
                b"[profile corpus-new]",
                f"sso_session = {expect['save']}".encode(),
                b"sso_account_id = 100000000001",
                b"sso_role_name = ReadOnly",
                b"",
            ]
        )
        assert {f: after[f] for f in files[1:]} == {f: before[f] for f in files[1:]}
        assert ipyawssso.session("corpus-new") is not None

    # One device flow per sign-in, never one per profile; nothing left lying around.
    sign_ins = {listed[n].login.key for n, w in profiles.items() if w["signed_in"]}
    assert flows == len(sign_ins), (flows, sign_ins)
    _no_litter(aws_home)
    if expect.get("symlink"):
        assert sorted(p.name for p in (aws_home / "dotfiles").iterdir()) == ["aws-config"]
    assert os.environ["AWS_CONFIG_FILE"] == str(aws_home / ".aws" / "config")
