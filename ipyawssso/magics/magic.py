"""``%aws_sso``: the AWS CLI's SSO workflow as one line magic.

This module parses, validates and dispatches; the work is done by ``ipyawssso.core.api`` and
shown by :mod:`ipyawssso.display`. A user mistake, or anything the core refuses, becomes one
``UsageError`` line, never a traceback. See ``%aws_sso?`` for every subcommand.

Defaults come from traits on ``AwsSsoMagics``, so an administrator can preset them (in
``ipython_config.py``, or ``jupyter_server_config``'s kernel config on a JupyterHub) and users
type only ``%aws_sso login ai-dev``::

    c.AwsSsoMagics.start_url = "https://my-org.awsapps.com/start"
    c.AwsSsoMagics.sso_region = "us-east-1"
    c.AwsSsoMagics.region = "eu-west-1"

or, in a running kernel, ``%config AwsSsoMagics.var_name = "aws"``. Under all of these, the
environment variables of :mod:`ipyawssso.presets` (``IPYAWSSSO_START_URL``...) give the
defaults, which is what a hub's ``c.Spawner.environment`` sets for every user.

``%load_ext ipyawssso`` only registers the magic, the input transformer and the expired
sign-in handler: boto3 and the core load on first use, the widgets when a panel or picker shows.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from traitlets import (
    Bool,
    Enum,
    Float,
    List,
    TraitError,
    TraitType,
    Unicode,
    default,
    observe,
    validate,
)

from .. import command_options as common
from ..command_wording import MAGIC
from ..core.errors import IpyAwsSsoError
from ..core.vocabulary import OUTPUT_FORMATS
from ..presets import PRESET_VARIABLES, preset
from .arguments import CommandLine, clause, subcommand
from .expiry import ExpiredSignInHandler
from .frontends import detect, login_transformer
from .injection import ClientSpec, check_identifier, parse_client_spec

if TYPE_CHECKING:
    import boto3

    from .login_flow import LoginFlow

__all__ = ["AwsSsoMagics", "load", "run_awaitable", "unload"]

EXAMPLES = """
Examples::

  %aws_sso login ai-dev --start-url https://my-org.awsapps.com/start --sso-region us-east-1
  %aws_sso login ai-dev                  # next day: no question if still signed in
  %aws_sso login ai-dev --client bedrock-runtime=bedrock --export-env
  %aws_sso use ai-dev --var s            # a session for a profile that is signed in
  %aws_sso whoami                        # account, role, region and time left
  %aws_sso status                        # every sign-in and its time left
  %aws_sso accounts --filter prod        # the accounts and roles you may use
  %aws_sso console --service bedrock     # the AWS console as this role, one click away
  %aws_sso logout --all
  %aws_sso                               # the panel: the same with the mouse

Defaults (``%config AwsSsoMagics``): start_url, sso_region, session_name, region, output,
scopes, var_name, export_env, login_timeout, friendly_expiry_errors.
"""


def _converted(convert: Any) -> Any:
    """An argparse type from a function that raises the core's InvalidValueError."""

    def parse(text: str) -> Any:
        try:
            return convert(text)
        except IpyAwsSsoError as exc:
            raise argparse.ArgumentTypeError(exc.worded(MAGIC)) from None

    parse.__name__ = convert.__name__.strip("_")
    return parse


@contextlib.contextmanager
def _usage_errors() -> Iterator[None]:
    """Whatever the core refuses (it always says what to do next) is one UsageError line, with
    its hint worded for this magic (``sso_region=`` -> ``--sso-region``, a next step as a
    ``%aws_sso`` line)."""
    try:
        yield
    except IpyAwsSsoError as exc:
        raise UsageError(exc.worded(MAGIC)) from None


