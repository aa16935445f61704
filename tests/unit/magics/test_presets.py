"""Administrator presets: ``IPYAWSSSO_*`` variables give the magic's defaults, and anything the
user (or an ``ipython_config.py``) sets wins over them."""

from __future__ import annotations

import pytest
from traitlets.config import Config

from ipyawssso.magics import AwsSsoMagics
from ipyawssso.presets import PRESET_VARIABLES, preset

HUB = {
    "IPYAWSSSO_START_URL": "https://my-org.awsapps.com/start",
    "IPYAWSSSO_SSO_REGION": "eu-central-1",
    "IPYAWSSSO_SESSION_NAME": "my-org",
    "IPYAWSSSO_REGION": "eu-west-1",
    "IPYAWSSSO_VAR_NAME": "aws",
}


@pytest.fixture
def hub_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in HUB.items():
        monkeypatch.setenv(name, value)


def test_every_preset_has_a_variable_and_a_trait() -> None:
    assert set(PRESET_VARIABLES.values()) == set(HUB)
    for trait in PRESET_VARIABLES:
        assert AwsSsoMagics.class_traits(config=True).get(trait) is not None, trait
    assert preset("start_url", {"IPYAWSSSO_START_URL": "  "}) is None


def test_the_environment_gives_the_defaults(hub_env: None, magics: AwsSsoMagics) -> None:
    assert magics.start_url == "https://my-org.awsapps.com/start"
    assert magics.sso_region == "eu-central-1"
    assert magics.session_name == "my-org"
    assert magics.region == "eu-west-1"
    assert magics.var_name == "aws"


def test_without_variables_the_defaults_are_the_usual_ones(
    monkeypatch: pytest.MonkeyPatch, magics: AwsSsoMagics
) -> None:
    for name in HUB:
        monkeypatch.delenv(name, raising=False)
    assert magics.start_url is None and magics.region is None
    assert magics.var_name == "session"


def test_percent_config_wins_over_the_preset(hub_env: None, shell, magics) -> None:  # type: ignore[no-untyped-def]
    assert magics.var_name == "aws"
    shell.run_line_magic("config", 'AwsSsoMagics.var_name = "mine"')
    shell.run_line_magic("config", 'AwsSsoMagics.region = "ap-south-1"')
    assert magics.var_name == "mine" and magics.region == "ap-south-1"
    assert magics.start_url == "https://my-org.awsapps.com/start"  # the rest stays preset


def test_an_ipython_config_wins_over_the_preset(hub_env: None) -> None:
    config = Config()
    config.AwsSsoMagics.region = "us-west-2"
    config.AwsSsoMagics.friendly_expiry_errors = False  # no shell to install a handler in
    magics = AwsSsoMagics(shell=None, config=config)
    assert magics.region == "us-west-2"
    assert magics.sso_region == "eu-central-1"


def test_a_wrong_preset_is_ignored_with_a_warning_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IPYAWSSSO_START_URL", "http://plain.example/start")
    monkeypatch.setenv("IPYAWSSSO_VAR_NAME", "not a name")
    magics = AwsSsoMagics(shell=None, friendly_expiry_errors=False)
    with pytest.warns(UserWarning, match="IPYAWSSSO_START_URL='http://plain.example/start'"):
        assert magics.start_url is None
    with pytest.warns(UserWarning, match="IPYAWSSSO_VAR_NAME"):
        assert magics.var_name == "session"
