"""%aws_sso's arguments: every user mistake is one UsageError line, and the help is complete."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

from ipyawssso.magics import AwsSsoMagics

SUBCOMMANDS = list(AwsSsoMagics.command_line().subcommands)


def test_comments_are_not_arguments(magics):
    assert magics.parse("status  # every sign-in").command == "status"
    assert magics.parse("accounts --filter '#ml'").filter == "#ml"


def test_bare_magic_and_a_lone_profile_mean_the_panel(magics):
    assert magics.parse("").command == "panel"
    args = magics.parse("ai-dev")
    assert (args.command, args.profile) == ("panel", "ai-dev")


def test_login_parses_every_option(magics):
    args = magics.parse(
        "login ai-dev --start-url https://acme.awsapps.com/start --sso-region eu-west-1 "
        "--session-name acme --account-id 123456789012 --role-name Dev --region us-west-2 "
        "--output json --scopes sso:account:access,other --var s --client bedrock-runtime "
        "--client s3=bucket --no-inject --export-env --force --timeout 90"
    )
    assert args.command == "login"
    assert args.profile == "ai-dev"
    assert args.account_id == "123456789012"
    assert args.scopes == ("sso:account:access", "other")
    assert [(c.service, c.name) for c in args.client] == [
        ("bedrock-runtime", "bedrock_runtime"),
        ("s3", "bucket"),
    ]
    assert args.timeout == 90.0
    assert args.no_inject and args.export_env and args.force


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("logni ai-dev", "did you mean `%aws_sso login`"),
        ("statsu", "did you mean `%aws_sso status`"),
        ("status --verbose", "%aws_sso status: unrecognized arguments: --verbose"),
        ("login --account-id 12345", "is not an AWS account id"),
        ("login --sso-region useast1", "is not an AWS region"),
        ("login --region 'us east 1'", "is not an AWS region"),
        ("login --output xml", "invalid choice: 'xml'"),
        ("login --timeout 0", "is not a number of seconds above 0"),
        ("login --timeout soon", "is not a number of seconds above 0"),
        ("login --var 2fast", "cannot be a Python variable name"),
        ("login --var class", "cannot be a Python variable name"),
        ("login --client bedrock-runtime=my-client", "cannot be a Python variable name"),
        ("login --client =x", "--client needs a service name"),
        ("login --scopes ,", "give one or more scopes"),
        ("use", "%aws_sso use: the following arguments are required: PROFILE"),
        ("whoami a b", "unrecognized arguments: b"),
        ("logout --everything", "unrecognized arguments: --everything"),
        ("login 'unclosed", "Cannot read the arguments"),
    ],
)
def test_mistakes_are_one_usage_error_line(shell, magics, line, message):
    with pytest.raises(UsageError) as info:
        shell.run_cell(f"%aws_sso {line}")
    text = str(info.value)
    assert message in text
    assert "\n" not in text


def test_conflicting_targets_are_refused_before_any_work(shell, magics, aws_home):
    with pytest.raises(UsageError, match="PROFILE or --all, not both"):
        shell.run_cell("%aws_sso logout ai-dev --all")
    with pytest.raises(UsageError, match="PROFILE or --session-name, not both"):
        shell.run_cell("%aws_sso accounts ai-dev --session-name acme")


def test_help_page_lists_every_subcommand_its_options_and_examples(shell, magics):
    page = shell.object_inspect_text("%aws_sso")
    for name in SUBCOMMANDS:
        assert f"%aws_sso {name}" in page
    for option in ("--start-url", "--account-id", "--client", "--export-env", "--filter", "--all"):
        assert option in page
    assert "Examples" in page


def test_dash_h_prints_the_subcommand_help(shell, magics, capsys):
    shell.run_cell("%aws_sso login -h")
    out = capsys.readouterr().out
    assert "--start-url" in out
    assert "--filter" not in out  # only login's options


def test_panel_is_refused_in_a_terminal(shell, magics):
    with pytest.raises(UsageError, match="The panel needs a notebook"):
        shell.run_cell("%aws_sso")


def test_loading_does_not_import_boto3_or_widgets(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "from traitlets.config import Config\n"
        "config = Config()\n"
        "config.HistoryManager.enabled = False\n"
        f"shell = InteractiveShell.instance(config=config, ipython_dir={str(tmp_path)!r})\n"
        "shell.run_line_magic('load_ext', 'ipyawssso')\n"
        "assert 'aws_sso' in shell.magics_manager.magics['line']\n"
        "print(sorted(m for m in ('boto3', 'botocore.session', 'ipywidgets', "
        "'ipyawssso.core.api', 'ipyawssso.core.models', 'jupyter_ui_poll') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_a_new_subcommand_is_one_marked_method(shell, capsys):
    """Adding ``_cmd_<name>`` with its ``@subcommand`` mark is all it takes: parsing, the
    dispatch, ``-h``, the ``%aws_sso?`` page and the mistyped-name hint all follow from it."""
    from IPython.core.magic import magics_class

    from ipyawssso.command_options import option
    from ipyawssso.magics.arguments import subcommand

    @magics_class
    class Greeting(AwsSsoMagics):
        @subcommand(
            "Say hello to a profile.", option("name"), option("--loud", action="store_true")
        )
        def _cmd_hello(self, args):  # type: ignore[no-untyped-def]
            print(("HELLO" if args.loud else "hello"), args.name)

    line = Greeting.command_line()
    assert list(line.subcommands)[-1] == "hello"
    assert list(line.subcommands)[:-1] == SUBCOMMANDS
    assert "hello" not in AwsSsoMagics.command_line().subcommands  # the base class is as it was
    assert "Say hello to a profile." in line.help_page()
    assert "--loud" in line.parsers["hello"].format_help()
    magic = Greeting(shell)
    args = magic.parse("hello ai-dev --loud")
    assert (args.command, args.name, args.loud) == ("hello", "ai-dev", True)
    with pytest.raises(UsageError, match="did you mean `%aws_sso hello`"):
        line.parse("helo ai-dev")
    with pytest.raises(UsageError, match="Did you mean --loud"):
        line.parse("hello ai-dev --lod")

    magic._run(args)
    assert capsys.readouterr().out == "HELLO ai-dev\n"


def test_subcommand_marks_only_go_on_cmd_methods():
    from ipyawssso.magics.arguments import subcommand

    with pytest.raises(TypeError, match="_cmd_<name>"):

        @subcommand("Nothing.")
        def hello(self, args):  # type: ignore[no-untyped-def]
            return None
