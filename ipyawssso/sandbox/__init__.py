"""A loopback stand-in for AWS IAM Identity Center, for tests and offline demos.

It answers what stock botocore sends to sso-oidc (register, device authorization, token), the
SSO portal (accounts, roles, role credentials, logout), STS ``GetCallerIdentity`` and
``AssumeRole``, and Bedrock ``Converse``/``ConverseStream``, and serves the page where a
person allows or denies a sign-in.
Point botocore at it with ``Sandbox.env()`` (the ``AWS_ENDPOINT_URL_*`` variables)::

    from ipyawssso.sandbox import Sandbox, SandboxConfig

    with Sandbox(SandboxConfig(accounts=250, rate_limit=20)) as sb:
        os.environ.update(sb.env())
        ...  # sign in with start_url=sb.start_url, sso_region=sb.region

``python -m ipyawssso.sandbox`` runs one until Ctrl-C; ``--demo`` signs in against it end to
end. Everything issued here is fake and valid only here. This package imports nothing else of
ipyawssso and only the standard library.
"""

from __future__ import annotations

from .config import SandboxConfig
from .server import Sandbox

__all__ = ["Sandbox", "SandboxConfig"]
