"""Tornado handlers of the REST API under ``<base_url>/ipyawssso/api/``.

    GET    status[?profile=NAME]   every sign-in, the SSO profiles, the profile "in use"
    GET    status/stamp             a fingerprint that changes when a sign-in or the config does
    POST   login   {profile, force?} start a device sign-in (or join the one in progress)
    GET    login/<id>               the sign-in's state, code and links
    DELETE login/<id>               cancel it
    POST   logout  {profile} | {all: true}
    POST   console {profile, service?}  a one-time AWS console sign-in link, for the browser
                                        to open at once (a bearer credential: never logged)
    GET    kernel-signins/<id>       whether a kernel still waits on that sign-in (its card asks)
    POST   kernel-signins/<id>/stop  {reason: cancel|rerun}: ask that kernel to stop waiting

Every handler requires an authenticated Jupyter user (token or cookie, plus XSRF for cookie
POSTs, as every Jupyter API) whom the server's Authorizer allows on the resource
``ipyawssso``. Blocking work (reading the cache, revoking tokens) runs in a thread so the
server's event loop never waits on the network.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, TypeVar

import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from .. import kernel_signins
from ..core import api
from ..core.errors import (
    ConfigError,
    IpyAwsSsoError,
    LoginRequired,
    NotAnSsoProfile,
    ProfileNotFound,
    ServiceError,
)
from .changes import disk_stamp
from .signins import SignInManager
from .views import StatusInputs, job_view, status_view
from .wording import lab_message

__all__ = ["setup_handlers"]

T = TypeVar("T")
NAMESPACE = "ipyawssso"
MANAGER_SETTING = "ipyawssso_sign_ins"


class BaseHandler(APIHandler):
    """JSON in, JSON out; core errors become 4xx answers whose message says what to do.

    Every method is also ``@authorized`` on the resource ``ipyawssso`` (GET reads, POST and
    DELETE write), so a deployment's Authorizer can allow status but refuse sign-in/log-out.
    """

    auth_resource = NAMESPACE

    @property
    def sign_ins(self) -> SignInManager:
        return self.settings[MANAGER_SETTING]

    def body(self) -> dict[str, Any]:
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            raise tornado.web.HTTPError(400, "The request body is not JSON.") from None
        if not isinstance(data, dict):
            raise tornado.web.HTTPError(400, "The request body must be a JSON object.")
        return data

    async def blocking(self, function: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(None, function)

    def answer(self, payload: dict[str, Any], status: int = 200) -> None:
        self.set_status(status)
        self.finish(json.dumps(payload))

    def refuse(self, error: IpyAwsSsoError) -> None:
        """Our errors carry a message meant for the user, worded for the lab (its status bar's
        Sign in…, the magic in a notebook); the status says whose fault it is."""
        if isinstance(error, ProfileNotFound):
            status = 404
        elif isinstance(error, ConfigError | NotAnSsoProfile):
            status = 400
        elif isinstance(error, ServiceError):
            status = 502  # IAM Identity Center (or the network to it) failed
        else:
            status = 500
        self.answer({"message": lab_message(error), "error": type(error).__name__}, status)


class StatusHandler(BaseHandler):
    # The status bar asks this on a timer: that is not the user working, and counting it would
    # keep an idle server alive forever under a JupyterHub idle culler (as /api/status does).
    _track_activity = False

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        requested = self.get_query_argument("profile", None) or None
        try:
            inputs = await self.blocking(StatusInputs.gather)
        except IpyAwsSsoError as error:
            self.refuse(error)
            return
        self.answer(
            status_view(inputs, requested=requested, last_profile=self.sign_ins.last_profile)
        )


class StampHandler(BaseHandler):
    _track_activity = False  # asked on a timer, like status (see StatusHandler)

    @tornado.web.authenticated
    @authorized
    def get(self) -> None:
        self.answer({"stamp": disk_stamp()})


class LoginHandler(BaseHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        data = self.body()
        profile = data.get("profile")
        if not isinstance(profile, str) or not profile:
            raise tornado.web.HTTPError(400, 'Say which profile to sign in: {"profile": NAME}.')
        force = bool(data.get("force", False))
        try:
            job, joined = await self.blocking(lambda: self.sign_ins.start(profile, force=force))
        except IpyAwsSsoError as error:
            self.refuse(error)
            return
        self.answer(job_view(job, joined=joined), 200 if joined else 201)


class LoginJobHandler(BaseHandler):
    def job_or_404(self, job_id: str) -> Any:
        job = self.sign_ins.get(job_id)
        if job is None:
            raise tornado.web.HTTPError(404, "No such sign-in (it ended more than 10 min ago).")
        return job

    @tornado.web.authenticated
    @authorized
    def get(self, job_id: str) -> None:
        self.answer(job_view(self.job_or_404(job_id)))

    @tornado.web.authenticated
    @authorized
    def delete(self, job_id: str) -> None:
        job = self.sign_ins.cancel(job_id) or self.job_or_404(job_id)
        self.answer(job_view(job))


class LogoutHandler(BaseHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        data = self.body()
        everything = bool(data.get("all", False))
        profile = data.get("profile")
        if not everything and (not isinstance(profile, str) or not profile):
            raise tornado.web.HTTPError(
                400, 'Say what to log out: {"profile": NAME} or {"all": true}.'
            )
        try:
            ended = await self.blocking(
                lambda: api.logout(None if everything else profile, all=everything)
            )
        except IpyAwsSsoError as error:
            self.refuse(error)
            return
        self.answer({"loggedOut": ended})


class ConsoleHandler(BaseHandler):
    """The console link is fetched when the button is pressed and opened at once by the
    page that asked; it is never stored, logged or cached (``Cache-Control: no-store``)."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        from ..core.console import console_url

        data = self.body()
        profile = data.get("profile")
        service = data.get("service") or None
        if not isinstance(profile, str) or not profile:
            raise tornado.web.HTTPError(400, 'Say which profile: {"profile": NAME}.')
        if service is not None and not isinstance(service, str):
            raise tornado.web.HTTPError(400, "service must be a console service name.")
        self.set_header("Cache-Control", "no-store")
        try:
            url = await self.blocking(lambda: console_url(profile, service=service))
        except LoginRequired as error:
            self.answer({"message": lab_message(error), "error": type(error).__name__}, 401)
            return
        except IpyAwsSsoError as error:
            self.refuse(error)
            return
        self.answer({"url": url})


