"""The panel words a core error's hint with its own fields and buttons, never a flag or a call.

The same errors in every front end's words are in ``tests/unit/test_front_end_wording.py``; here
they come from the real core, and one goes through the panel's error box.
"""

from __future__ import annotations

import pytest

import ipyawssso
from ipyawssso.core.errors import (
    InvalidValueError,
    LoginRequired,
    NotAnSsoProfile,
    ProfileNotFound,
)
from ipyawssso.widgets import Panel
from ipyawssso.widgets.panel import describe_error
from tests.unit.widgets.fakes import FakeBackend

START_URL = "https://acme.awsapps.com/start"


def _login_error(**values: str) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        ipyawssso.login("ai-dev", **values)
    return info.value


def test_a_setting_the_core_asks_for_is_named_by_its_field(aws_home):
    shown = describe_error(_login_error(start_url=START_URL))
    assert "Pass the SSO region field (the region of your IAM Identity Center" in shown
    shown = describe_error(_login_error())
    assert "Pass the Start URL field (like https://" in shown
    assert "and the SSO region field." in shown


def test_a_next_step_is_the_button_that_does_it(aws_home):
    with pytest.raises(ProfileNotFound) as info:
        ipyawssso.session("nobody")
    shown = describe_error(info.value)
    assert shown.endswith(
        "Create it with the Sign in button (Start URL and SSO region filled in), or list "
        "existing ones with the profile list."
    )
    assert describe_error(NotAnSsoProfile("keys", "static")).endswith(
        "(the Use button of 'keys' in the profile list)."
    )


def test_the_error_box_shows_the_panels_words():
    panel = Panel(backend=FakeBackend(), namespace={})
    try:
        panel.show_error(LoginRequired("ai-dev", "the sign-in expired"))
        # message_html escapes the quotes around the profile name
        assert "Press the Sign in again button of &#x27;ai-dev&#x27;" in panel.error.value
        assert "%aws_sso" not in panel.error.value and "ipyawssso.login" not in panel.error.value
    finally:
        panel.close()


def test_a_missing_sso_session_names_the_session_field_with_its_value(tmp_path):
    from ipyawssso.core.aws_config import AwsConfig
    from ipyawssso.core.errors import ConfigError

    config = AwsConfig.from_text("[profile x]\nsso_session = ghost\n", tmp_path / "config")
    with pytest.raises(ConfigError) as info:
        config.sso_session("ghost")
    assert describe_error(info.value).endswith(
        "Create it by signing in with the Sign in button (Session name ghost, Start URL and "
        "SSO region filled in)."
    )


def test_the_profile_form_shows_the_cores_refusal_in_the_panels_words(aws_home):
    from ipyawssso.core.models import Role
    from ipyawssso.widgets.backend import CoreBackend
    from ipyawssso.widgets.profile_form import ProfileForm

    (aws_home / ".aws" / "config").write_text("[profile other]\nregion = eu-west-1\n")
    form = ProfileForm(CoreBackend(), on_write=lambda request: None, on_back=lambda: None)
    try:
        form.show(
            Role("111111111111", "ReadOnly"),
            session_name="ghost",
            name="dev",
            sso_region="us-east-1",
        )
        shown = form.name_hint.value
        assert "There is no [sso-session ghost]" in shown
        assert "the Sign in button (Session name ghost, Start URL and SSO region filled in)" in (
            shown
        )
        assert "ipyawssso.login(" not in shown and "%aws_sso" not in shown
    finally:
        form.close()