_VAR = common.option(
    "--var",
    type=_converted(lambda text: check_identifier(text, "session")),
    metavar="NAME",
    help="variable for the session (default: session)",
)
_CLIENT = common.option(
    "--client",
    type=_converted(parse_client_spec),
    action="append",
    default=[],
    metavar="SERVICE[=NAME]",
    help="also make a client: --client bedrock-runtime gives `bedrock_runtime`, "
    "--client bedrock-runtime=br gives `br` (repeatable)",
)
_EXPORT = common.option(
    "--export-env",
    action="store_true",
    default=None,
    help="set AWS_PROFILE (and AWS_REGION, AWS_DEFAULT_REGION) in this kernel, for !aws, "
    "jupyter-ai, LangChain",
)
_SERVE = common.option(
    "--serve",
    action="store_true",
    help="serve this role's keys to tools started from here (!cmd, Spark, R, DuckDB): sets "
    "AWS_CONTAINER_CREDENTIALS_FULL_URI and its token, never the keys",
)
_RECENT_PROFILE = common.option(
    "profile",
    nargs="?",
    metavar="PROFILE",
    help="default: the profile last logged in to or used here, else AWS_DEFAULT_PROFILE, else "
    "AWS_PROFILE, else default",
)


def _preset_default(name: str, fallback: str | None = None) -> Any:
    """The dynamic default of trait ``name``: the administrator's preset (presets.py), so that
    ``c.AwsSsoMagics.<name>`` and ``%config`` still win over it."""

    @default(name)
    def value(self: AwsSsoMagics) -> str | None:
        return self._preset(name, fallback)

    return value


def _unset(trait: type[TraitType[Any, Any]], help: str) -> Any:
    """A setting that is None until an administrator, a preset or ``%config`` gives it."""
    return trait(None, allow_none=True, help=help).tag(config=True)


