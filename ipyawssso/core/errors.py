"""One exception tree for everything the core can refuse or fail at.

Every message is one line a data scientist can act on: what happened, then what to do next.
Messages never contain a token, key or client secret; they may contain profile names, start
URLs, account ids and role names.

    IpyAwsSsoError                  .options: the keyword arguments its hint asks for
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
    └── CacheError                  a token or credential file could not be written or read

The facts are attributes so that each front end words the hint for its own user. A message
names the settings it asks for as a Python caller writes them (``sso_region=``) and lists
them in ``options``; :meth:`IpyAwsSsoError.worded` puts another spelling in their place: the
magic and the terminal command say ``--sso-region``, the panel names its field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

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


class IpyAwsSsoError(Exception):
    """Base of every error ipyawssso raises on purpose."""

    #: The keyword arguments of the Python API that the message asks for (``sso_region``),
    #: each written in it as :func:`as_keyword` spells it.
    options: tuple[str, ...] = ()

    def __init__(self, *args: object, options: Iterable[str] = ()) -> None:
        super().__init__(*args)
        if options:
            self.options = tuple(options)

    def worded(self, option: Callable[[str], str]) -> str:
        """The message with each of :attr:`options` spelled by ``option`` (``sso_region`` ->
        ``--sso-region`` for the magic); ``str(error)`` is the Python caller's wording."""
        text = str(self)
        for name in self.options:
            text = text.replace(as_keyword(name), option(name))
        return text


def as_keyword(name: str) -> str:
    """How a message names a keyword argument it asks for: ``sso_region=``."""
    return f"{name}="


class ConfigError(IpyAwsSsoError):
    """The AWS config file cannot be used or would be changed unsafely; it was left untouched."""


class ConfigParseError(ConfigError):
    """The AWS config file is malformed; it carries the path and 1-based line number."""

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
    None otherwise (a start URL with a password in it is never kept)."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: object = None,
        options: Iterable[str] = (),
    ) -> None:
        super().__init__(message, options=options)
        self.field = field
        self.value = value


class ProfileNotFound(IpyAwsSsoError):
    def __init__(self, profile: str, config_path: str) -> None:
        self.profile = profile
        self.config_path = config_path
        super().__init__(
            f"The profile {profile!r} is not in {config_path}. Create it with "
            f"`%aws_sso login {profile} --start-url URL --sso-region REGION`, "
            "or list existing ones with `%aws_sso profiles`."
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
    """The profile does not sign in through IAM Identity Center, or is not ours to edit.

    ``kind`` is the profile's :data:`~ipyawssso.core.models.ProfileKind`; ``where`` is the
    file a write was refused for (then nothing was written)."""

    def __init__(self, profile: str, kind: str = "plain", *, where: str | None = None) -> None:
        self.profile = profile
        self.kind = kind
        self.where = where
        source = _CREDENTIALS_FROM.get(kind)
        if where is not None and source is not None:
            message = (
                f"ipyawssso left the profile {profile!r} in {where} unchanged: it gets its "
                f"credentials from {source}, and ipyawssso edits only SSO profiles. Use "
                "another profile name, or change it by hand."
            )
        elif source is not None:
            message = (
                f"The profile {profile!r} gets its credentials from {source}, not from IAM "
                f"Identity Center, so there is nothing to sign in to: boto3 uses it as it is "
                f"(`%aws_sso use {profile}`)."
            )
        else:
            message = (
                f"The profile {profile!r} does not use IAM Identity Center (no sso_session or "
                "sso_start_url). Pick an SSO profile, or create one with `%aws_sso login NAME "
                "--start-url URL --sso-region REGION`."
            )
        super().__init__(message)


class LoginRequired(IpyAwsSsoError):
    def __init__(self, profile: str | None, reason: str = "you are not signed in") -> None:
        self.profile = profile
        self.reason = reason
        target = f" {profile}" if profile else ""
        super().__init__(
            f"AWS sign-in needed for {profile or 'this session'}: {reason}. "
            f"Run `%aws_sso login{target}` (or ipyawssso.login({profile!r}))."
        )


class LoginError(IpyAwsSsoError):
    """The device sign-in did not complete."""


class LoginCancelled(LoginError):
    def __init__(self) -> None:
        super().__init__("Sign-in cancelled. Nothing was changed; run the login again when ready.")


class LoginExpired(LoginError):
    def __init__(self) -> None:
        super().__init__(
            "The sign-in code expired before it was approved. Run the login again and approve "
            "the new code in your browser within its time limit."
        )


class AccessDenied(LoginError):
    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        extra = f" ({detail})" if detail else ""
        super().__init__(
            f"The sign-in request was denied{extra}. If that was not you, run the login again "
            "and press Allow; if it keeps happening, ask your AWS administrator for access."
        )


class LoginTimeout(LoginError):
    """``elsewhere``: the wait was for a sign-in that another kernel or process had started."""

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
            "login again and approve the new code sooner, or allow more time with "
            f"{as_keyword('timeout')}.",
            options=("timeout",),
        )


class ServiceError(IpyAwsSsoError):
    """IAM Identity Center (or the network) failed in a way a retry did not fix.

    ``code`` is the service's error code (``InvalidClientException``, ``TooManyRequests``...)
    or the name of the transport failure, and ``operation`` the call that failed
    (``CreateToken``), when they are known; None otherwise."""

    def __init__(
        self, message: str, *, code: str | None = None, operation: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.operation = operation


class CacheError(IpyAwsSsoError):
    """A token or credential cache file could not be written or read."""
