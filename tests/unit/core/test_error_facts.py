"""A core error names its next step as facts; ``str(error)`` words them for a Python caller.

Every front end's words for the same errors, side by side, are in
``tests/unit/test_front_end_wording.py``; the magic's in a real shell in
``tests/unit/magics/test_error_wording.py``. This file holds the facts and the mechanism.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import ipyawssso
from ipyawssso.core.aws_config import AwsConfig
from ipyawssso.core.errors import (
    InvalidValueError,
    IpyAwsSsoError,
    LoginRequired,
    LoginTimeout,
    NextStep,
    NotAnSsoProfile,
    Option,
    ProfileNotFound,
    render,
)


def test_python_callers_are_told_calls_and_keywords_never_the_magic():
    cases: list[tuple[IpyAwsSsoError, str]] = [
        (
            LoginRequired("ai-dev", "the sign-in expired"),
            "AWS sign-in needed for ai-dev: the sign-in expired. Run `ipyawssso.login('ai-dev')`.",
        ),
        (
            ProfileNotFound("nobody", "/home/me/.aws/config"),
            "The profile 'nobody' is not in /home/me/.aws/config. Create it with "
            "`ipyawssso.login('nobody', start_url=..., sso_region=...)`, or list existing ones "
            "with `ipyawssso.profiles()`.",
        ),
        (
            NotAnSsoProfile("keys", "static"),
            "The profile 'keys' gets its credentials from access keys (aws_access_key_id), not "
            "from IAM Identity Center, so there is nothing to sign in to: boto3 uses it as it "
            "is (`ipyawssso.session('keys')`).",
        ),
        (
            NotAnSsoProfile("plain"),
            "The profile 'plain' does not use IAM Identity Center (no sso_session or "
            "sso_start_url). Pick an SSO profile, or create one with "
            "`ipyawssso.login('NAME', start_url=..., sso_region=...)`.",
        ),
    ]
    for error, message in cases:
        assert str(error) == message
        assert "%aws_sso" not in message and "--" not in message and "\n" not in message


def test_the_steps_are_facts_on_the_error():
    error = ProfileNotFound("nobody", "/c")
    assert (error.profile, error.config_path) == ("nobody", "/c")
    login, listing = error.steps
    assert (login.action, login.profile, login.asks) == (
        "login",
        "nobody",
        ("start_url", "sso_region"),
    )
    assert (listing.action, listing.profile) == ("profiles", None)
    assert error.options == ()
    required = LoginRequired("ai-dev", "the sign-in expired")
    assert (required.profile, required.reason) == ("ai-dev", "the sign-in expired")
    assert required.steps == (NextStep("login", "ai-dev"),)
    assert LoginRequired(None).steps == (NextStep("login"),)
    assert "Run `ipyawssso.login()`." in str(LoginRequired(None))
    plain = NotAnSsoProfile("plain")
    assert (plain.profile, plain.kind, plain.where) == ("plain", "plain", None)
    assert plain.steps[0].profile == "NAME"  # a placeholder: the reader names the profile


def test_an_invalid_value_names_its_field_value_and_the_settings_it_asks_for(aws_home):
    with pytest.raises(InvalidValueError) as info:
        ipyawssso.login("ai-dev", start_url="https://acme.awsapps.com/start")
    error = info.value
    assert (error.field, error.value, error.options) == ("sso_region", None, ("sso_region",))
    assert str(error) == (
        "The SSO region is missing. Pass sso_region= (the region of your IAM Identity "
        "Center, e.g. us-east-1)."
    )
    with pytest.raises(InvalidValueError) as info:
        ipyawssso.login("ai-dev")
    assert info.value.options == ("start_url", "sso_region")
    with pytest.raises(InvalidValueError) as info:
        ipyawssso.login("ai-dev", account_id="12345")
    error = info.value
    assert (error.field, error.value) == ("account_id", "12345")
    assert error.steps == (NextStep("accounts", lead="see yours with"),)
    assert str(error).endswith("e.g. 123456789012 (see yours with `ipyawssso.roles()`).")


def test_a_missing_sso_session_names_the_call_that_creates_it(aws_home):
    config = Path(aws_home, ".aws", "config")
    config.write_text("[profile x]\nsso_session = ghost\n")
    with pytest.raises(IpyAwsSsoError) as info:
        AwsConfig.load(config).sso_session("ghost")
    (step,) = info.value.steps
    assert step.given == (("session_name", "ghost"),)
    assert "`ipyawssso.login('PROFILE', session_name='ghost', start_url=..., sso_region=...)`" in (
        str(info.value)
    )


def test_a_timeout_carries_its_seconds_and_asks_for_the_timeout_keyword():
    error = LoginTimeout(90)
    assert (error.seconds, error.elsewhere, error.options) == (90, False, ("timeout",))
    assert str(error).endswith("allow more time with timeout=.")
    assert LoginTimeout(5, elsewhere=True).options == ()  # its hint is "approve it there"


class Shouting:
    def option(self, name: str) -> str:
        return name.upper()

    def step(self, step: NextStep) -> str:
        return f"{step.lead} {step.action}!".lstrip()


def test_render_puts_each_wordings_words_in_place_and_starts_sentences_with_a_capital():
    parts: tuple[Any, ...] = (
        "Nothing there. ",
        NextStep("login", "p", lead="run"),
        ", or ",
        NextStep("profiles", lead="list them with"),
        ". Pass ",
        Option("sso_region"),
        ".",
    )
    assert (
        render(parts, Shouting())
        == "Nothing there. Run login!, or list them with profiles!. Pass SSO_REGION."
    )
    error = IpyAwsSsoError(*parts)
    assert error.worded(Shouting()) == render(parts, Shouting())
    assert error.options == ("sso_region",) and len(error.steps) == 2
    assert str(error) == (
        "Nothing there. Run `ipyawssso.login('p')`, or list them with `ipyawssso.profiles()`. "
        "Pass sso_region=."
    )


def test_an_error_of_plain_text_reads_the_same_everywhere():
    error = IpyAwsSsoError("Something failed. Try again.")
    assert error.options == () and error.steps == ()
    assert error.worded(Shouting()) == str(error) == "Something failed. Try again."
    assert str(IpyAwsSsoError()) == ""


def test_a_refused_name_url_scope_or_service_names_its_field():
    from ipyawssso.core.config_values import scopes_text, validate_name, validate_start_url
    from ipyawssso.core.console import console_destination

    cases = [
        (lambda: validate_name("ai dev\n", "profile name"), "profile", "ai dev\n"),
        (lambda: validate_name("", "profile"), "profile", None),
        (lambda: validate_name("a'b", "sso-session"), "session_name", "a'b"),
        (lambda: validate_start_url("ftp://x.example"), "start_url", None),
        (lambda: validate_start_url("https://bad host"), "start_url", None),
        (lambda: validate_start_url("https://"), "start_url", "https://"),
        (lambda: scopes_text(("a,b",)), "scopes", "a,b"),
        (lambda: console_destination(None, "no such!"), "service", "no such!"),
    ]
    for call, field, value in cases:
        with pytest.raises(InvalidValueError) as info:
            call()
        assert (info.value.field, info.value.value) == (field, value), str(info.value)


def test_a_start_url_with_a_password_is_never_kept_on_the_error():
    from ipyawssso.core.config_values import validate_start_url

    with pytest.raises(InvalidValueError) as info:
        validate_start_url("https://alice:hunter2@d-1234567890.awsapps.com/start")
    assert (info.value.field, info.value.value) == ("start_url", None)
    assert "hunter2" not in repr(vars(info.value))


def test_a_cache_error_carries_the_folder_and_what_the_system_said(tmp_path):
    from ipyawssso.core.errors import CacheError
    from ipyawssso.core.token_cache import cache_write_error

    error = cache_write_error(tmp_path, PermissionError(13, "Permission denied"))
    assert isinstance(error, CacheError)
    assert (error.path, error.reason) == (str(tmp_path), "Permission denied")
    assert f"in {tmp_path} (Permission denied)." in str(error)
    assert (CacheError("x").path, CacheError("x").reason) == (None, None)
