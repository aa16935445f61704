"""The panel without a browser: clicks, trait changes and the comm messages a browser sends.

The core is replaced by the small fakes in ``fakes.py`` (passed as ``backend=``), so these tests
are about the view: which step shows, what is enabled, what the core is asked for, and that
closing or cancelling stops the background threads.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest

from ipyawssso.core.errors import LoginRequired, ServiceError
from ipyawssso.core.models import LoginStatus, Profile, Role, SsoSession, utcnow
from ipyawssso.widgets import Panel
from ipyawssso.widgets.regions import identity_center_regions
from ipyawssso.widgets.tree import walk
from tests.unit.widgets.fakes import (
    START_URL,
    FakeBackend,
    FakeCatalog,
    FakeProfileStatus,
    browser_click,
    browser_update,
    make_accounts,
    wait_for,
)


@pytest.fixture
def catalog() -> FakeCatalog:
    accounts, roles = make_accounts(3, 2)
    return FakeCatalog(accounts, roles)


@pytest.fixture
def backend(catalog: FakeCatalog) -> FakeBackend:
    return FakeBackend(catalog_obj=catalog)


@pytest.fixture
def panels():
    made: list[Panel] = []
    yield made
    for panel in made:
        panel.close()


def _panel(panels: list[Panel], backend: FakeBackend, **kw) -> Panel:
    kw.setdefault("namespace", {})
    panel = Panel(backend=backend, **kw)
    panels.append(panel)
    return panel


def _to_picker(panel: Panel, backend: FakeBackend) -> None:
    browser_click(panel.settings.submit)
    wait_for(lambda: panel.step == "device", what="the device card")
    backend.approve.set()
    wait_for(lambda: panel.step == "picker", what="the picker")


# -- step 1: settings -------------------------------------------------------------------------


def test_settings_are_prefilled_from_arguments(panels, backend):
    panel = _panel(
        panels, backend, start_url=START_URL, sso_region="eu-west-1", session_name="acme"
    )
    assert panel.settings.values().start_url == START_URL
    assert panel.settings.values().sso_region == "eu-west-1"
    assert panel.settings.values().session_name == "acme"
    assert not panel.settings.submit.disabled
    assert panel.step == "settings"


def test_an_existing_sso_session_fills_url_and_region_when_chosen(panels, backend):
    backend.sessions = {
        "acme": SsoSession("acme", START_URL, "eu-central-1"),
        "labs": SsoSession("labs", "https://labs.awsapps.com/start", "us-west-2"),
    }
    panel = _panel(panels, backend)
    assert set(panel.settings.session_name.options) == {"acme", "labs"}
    assert panel.settings.submit.disabled  # two sessions: the person chooses
    browser_update(panel.settings.session_name, value="labs")
    assert panel.settings.start_url.value == "https://labs.awsapps.com/start"
    assert panel.settings.sso_region.value == "us-west-2"
    assert not panel.settings.submit.disabled


def test_the_only_sso_session_is_chosen_by_default(panels, backend):
    backend.sessions = {"acme": SsoSession("acme", START_URL, "eu-central-1")}
    panel = _panel(panels, backend)
    assert panel.settings.values().session_name == "acme"
    assert panel.settings.values().sso_region == "eu-central-1"


def test_a_start_url_suggests_a_session_name_until_one_is_typed(panels, backend):
    panel = _panel(panels, backend)
    browser_update(panel.settings.start_url, value="https://my-org.awsapps.com/start")
    assert panel.settings.session_name.value == "my-org"
    browser_update(panel.settings.session_name, value="work")
    browser_update(panel.settings.start_url, value="https://other.awsapps.com/start")
    assert panel.settings.session_name.value == "work"


def test_a_non_https_start_url_is_explained_and_cannot_be_submitted(panels, backend):
    panel = _panel(panels, backend, session_name="x")
    browser_update(panel.settings.start_url, value="http://my-org.awsapps.com/start")
    assert panel.settings.submit.disabled
    assert "https://" in panel.settings.hint.value
    browser_click(panel.settings.submit)
    assert backend.sign_in_calls == []


def test_the_sso_region_dropdown_lists_identity_center_regions():
    regions = {code for _, code in identity_center_regions()}
    assert {"us-east-1", "eu-central-1", "ap-southeast-2", "us-gov-west-1"} <= regions
    labels = dict((code, label) for label, code in identity_center_regions())
    assert labels["us-east-1"] == "us-east-1 — US East (N. Virginia)"


def test_var_name_must_be_an_identifier(backend):
    with pytest.raises(ValueError, match="not a Python variable name"):
        Panel(var_name="my session", backend=backend)


# -- step 2: device card ----------------------------------------------------------------------


def test_sign_in_shows_the_device_card_then_the_picker(panels, backend):
    panel = _panel(
        panels, backend, start_url=START_URL, sso_region="us-east-1", session_name="acme"
    )
    browser_click(panel.settings.submit)
    wait_for(lambda: panel.step == "device")
    card = panel.device.card.value
    assert 'href="https://device.sso.us-east-1.amazonaws.com/?user_code=WDJB-MJHT"' in card
    assert 'target="_blank"' in card and "Open sign-in page" in card
    assert "WDJB-MJHT" in card and "Copy code" in card
    assert "expires in 9:5" in panel.device.countdown.value or "expires in 10:00" in (
        panel.device.countdown.value
    )
    assert panel.settings.submit.disabled  # no second sign-in while one waits
    assert backend.sign_in_calls == [
        {
            "profile": None,
            "session_name": "acme",
            "start_url": START_URL,
            "sso_region": "us-east-1",
            "force": False,
        }
    ]
    backend.approve.set()
    wait_for(lambda: panel.step == "picker")
    assert not panel.runner.is_running("countdown")


def test_cancel_stops_the_waiting_thread_and_returns_to_the_settings(panels, backend):
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    browser_click(panel.settings.submit)
    wait_for(lambda: panel.step == "device")
    browser_click(panel.device.cancel)
    assert panel.step == "settings"
    assert backend.cancel_events[-1].is_set()
    assert "cancelled" in panel.status.value
    assert not panel.settings.submit.disabled
    wait_for(lambda: not panel.runner.running(), what="threads to stop")


def test_countdown_reaches_expired(panels, backend):
    panel = _panel(panels, backend)
    from ipyawssso.core.models import DeviceAuthorization

    panel.device.show(DeviceAuthorization("ABCD-EFGH", "https://x/", "https://x/?c", utcnow(), 1))
    assert panel.device.tick(utcnow() + timedelta(seconds=1)) <= 0
    assert "expired" in panel.device.countdown.value


# -- errors -----------------------------------------------------------------------------------


def test_an_error_shows_in_the_panel_and_retry_runs_it_again(panels, backend):
    backend.sign_in_errors.append(ServiceError("IAM Identity Center is down. Try again later."))
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    browser_click(panel.settings.submit)
    wait_for(lambda: panel.error_box.layout.display == "flex")
    assert "IAM Identity Center is down" in panel.error.value
    assert panel.step == "settings" and not panel.settings.submit.disabled
    browser_click(panel.retry)
    wait_for(lambda: panel.step == "device")
    assert panel.error_box.layout.display == "none"
    assert len(backend.sign_in_calls) == 2


def test_beside_a_retry_button_the_error_says_press_retry(panels, backend):
    from ipyawssso.core.errors import AccessDenied, LoginExpired

    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    panel.show_error(AccessDenied(), retry=lambda: None)
    assert "press Retry" in panel.error.value and "run the login again" not in panel.error.value
    panel.show_error(LoginExpired(), retry=lambda: None)
    assert "Press Retry" in panel.error.value and "Run the login" not in panel.error.value
    panel.show_error(LoginExpired())  # no button to press: the core's own words stay
    assert "Run the login again" in panel.error.value


def test_an_unexpected_error_says_what_failed_and_what_to_try(panels, backend):
    backend.sign_in_errors.append(ConnectionResetError("peer reset"))
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    browser_click(panel.settings.submit)
    wait_for(lambda: panel.error.value)
    assert "ConnectionResetError: peer reset" in panel.error.value
    assert "Retry" in panel.error.value


# -- step 3: picker ---------------------------------------------------------------------------


def _keys(picker) -> list[str]:
    """Every role key the page was handed, in its order (the page filters and draws them)."""
    return [f"{row[0]}/{role}" for row in picker.roles.accounts for role in row[3] or []]


def test_accounts_show_first_and_roles_fill_in_after_the_prefetch(panels, catalog):
    catalog.release.clear()
    backend = FakeBackend(catalog_obj=catalog)
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    _to_picker(panel, backend)
    picker = panel.picker
    wait_for(lambda: ("prefetch", None) in catalog.calls)
    wait_for(lambda: picker.progress_box.layout.display == "flex")
    # Prefetch held: only what roles_for loaded for the accounts in view (all three fit).
    wait_for(lambda: all(row[3] is not None for row in picker.roles.accounts))
    assert ("prioritize", "100000000001") in catalog.calls
    catalog.release.set()
    wait_for(lambda: picker.complete)
    assert picker.progress_box.layout.display == "none"
    assert len(_keys(picker)) == 6
    # One entry per account: its id, name and email once, then its role names.
    assert picker.roles.accounts[0] == [
        "100000000001",
        "team-0001",
        "aws+team-0001@example.com",
        ["DataScientist", "ReadOnly"],
    ]


def test_accounts_in_view_or_opened_load_before_the_rest(panels):
    accounts, roles = make_accounts(40, 2)
    catalog = FakeCatalog(accounts, roles, hold_prefetch=True)
    backend = FakeBackend(catalog_obj=catalog)
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    _to_picker(panel, backend)
    picker = panel.picker
    wait_for(lambda: picker.index.account_count == 40)
    # The twelve accounts the list shows load first; the prefetch (held here) does the rest.
    wait_for(lambda: picker.index.loaded("100000000012"))
    assert not picker.index.loaded("100000000013")
    loading = [row for row in picker.roles.accounts if row[3] is None]
    assert loading and loading[0][0] == "100000000013"  # "loading roles…" in the page

    # The page says which loading accounts it shows (a search, an opened group): first.
    target = "100000000037"
    browser_update(picker.roles, query="team-0037", wanted=[target])
    wait_for(lambda: picker.index.loaded(target), what="the searched account's roles")
    assert ("prioritize", target) in catalog.calls
    wait_for(lambda: f"{target}/DataScientist" in _keys(picker))
    assert ("roles_for", "100000000030") not in catalog.calls


def test_the_selection_enables_use_and_enter_uses_the_role_it_names(panels, backend):
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    _to_picker(panel, backend)
    picker = panel.picker
    wait_for(lambda: picker.complete)
    assert picker.use.disabled  # nothing selected yet (the page selects its first row)
    browser_update(picker.roles, selected="100000000002/ReadOnly")
    assert not picker.use.disabled
    assert "aws+team-0002@example.com" in picker.detail.value
    assert "role <b>ReadOnly</b>" in picker.detail.value
    browser_update(picker.roles, selected="")
    assert picker.use.disabled
    # Enter in the page sends the key with the event: that role is used, whatever the
    # selection the kernel has heard of so far.
    picker.roles.pick("100000000003/DataScientist")
    assert panel.step == "form"
    assert panel.form.name.value == "DataScientist-100000000003"


def test_favourites_and_recent_roles_are_kept_per_sign_in_outside_the_aws_config(
    panels, backend, aws_home
):
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    _to_picker(panel, backend)
    picker = panel.picker
    wait_for(lambda: picker.complete)
    picker.roles.favourite("100000000002/ReadOnly")
    assert picker.roles.pinned["favourites"] == ["100000000002/ReadOnly"]
    picker.roles.pick("100000000003/DataScientist")
    assert picker.roles.pinned["recent"] == ["100000000003/DataScientist"]
    from ipyawssso.widgets.picker_memory import settings_path

    assert str(settings_path()).startswith(str(aws_home))  # the test's own HOME
    saved = json.loads(settings_path().read_text())
    (scope,) = saved["picker"]
    assert saved["picker"][scope] == {
        "favourites": ["100000000002/ReadOnly"],
        "recent": ["100000000003/DataScientist"],
    }
    assert not (aws_home / ".aws" / "config").exists()  # never in the AWS config
    # The next picker for the same sign-in starts with them on top; a second star unpins.
    picker.load(backend.catalog_obj)
    assert picker.roles.pinned["favourites"] == ["100000000002/ReadOnly"]
    picker.roles.favourite("100000000002/ReadOnly")
    assert picker.roles.pinned["favourites"] == []


def test_5000_roles_reach_the_page_once_and_are_bounded_there(panels):
    accounts, roles = make_accounts(1000, 5)
    catalog = FakeCatalog(accounts, roles)
    backend = FakeBackend(catalog_obj=catalog, device_flow=False)
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    browser_click(panel.settings.submit)
    wait_for(lambda: panel.picker.complete)
    picker = panel.picker
    assert picker.index.role_count == 5000
    assert len(_keys(picker)) == 5000
    assert picker.roles.limit == 200  # rows the page may put in the DOM at once
    size = len(json.dumps(picker.roles.accounts))
    print(f"\npicker: 5,000 roles in 1,000 accounts are {size / 1024:.0f} KiB of JSON, sent once")


def test_cached_roles_show_at_once_and_are_refreshed_quietly(panels):
    accounts, roles = make_accounts(2, 1)
    cached = [Role(a.account_id, "Stale", a.name, a.email) for a in accounts]
    catalog = FakeCatalog(accounts, roles, cached=cached, hold_prefetch=True)
    backend = FakeBackend(catalog_obj=catalog, device_flow=False)
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    browser_click(panel.settings.submit)
    wait_for(lambda: any(k.endswith("/Stale") for k in _keys(panel.picker)))
    assert ("accounts", True) in catalog.calls  # the list is refreshed from the portal
    catalog.release.set()
    wait_for(lambda: panel.picker.complete)
    assert [k.split("/")[1] for k in _keys(panel.picker)] == ["ReadOnly", "ReadOnly"]


def test_a_failed_account_listing_offers_retry(panels, catalog, backend):
    catalog.fail_accounts.append(ServiceError("Listing AWS accounts failed. Try again."))
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    _to_picker(panel, backend)
    wait_for(lambda: panel.error_box.layout.display == "flex")
    assert "Listing AWS accounts failed" in panel.error.value
    browser_click(panel.retry)
    wait_for(lambda: panel.picker.complete)
    assert len(_keys(panel.picker)) == 6


def test_back_from_the_picker_stops_loading(panels, catalog):
    catalog.release.clear()
    backend = FakeBackend(catalog_obj=catalog)
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    _to_picker(panel, backend)
    wait_for(lambda: catalog.prefetch_cancel is not None)
    browser_click(panel.picker.back)
    assert panel.step == "settings"
    assert catalog.prefetch_cancel.is_set()
    wait_for(lambda: not panel.runner.running())


# -- step 4 and 5: profile form, done ---------------------------------------------------------


def _to_form(panel: Panel, backend: FakeBackend, key: str = "100000000003/DataScientist") -> None:
    _to_picker(panel, backend)
    wait_for(lambda: panel.picker.complete)
    browser_update(panel.picker.roles, selected=key)
    browser_click(panel.picker.use)
    assert panel.step == "form"


def test_the_form_suggests_a_name_and_previews_the_change(panels, backend):
    panel = _panel(
        panels, backend, start_url=START_URL, session_name="acme", sso_region="eu-west-1"
    )
    _to_form(panel, backend)
    form = panel.form
    assert form.name.value == "DataScientist-100000000003"
    assert form.region.value == "eu-west-1"  # the SSO region, until one is chosen
    assert "+[profile DataScientist-100000000003]" in form.preview.value
    assert "+region = eu-west-1" in form.preview.value
    browser_update(form.output, index=1)
    assert form.output.value == "json"
    assert "+output = json" in form.preview.value
    browser_update(form.name, value="ai-dev")
    assert "+[profile ai-dev]" in form.preview.value
    assert not form.write.disabled
    # The new [sso-session] was written when the sign-in succeeded: the form says so.
    assert "acme" in backend.sessions
    assert "[sso-session acme] was written to ~/.aws/config at " in form.written.value
    assert "when the sign-in succeeded" in form.written.value


def test_a_sign_in_to_a_known_session_wrote_nothing_and_says_nothing(panels, backend):
    backend.sessions["acme"] = SsoSession("acme", START_URL, "us-east-1")
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    _to_form(panel, backend)
    assert panel.form.written.value == ""


def test_the_profile_argument_names_the_new_profile(panels, backend):
    panel = _panel(panels, backend, profile="ai-dev", start_url=START_URL, session_name="acme")
    _to_form(panel, backend)
    assert panel.form.name.value == "ai-dev"


def test_a_name_the_core_refuses_shows_why_and_cannot_be_written(panels, backend):
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    _to_form(panel, backend)
    browser_update(panel.form.name, value="bad[name]")
    assert panel.form.write.disabled
    assert "bracket" in panel.form.name_hint.value
    assert panel.form.preview.value == ""
    browser_update(panel.form.name, value="")
    assert panel.form.write.disabled
    assert "Give the profile a name" in panel.form.name_hint.value


def test_the_credential_process_sibling_is_previewed_then_written(panels, backend):
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    _to_form(panel, backend)
    browser_update(panel.form.name, value="ai-dev")
    assert "ai-dev-process" not in panel.form.preview.value
    browser_update(panel.form.process, value=True)
    assert "[profile ai-dev-process]" in panel.form.preview.value
    assert "credential_process" in panel.form.preview.value
    browser_click(panel.form.write)
    wait_for(lambda: panel.step == "done")
    assert backend.saved[0]["process_profile"] is True


def test_write_injects_the_session_and_shows_who_it_is(panels, backend):
    namespace: dict = {}
    panel = _panel(
        panels,
        backend,
        start_url=START_URL,
        session_name="acme",
        namespace=namespace,
        var_name="aws",
        region="us-west-2",
        output="yaml",
    )
    _to_form(panel, backend)
    browser_update(panel.form.name, value="ai-dev")
    browser_click(panel.form.write)
    wait_for(lambda: panel.step == "done")
    assert backend.saved == [
        {
            "profile": "ai-dev",
            "session_name": "acme",
            "account_id": "100000000003",
            "role_name": "DataScientist",
            "region": "us-west-2",
            "output": "yaml",
            "process_profile": False,
        }
    ]
    assert namespace["aws"].profile_name == "ai-dev"
    assert panel.session is namespace["aws"]
    assert "<code>aws</code> now holds" in panel.done.summary.value
    assert "arn:aws:sts::100000000003:assumed-role/DataScientist/ada@example.com" in (
        panel.done.identity.value
    )
    assert "aws = ipyawssso.session(&#x27;ai-dev&#x27;)" in panel.done.code.value
    assert "Copy code snippet" in panel.done.code.value


def test_a_failed_write_keeps_the_form_and_offers_retry(panels, backend):
    backend.write_errors.append(ServiceError("The config is locked. Try again."))
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    _to_form(panel, backend)
    browser_click(panel.form.write)
    wait_for(lambda: panel.error.value)
    assert panel.step == "form" and not panel.form.write.disabled
    browser_click(panel.retry)
    wait_for(lambda: panel.step == "done")


# -- existing profiles ------------------------------------------------------------------------


def _statuses() -> list[FakeProfileStatus]:
    soon = utcnow() + timedelta(hours=7, minutes=12, seconds=30)
    signed = LoginStatus("acme", START_URL, "us-east-1", soon)
    old = LoginStatus("acme", START_URL, "us-east-1", utcnow() - timedelta(hours=1))
    return [
        FakeProfileStatus(Profile("ai-dev", "acme", account_id="1", role_name="R"), signed),
        FakeProfileStatus(Profile("stale", "acme", account_id="2", role_name="R"), old),
        FakeProfileStatus(Profile("keys"), None),
    ]


def test_existing_profiles_are_listed_with_their_status(panels, backend):
    backend.statuses = _statuses()
    panel = _panel(panels, backend, profile="stale")
    texts = [row.children[0].value for row in panel.profiles.rows.children]
    assert "stale" in texts[0]  # the profile asked for comes first
    assert "sign-in expired" in texts[0]
    assert "signed in · 7h12m left" in texts[1]  # the same clock as %aws_sso and the status bar
    assert "not an IAM Identity Center profile" in texts[2]
    assert set(panel.profiles.buttons) == {"ai-dev", "stale"}


def test_use_signs_in_only_if_needed_and_injects_the_session(panels, backend):
    backend.statuses = _statuses()
    backend.device_flow = False
    namespace: dict = {}
    panel = _panel(panels, backend, namespace=namespace)
    use, _again = panel.profiles.buttons["ai-dev"]
    browser_click(use)
    wait_for(lambda: panel.step == "done")
    assert backend.sign_in_calls[-1]["profile"] == "ai-dev"
    assert backend.sign_in_calls[-1]["force"] is False
    assert namespace["session"].profile_name == "ai-dev"


def test_sign_in_again_forces_a_device_sign_in(panels, backend):
    backend.statuses = _statuses()
    panel = _panel(panels, backend)
    _use, again = panel.profiles.buttons["stale"]
    browser_click(again)
    wait_for(lambda: panel.step == "device")
    assert backend.sign_in_calls[-1] == {
        "profile": "stale",
        "session_name": None,
        "start_url": None,
        "sso_region": None,
        "force": True,
    }
    backend.approve.set()
    wait_for(lambda: panel.step == "done")


def test_a_profile_that_needs_sign_in_shows_the_cores_message(panels, backend):
    backend.statuses = _statuses()
    backend.sign_in_errors.append(LoginRequired("stale"))
    panel = _panel(panels, backend)
    browser_click(panel.profiles.buttons["stale"][0])
    wait_for(lambda: panel.error.value)
    assert "Press the Sign in again button of &#x27;stale&#x27;" in panel.error.value


# -- close ------------------------------------------------------------------------------------


def test_close_stops_every_thread_and_closes_every_widget(backend):
    panel = Panel(backend=backend, namespace={}, start_url=START_URL, session_name="acme")
    widgets = [*walk(panel), panel.device, panel.picker, panel.form, panel.done]
    browser_click(panel.settings.submit)
    wait_for(lambda: panel.step == "device")
    threads = [t for t in threading.enumerate() if t.name.startswith("ipyawssso-")]
    assert {t.name for t in threads} >= {"ipyawssso-sign-in", "ipyawssso-countdown"}
    browser_click(panel.close_button)
    assert panel.closed
    assert backend.cancel_events[-1].is_set()
    for thread in threads:
        thread.join(5)
        assert not thread.is_alive(), thread.name
    assert all(widget.comm is None for widget in widgets)
    assert all(widget.comm is None for widget in walk(panel.picker))


def test_a_broken_config_is_explained_in_the_panel_which_still_opens(panels, backend):
    from ipyawssso.core.errors import ConfigParseError

    class Broken(FakeBackend):
        def profiles(self):
            raise ConfigParseError("/home/ada/.aws/config", 7, "a section header is not closed")

    broken = Broken(catalog_obj=backend.catalog_obj)
    panel = _panel(panels, broken, start_url=START_URL, session_name="acme")
    assert panel.error_box.layout.display == "flex"
    assert "line 7" in panel.error.value and "Fix that line by hand" in panel.error.value
    assert not panel.settings.submit.disabled  # signing in is still possible


def test_refresh_button_lists_every_role_again(panels):
    accounts, roles = make_accounts(2, 1)
    catalog = FakeCatalog(accounts, roles)
    backend = FakeBackend(catalog_obj=catalog, device_flow=False)
    panel = _panel(panels, backend, start_url=START_URL, session_name="acme")
    browser_click(panel.settings.submit)
    wait_for(lambda: panel.picker.complete)
    assert ("forget_roles", None) not in catalog.calls  # opening the picker keeps known roles
    browser_click(panel.picker.reload)
    wait_for(lambda: ("forget_roles", None) in catalog.calls)
    wait_for(lambda: panel.picker.complete)
    assert len(_keys(panel.picker)) == 2
