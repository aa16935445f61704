"""The sandbox's knobs and the deterministic directory of accounts and roles they describe.

Names and ids are derived from the knobs alone (no randomness), so a test, a notebook and a
screenshot all see the same ``sandbox-ml-001`` / ``100000000001`` / ``ReadOnly``. The first
accounts and roles match the files the real AWS CLI wrote in the project's fixtures.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

__all__ = [
    "DEFAULT_ROLE_NAMES",
    "RUNTIME_KNOBS",
    "AccountEntry",
    "SandboxConfig",
    "account_at",
    "account_count",
    "account_index",
    "directory_account",
    "role_names_for",
]

DEFAULT_ROLE_NAMES: tuple[str, ...] = (
    "ReadOnly",
    "USS_AI_DEV_Bedrock_Access",
    "AdministratorAccess",
    "PowerUser",
    "DataScientist",
    "Billing",
    "SecurityAudit",
    "NetworkAdmin",
    "DatabaseAdmin",
    "SupportUser",
)

_FIRST_ACCOUNT_ID = 100_000_000_000


@dataclass(frozen=True)
class SandboxConfig:
    """Everything that shapes the sandbox's behaviour; times are in seconds.

    ``rate_limit`` is portal calls per second across ListAccounts, ListAccountRoles,
    GetRoleCredentials and Logout (the real portal allows about 20); ``None`` means unlimited.
    ``auto_approve_after`` approves every device code that many seconds after it was issued,
    as ``user_name``, for unattended demos. ``slow_down_penalty`` is added to the required
    polling gap after each SlowDown (RFC 8628 asks clients for +5 s; 0 keeps tests fast).
    ``bedrock_denied_roles`` get AccessDeniedException from Bedrock, like a ReadOnly
    permission set would. ``assume_denied_roles`` (role names) refuse STS AssumeRole with
    AccessDenied, as a role whose trust policy does not name the caller.
    ``reserved_role_arns`` makes STS name roles as IAM Identity Center really does
    (``AWSReservedSSO_<role>_<hash>``) instead of plainly ``<role>``.
    ``hostile_names`` gives accounts names full of HTML, quotes, brackets and line breaks
    (``hostile.HOSTILE_NAMES``), for escaping tests; hostile role names go in ``role_names``.
    ``named_accounts`` are ``(account id, name)`` pairs listed before the ``accounts``
    numbered ones, with the same roles: documentation examples name ids like
    ``123456789012``, and run against the sandbox as written.
    """

    accounts: int = 3
    named_accounts: tuple[tuple[str, str], ...] = ()
    roles_per_account: int = 2
    role_names: tuple[str, ...] = DEFAULT_ROLE_NAMES
    latency: float = 0.0
    rate_limit: float | None = None
    page_size: int = 100
    poll_interval: int = 1
    slow_down_penalty: int = 0
    device_code_ttl: float = 600
    access_token_ttl: float = 28800
    refresh_token_ttl: float = 90 * 24 * 3600
    registration_ttl: float = 90 * 24 * 3600
    role_credentials_ttl: float = 3600
    auto_approve_after: float | None = None
    user_name: str = "ada@example.com"
    bedrock_denied_roles: frozenset[str] = field(default_factory=lambda: frozenset({"ReadOnly"}))
    assume_denied_roles: frozenset[str] = frozenset()
    verify_signatures: bool = True
    reserved_role_arns: bool = False
    hostile_names: bool = False
    start_url: str = "https://d-sandbox0001.awsapps.com/start"
    region: str = "us-east-1"
    port: int = 0
    verbose: bool = False

    def __post_init__(self) -> None:
        problems = []
        if self.accounts < 0:
            problems.append("accounts must be >= 0")
        if self.roles_per_account < 0:
            problems.append("roles_per_account must be >= 0")
        if not 1 <= self.page_size <= 100:
            problems.append("page_size must be between 1 and 100, as on the real portal")
        if self.poll_interval < 1:
            problems.append("poll_interval must be >= 1 (the API speaks whole seconds)")
        if self.rate_limit is not None and self.rate_limit <= 0:
            problems.append("rate_limit must be > 0 calls per second, or None for no limit")
        for name in (
            "latency",
            "device_code_ttl",
            "access_token_ttl",
            "refresh_token_ttl",
            "registration_ttl",
            "role_credentials_ttl",
        ):
            if getattr(self, name) < 0:
                problems.append(f"{name} must be >= 0 seconds")
        if self.auto_approve_after is not None and self.auto_approve_after < 0:
            problems.append("auto_approve_after must be >= 0 seconds, or None")
        if not self.start_url.startswith("https://"):
            problems.append("start_url must be an https URL, as IAM Identity Center's are")
        if not self.user_name:
            problems.append("user_name must not be empty")
        named_ids = [account_id for account_id, _ in self.named_accounts]
        if any(len(i) != 12 or not i.isdigit() for i in named_ids):
            problems.append("named_accounts ids must be 12 digits, as AWS account ids are")
        if len(set(named_ids)) != len(named_ids):
            problems.append("named_accounts ids must differ from each other")
        if problems:
            raise ValueError("Invalid sandbox settings: " + "; ".join(problems) + ".")
        object.__setattr__(self, "role_names", tuple(self.role_names))
        object.__setattr__(
            self, "named_accounts", tuple((str(i), str(n)) for i, n in self.named_accounts)
        )
        object.__setattr__(self, "bedrock_denied_roles", frozenset(self.bedrock_denied_roles))
        object.__setattr__(self, "assume_denied_roles", frozenset(self.assume_denied_roles))


#: Knobs that ``Sandbox.configure`` may change while the server runs.
RUNTIME_KNOBS: frozenset[str] = frozenset(
    f.name
    for f in dataclasses.fields(SandboxConfig)
    if f.name not in {"start_url", "region", "port"}
)


@dataclass(frozen=True)
class AccountEntry:
    account_id: str
    name: str
    email: str


def account_at(index: int) -> AccountEntry:
    """The ``index``-th account (0-based): ids ``100000000001`` on, names ``sandbox-ml-001`` on."""
    number = index + 1
    name = f"sandbox-ml-{number:03d}"
    return AccountEntry(
        account_id=f"{_FIRST_ACCOUNT_ID + number:012d}",
        name=name,
        email=f"aws+{name}@example.com",
    )


def account_count(config: SandboxConfig) -> int:
    """How many accounts the directory lists: the named ones, then the numbered ones."""
    return len(config.named_accounts) + config.accounts


def directory_account(config: SandboxConfig, index: int) -> AccountEntry:
    """The ``index``-th account this directory lists (0-based): named accounts come first."""
    named = len(config.named_accounts)
    if index < named:
        account_id, name = config.named_accounts[index]
        return AccountEntry(account_id=account_id, name=name, email=f"aws+{name}@example.com")
    return account_at(index - named)


def account_index(config: SandboxConfig, account_id: str) -> int | None:
    """The index of ``account_id`` in this directory, or None when it is not assigned."""
    for index, (named_id, _) in enumerate(config.named_accounts):
        if named_id == account_id:
            return index
    if len(account_id) != 12 or not account_id.isdigit():
        return None
    index = int(account_id) - _FIRST_ACCOUNT_ID - 1
    return index + len(config.named_accounts) if 0 <= index < config.accounts else None


def role_names_for(config: SandboxConfig) -> tuple[str, ...]:
    """Every account carries the same roles: the first ``roles_per_account`` names, then
    ``CustomRole011``... once the list runs out."""
    names = list(config.role_names[: config.roles_per_account])
    names.extend(f"CustomRole{k + 1:03d}" for k in range(len(names), config.roles_per_account))
    return tuple(names)
