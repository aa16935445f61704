"""The network a user server needs (docs/administrators.md): IAM Identity Center's OIDC and
portal endpoints in its region, STS in the profile's region, and, for console links only, the
partition's sign-in host. Nothing else of ours.

Two halves: every AWS client ipyawssso makes is one of three services, and only the console
link opens a URL itself (both read from the source, so a new one cannot slip in unnoticed);
and stock botocore, with no endpoint variables, sends those three to the hosts the page lists.
"""

from __future__ import annotations

import ast
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ipyawssso.core import clients
from ipyawssso.core.console import signin_endpoint

PACKAGE = Path(__file__).resolve().parents[2] / "ipyawssso"
SERVICES = {"sso-oidc", "sso", "sts"}
#: Modules that make clients for services the *user* names (``--client bedrock-runtime``).
USER_CHOSEN = {"injection.py"}


def _client_services(path: Path) -> set[str]:
    """Service names passed as the first argument to a ``client(...)`` or ``.client(...)``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        first = node.args[0]
        if name in {"client", "create_client"} and isinstance(first, ast.Constant):
            found.add(str(first.value))
    return found


def test_ipyawssso_calls_three_aws_services_and_no_other() -> None:
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if "sandbox" in path.parts or path.name in USER_CHOSEN:
            continue
        used |= _client_services(path)
    assert used == SERVICES, used


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1", "ap-southeast-2"])
def test_the_three_services_go_to_the_regions_own_hosts(
    region: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for suffix in ("", "_SSO_OIDC", "_SSO", "_STS"):
        monkeypatch.delenv(f"AWS_ENDPOINT_URL{suffix}", raising=False)
    hosts = {
        service: urlsplit(clients.client(service, region).meta.endpoint_url).netloc
        for service in sorted(SERVICES)
    }
    assert hosts == {
        "sso-oidc": f"oidc.{region}.amazonaws.com",
        "sso": f"portal.sso.{region}.amazonaws.com",
        "sts": f"sts.{region}.amazonaws.com",
    }


def test_only_the_console_link_opens_a_url_itself() -> None:
    openers = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "sandbox" not in path.parts and "urllib.request" in path.read_text()
    )
    assert openers == ["core/console.py"], openers


@pytest.mark.parametrize(
    ("region", "host"),
    [
        ("eu-west-1", "signin.aws.amazon.com"),
        ("cn-north-1", "signin.amazonaws.cn"),
        ("us-gov-west-1", "signin.amazonaws-us-gov.com"),
    ],
)
def test_console_links_go_to_the_partitions_sign_in_host(
    region: str, host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL_SIGNIN", raising=False)
    assert signin_endpoint(region) == f"https://{host}/federation"