@magics_class
class AwsSsoMagics(Magics):
    """The ``%aws_sso`` magic and the defaults it uses."""

    start_url = _unset(
        Unicode,
        """IAM Identity Center start URL used when `login` creates a new profile
        (like https://my-org.awsapps.com/start).""",
    )
    sso_region = _unset(Unicode, "Region of your IAM Identity Center (like us-east-1).")
    session_name = _unset(
        Unicode, "[sso-session] name for new profiles (default: from the start URL's host)."
    )
    region = _unset(Unicode, "Default region written into new profiles.")
    output = Enum(
        OUTPUT_FORMATS,
        default_value=None,
        allow_none=True,
        help="Default AWS CLI output format written into new profiles.",
    ).tag(config=True)
    scopes = List(
        Unicode(),
        help="sso_registration_scopes of new sign-ins (default: sso:account:access).",
    ).tag(config=True)
    var_name = Unicode(
        "session", help="Variable that receives the boto3 session after login or use."
    ).tag(config=True)
    export_env = Bool(
        False,
        help="Always set AWS_PROFILE (and AWS_REGION, AWS_DEFAULT_REGION) after login or use.",
    ).tag(config=True)
    login_timeout = _unset(
        Float, "Seconds to wait for approval (default: until the sign-in code expires)."
    )
    friendly_expiry_errors = Bool(
        True,
        help="""Show one line ("Your AWS sign-in for ai-dev expired. Run ...") instead of a
        traceback when a cell fails because the AWS sign-in ended.""",
    ).tag(config=True)

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell=shell, **kwargs)
        self.last_profile: str | None = None
        self.frontend = detect(shell)
        self.login_transformer = login_transformer(shell)
        self.expiry_handler = ExpiredSignInHandler(
            shell,
            fallback_profile=lambda: self.last_profile,
            sign_in_button=self._sign_in_button if self.frontend.kind == "kernel" else None,
        )
        if self.friendly_expiry_errors:
            self.expiry_handler.install()

    # --- administrator presets (``IPYAWSSSO_*`` variables, see presets.py) ----------------

    def _preset(self, name: str, fallback: str | None = None) -> str | None:
        """The environment's value for trait ``name``, checked like any value; a wrong one is
        ignored with a warning (every cell would fail otherwise, and the user cannot fix it)."""
        value = preset(name)
        if value is None:
            return fallback
        check = {
            "start_url": self._check_start_url,
            "sso_region": self._check_region,
            "region": self._check_region,
            "var_name": self._check_var_name,
        }.get(name)
        if check is None:
            return value
        try:
            return check({"value": value, "trait": self.traits()[name], "owner": self})
        except TraitError as exc:
            warnings.warn(
                f"ipyawssso ignores {PRESET_VARIABLES[name]}={value!r}: {exc} Ask whoever runs "
                "your Jupyter server to fix that variable; `%config` works meanwhile.",
                stacklevel=2,
            )
            return fallback

    _start_url_preset = _preset_default("start_url")
    _sso_region_preset = _preset_default("sso_region")
    _session_name_preset = _preset_default("session_name")
    _region_preset = _preset_default("region")
    _var_name_preset = _preset_default("var_name", "session")

    # --- trait checks -------------------------------------------------------------------

    @validate("start_url")
    def _check_start_url(self, proposal: Any) -> str | None:
        value = proposal["value"]
        if value is not None and not value.startswith("https://"):
            raise TraitError(
                f"AwsSsoMagics.start_url must be an https:// URL (like "
                f"https://my-org.awsapps.com/start), not {value!r}."
            )
        return value

    @validate("sso_region", "region")
    def _check_region(self, proposal: Any) -> str | None:
        value = proposal["value"]
        if value is not None:
            try:
                common.aws_region(value)
            except argparse.ArgumentTypeError as exc:
                name = proposal["trait"].name
                raise TraitError(f"AwsSsoMagics.{name}: {clause(exc)}.") from None
        return value

    @validate("var_name")
    def _check_var_name(self, proposal: Any) -> str:
        try:
            return check_identifier(proposal["value"], "session")
        except IpyAwsSsoError as exc:
            raise TraitError(exc.worded(MAGIC)) from None

    @observe("friendly_expiry_errors")
    def _toggle_expiry_handler(self, change: Any) -> None:
        handler = getattr(self, "expiry_handler", None)  # config is applied before __init__ ends
        if handler is None:
            return
        if change["new"]:
            handler.install()
        else:
            handler.uninstall()

    # --- the magic ------------------------------------------------------------------------

    @line_magic
    def aws_sso(self, line: str = "") -> None:
        """Sign in to AWS IAM Identity Center (SSO) and get boto3 sessions, in the notebook.

        A bare ``%aws_sso`` (or ``%aws_sso PROFILE``) opens the panel. ``login`` blocks the
        cell until the session is ready, so "Run All" works; Cancel or a kernel interrupt
        stops it cleanly.
        """
        self._run(self.parse(line))

    async def aws_sso_awaitable(self, line: str) -> None:
        """``%aws_sso login`` on a kernel that handles widget messages while a cell awaits."""
        args = self.parse(line)
        if args.command != "login":
            self._run(args)
            return
        with _usage_errors():
            flow = self._login_flow(args, widgets=self.frontend.comms_while_awaiting)
            self._after_login(args, flow, await flow.run_async())

    def _run(self, args: argparse.Namespace) -> None:
        if args.command == "help":
            print(args.text)
            return
        with _usage_errors():
            getattr(self, CommandLine.method(args.command))(args)

    @classmethod
    def command_line(cls) -> CommandLine:
        """The subcommands this class declares (its ``_cmd_<name>`` methods), their parsers
        and the ``%aws_sso?`` page; the docs' reference reads the same object."""
        return _command_line(cls)

    def parse(self, line: str) -> argparse.Namespace:
        """Parse ``line``; ``%aws_sso`` and ``%aws_sso PROFILE`` mean the panel."""
        return self.command_line().parse(line)

    @property
    def user_ns(self) -> dict[str, Any]:
        """The namespace sessions are put into: the shell's, which a loaded magic always has."""
        if self.shell is None:
            raise UsageError("%aws_sso needs an IPython shell: run `%load_ext ipyawssso` in one.")
        return cast(dict[str, Any], self.shell.user_ns)

    # --- subcommands: ``_cmd_<name>`` is ``%aws_sso <name>`` (see arguments.py) ----------------

    @subcommand(
        "Sign in (device code in the browser) and inject a boto3 session; creates the "
        "profile if it is new, asking for the account and role unless given.",
        common.PROFILE,
        *common.LOGIN,
        _VAR,
        _CLIENT,
        common.option(
            "--no-inject", action="store_true", help="do not put a session in a variable"
        ),
        _EXPORT,
        _SERVE,
        common.FORCE,
        common.TIMEOUT,
    )
    def _cmd_login(self, args: argparse.Namespace) -> None:
        """The cell blocks while it waits; where the kernel keeps widgets live while a cell
        awaits, the input transformer runs :meth:`aws_sso_awaitable` instead."""
        flow = self._login_flow(args, widgets=self.frontend.ui_poll)
        self._after_login(args, flow, flow.run())

    @subcommand(
        "Inject a session for a profile that is signed in (never asks anything).",
        common.option("profile", metavar="PROFILE"),
        _VAR,
        _CLIENT,
        _EXPORT,
        _SERVE,
    )
    def _cmd_use(self, args: argparse.Namespace) -> None:
        from ..core import api

        self._inject(args, api.session(args.profile), api.profile_name(args.profile))

    @subcommand(common.SUMMARY["whoami"], _RECENT_PROFILE)
    def _cmd_whoami(self, args: argparse.Namespace) -> None:
        from IPython.display import display

        from ..core import api
        from ..display import identity_bundle

        identity = api.whoami(self._recent(args.profile))
        self.last_profile = identity.profile
        display(identity_bundle(identity), raw=True)

    @subcommand(common.SUMMARY["status"])
    def _cmd_status(self, args: argparse.Namespace) -> None:
        from IPython.display import display

        from ..core import api
        from ..display import status_bundle
        from .serving import serving_lines

        display(status_bundle(api.status()), raw=True)
        for line in serving_lines():
            print(line)

    @subcommand("List the profiles in the AWS config with their sign-in status.")
    def _cmd_profiles(self, args: argparse.Namespace) -> None:
        from IPython.display import display

        from ..core import api
        from ..display import profiles_bundle

        display(profiles_bundle(api.profiles()), raw=True)

    @subcommand(
        "List the accounts and roles a sign-in may use.",
        _RECENT_PROFILE,
        common.option(
            "--session-name", metavar="NAME", help="an [sso-session] instead of a profile"
        ),
        common.option("--filter", metavar="TEXT", default="", help="words that must all match"),
        common.option("--refresh", action="store_true", help="ask the portal again"),
    )
    def _cmd_accounts(self, args: argparse.Namespace) -> None:
        from IPython.display import display

        from ..core import api
        from ..core.portal import filter_roles
        from ..display import roles_bundle

        if args.profile and args.session_name:
            raise UsageError("Give a PROFILE or --session-name, not both.")
        profile = None if args.session_name else self._recent(args.profile)
        roles = api.roles(profile, session_name=args.session_name, refresh=args.refresh)
        shown = filter_roles(roles, args.filter)
        display(roles_bundle(shown, total=len(roles), filter_text=args.filter), raw=True)

    @subcommand(common.SUMMARY["logout"], _RECENT_PROFILE, common.ALL)
    def _cmd_logout(self, args: argparse.Namespace) -> None:
        from ..core import api
        from .serving import stop_and_unexport

        if args.profile and args.all:
            raise UsageError("Give a PROFILE or --all, not both.")
        profile = None if args.all else self._recent(args.profile)
        ended = api.logout(profile, all=args.all)
        stopped = stop_and_unexport(None if args.all else api.profile_name(profile))
        if stopped:
            print("Stopped serving credentials for " + ", ".join(stopped) + ".")
        if not ended:
            print("There was no AWS sign-in to end.")
        else:
            print("Logged out of " + ", ".join(ended) + ".")

    @subcommand("Show the sign-in panel (widgets); the same as a bare %%aws_sso.", common.PROFILE)
    def _cmd_panel(self, args: argparse.Namespace) -> None:
        from IPython.display import display

        if self.frontend.kind != "kernel":
            raise UsageError(
                "The panel needs a notebook (JupyterLab, Notebook 7, VS Code). In a terminal, "
                "use `%aws_sso login PROFILE`."
            )
        from ..widgets import Panel

        display(
            Panel(
                args.profile,
                start_url=self.start_url,
                sso_region=self.sso_region,
                session_name=self.session_name,
                region=self.region,
                output=self.output,
                var_name=self.var_name,
                namespace=self.user_ns,
            )
        )

    @subcommand(
        "Open the AWS console as the profile's role (a button in a notebook, the browser in a "
        "terminal); the one-time sign-in link is never shown.",
        _RECENT_PROFILE,
        common.SERVICE,
    )
    def _cmd_console(self, args: argparse.Namespace) -> None:
        from IPython.display import display

        from ..core import api
        from ..core.console import console_destination, console_url
        from ..display import console_bundle

        profile = api.profile_name(self._recent(args.profile))
        console_destination(None, args.service)  # a bad service name is refused at once
        api.session(profile)  # an ended sign-in says so now, not when the button is pressed
        self.last_profile = profile
        if self.frontend.kind == "kernel":
            display(console_bundle(profile, service=args.service), raw=True)
            return
        import webbrowser

        if webbrowser.open(console_url(profile, service=args.service), new=2):
            print(f"Opened the AWS console for {profile!r} in your browser.")
        else:
            print(
                "No browser could be opened from here. Run `%aws_sso console` in JupyterLab or "
                "Notebook 7, where a button opens it."
            )

    def _recent(self, profile: str | None) -> str | None:
        """After ``login ai-dev`` or ``use ai-dev``, a bare ``whoami`` means ai-dev."""
        return profile or self.last_profile

    def _login_options(self, args: argparse.Namespace, profile: str) -> dict[str, Any]:
        """Flags win; traits fill in only for a profile that does not exist yet.

        The core treats a start URL or session name given for an existing profile as a
        request to reconfigure it, so a preset default must not be passed then.
        """
        from ..core import api

        traits: dict[str, Any] = {"timeout": self.login_timeout}
        if profile not in {p.profile.name for p in api.profiles()}:
            traits |= {
                "start_url": self.start_url,
                "sso_region": self.sso_region,
                "session_name": self.session_name,
                "region": self.region,
                "output": self.output,
                "scopes": tuple(self.scopes) or None,
            }
        given = common.login_keywords(args)
        return {name: traits.get(name) if value is None else value for name, value in given.items()}

    def _login_flow(self, args: argparse.Namespace, *, widgets: bool) -> LoginFlow:
        from ..core import api
        from .login_flow import LoginFlow

        profile = api.profile_name(args.profile)
        options = self._login_options(args, profile)
        _check_sso_region(profile, options)
        _say_if_re_pointed(profile, options)
        if args.profile is None and profile not in {p.profile.name for p in api.profiles()}:
            # A bare login creates a profile: say which, before a code or a picker appears.
            print(
                f"No PROFILE given: this signs in and creates the profile {profile!r} (the one "
                f"boto3 uses by default). To name it, run `%aws_sso login NAME`."
            )
        return LoginFlow(profile, options, frontend=self.frontend, widgets=widgets)

    def _after_login(
        self, args: argparse.Namespace, flow: LoginFlow, session: boto3.Session | None
    ) -> None:
        profile = flow.profile
        if session is None:  # a new run of the same cell replaced this one: it shows nothing
            return
        if args.no_inject:
            self.last_profile = profile
            if flow.card.outcome is None:  # else the device card's last line already says so
                print(f"Signed in to AWS for profile {profile!r}.")
            self._serve(args, profile)
            return
        self._inject(args, session, profile)

    def _serve(self, args: argparse.Namespace, profile: str) -> None:
        if args.serve:
            from .serving import serve_and_export

            print(serve_and_export(profile))

    def _inject(self, args: argparse.Namespace, session: boto3.Session, profile: str) -> None:
        from .injection import inject

        self.last_profile = profile
        clients: list[ClientSpec] = args.client
        lines = inject(
            self.user_ns,
            session,
            profile,
            var=args.var or self.var_name,
            clients=clients,
            export=bool(args.export_env) or self.export_env,
        )
        from IPython.display import display

        from ..display import code_text_bundle

        # `session` is code: <code> in HTML, plain in text (never literal backticks).
        display(code_text_bundle("\n".join(lines)), raw=True)
        self._serve(args, profile)

    def _sign_in_button(self, profile: str | None) -> None:
        """Under an expired-sign-in line: sign in again right there (the code shows under the
        error), then a button that runs the cell again (see widgets/sign_in_again.py)."""
        from IPython.display import display

        from ..widgets.sign_in_again import SignInAgain

        display(SignInAgain(profile, var_name=self.var_name, namespace=self.user_ns))


