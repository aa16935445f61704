"""One core error, five readers: each front end words the same facts for its own user.

Python (``str(error)``) gets calls and keyword arguments, the magic ``%aws_sso`` commands and
flags, the terminal command ``ipyawssso`` ones, the panel its fields and buttons, and the lab
(the REST API's ``message``) its status bar, or the magic to type in a notebook.
"""

from __future__ import annotations

import threading

import pytest

from ipyawssso import cli
from ipyawssso.command_wording import MAGIC, TERMINAL
from ipyawssso.core import api
from ipyawssso.core.errors import (
    PYTHON,
    InvalidValueError,
    IpyAwsSsoError,
    LoginRequired,
    NotAnSsoProfile,
    Option,
    ProfileNotFound,
    Wording,
    render,
)
from ipyawssso.core.models import Account, Role
from ipyawssso.server.wording import LAB
from ipyawssso.widgets.panel import describe_error
from ipyawssso.widgets.wording import PANEL

ACCOUNTS = [Account("100000000001", "dev"), Account("100000000002", "prod")]
ROLES = [Role("100000000001", "ReadOnly", "dev"), Role("100000000002", "Admin", "prod")]


class Catalog:
    """What ``_pick_role`` asks of a RoleCatalog, from two lists (no portal)."""

    def cached(self) -> list[Role]:
        return []

    def accounts(self, cancel: threading.Event | None = None) -> list[Account]:
        return ACCOUNTS

    def roles_for(self, account_id: str, cancel: threading.Event | None = None) -> list[Role]:
        return [r for r in ROLES if r.account_id == account_id]

    def forget_roles(self, account_id: str) -> None:
        pass

    def prefetch(self, cancel: threading.Event | None = None) -> list[Role]:
        return ROLES


def pick(account_id: str | None, role_name: str | None) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        api._pick_role(Catalog(), account_id, role_name, None, None)  # type: ignore[arg-type]
    return info.value


def missing_region() -> InvalidValueError:
    """As ``login(start_url=...)`` raises it (tests/unit/core/test_error_facts.py)."""
    return InvalidValueError(
        "The SSO region is missing. Pass ",
        Option("sso_region"),
        " (the region of your IAM Identity Center, e.g. us-east-1).",
        field="sso_region",
    )


FRONT_ENDS: dict[str, Wording] = {
    "python": PYTHON,
    "magic": MAGIC,
    "terminal": TERMINAL,
    "panel": PANEL,
    "lab": LAB,
}


def samples() -> dict[str, IpyAwsSsoError]:
    return {
        "login required": LoginRequired("ai-dev", "the sign-in expired"),
        "no such profile": ProfileNotFound("nobody", "/home/me/.aws/config"),
        "keys profile": NotAnSsoProfile("keys", "static"),
        "plain profile": NotAnSsoProfile("plain"),
        "missing region": missing_region(),
        "no such account": pick("100000000009", "ReadOnly"),
        "no such role": pick(None, "Nope"),
        "many accounts": pick(None, None),
    }


#: Words that belong to one front end and must never reach the others.
FOREIGN = {
    "python": ["%aws_sso", "--", "ipyawssso login", "button", "status bar"],
    "magic": ["ipyawssso.", "sso_region=", "ipyawssso login", "button", "status bar"],
    "terminal": ["%aws_sso", "sso_region=", "button", "status bar"],
    "panel": ["%aws_sso", "--", "sso_region=", "status bar"],
    "lab": ["ipyawssso.", "=...", "sso_region=", "ipyawssso login", "button"],
}


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_each_front_end_reads_only_its_own_words(front_end: str) -> None:
    for name, error in samples().items():
        text = error.worded(FRONT_ENDS[front_end])
        assert "\n" not in text and text.endswith("."), (name, text)
        for word in FOREIGN[front_end]:
            assert word not in text, (name, word, text)
        assert error.worded(PYTHON) == str(error)


def test_a_sign_in_needed():
    error = LoginRequired("ai-dev", "the sign-in expired")
    start = "AWS sign-in needed for ai-dev: the sign-in expired. "
    assert {k: w[len(start) :] for k, w in worded(error).items()} == {
        "python": "Run `ipyawssso.login('ai-dev')`.",
        "magic": "Run `%aws_sso login ai-dev`.",
        "terminal": "Run `ipyawssso login ai-dev`.",
        "panel": "Press the Sign in again button of 'ai-dev' in the profile list.",
        "lab": "Use Sign in… in the AWS status bar.",
    }


def worded(error: IpyAwsSsoError) -> dict[str, str]:
    return {name: error.worded(wording) for name, wording in FRONT_ENDS.items()}


