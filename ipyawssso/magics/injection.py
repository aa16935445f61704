"""Put a signed-in session (and clients) into the user's namespace, and optionally the env.

The session goes in relabelled as a :class:`~ipyawssso.profile_session.ProfileSession`, which
shows who it is and never a key. Importing this module stays cheap (the magics parse
``--client`` with it); boto3 loads when a session is injected.
"""

from __future__ import annotations

import keyword
import os
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.errors import InvalidValueError

if TYPE_CHECKING:
    import boto3

__all__ = ["ClientSpec", "check_identifier", "export_env", "inject", "parse_client_spec"]

#: Set, these win over ``AWS_PROFILE`` (keys in every SDK; ``AWS_DEFAULT_PROFILE`` comes first in
#: botocore's order of profile variables), so an export that leaves them takes no effect: warn.
_ENV_CREDENTIALS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_DEFAULT_PROFILE",
)


@dataclass(frozen=True)
class ClientSpec:
    service: str
    name: str


def check_identifier(name: str, what: str) -> str:
    if not name.isidentifier() or keyword.iskeyword(name):
        raise InvalidValueError(
            f"{name!r} cannot be a Python variable name for the {what}. Use letters, digits "
            "and underscores, not starting with a digit (e.g. bedrock)."
        )
    return name


def parse_client_spec(text: str) -> ClientSpec:
    """``bedrock-runtime`` -> variable ``bedrock_runtime``; ``bedrock-runtime=br`` -> ``br``."""
    service, _, name = text.partition("=")
    service = service.strip()
    if not service:
        raise InvalidValueError("--client needs a service name, like --client bedrock-runtime.")
    name = name.strip() or service.replace("-", "_").replace(".", "_")
    return ClientSpec(service, check_identifier(name, f"{service} client"))


def make_clients(session: boto3.Session, specs: Sequence[ClientSpec]) -> dict[str, object]:
    """One client per spec, with a short message for an unknown service or a missing region."""
    from difflib import get_close_matches

    from botocore.exceptions import NoRegionError, UnknownServiceError

    out: dict[str, object] = {}
    for spec in specs:
        try:
            out[spec.name] = session.client(spec.service)
        except UnknownServiceError:
            close = get_close_matches(spec.service, session.get_available_services(), 3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise InvalidValueError(
                f"There is no AWS service called {spec.service!r}.{hint}"
            ) from None
        except NoRegionError:
            raise InvalidValueError(
                f"The {spec.service} client needs a region: log in with --region REGION "
                "(it is saved in the profile)."
            ) from None
    return out


def export_env(profile: str, region: str | None) -> list[str]:
    """Make ``!aws ...``, jupyter-ai and LangChain in this kernel use the profile.

    Returns the warnings worth showing: credentials already in the environment win over
    ``AWS_PROFILE`` in every AWS SDK.
    """
    os.environ["AWS_PROFILE"] = profile
    if region:
        os.environ["AWS_DEFAULT_REGION"] = region
        os.environ["AWS_REGION"] = region
    shadowing = [name for name in _ENV_CREDENTIALS if os.environ.get(name)]
    if shadowing:
        return [
            f"{', '.join(shadowing)} {'is' if len(shadowing) == 1 else 'are'} set in this "
            "kernel's environment and win over AWS_PROFILE for other tools; unset them "
            f"(e.g. `os.environ.pop({shadowing[0]!r})`) to use the profile."
        ]
    return []


def inject(
    namespace: MutableMapping[str, object],
    session: boto3.Session,
    profile: str,
    *,
    var: str | None,
    clients: Sequence[ClientSpec] = (),
    export: bool = False,
) -> list[str]:
    """Bind the session (and clients) in ``namespace``; returns lines telling what was done."""
    from ..display import clean  # with the session: not at %load_ext time
    from ..profile_session import ProfileSession

    labelled = ProfileSession.wrap(session, profile)
    made = make_clients(labelled, clients)
    lines: list[str] = []
    if var is not None:
        namespace[var] = labelled
        lines.append(f"`{var}` is a boto3.Session for profile {clean(profile)!r}.")
    for spec in clients:
        namespace[spec.name] = made[spec.name]
        lines.append(f"`{spec.name}` is a {spec.service} client.")
    if export:
        lines.append(
            f"AWS_PROFILE={clean(profile)}"
            + (f", AWS_REGION={labelled.region_name}" if labelled.region_name else "")
            + " set for this kernel."
        )
        lines.extend(export_env(profile, labelled.region_name))
    return lines
