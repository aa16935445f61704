"""One exception tree for everything the core can refuse or fail at.

Every message is one line a data scientist can act on: what happened, then what to do next.
Messages never contain a token, key or client secret; they may contain profile names, start
URLs, account ids and role names.

    IpyAwsSsoError                  .options, .steps: what its hint asks for (see below)
    ├── ConfigError                 ~/.aws/config cannot be read or would be changed unsafely
    │   ├── ConfigParseError        the file is malformed; .path, .line, .problem
    │   └── InvalidValueError       an unsafe or unknown value; .field, .value where it is one
    ├── ProfileNotFound             no such profile in ~/.aws/config; .profile, .config_path
    ├── NotAnSsoProfile             the profile does not use IAM Identity Center; .profile, .kind
    ├── LoginRequired               no usable sign-in for this profile; .profile, .reason
    ├── LoginError                  the device sign-in did not complete
    │   ├── LoginCancelled          the user pressed Cancel or interrupted the kernel
    │   ├── LoginExpired            the code expired before it was approved
    │   ├── AccessDenied            the user (or an administrator) denied the request; .detail
    │   └── LoginTimeout            the caller's own timeout ran out; .seconds, .elsewhere
    ├── ServiceError                AWS answered with an error we cannot fix; .code, .operation
    └── CacheError                  a token or cache file could not be written; .path, .reason

The facts are attributes so that each front end words the hint for its own user. A message is
built from text and two kinds of facts: an :class:`Option` (a setting it asks for, ``timeout``)
and a :class:`NextStep` (a command to run next: an action such as ``login`` or ``accounts``,
the profile, the settings it asks for). ``options`` and ``steps`` list them, and
:meth:`IpyAwsSsoError.worded` renders the message with a :class:`Wording`. For
``Option("sso_region")`` and ``NextStep("login", "p")``::

    Python, str(error)     sso_region=            Run `ipyawssso.login('p')`
    the magic              --sso-region           Run `%aws_sso login p`
    ipyawssso (terminal)   --sso-region           Run `ipyawssso login p`
    the panel              the SSO region field   Press the Sign in again button of 'p' ...
    the lab (REST API)     `%aws_sso login --sso-region` in a notebook
                                                  Use Sign in... in the AWS status bar

``str(error)`` is the Python caller's wording (:data:`PYTHON`); the others live with their
front end (``ipyawssso.command_wording``, ``ipyawssso.widgets.wording``,
``ipyawssso.server.wording``), so the core never names a flag, a field or a button.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple, Protocol, TypeAlias

__all__ = [
    "AccessDenied",
    "CacheError",
    "ConfigError",
    "ConfigParseError",
    "InvalidValueError",
    "IpyAwsSsoError",
    "LoginCancelled",
    "LoginError",
    "LoginExpired",
    "LoginRequired",
    "LoginTimeout",
    "NotAnSsoProfile",
    "ProfileNotFound",
    "ServiceError",
]

#: What a :class:`NextStep` does; each front end has its own way to do each one.
Action = Literal["login", "use", "whoami", "accounts", "profiles"]


class Option(NamedTuple):
    """A setting the message asks for, by its keyword argument in the Python API
    (``sso_region``): the magic says ``--sso-region``, the panel names its field."""

    name: str


class NextStep(NamedTuple):
    """A command the message tells its reader to run next, as facts a front end words.

    (A named tuple rather than a dataclass: ``import ipyawssso`` loads this module, and two
    frozen dataclasses cost it 1.8 ms, named tuples 0.45 ms.)

    ``profile`` is the profile it is for (``None``: the command takes none; a placeholder
    such as ``NAME`` when the reader chooses it); ``given`` the settings whose values the
    message knows (``(("session_name", "acme"),)``); ``asks`` those the reader must supply
    (``start_url``). ``lead`` is the words in front of the command in the message ("run",
    "create it with"); a front end without commands (the panel, the lab) may put its own
    verb there, and the first letter is capitalised where a sentence starts.
    """

    action: Action
    profile: str | None = None
    asks: tuple[str, ...] = ()
    given: tuple[tuple[str, str], ...] = ()
    lead: str = "run"


class Wording(Protocol):
    """How one front end names a setting and a command for its own user."""

    def option(self, name: str) -> str: ...

    def step(self, step: NextStep) -> str: ...


#: The function of the Python API that does each action (``%aws_sso use`` is a session).
PYTHON_FUNCTIONS: dict[Action, str] = {
    "login": "login",
    "use": "session",
    "whoami": "whoami",
    "accounts": "roles",
    "profiles": "profiles",
}


def python_call(step: NextStep) -> str:
    """``ipyawssso.login('p', session_name='acme', start_url=...)``: the step as a call."""
    args = [] if step.profile is None else [repr(step.profile)]
    args += [f"{name}={value!r}" for name, value in step.given]
    args += [f"{name}=..." for name in step.asks]
    return f"ipyawssso.{PYTHON_FUNCTIONS[step.action]}({', '.join(args)})"


class PythonWording:
    """The Python caller's words: keyword arguments and calls of :mod:`ipyawssso`."""

    def option(self, name: str) -> str:
        return as_keyword(name)

    def step(self, step: NextStep) -> str:
        return f"{step.lead} `{python_call(step)}`".lstrip()