class KernelSignInHandler(BaseHandler):
    """The kernels' waits (see ``ipyawssso.kernel_signins``): ids, profiles and states only."""

    _track_activity = False  # a waiting card asks on a timer, like status (see StatusHandler)

    def folder(self, sign_in_id: str) -> Any:
        folder = kernel_signins.signins_dir()
        if folder is None:
            raise tornado.web.HTTPError(404, "This server does not follow kernel sign-ins.")
        if not kernel_signins.valid_id(sign_in_id):
            raise tornado.web.HTTPError(400, "That is not a sign-in id.")
        kernel_signins.prune(folder)
        return folder

    @tornado.web.authenticated
    @authorized
    def get(self, sign_in_id: str) -> None:
        self.answer(kernel_signins.probe(self.folder(sign_in_id), sign_in_id))

    @tornado.web.authenticated
    @authorized
    def post(self, sign_in_id: str) -> None:
        reason = self.body().get("reason", "cancel")
        if reason not in kernel_signins.STOP_REASONS:
            raise tornado.web.HTTPError(400, 'Say why: {"reason": "cancel"} or "rerun".')
        self.answer(kernel_signins.request_stop(self.folder(sign_in_id), sign_in_id, reason))


def setup_handlers(web_app: tornado.web.Application, manager: SignInManager) -> None:
    base = url_path_join(web_app.settings["base_url"], NAMESPACE, "api")
    web_app.settings[MANAGER_SETTING] = manager
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, "status"), StatusHandler),
            (url_path_join(base, "status", "stamp"), StampHandler),
            (url_path_join(base, "login"), LoginHandler),
            (url_path_join(base, "login", r"([A-Za-z0-9_-]+)"), LoginJobHandler),
            (url_path_join(base, "logout"), LogoutHandler),
            (url_path_join(base, "console"), ConsoleHandler),
            (url_path_join(base, "kernel-signins", r"([A-Za-z0-9_-]+)"), KernelSignInHandler),
            (
                url_path_join(base, "kernel-signins", r"([A-Za-z0-9_-]+)", "stop"),
                KernelSignInHandler,
            ),
        ],
    )