async def run_awaitable(shell: Any, line: str) -> None:
    """What the input transformer calls for a top-level ``%aws_sso login`` (see frontends)."""
    magics = shell.magics_manager.registry.get(AwsSsoMagics.__name__)
    if magics is None:
        raise UsageError("%aws_sso is not loaded any more: run `%load_ext ipyawssso` again.")
    await magics.aws_sso_awaitable(line)


def load(ipython: Any) -> None:
    """Register ``%aws_sso``; on kernels that allow it, make login cells awaitable."""
    magics = AwsSsoMagics(ipython)
    ipython.register_magics(magics)
    if magics.frontend.comms_while_awaiting:
        ipython.input_transformers_post.append(magics.login_transformer)


def unload(ipython: Any) -> None:
    """Undo :func:`load`: the magic, the transformer and the expired sign-in handler."""
    magics = ipython.magics_manager.registry.pop(AwsSsoMagics.__name__, None)
    if magics is None:
        return
    magics.expiry_handler.uninstall()
    if ipython.magics_manager.magics["line"].get("aws_sso") == magics.aws_sso:
        del ipython.magics_manager.magics["line"]["aws_sso"]
    if magics.login_transformer in ipython.input_transformers_post:
        ipython.input_transformers_post.remove(magics.login_transformer)
    if magics in ipython.configurables:
        ipython.configurables.remove(magics)