#: The wording of ``str(error)``.
PYTHON = PythonWording()

Part: TypeAlias = str | Option | NextStep


def render(parts: Iterable[Part], wording: Wording) -> str:
    """The message, its options and steps in ``wording``'s words."""
    text = ""
    for part in parts:
        if isinstance(part, Option):
            text += wording.option(part.name)
        elif isinstance(part, NextStep):
            words = wording.step(part)
            if not text or text.rstrip().endswith((".", "?", "!")):
                words = words[:1].upper() + words[1:]
            text += words
        else:
            text += part
    return text


class IpyAwsSsoError(Exception):
    """Base of every error ipyawssso raises on purpose.

    Its ``message`` is given as parts: text, :class:`Option` and :class:`NextStep`;
    ``str(error)`` is the message in :data:`PYTHON`'s words, :meth:`worded` in any other's.
    """

    #: The settings (keyword arguments of the Python API) the message asks for: ``sso_region``.
    options: tuple[str, ...] = ()
    #: The commands the message says to run next, in the order it names them.
    steps: tuple[NextStep, ...] = ()

    def __init__(self, *message: Part) -> None:
        self.parts: tuple[Part, ...] = message
        self.options = tuple(p.name for p in message if isinstance(p, Option))
        self.steps = tuple(p for p in message if isinstance(p, NextStep))
        super().__init__(*([render(message, PYTHON)] if message else []))

    def worded(self, wording: Wording) -> str:
        """The message for another front end's user (``--sso-region``, ``%aws_sso login``).

        :param wording: how that front end names a setting and a command.
        :returns: the message with each option and next step in those words.
        """
        return render(self.parts, wording)


def as_keyword(name: str) -> str:
    """How Python code passes a setting: ``sso_region=``."""
    return f"{name}="


class ConfigError(IpyAwsSsoError):
    """The AWS config file cannot be used or would be changed unsafely; it was left untouched."""