def test_a_profile_that_is_not_there():
    error = ProfileNotFound("nobody", "/c")
    start = "The profile 'nobody' is not in /c. "
    assert {k: w[len(start) :] for k, w in worded(error).items()} == {
        "python": "Create it with `ipyawssso.login('nobody', start_url=..., sso_region=...)`, "
        "or list existing ones with `ipyawssso.profiles()`.",
        "magic": "Create it with `%aws_sso login nobody --start-url URL --sso-region REGION`, "
        "or list existing ones with `%aws_sso profiles`.",
        "terminal": "Create it with `ipyawssso login nobody --start-url URL --sso-region "
        "REGION`, or list existing ones with `ipyawssso status`.",
        "panel": "Create it with the Sign in button (Start URL and SSO region filled in), or "
        "list existing ones with the profile list.",
        "lab": "Create it with `%aws_sso login nobody --start-url URL --sso-region REGION` in a "
        "notebook, or list existing ones with Sign in… in the AWS status bar.",
    }


def test_a_profile_name_a_command_line_must_quote_is_quoted():
    assert "`%aws_sso login 'my dev' --start-url URL" in ProfileNotFound("my dev", "/c").worded(
        MAGIC
    )
    assert "`ipyawssso.login('my dev'," in str(ProfileNotFound("my dev", "/c"))


def test_a_profile_that_is_not_sso():
    keys = worded(NotAnSsoProfile("keys", "static"))
    assert keys["python"].endswith("boto3 uses it as it is (`ipyawssso.session('keys')`).")
    assert keys["magic"].endswith("boto3 uses it as it is (`%aws_sso use keys`).")
    assert keys["terminal"] == keys["python"]  # the terminal command has no `use`
    assert keys["panel"].endswith("(the Use button of 'keys' in the profile list).")
    assert keys["lab"].endswith("(`%aws_sso use keys` in a notebook).")
    plain = worded(NotAnSsoProfile("plain"))
    assert plain["python"].endswith(
        "or create one with `ipyawssso.login('NAME', start_url=..., sso_region=...)`."
    )
    assert plain["magic"].endswith(
        "or create one with `%aws_sso login NAME --start-url URL --sso-region REGION`."
    )
    assert plain["terminal"].endswith(
        "or create one with `ipyawssso login NAME --start-url URL --sso-region REGION`."
    )
    assert plain["panel"].endswith(
        "or create one with the Sign in button (Start URL and SSO region filled in)."
    )
    assert plain["lab"].endswith(
        "or create one with `%aws_sso login NAME --start-url URL --sso-region REGION` in a "
        "notebook."
    )


def test_a_value_asked_for_is_a_keyword_a_flag_or_a_field():
    texts = worded(missing_region())
    pass_ = {k: w.split("Pass ")[1].split(" (the region")[0] for k, w in texts.items()}
    assert pass_ == {
        "python": "sso_region=",
        "magic": "--sso-region",
        "terminal": "--sso-region",
        "panel": "the SSO region field",
        "lab": "`%aws_sso login --sso-region` in a notebook",
    }
    assert describe_error(missing_region()) == texts["panel"]


def test_accounts_and_roles_not_found_name_the_listing():
    listing = {
        "python": "`ipyawssso.roles()`",
        "magic": "`%aws_sso accounts`",
        "terminal": "`ipyawssso.roles()`",  # no accounts subcommand in a terminal
        "panel": "the role picker",
        "lab": "`%aws_sso accounts` in a notebook",
    }
    account = worded(pick("100000000009", "ReadOnly"))
    role = worded(pick(None, "Nope"))
    many = worded(pick(None, None))
    for front_end, words in listing.items():
        assert account[front_end].endswith(
            f"you may use. Did you mean '100000000002' or '100000000001'? See them with {words}."
        )
        assert role[front_end].endswith(f"Check the role name (see yours with {words}).")
        assert f"(see them with {words}), or run the login" in many[front_end]
    assert many["magic"].startswith("You can use 2 accounts: pass --account-id and --role-name ")
    assert many["python"].startswith("You can use 2 accounts: pass account_id= and role_name= ")


def test_the_terminal_command_prints_its_own_words(aws_home, capsys):
    assert cli.main(["whoami", "nobody"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ipyawssso: The profile 'nobody' is not in ")
    assert "`ipyawssso login nobody --start-url URL --sso-region REGION`" in err
    assert "`ipyawssso status`." in err
    assert cli.main(["login", "ai-dev", "--start-url", "https://acme.awsapps.com/start"]) == 1
    err = capsys.readouterr().err
    assert "Pass --sso-region (the region" in err and "sso_region=" not in err


def test_the_table_in_the_errors_module_shows_what_the_front_ends_say():
    from ipyawssso.core import errors

    doc = errors.__doc__ or ""
    step = errors.NextStep("login", "p")
    for wording in FRONT_ENDS.values():
        assert wording.option("sso_region") in doc
        words = render(("x. ", step), wording)[3:]
        assert words[:32].replace("…", "...") in doc, words