def _check_sso_region(profile: str, options: dict[str, Any]) -> None:
    """``--sso-region`` for an existing profile must agree with the sign-in it uses, unless
    ``--start-url`` re-points that sign-in: a region the sign-in cannot use is refused here
    instead of being ignored; the same region is simply dropped."""
    wanted = options.get("sso_region")
    if not wanted or options.get("start_url"):
        return
    from ..core.aws_config import AwsConfig

    cfg = AwsConfig.load()
    existing = cfg.profiles.get(profile)
    if existing is None:
        return
    name = options.get("session_name") or existing.sso_session
    session = cfg.sso_sessions.get(name) if name else None
    current = session.region if session is not None else existing.sso_region
    if current is None:
        return
    if current == wanted:
        options["sso_region"] = None  # nothing to change: not a request to reconfigure
        return
    where = f"the sso-session {session.name!r}" if session is not None else "its start URL"
    raise UsageError(
        f"The profile {profile!r} signs in through {where} in {current}; --sso-region "
        f"{wanted} conflicts with it. Leave --sso-region out, or move the sign-in with "
        f"`%aws_sso login {profile} --start-url URL --sso-region {wanted}`."
    )


def _say_if_re_pointed(profile: str, options: dict[str, Any]) -> None:
    """A new start URL for an existing sso-session is a new sign-in (its old token was issued
    for the old organisation): say so before a code appears, not after."""
    url = (options.get("start_url") or "").strip()
    if not url:
        return
    from ..core.aws_config import AwsConfig

    cfg = AwsConfig.load()
    existing = cfg.profiles.get(profile)
    name = options.get("session_name") or (existing.sso_session if existing else None)
    old = cfg.sso_sessions.get(name) if name else None
    if old is not None and old.start_url != url:
        print(
            f"The sso-session {name!r} signed in at {old.start_url}; it now points at {url}, "
            "so this is a new sign-in there."
        )


@functools.cache
def _command_line(owner: type[AwsSsoMagics]) -> CommandLine:
    """One per class, kept: its parsers are built once, on first use."""
    return CommandLine(
        owner,
        name="aws_sso",
        description=owner.aws_sso.__doc__ or "",
        examples=EXAMPLES,
        default="panel",
    )


# IPython's `%aws_sso?` asks the function for its page (oinspect.getdoc).
vars(AwsSsoMagics)["aws_sso"].getdoc = lambda: AwsSsoMagics.command_line().help_page()