class ConfigParseError(ConfigError):
    """The AWS config file is malformed: ``path``, the 1-based ``line`` and the ``problem``
    there, so an editor can jump to it."""

    def __init__(self, path: str, line: int, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        super().__init__(
            f"{path}, line {line}: {problem}. Fix that line by hand (ipyawssso never rewrites "
            "a file it cannot parse), then try again."
        )


class InvalidValueError(ConfigError):
    """An unsafe profile/session name or value, a start URL that is not https, or a value AWS
    does not know (an account id, a region, an output format).

    ``field`` is the keyword argument (or config key) the value was given as, and ``value``
    the value, when the error is about one input whose value the message shows; both are
    None otherwise (a start URL with a password in it is never kept). ``message`` is given
    in parts, as for :class:`IpyAwsSsoError`."""

    def __init__(self, *message: Part, field: str | None = None, value: object = None) -> None:
        super().__init__(*message)
        self.field = field
        self.value = value


#: What a step that creates a profile and its sign-in asks for.
_NEW_SIGN_IN = ("start_url", "sso_region")


class ProfileNotFound(IpyAwsSsoError):
    """No ``profile`` of that name in ``config_path`` (nor in the credentials file)."""

    def __init__(self, profile: str, config_path: str) -> None:
        self.profile = profile
        self.config_path = config_path
        super().__init__(
            f"The profile {profile!r} is not in {config_path}. ",
            NextStep("login", profile, asks=_NEW_SIGN_IN, lead="create it with"),
            ", or ",
            NextStep("profiles", lead="list existing ones with"),
            ".",
        )


#: What gives a profile of each kind its credentials, for messages.
_CREDENTIALS_FROM = {
    "chained": "a role it assumes (role_arn with source_profile)",
    "credential-source": "a role it assumes (role_arn with credential_source)",
    "web-identity": "a web identity token (web_identity_token_file)",
    "static": "access keys (aws_access_key_id)",
    "process": "a program (credential_process)",
}


class NotAnSsoProfile(IpyAwsSsoError):
    """The ``profile`` does not sign in through IAM Identity Center, or is not ours to edit.

    ``kind`` is the profile's :data:`~ipyawssso.core.models.ProfileKind`; ``where`` is the
    file a write was refused for (then nothing was written)."""

    def __init__(self, profile: str, kind: str = "plain", *, where: str | None = None) -> None:
        self.profile = profile
        self.kind = kind
        self.where = where
        source = _CREDENTIALS_FROM.get(kind)
        if where is not None and source is not None:
            message: tuple[Part, ...] = (
                f"ipyawssso left the profile {profile!r} in {where} unchanged: it gets its "
                f"credentials from {source}, and ipyawssso edits only SSO profiles. Use "
                "another profile name, or change it by hand.",
            )
        elif source is not None:
            message = (
                f"The profile {profile!r} gets its credentials from {source}, not from IAM "
                "Identity Center, so there is nothing to sign in to: boto3 uses it as it is (",
                NextStep("use", profile, lead=""),
                ").",
            )
        else:
            message = (
                f"The profile {profile!r} does not use IAM Identity Center (no sso_session or "
                "sso_start_url). Pick an SSO profile, or ",
                NextStep("login", "NAME", asks=_NEW_SIGN_IN, lead="create one with"),
                ".",
            )
        super().__init__(*message)


class LoginRequired(IpyAwsSsoError):
    """No usable sign-in for ``profile`` (None: the one a session was built for), and
    ``reason`` says why: none yet, or one that ended and could not be renewed."""

    def __init__(self, profile: str | None, reason: str = "you are not signed in") -> None:
        self.profile = profile
        self.reason = reason
        super().__init__(
            f"AWS sign-in needed for {profile or 'this session'}: {reason}. ",
            NextStep("login", profile or None),
            ".",
        )


class LoginError(IpyAwsSsoError):
    """The device sign-in did not complete."""


class LoginCancelled(LoginError):
    """The person pressed Cancel or interrupted the kernel; nothing was written."""

    def __init__(self) -> None:
        super().__init__("Sign-in cancelled. Nothing was changed; run the login again when ready.")


class LoginExpired(LoginError):
    """The code expired before it was approved; each login asks for a new one."""

    def __init__(self) -> None:
        super().__init__(
            "The sign-in code expired before it was approved. Run the login again and approve "
            "the new code in your browser within its time limit."
        )


class AccessDenied(LoginError):
    """The person (or an administrator) denied the request; ``detail`` is what the service
    said, if anything."""

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"The sign-in request was denied{extra}. If that was not you, run the login again "
            "and press Allow; if it keeps happening, ask your AWS administrator for access."
        )


class LoginTimeout(LoginError):
    """The caller's own limit of ``seconds`` ran out before the code was approved;
    ``elsewhere``: the wait was for a sign-in that another kernel or process had started."""

    def __init__(self, seconds: float, *, elsewhere: bool = False) -> None:
        self.seconds = seconds
        self.elsewhere = elsewhere
        if elsewhere:
            super().__init__(
                f"The sign-in started in another notebook or process was not finished within "
                f"{seconds:g} s. Approve or cancel it there, then run the login again."
            )
            return
        super().__init__(
            f"The sign-in timed out after {seconds:g} s, before the code was approved. Run the "
            "login again and approve the new code sooner, or allow more time with ",
            Option("timeout"),
            ".",
        )


class ServiceError(IpyAwsSsoError):
    """IAM Identity Center (or the network) failed in a way a retry did not fix.

    ``code`` is the service's error code (``InvalidClientException``, ``TooManyRequests``...)
    or the name of the transport failure, and ``operation`` the call that failed
    (``CreateToken``), when they are known; None otherwise. ``message`` is given in parts,
    as for :class:`IpyAwsSsoError`."""

    def __init__(
        self, *message: Part, code: str | None = None, operation: str | None = None
    ) -> None:
        super().__init__(*message)
        self.code = code
        self.operation = operation


class CacheError(IpyAwsSsoError):
    """A token or credential cache file could not be written or read.

    ``path`` is the folder or file, and ``reason`` what the system said (``Permission
    denied``), when they are known; None otherwise. ``message`` is given in parts, as for
    :class:`IpyAwsSsoError`."""

    def __init__(self, *message: Part, path: str | None = None, reason: str | None = None) -> None:
        super().__init__(*message)
        self.path = path
        self.reason = reason
