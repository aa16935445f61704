"""The notebook form of the sandbox (``ipyawssso.sandbox.world.join``) points at the same
endpoints as the ``sandbox`` fixture, the console's sign-in host included: sandbox keys must
never be sent to the real AWS sign-in host."""

from __future__ import annotations

import shutil

from ipyawssso.sandbox.server import endpoint_environment
from ipyawssso.sandbox.world import join


def test_join_points_every_endpoint_of_the_fixture_at_the_sandbox(sandbox):
    environ = {"AWS_ENDPOINT_URL_SIGNIN": "https://signin.aws.amazon.com", "HOME": "/nowhere"}
    world = join(sandbox.url, environ=environ)
    try:
        for name, value in sandbox.env().items():
            assert environ[name] == value, name
        assert environ["AWS_ENDPOINT_URL_SIGNIN"] == sandbox.url
    finally:
        shutil.rmtree(world.home)


def test_the_endpoint_variables_are_botocores_names():
    assert endpoint_environment("http://127.0.0.1:1") == {
        "AWS_ENDPOINT_URL_SSO_OIDC": "http://127.0.0.1:1",
        "AWS_ENDPOINT_URL_SSO": "http://127.0.0.1:1",
        "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1",
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": "http://127.0.0.1:1",
        "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:1",
        "AWS_ENDPOINT_URL_SIGNIN": "http://127.0.0.1:1",
    }
