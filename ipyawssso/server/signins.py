"""Device sign-ins run by the Jupyter server on behalf of the lab extension.

The browser cannot run the device flow itself (it would need the client secret and would hold
the token), so the server runs :func:`ipyawssso.core.api.sign_in` in a background thread and the
browser polls the job's public state: the user code, the verification links and the outcome.
The token goes straight into the shared cache, where every kernel and ``aws`` command finds it.

One job per sign-in (sso-session, or start URL for legacy profiles): a second request for any
profile of the same sso-session joins the job in progress instead of starting a second flow,
so two clicks never show two different codes.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..core import api
from ..core.aws_config import AwsConfig
from ..core.errors import (
    AccessDenied,
    IpyAwsSsoError,
    LoginCancelled,
    LoginExpired,
    LoginTimeout,
    NotAnSsoProfile,
)
from ..core.models import DeviceAuthorization, LoginStatus
from .wording import lab_message

__all__ = ["FINAL_STATES", "SignInJob", "SignInManager", "sign_in_key"]

#: Job states. ``starting`` lasts until IAM Identity Center hands out a code.
STARTING, PENDING, SIGNED_IN = "starting", "pending", "signed_in"
EXPIRED, DENIED, CANCELLED, ERROR = "expired", "denied", "cancelled", "error"
FINAL_STATES = frozenset({SIGNED_IN, EXPIRED, DENIED, CANCELLED, ERROR})
#: Finished jobs stay readable this long, so a browser that polls late still sees the outcome.
KEEP_FINISHED = 600.0

SignInFunction = Callable[..., LoginStatus]


def sign_in_key(profile: str, config: AwsConfig | None = None) -> str:
    """The sign-in a profile uses: its sso-session name, or its start URL (legacy profiles)."""
    cfg = config or AwsConfig.load()
    prof = cfg.profile(profile)
    if prof.sso_session:
        return prof.sso_session
    if prof.start_url:
        return prof.start_url
    raise NotAnSsoProfile(profile)


@dataclass
class SignInJob:
    """One device sign-in; mutated only by its worker thread, under the manager's lock."""

    id: str
    key: str
    profile: str
    state: str = STARTING
    authorization: DeviceAuthorization | None = None
    message: str = ""
    result: LoginStatus | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    finished_at: float | None = None

    @property
    def finished(self) -> bool:
        return self.state in FINAL_STATES


class SignInManager:
    """Starts, joins, follows and cancels sign-ins; remembers the most recent one.

    ``sign_in`` is the core function by default; it is a constructor argument so the outcome
    handling can be exercised with a function that fails on purpose.
    """

    def __init__(
        self,
        sign_in: SignInFunction | None = None,
        *,
        log: logging.Logger | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sign_in = sign_in or api.sign_in
        self._log = log or logging.getLogger(__name__)
        self._clock = clock
        self._lock = threading.Lock()
        self._jobs: dict[str, SignInJob] = {}
        self._threads: dict[str, threading.Thread] = {}
        self.last_profile: str | None = None

    # --- requests ---------------------------------------------------------------------------

    def start(self, profile: str, *, force: bool = False) -> tuple[SignInJob, bool]:
        """The job for ``profile``'s sign-in and whether it was already running (joined)."""
        key = sign_in_key(profile)
        with self._lock:
            self._prune()
            self.last_profile = profile
            for job in self._jobs.values():
                if job.key == key and not job.finished:
                    return job, True
            job = SignInJob(id=secrets.token_urlsafe(12), key=key, profile=profile)
            self._jobs[job.id] = job
            thread = threading.Thread(
                target=self._run, args=(job, force), name=f"ipyawssso-sign-in-{key}", daemon=True
            )
            self._threads[job.id] = thread
        thread.start()
        return job, False

    def get(self, job_id: str) -> SignInJob | None:
        with self._lock:
            self._prune()
            return self._jobs.get(job_id)

    def cancel(self, job_id: str) -> SignInJob | None:
        """Ask the job to stop; the core notices within a fraction of a second."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None:
            job.cancel.set()
        return job

    def active(self) -> list[SignInJob]:
        with self._lock:
            return [job for job in self._jobs.values() if not job.finished]

    def shutdown(self, timeout: float = 5.0) -> None:
        """Cancel every running sign-in and wait (bounded) for the threads to end."""
        with self._lock:
            jobs = [job for job in self._jobs.values() if not job.finished]
            threads = [self._threads[job.id] for job in jobs if job.id in self._threads]
        for job in jobs:
            job.cancel.set()
        deadline = self._clock() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - self._clock()))

    def wait(self, job_id: str, timeout: float) -> SignInJob | None:
        """Block until the job ends or ``timeout`` passes (for tests and shutdown)."""
        with self._lock:
            thread = self._threads.get(job_id)
        if thread is not None:
            thread.join(timeout)
        return self.get(job_id)

    # --- the worker ---------------------------------------------------------------------------

    def _run(self, job: SignInJob, force: bool) -> None:
        def on_pending(authorization: DeviceAuthorization) -> None:
            with self._lock:
                job.authorization = authorization
                job.state = PENDING

        state, message, result = ERROR, "", None
        try:
            result = self._sign_in(
                job.profile, force=force, on_pending=on_pending, cancel=job.cancel
            )
            state = SIGNED_IN
        except LoginCancelled as exc:
            state, message = CANCELLED, lab_message(exc)
        except (LoginExpired, LoginTimeout) as exc:
            state, message = EXPIRED, lab_message(exc)
        except AccessDenied as exc:
            state, message = DENIED, lab_message(exc)
        except IpyAwsSsoError as exc:
            state, message = ERROR, lab_message(exc)
        except Exception as exc:  # the browser must learn that it failed, whatever it was
            self._log.exception("ipyawssso: sign-in for profile %r failed", job.profile)
            message = (
                f"The sign-in failed unexpectedly ({type(exc).__name__}). The Jupyter server "
                "log has the details; try again, and report it if it keeps happening."
            )
        with self._lock:
            job.state, job.message, job.result = state, message, result
            job.finished_at = self._clock()
            self._threads.pop(job.id, None)

    def _prune(self) -> None:
        now = self._clock()
        for job_id, job in list(self._jobs.items()):
            if job.finished_at is not None and now - job.finished_at > KEEP_FINISHED:
                del self._jobs[job_id]
