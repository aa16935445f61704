"""The Python API: what the magics, the panel and the server extension are built on.

Each function does one user-level step and returns data; none prints. The rule users notice
most: ``login()`` for a profile whose sign-in has more than 15 minutes left returns at once, with
no device flow and no network call (the AWS CLI always starts a new one).

Which of its names are public is said once, in the export map of ``ipyawssso/__init__.py``
(``_EXPORTS``), which ``__all__`` and the API page follow; the front ends also use
``profile_name`` and ``DEFAULT_SCOPES`` from here.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .aws_config import (
    AwsConfig,
    config_path,
    plan_sso_profile,
    validate_name,
    validate_start_url,
    write_sso_profile,
    write_sso_session,
)
from .clients import env_profile
from .config_values import validate_value
from .device_flow import DeviceFlow, SignInTarget
from .errors import (
    InvalidValueError,
    IpyAwsSsoError,
    LoginCancelled,
    LoginRequired,
    LoginTimeout,
    NextStep,
    NotAnSsoProfile,
    Option,
    Part,
)
from .models import (
    Account,
    DeviceAuthorization,
    LoginStatus,
    Profile,
    Role,
    SsoSession,
    Token,
)
from .portal import RoleCatalog
from .refresh import REFRESH_WINDOW, refresh_token
from .token_cache import TokenCache, token_cache_key
from .vocabulary import ACCOUNT_ID, OUTPUT_FORMATS, REGION

if TYPE_CHECKING:
    import boto3

    from .sessions import Identity

DEFAULT_SCOPES: tuple[str, ...] = ("sso:account:access",)
#: How long a second kernel waits for another one's sign-in to the same sso-session.
SIGN_IN_LOCK_WAIT = 900.0


@dataclass(frozen=True)
class ProfileStatus:
    """A profile and the sign-in it uses, as :func:`profiles` lists them.

    :param profile: the profile as botocore resolves it.
    :param login: the status of the sign-in it uses, or None when it signs in through none
        (static keys, a process...).
    :param via: for a chained profile, the SSO profile it goes through (``login`` is then
        that profile's sign-in).
    """

    profile: Profile
    login: LoginStatus | None
    via: str | None = None


# --- names and lookups -------------------------------------------------------------------


def profile_name(profile: str | None = None) -> str:
    """``profile``, else ``AWS_DEFAULT_PROFILE``, else ``AWS_PROFILE``, else ``default``: the
    order botocore resolves them in."""
    name = profile or env_profile()
    return validate_name(name or "default", "profile")


def suggest_profile_name(role: Role) -> str:
    """The CLI's suggestion: ``<role>-<account id>``.

    :param role: an account/role pair, as :func:`roles` lists them.
    :returns: a profile name such as ``DataScientist-123456789012``.
    """
    return f"{role.role_name}-{role.account_id}"


def default_session_name(start_url: str) -> str:
    """A short, stable name from the start URL: ``https://acme.awsapps.com/start`` -> ``acme``."""
    host = urlsplit(start_url).hostname or "sso"
    first = host.split(".")[0]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", first).strip("-") or "sso"


def _target_for_profile(cfg: AwsConfig, prof: Profile) -> SignInTarget:
    if prof.sso_session:
        sess = cfg.sso_session(prof.sso_session)
        return SignInTarget.for_session(sess)
    if prof.start_url and prof.sso_region:
        return SignInTarget(prof.start_url, prof.sso_region, None, None)
    if prof.start_url:
        raise InvalidValueError(
            f"The profile {prof.name!r} has an sso_start_url but no sso_region, so neither "
            "ipyawssso nor the AWS CLI can sign it in. Add sso_region (the region of your IAM "
            "Identity Center, e.g. us-east-1) to it.",
            field="sso_region",
        )
    raise NotAnSsoProfile(prof.name)


def _sso_profile(cfg: AwsConfig, name: str) -> Profile:
    """The SSO profile that signs ``name`` in: itself, or the root of its role chain."""
    prof = cfg.profile(name)
    root = _sso_root_or_self(cfg, prof)
    if root is None:
        raise NotAnSsoProfile(name, prof.kind)
    return root


def _token_for(target: SignInTarget, cache: TokenCache) -> Token | None:
    """The cached token of this sign-in, only if it was issued for its start URL and region.

    A re-pointed sso-session keeps its token file name (the session's name), so the file may
    hold another organisation's token: that one does not count here.
    """
    token = cache.load_token(target.session_name, target.start_url)
    if token is None or token.start_url != target.start_url or token.region != target.region:
        return None
    return token


def _usable_token(target: SignInTarget, cache: TokenCache, *, min_left: float = 0) -> Token | None:
    """The cached token if it has more than ``min_left`` seconds, refreshing it if needed."""
    token = _token_for(target, cache)
    if token is None:
        return None
    left = token.seconds_left()
    if left > max(min_left, REFRESH_WINDOW.total_seconds()):
        return token
    renewed = refresh_token(token, target.session_name, cache=cache)
    if renewed is not None:
        return renewed
    return token if left > min_left else None


def _check_profile_values(
    account_id: str | None, role_name: str | None, region: str | None, output: str | None
) -> None:
    """Refuse values the AWS tools would misread, before any network call or write."""
    if account_id is not None and not ACCOUNT_ID.fullmatch(account_id):
        raise InvalidValueError(
            f"{account_id!r} is not an AWS account id. Give the 12 digits, e.g. 123456789012 (",
            NextStep("accounts", lead="see yours with"),
            ").",
            field="account_id",
            value=account_id,
        )
    if region is not None and not REGION.fullmatch(region):
        raise InvalidValueError(
            f"{region!r} is not an AWS region name. Give one like us-east-1 or eu-west-2.",
            field="region",
            value=region,
        )
    if output is not None and output not in OUTPUT_FORMATS:
        raise InvalidValueError(
            f"{output!r} is not an AWS CLI output format. Use one of: {', '.join(OUTPUT_FORMATS)}.",
            field="output",
            value=output,
        )
    if role_name is not None:
        validate_value(role_name, "sso_role_name")


# --- sign-in ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _DeviceSignIn:
    """How a sign-in waits (``sign_in()`` and ``login()`` take the same settings for it), and
    one device flow per sign-in across every process on the machine.

    Eight kernels that "Run All" at once must not open eight browser tabs: the first takes a
    lock next to the token file, the others wait for it and then find its fresh token.
    """

    cache: TokenCache
    force: bool
    on_pending: Callable[[DeviceAuthorization], None] | None
    cancel: threading.Event | None
    timeout: float | None
    on_waiting: Callable[[], None] | None

    def __call__(self, target: SignInTarget) -> Token:
        if not self.force:
            token = _usable_token(target, self.cache, min_left=REFRESH_WINDOW.total_seconds())
            if token is not None:
                return token
        cancel = self.cancel or threading.Event()
        with _sign_in_lock(target, self.cache, cancel, self.timeout, self.on_waiting):
            if not self.force:
                token = _usable_token(target, self.cache, min_left=REFRESH_WINDOW.total_seconds())
                if token is not None:
                    return token
            return DeviceFlow(self.cache).run(
                target, on_pending=self.on_pending, cancel=cancel, timeout=self.timeout
            )


@contextlib.contextmanager
def _sign_in_lock(
    target: SignInTarget,
    cache: TokenCache,
    cancel: threading.Event,
    timeout: float | None,
    on_waiting: Callable[[], None] | None = None,
) -> Iterator[None]:
    from .locks import PrivateLock
    from .token_cache import cache_write_error, ensure_private_dir

    wait = timeout if timeout is not None else SIGN_IN_LOCK_WAIT
    key = token_cache_key(target.session_name, target.start_url)
    lock = PrivateLock(cache.sso_dir / f".{key}.lock")
    deadline = time.monotonic() + wait
    told = False
    while True:
        if cancel.is_set():
            raise LoginCancelled()
        try:
            # A read-only or full ~/.aws: say so before a code is shown, not after approval.
            ensure_private_dir(cache.sso_dir)
            if lock.try_acquire():
                break
        except OSError as exc:
            raise cache_write_error(cache.sso_dir, exc) from None
        if not told and on_waiting is not None:
            on_waiting()
            told = True
        if time.monotonic() > deadline:
            # Another kernel's sign-in to this session was not approved in time.
            raise LoginTimeout(wait, elsewhere=True)
        cancel.wait(0.2)
    try:
        yield
    finally:
        lock.release()


def _resolve_new_session(
    cfg: AwsConfig,
    *,
    session_name: str | None,
    start_url: str | None,
    sso_region: str | None,
    scopes: tuple[str, ...] | None,
) -> SsoSession:
    """Which ``[sso-session]`` a new profile uses: named, described by flags, or the only one."""
    if start_url is not None:
        validate_start_url(start_url)
    if session_name is not None:
        validate_name(session_name, "sso-session")
    if session_name and session_name in cfg.sso_sessions:
        existing = cfg.sso_sessions[session_name]
        return SsoSession(
            name=existing.name,
            start_url=start_url or existing.start_url,
            region=sso_region or existing.region,
            scopes=scopes or existing.scopes,
        )
    if start_url:
        same = [s for s in cfg.sso_sessions.values() if s.start_url == start_url]
        if (
            session_name is None
            and len(same) == 1
            and (not sso_region or same[0].region == sso_region)
        ):
            return same[0]
        if not sso_region:
            raise InvalidValueError(
                "The SSO region is missing. Pass ",
                Option("sso_region"),
                " (the region of your IAM Identity Center, e.g. us-east-1).",
                field="sso_region",
            )
        return SsoSession(
            name=session_name or default_session_name(start_url),
            start_url=start_url,
            region=sso_region,
            scopes=scopes or DEFAULT_SCOPES,
        )
    if session_name is None and len(cfg.sso_sessions) == 1:
        return next(iter(cfg.sso_sessions.values()))
    if session_name:
        raise InvalidValueError(
            f"There is no [sso-session {session_name}] in {cfg.path}. Pass ",
            Option("start_url"),
            " and ",
            Option("sso_region"),
            " to create it.",
            field="session_name",
            value=session_name,
        )
    raise InvalidValueError(
        "Which IAM Identity Center should this profile use? Pass ",
        Option("start_url"),
        " (like https://your-org.awsapps.com/start) and ",
        Option("sso_region"),
        ".",
    )


def sign_in(
    profile: str | None = None,
    *,
    session_name: str | None = None,
    start_url: str | None = None,
    sso_region: str | None = None,
    scopes: tuple[str, ...] | list[str] | None = None,
    force: bool = False,
    on_pending: Callable[[DeviceAuthorization], None] | None = None,
    cancel: threading.Event | None = None,
    timeout: float | None = None,
    on_waiting: Callable[[], None] | None = None,
) -> LoginStatus:
    """Only the device sign-in: a token in the shared cache; never writes a profile.

    With ``session_name`` (or ``start_url``) it signs in to that sso-session, writing the
    ``[sso-session]`` once the sign-in succeeded if it is new; otherwise to the profile's.

    :param profile: the profile's name; None means ``AWS_DEFAULT_PROFILE``, else
        ``AWS_PROFILE``, else ``default`` (botocore's order).
    :param session_name: sign in to this ``[sso-session]`` instead of a profile's.
    :param start_url: the AWS access portal URL (https) of a new sign-in.
    :param sso_region: the region of that IAM Identity Center, e.g. ``us-east-1``.
    :param scopes: the registration scopes of a new sso-session (default
        ``sso:account:access``).
    :param force: start a device sign-in even if the cached one is still valid.
    :param on_pending: called once with the code to confirm while the sign-in waits.
    :param cancel: set it (from another thread) to stop waiting.
    :param timeout: seconds to wait for the approval; None waits until the code expires.
    :param on_waiting: called once if another kernel's sign-in to the same session is in
        progress and this one waits for it.
    :returns: the sign-in's status, with its expiry and the profiles that use it.
    :raises InvalidValueError: a start URL that is not https, or settings that are missing.
    :raises ProfileNotFound: no such profile.
    :raises NotAnSsoProfile: the profile does not sign in through IAM Identity Center.
    :raises LoginCancelled: ``cancel`` was set (or the kernel interrupted).
    :raises LoginExpired: the code expired before it was approved.
    :raises LoginTimeout: ``timeout`` ran out first.
    :raises AccessDenied: the request was denied in the browser.
    :raises ServiceError: IAM Identity Center failed, or could not be reached.
    :raises CacheError: the token could not be written to ``~/.aws/sso/cache``.
    """
    cfg = AwsConfig.load()
    cache = TokenCache()
    scope_tuple = tuple(scopes) if scopes else None
    new_session: SsoSession | None = None
    if session_name or start_url:
        sess = _resolve_new_session(
            cfg,
            session_name=session_name,
            start_url=start_url,
            sso_region=sso_region,
            scopes=scope_tuple,
        )
        if cfg.sso_sessions.get(sess.name) != sess:
            new_session = sess
        target = SignInTarget.for_session(sess)
        profiles = tuple(p.name for p in cfg.profiles_for_session(sess.name))
    else:
        prof = _sso_profile(cfg, profile_name(profile))
        target = _target_for_profile(cfg, prof)
        profiles = _profiles_sharing(cfg, target)
    token = _DeviceSignIn(cache, force, on_pending, cancel, timeout, on_waiting)(target)
    if new_session is not None:
        write_sso_session(new_session)
    return _status_for(target, token, profiles)


def login(
    profile: str | None = None,
    *,
    start_url: str | None = None,
    sso_region: str | None = None,
    session_name: str | None = None,
    account_id: str | None = None,
    role_name: str | None = None,
    region: str | None = None,
    output: str | None = None,
    scopes: tuple[str, ...] | list[str] | None = None,
    force: bool = False,
    on_pending: Callable[[DeviceAuthorization], None] | None = None,
    cancel: threading.Event | None = None,
    timeout: float | None = None,
    choose_role: Callable[[RoleCatalog], Role] | None = None,
    on_waiting: Callable[[], None] | None = None,
) -> boto3.Session:
    """Sign in and return a ready ``boto3.Session`` for ``profile``, creating it if new.

    Everything is validated before anything is written, and the config is written only once
    the sign-in and the role choice succeeded, so a cancelled login leaves no trace in it.
    A chained profile (``role_arn`` + ``source_profile`` down to an SSO profile) signs in
    through its root and is never edited; a legacy profile stays legacy unless
    ``session_name`` names an sso-session to move it to.

    :param profile: the profile's name; None means ``AWS_DEFAULT_PROFILE``, else
        ``AWS_PROFILE``, else ``default`` (botocore's order). A new
        profile is created.
    :param start_url: the AWS access portal URL (https), for a new profile or to re-point one.
    :param sso_region: the region of that IAM Identity Center, e.g. ``us-east-1``.
    :param session_name: the ``[sso-session]`` to use or create (default: from the start
        URL's host).
    :param account_id: the 12-digit account to use; asked (``choose_role``) when left out and
        there is more than one.
    :param role_name: the role (permission set) to use in it.
    :param region: the profile's default region, written as ``region``.
    :param output: the profile's AWS CLI output format (``json``, ``yaml``, ``yaml-stream``,
        ``text``, ``table``).
    :param scopes: the registration scopes of a new sso-session (default
        ``sso:account:access``).
    :param force: start a device sign-in even if the cached one is still valid.
    :param on_pending: called once with the code to confirm while the sign-in waits; show its
        ``verification_uri_complete`` and ``user_code`` to the person.
    :param cancel: set it (from another thread) to stop waiting; nothing is written then.
    :param timeout: seconds to wait for the approval; None waits until the code expires.
    :param choose_role: asked to pick the account and role when they are not given and the
        sign-in may use several; without it such a login raises :class:`InvalidValueError`.
    :param on_waiting: called once if another kernel's sign-in to the same session is in
        progress and this one waits for it.
    :returns: a ``boto3.Session`` for the profile, refreshed by botocore as it runs.
    :raises InvalidValueError: a value AWS or the config file cannot take (its ``field``
        says which), a missing start URL or SSO region, or an account or role the sign-in
        may not use.
    :raises NotAnSsoProfile: the profile gets its credentials elsewhere (keys, a process...).
    :raises ConfigError: the config file cannot be read or safely changed.
    :raises LoginCancelled: ``cancel`` was set (or the kernel interrupted).
    :raises LoginExpired: the code expired before it was approved.
    :raises LoginTimeout: ``timeout`` ran out first.
    :raises AccessDenied: the request was denied in the browser.
    :raises ServiceError: IAM Identity Center failed, or could not be reached.
    :raises CacheError: the token could not be written to ``~/.aws/sso/cache``.
    """
    name = profile_name(profile)
    cfg = AwsConfig.load()
    cache = TokenCache()
    scope_tuple = tuple(scopes) if scopes else None
    existing = cfg.profiles.get(name)
    reconfigure = any(
        v is not None for v in (start_url, sso_region, session_name, account_id, role_name, scopes)
    )

    device_sign_in = _DeviceSignIn(cache, force, on_pending, cancel, timeout, on_waiting)

    if existing is not None and not existing.managed:
        root = cfg.sso_root(name) if existing.kind == "chained" else None
        if root is None:
            raise NotAnSsoProfile(name, existing.kind)
        if reconfigure or region is not None or output is not None:
            raise InvalidValueError(
                f"The profile {name!r} assumes its role through the SSO profile {root.name!r}, "
                "and ipyawssso never edits it. Sign it in without settings, or change "
                f"{root.name!r} instead."
            )
        device_sign_in(_target_for_profile(cfg, root))
        return session(name)

    if existing is not None and existing.is_sso and not reconfigure:
        device_sign_in(_target_for_profile(cfg, existing))
        if region is not None or output is not None:
            write_sso_profile(
                replace(
                    existing, region=region or existing.region, output=output or existing.output
                ),
                None,
            )
        return session(name)

    _check_profile_values(account_id, role_name, region, output)
    if existing is not None and existing.is_legacy and session_name is None:
        return _login_legacy(
            existing,
            start_url=start_url,
            sso_region=sso_region,
            account_id=account_id,
            role_name=role_name,
            region=region,
            output=output,
            scopes=scope_tuple,
            sign_in=device_sign_in,
            choose_role=choose_role,
            cancel=cancel,
        )
    if existing is not None and existing.sso_session and not (start_url or session_name):
        session_name = existing.sso_session
    sess = _resolve_new_session(
        cfg,
        session_name=session_name,
        start_url=start_url,
        sso_region=sso_region,
        scopes=scope_tuple,
    )
    target = SignInTarget.for_session(sess)
    device_sign_in(target)
    chosen = _pick_role(_catalog_for(target, cache), account_id, role_name, choose_role, cancel)
    new_profile = Profile(
        name=name,
        sso_session=sess.name,
        account_id=chosen.account_id,
        role_name=chosen.role_name,
        region=region or (existing.region if existing else None) or sess.region,
        output=output,
    )
    write_sso_profile(new_profile, sess)
    return session(name)


def _login_legacy(
    existing: Profile,
    *,
    start_url: str | None,
    sso_region: str | None,
    account_id: str | None,
    role_name: str | None,
    region: str | None,
    output: str | None,
    scopes: tuple[str, ...] | None,
    sign_in: Callable[[SignInTarget], Token],
    choose_role: Callable[[RoleCatalog], Role] | None,
    cancel: threading.Event | None,
) -> boto3.Session:
    """Re-point a legacy profile (its own ``sso_start_url``) and keep it legacy, as the CLI
    reads it: it signs in to its own start URL, never to some sso-session of the file."""
    if scopes:
        raise InvalidValueError(
            f"The profile {existing.name!r} keeps its start URL itself (a legacy SSO profile), "
            "which cannot hold registration scopes. Pass ",
            Option("session_name"),
            " to move it to an sso-session with those scopes.",
            field="scopes",
        )
    url = validate_start_url(start_url or existing.start_url or "")
    sso = sso_region or existing.sso_region
    if not sso:
        raise InvalidValueError(
            f"The profile {existing.name!r} has no sso_region. Pass the region of your IAM "
            "Identity Center with ",
            Option("sso_region"),
            ", e.g. us-east-1.",
            field="sso_region",
        )
    target = SignInTarget(url, sso)
    sign_in(target)
    chosen = _pick_role(
        _catalog_for(target, TokenCache()),
        account_id or (None if start_url else existing.account_id),
        role_name,
        choose_role,
        cancel,
    )
    write_sso_profile(
        replace(
            existing,
            start_url=url,
            sso_region=sso,
            account_id=chosen.account_id,
            role_name=chosen.role_name,
            region=region or existing.region,
            output=output or existing.output,
        ),
        None,
    )
    return session(existing.name)


def _pick_role(
    cat: RoleCatalog,
    account_id: str | None,
    role_name: str | None,
    choose_role: Callable[[RoleCatalog], Role] | None,
    cancel: threading.Event | None,
) -> Role:
    """The account and role to write, checked against what the sign-in may use.

    Only the account pages are listed before a picker opens (ceil(N/100) calls, none when the
    role list is cached); the picker loads the roles of the account in view. A pair given in
    full is checked (one ListAccountRoles, or the cache) before anything is written, so a typo
    is an error with suggestions, not a profile that fails on first use.
    """
    cached = {(r.account_id, r.role_name): r for r in cat.cached() or []}
    if account_id is not None and role_name is not None and (account_id, role_name) in cached:
        return cached[(account_id, role_name)]
    accounts = cat.accounts(cancel=cancel)
    if account_id is not None:
        if account_id not in {a.account_id for a in accounts}:
            raise InvalidValueError(
                *_no_such_account(account_id, accounts), field="account_id", value=account_id
            )
        roles = _fresh_roles(cat, account_id, role_name, cancel)
        if role_name is not None:
            for role in roles:
                if role.role_name == role_name:
                    return role
            raise InvalidValueError(
                _no_such_role(account_id, role_name, roles), field="role_name", value=role_name
            )
        if len(roles) == 1:
            return roles[0]
    elif role_name is not None:
        known = [r for r in cached.values() if r.role_name == role_name]
        if len(known) == 1:
            return known[0]
        if choose_role is None:
            # No one to ask: only a full listing can tell which accounts have this role.
            known = [r for r in cat.prefetch(cancel=cancel) if r.role_name == role_name]
            if len(known) == 1:
                return known[0]
            if not known:
                raise InvalidValueError(
                    f"None of your {len(accounts)} accounts lets you use the role "
                    f"{role_name!r}. Check the role name (",
                    NextStep("accounts", lead="see yours with"),
                    ").",
                    field="role_name",
                    value=role_name,
                )
    elif len(accounts) == 1:
        # The only account is the one a picker would show first: the listing proves the choice.
        roles = cat.roles_for(accounts[0].account_id, cancel)
        if len(roles) == 1:
            return roles[0]
    if not accounts:
        raise InvalidValueError(
            "Your sign-in has no matching account and role: no AWS account is assigned to you. "
            "Ask your AWS administrator to assign you a permission set."
        )
    if choose_role is not None:
        return choose_role(cat)
    raise InvalidValueError(
        f"You can use {len(accounts)} accounts: pass ",
        Option("account_id"),
        " and ",
        Option("role_name"),
        " (",
        NextStep("accounts", lead="see them with"),
        "), or run the login in a notebook to pick one.",
    )


def _fresh_roles(
    cat: RoleCatalog, account_id: str, role_name: str | None, cancel: threading.Event | None
) -> list[Role]:
    """The account's roles; asked again when a cached list lacks the role (it may be new)."""
    roles = cat.roles_for(account_id, cancel)
    if role_name is not None and role_name not in {r.role_name for r in roles}:
        cat.forget_roles(account_id)
        roles = cat.roles_for(account_id, cancel)
    return roles


def _no_such_account(account_id: str, accounts: list[Account]) -> tuple[Part, ...]:
    ids = [a.account_id for a in accounts]
    close = difflib.get_close_matches(account_id, ids, n=3, cutoff=0.6)
    hint = f" Did you mean {_either(close)}?" if close else ""
    return (
        f"Your sign-in has no matching account and role: account {account_id} is not one of "
        f"the {len(ids)} accounts you may use.{hint} ",
        NextStep("accounts", lead="see them with"),
        ".",
    )


def _no_such_role(account_id: str, role_name: str, roles: list[Role]) -> str:
    names = [r.role_name for r in roles]
    close = difflib.get_close_matches(role_name, names, n=3, cutoff=0.5)
    if not close:
        lowered = {n.lower(): n for n in names}
        close = [lowered[role_name.lower()]] if role_name.lower() in lowered else []
    hint = f" Did you mean {_either(close)}?" if close else ""
    listed = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
    return (
        f"Your sign-in has no matching account and role: account {account_id} has no role "
        f"{role_name!r}.{hint} Its roles: {listed or 'none'}."
    )


def _either(items: list[str]) -> str:
    quoted = [repr(i) for i in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


# --- sessions ----------------------------------------------------------------------------


def session(profile: str | None = None) -> boto3.Session:
    """A ready ``boto3.Session``; never prompts.

    Raises :class:`LoginRequired` when the sign-in is missing or expired and cannot be renewed
    through its refresh token; for a chained profile, that of the SSO profile at its root. Any
    other profile (static keys, also in ``~/.aws/credentials``; ``credential_process``; web
    identity) is returned as boto3 makes it.

    :param profile: the profile's name; None means ``AWS_DEFAULT_PROFILE``, else
        ``AWS_PROFILE``, else ``default`` (botocore's order).
    :returns: a ``boto3.Session`` for the profile.
    :raises LoginRequired: there is no sign-in, or it ended and could not be renewed.
    :raises ProfileNotFound: no such profile.
    :raises ConfigError: the config file cannot be read.
    """
    from .sessions import build_session

    name = profile_name(profile)
    cfg = AwsConfig.load()
    prof = cfg.profile(name)
    root = _sso_root_or_self(cfg, prof)
    if root is not None:
        target = _target_for_profile(cfg, root)
        cache = TokenCache()
        if _usable_token(target, cache) is None:
            raise _sign_in_needed(name, target, cache)
    return build_session(prof)


def _sso_root_or_self(cfg: AwsConfig, prof: Profile) -> Profile | None:
    """The SSO profile whose sign-in ``prof`` needs (itself or its chain's root), else None."""
    if prof.is_sso:
        return prof
    if prof.kind == "chained":
        return cfg.sso_root(prof.name)
    return None


def _sign_in_needed(name: str, target: SignInTarget, cache: TokenCache) -> LoginRequired:
    """Say whether there is no sign-in at all, or one that ended and could not be renewed."""
    if _token_for(target, cache) is None:
        return LoginRequired(name)
    return LoginRequired(name, "the sign-in expired and could not be renewed")


def whoami(profile: str | None = None) -> Identity:
    """Who the profile signs in as, asked of STS, so it proves the sign-in works end to end.

    Adds the account's name (from the role list, which the AWS answer lacks) and when the
    sign-in expires.

    :param profile: the profile's name; None means ``AWS_DEFAULT_PROFILE``, else
        ``AWS_PROFILE``, else ``default`` (botocore's order).
    :returns: the account, role, ARN, region and the sign-in's expiry.
    :raises LoginRequired: there is no usable sign-in (as :func:`session`).
    :raises ProfileNotFound: no such profile.
    :raises ServiceError: STS or the access portal refused, or could not be reached.
    """
    from .sessions import caller_identity

    name = profile_name(profile)
    cfg = AwsConfig.load()
    prof = cfg.profile(name)
    sess = session(name)
    identity = caller_identity(sess, prof)
    expires = None
    account_name = ""
    root = _sso_root_or_self(cfg, prof)
    if root is not None:
        target = _target_for_profile(cfg, root)
        token = _token_for(target, TokenCache())
        expires = token.expires_at if token else None
        account_name = _account_name(_catalog_for(target, TokenCache()), identity.account_id)
    via = root.name if root is not None and root.name != name else None
    return replace(identity, expires_at=expires, account_name=account_name, via=via)


def _account_name(cat: RoleCatalog, account_id: str) -> str:
    """The account's name from the local list, else one ListAccounts listing (then cached)."""
    for role in cat.cached() or []:
        if role.account_id == account_id:
            return role.account_name
    try:
        accounts = cat.accounts()
    except IpyAwsSsoError:
        return ""  # the name is a nicety; whoami already has the id from STS
    return next((a.name for a in accounts if a.account_id == account_id), "")


# --- accounts and roles ------------------------------------------------------------------


def _catalog_for(target: SignInTarget, cache: TokenCache) -> RoleCatalog:
    def access_token() -> str:
        current = _usable_token(target, cache)
        if current is None:
            raise LoginRequired(None, "the sign-in expired")
        return current.access_token

    return RoleCatalog(
        key=target.session_name or target.start_url,
        start_url=target.start_url,
        region=target.region,
        access_token=access_token,
    )


def catalog(profile: str | None = None, *, session_name: str | None = None) -> RoleCatalog:
    """The accounts and roles of a sign-in (by profile or sso-session), loaded lazily.

    :param profile: the profile's name; None means ``AWS_DEFAULT_PROFILE``, else
        ``AWS_PROFILE``, else ``default`` (botocore's order).
    :param session_name: use this ``[sso-session]`` instead of a profile's sign-in.
    :returns: a catalog that lists accounts, then each account's roles, as they are asked for.
    :raises LoginRequired: there is no usable sign-in.
    :raises ProfileNotFound: no such profile.
    :raises NotAnSsoProfile: the profile does not sign in through IAM Identity Center.
    :raises ConfigError: the named sso-session is not in the config file.
    """
    cfg = AwsConfig.load()
    if session_name:
        sess = cfg.sso_session(session_name)
        target = SignInTarget.for_session(sess)
    else:
        target = _target_for_profile(cfg, _sso_profile(cfg, profile_name(profile)))
    cache = TokenCache()
    if _usable_token(target, cache) is None:
        raise _sign_in_needed(session_name or profile_name(profile), target, cache)
    return _catalog_for(target, cache)


def accounts(
    profile: str | None = None, *, session_name: str | None = None, refresh: bool = False
) -> list[Account]:
    """The accounts the sign-in may use, sorted by name; one portal call per 100 accounts.

    :param profile: the profile's name; None means ``AWS_DEFAULT_PROFILE``, else
        ``AWS_PROFILE``, else ``default`` (botocore's order).
    :param session_name: use this ``[sso-session]`` instead of a profile's sign-in.
    :param refresh: ask the portal again instead of using the local list.
    :returns: the accounts, with their names and e-mail addresses.
    :raises LoginRequired: there is no usable sign-in.
    :raises ProfileNotFound: no such profile.
    :raises NotAnSsoProfile: the profile does not sign in through IAM Identity Center.
    :raises ConfigError: the named sso-session is not in the config file.
    :raises ServiceError: the access portal refused, or could not be reached.
    """
    return catalog(profile, session_name=session_name).accounts(refresh=refresh)


def roles(
    profile: str | None = None, *, session_name: str | None = None, refresh: bool = False
) -> list[Role]:
    """Every account/role pair; from the local cache unless ``refresh`` or nothing is cached.

    :param profile: the profile's name; None means ``AWS_DEFAULT_PROFILE``, else
        ``AWS_PROFILE``, else ``default`` (botocore's order).
    :param session_name: use this ``[sso-session]`` instead of a profile's sign-in.
    :param refresh: list every account's roles again (one portal call per account).
    :returns: every role the sign-in may use, with its account's id and name.
    :raises LoginRequired: there is no usable sign-in.
    :raises ProfileNotFound: no such profile.
    :raises NotAnSsoProfile: the profile does not sign in through IAM Identity Center.
    :raises ConfigError: the named sso-session is not in the config file.
    :raises ServiceError: the access portal refused, or could not be reached.
    """
    cat = catalog(profile, session_name=session_name)
    if not refresh:
        cached = cat.cached()
        if cached is not None and len(cat.loaded()) == len(cat.accounts()):
            return cached
    if refresh:
        cat.accounts(refresh=True)
        cat.forget_roles()
    return cat.prefetch()


# --- profiles ----------------------------------------------------------------------------


def _profile_for_save(
    profile: str,
    session_name: str,
    account_id: str,
    role_name: str,
    region: str | None,
    output: str | None,
) -> Profile:
    _check_profile_values(account_id, role_name, region, output)
    existing = AwsConfig.load().profiles.get(profile)
    if existing is not None and not existing.managed:
        # The config-file planner sees only its own file: a profile kept in ~/.aws/credentials
        # (or chained) would silently become an SSO profile there.
        raise NotAnSsoProfile(profile, existing.kind, where=str(config_path()))
    return Profile(
        name=validate_name(profile, "profile"),
        sso_session=session_name,
        account_id=account_id,
        role_name=role_name,
        region=region,
        output=output,
    )


def save_profile(
    profile: str,
    *,
    session_name: str,
    account_id: str,
    role_name: str,
    region: str | None = None,
    output: str | None = None,
    process_profile: bool = False,
) -> None:
    """Write ``[profile NAME]`` for an existing ``[sso-session]`` (the panel's last step).

    With ``process_profile`` also ``[profile NAME-process]``, which gets the same role keys
    through ``credential_process`` for tools that cannot read SSO profiles.

    :param profile: the name of the ``[profile]`` to write.
    :param session_name: the ``[sso-session]`` it signs in through.
    :param account_id: its 12-digit account id.
    :param role_name: its role (permission set) name.
    :param region: its default region, or None to write none.
    :param output: its AWS CLI output format, or None to write none.
    :param process_profile: also write ``[profile NAME-process]``.
    :returns: None; the config file is changed in place, atomically, under a lock.
    :raises InvalidValueError: a value the config file or AWS cannot take (its ``field``
        says which).
    :raises NotAnSsoProfile: a profile of that name exists and is not ours to edit.
    :raises ConfigError: the sso-session does not exist, or the file cannot be changed safely.
    """
    from .process_profile import plan_process_text, write_process_profile

    prof = _profile_for_save(profile, session_name, account_id, role_name, region, output)
    cfg = AwsConfig.load()
    cfg.sso_session(session_name)
    if process_profile:  # refuse a clash before anything is written
        plan_process_text(cfg.path, plan_sso_profile(prof, None).new_text, prof.name)
    write_sso_profile(prof, None)
    if process_profile:
        write_process_profile(prof.name)


def preview_profile(
    profile: str,
    *,
    session_name: str,
    account_id: str,
    role_name: str,
    region: str | None = None,
    output: str | None = None,
    start_url: str | None = None,
    sso_region: str | None = None,
    scopes: tuple[str, ...] | list[str] | None = None,
    process_profile: bool = False,
) -> str:
    """The unified diff that :func:`save_profile` (or a login) would make to the config.

    :param profile: the name of the ``[profile]`` to write.
    :param session_name: the ``[sso-session]`` it signs in through.
    :param account_id: its 12-digit account id.
    :param role_name: its role (permission set) name.
    :param region: its default region, or None to write none.
    :param output: its AWS CLI output format, or None to write none.
    :param start_url: with ``sso_region``, preview a new sso-session as well.
    :param sso_region: the region of that IAM Identity Center.
    :param scopes: that sso-session's registration scopes.
    :param process_profile: also preview ``[profile NAME-process]``.
    :returns: the change as a unified diff of the config file; nothing is written.
    :raises InvalidValueError: a value the config file or AWS cannot take.
    :raises NotAnSsoProfile: a profile of that name exists and is not ours to edit.
    :raises ConfigError: the config file cannot be read.
    """
    prof = _profile_for_save(profile, session_name, account_id, role_name, region, output)
    sess = None
    if start_url and sso_region:
        validate_start_url(start_url)
        sess = SsoSession(session_name, start_url, sso_region, tuple(scopes or DEFAULT_SCOPES))
    change = plan_sso_profile(prof, sess)
    if process_profile:
        from .aws_config import ConfigChange
        from .process_profile import plan_process_text

        then = plan_process_text(change.path, change.new_text, prof.name)
        change = ConfigChange(change.path, change.old_text, then.new_text)
    return change.diff


def _chain_roots(cfg: AwsConfig) -> dict[str, str]:
    """Chained profile -> the SSO profile at the end of its chain (broken chains left out)."""
    roots = {}
    for prof in cfg.profiles.values():
        if prof.kind == "chained":
            with contextlib.suppress(IpyAwsSsoError):
                root = cfg.sso_root(prof.name)
                if root is not None:
                    roots[prof.name] = root.name
    return roots


def _profiles_sharing(
    cfg: AwsConfig, target: SignInTarget, roots: dict[str, str] | None = None
) -> tuple[str, ...]:
    """The SSO profiles of a sign-in, then the chained profiles that go through them."""
    if target.session_name:
        own = [p.name for p in cfg.profiles_for_session(target.session_name)]
    else:
        own = [p.name for p in cfg.profiles_for_start_url(target.start_url)]
    roots = _chain_roots(cfg) if roots is None else roots
    return (*own, *(name for name, root in roots.items() if root in own))


def _status_for(
    target: SignInTarget, token: Token | None, profiles: tuple[str, ...]
) -> LoginStatus:
    return LoginStatus(
        session_name=target.session_name,
        start_url=target.start_url,
        region=target.region,
        expires_at=token.expires_at if token else None,
        profiles=profiles,
        refreshable=bool(token and token.refreshable),
    )


def _targets(cfg: AwsConfig) -> list[SignInTarget]:
    targets = [SignInTarget.for_session(s) for s in cfg.sso_sessions.values()]
    seen = set()
    for prof in cfg.profiles.values():
        if prof.is_legacy and prof.start_url and prof.sso_region and prof.start_url not in seen:
            seen.add(prof.start_url)
            targets.append(SignInTarget(prof.start_url, prof.sso_region))
    return targets


def _statuses(cfg: AwsConfig, roots: dict[str, str] | None = None) -> list[LoginStatus]:
    cache = TokenCache()
    roots = _chain_roots(cfg) if roots is None else roots
    return [
        _status_for(t, _token_for(t, cache), _profiles_sharing(cfg, t, roots))
        for t in _targets(cfg)
    ]


def status() -> list[LoginStatus]:
    """Every sign-in the config knows (sso-sessions and legacy start URLs); no network.

    :returns: one status per sign-in: its start URL, region, expiry and profiles.
    :raises ConfigError: the config file cannot be read.
    """
    return _statuses(AwsConfig.load())


def profiles() -> list[ProfileStatus]:
    """Every profile of the config and credentials files, with its sign-in status when it
    signs in through SSO (itself, or the root of its role chain); no network.

    :returns: each profile with its sign-in (None when it has none) and, for a chained
        profile, the SSO profile it goes through.
    :raises ConfigError: the config file cannot be read.
    """
    cfg = AwsConfig.load()
    roots = _chain_roots(cfg)
    by_key = {(s.session_name, s.start_url): s for s in _statuses(cfg, roots)}
    out = []
    for prof in cfg.profiles.values():
        login_status = None
        via = roots.get(prof.name)
        signing = cfg.profiles[via] if via else prof
        if signing.is_sso:
            try:
                target = _target_for_profile(cfg, signing)
            except IpyAwsSsoError:  # a profile naming a missing sso-session: show it, unsigned
                pass
            else:
                login_status = by_key.get((target.session_name, target.start_url))
        out.append(ProfileStatus(profile=prof, login=login_status, via=via))
    return out


def logout(profile: str | None = None, *, all: bool = False) -> list[str]:
    """End sign-ins like ``aws sso logout``: revoke, delete the token, drop role credentials.

    ``all=True`` does exactly what the CLI does (every cached token). With a profile, only its
    sign-in ends; other sso-sessions stay signed in. Registrations are kept.

    :param profile: the profile's name; None means ``AWS_DEFAULT_PROFILE``, else
        ``AWS_PROFILE``, else ``default`` (botocore's order).
    :param all: end every cached sign-in instead (``profile`` is then ignored).
    :returns: the sso-session names (or start URLs) whose sign-in ended.
    :raises ProfileNotFound: no such profile.
    :raises NotAnSsoProfile: the profile does not sign in through IAM Identity Center.
    """
    from .sessions import revoke

    cache = TokenCache()
    ended: list[str] = []
    if all:
        for path, token in list(cache.iter_token_files()):
            revoke(token)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            ended.append(token.start_url)
        cache.delete_sso_role_credentials()
        return ended
    cfg = AwsConfig.load()
    name = profile_name(profile)
    prof = _sso_profile(cfg, name)
    target = _target_for_profile(cfg, prof)
    current = cache.load_token(target.session_name, target.start_url)
    if current is not None:
        revoke(current)
    cache.delete_token(target.session_name, target.start_url)
    sharing = (
        cfg.profiles_for_session(target.session_name)
        if target.session_name
        else cfg.profiles_for_start_url(target.start_url)
    )
    for p in sharing:
        if p.account_id and p.role_name:
            with contextlib.suppress(FileNotFoundError):
                cache.role_credentials_path(
                    p.account_id, p.role_name, target.session_name, target.start_url
                ).unlink()
    ended.append(target.session_name or target.start_url)
    return ended
