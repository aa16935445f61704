"""The leak guard finds issued secrets anywhere and never repeats them in its report."""

from __future__ import annotations

import hashlib

from ipyawssso.sandbox.leak_guard import describe_secret, find_leaks

SECRET = "at-Zq3xVb7Nw2Lp9Rt5Ks8Jd4Hf6Gm1Cy0EaTuWoQiPnBzXr"
OTHER = "csec-K2m9Qw7Er4Ty1Ui8Op3As6Df0Gh5Jk"


def _no_secret_in(report: list[str]) -> None:
    for line in report:
        assert SECRET not in line
        assert OTHER not in line
        assert SECRET[3:20] not in line  # not even a recognisable piece


def test_finds_in_text_bytes_labels_and_files(tmp_path):
    log = tmp_path / "logs" / "kernel.log"
    log.parent.mkdir()
    log.write_text(f"ok\nrefresh done token={SECRET}\n")
    nested = tmp_path / "nb" / "deep" / "out.ipynb"
    nested.parent.mkdir(parents=True)
    nested.write_bytes(b"{}" + OTHER.encode() + b" " + OTHER.encode())
    report = find_leaks(
        [
            "clean text",
            f"printed: {SECRET}",
            SECRET.encode(),
            ("widget state", f"{{'v': '{OTHER}'}}"),
            log,
            tmp_path / "nb",
        ],
        {SECRET, OTHER, ""},
    )
    fingerprint = hashlib.sha256(SECRET.encode()).hexdigest()[:8]
    assert report == [
        f"text #1, line 1, column 10: access token sha256:{fingerprint} (48 characters), "
        "found once",
        f"bytes #2, line 1, column 1: {describe_secret(SECRET)}, found once",
        f"widget state, line 1, column 8: {describe_secret(OTHER)}, found once",
        f"file {log}, line 2, column 20: {describe_secret(SECRET)}, found once",
        f"file {nested}, line 1, column 3: {describe_secret(OTHER)}, found 2 times",
    ]
    _no_secret_in(report)


def test_nothing_found_is_an_empty_list(tmp_path):
    (tmp_path / "a.txt").write_text("nothing to see")
    assert find_leaks([tmp_path, "plain"], {SECRET}) == []
    assert find_leaks(["anything"], set()) == []


def test_a_single_source_and_excluded_folders(tmp_path):
    cache = tmp_path / ".aws" / "sso" / "cache"
    cache.mkdir(parents=True)
    (cache / "token.json").write_text(SECRET)  # where it belongs
    (tmp_path / "notes.txt").write_text(SECRET)  # where it does not
    report = find_leaks(tmp_path, [SECRET], exclude=[tmp_path / ".aws" / "sso" / "cache"])
    assert len(report) == 1
    assert report[0].startswith(f"file {tmp_path / 'notes.txt'}")
    assert find_leaks(f"x {SECRET}", [SECRET])[0].startswith("text #0")


def test_secrets_the_sandbox_issued_are_found(sandbox, sign_in, sso):
    signed = sign_in()
    creds = sso.get_role_credentials(
        accessToken=signed.access_token, accountId="100000000001", roleName="ReadOnly"
    )["roleCredentials"]
    issued = sandbox.issued_secrets()
    for value in (
        signed.client_secret,
        signed.access_token,
        signed.refresh_token,
        creds["secretAccessKey"],
        creds["sessionToken"],
    ):
        assert value in issued
    assert signed.client_id not in issued  # ids are not secrets
    assert creds["accessKeyId"] not in issued
    report = find_leaks([repr(creds)], issued)
    assert len(report) == 2
    assert all("(" in line and "sha256:" in line for line in report)
    for value in issued:
        assert all(value not in line for line in report)
