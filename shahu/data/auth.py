"""Staff accounts: argon2 hashes in the secrets' `[staff.accounts]` and session expiry (attempt
limits: `sign_in_limits`); pure logic, fed `st.secrets` and the clock by `ui.staff`. A session
keeps a digest of its account's hash, so changing or removing that hash signs the account out."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

SECRETS_SECTION, ACCOUNTS_KEY = "staff", "accounts"
NAME_RULE = re.compile(
    r"^[\w-]{1,40}$"
)  # letters of any script, digits, _ and -: safe in a file name
IDLE_LIMIT = 30 * 60  # seconds without a page run before a sign-in lapses
SESSION_LIMIT = 12 * 60 * 60  # seconds after sign-in, however busy
_HASHER = PasswordHasher()  # argon2id, RFC 9106's low-memory profile (64 MiB, 3 passes)


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the name is unknown: it costs as much as a wrong password."""
    return _HASHER.hash("no such account")


def hash_password(password: str) -> str:
    """The argon2id hash to put in the secrets for a new staff member."""
    if not password:
        raise ValueError("empty password")
    return _HASHER.hash(password)


def is_hash(value: object) -> bool:
    return isinstance(value, str) and value.startswith("$argon2")


def accounts(secrets: Mapping | None) -> dict[str, str]:
    """The usable accounts (name → hash) under `[staff.accounts]`; malformed entries are left out."""
    try:
        table = (secrets or {}).get(SECRETS_SECTION, {}).get(ACCOUNTS_KEY, {})
        items = list(table.items())
    except (AttributeError, TypeError):
        return {}
    return {name: value for name, value in items if NAME_RULE.match(str(name)) and is_hash(value)}


def verify(accounts_: Mapping[str, str], name: str, password: str) -> bool:
    """True if `name` is an account and `password` is its password (argon2, constant-cost)."""
    stored = accounts_.get(name)
    try:
        return _HASHER.verify(stored or _dummy_hash(), password or "") and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def digest(password_hash: str) -> str:
    """A short fingerprint of an account's hash: what a session remembers instead of the hash."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Session:
    """A signed-in staff member: account name, digest of the hash signed in with, times (s)."""

    name: str
    digest: str
    since: float
    seen: float


def start(accounts_: Mapping[str, str], name: str, now: float) -> Session:
    return Session(name, digest(accounts_[name]), now, now)


def still_valid(session: Session | None, accounts_: Mapping[str, str], now: float) -> bool:
    """The account exists with the same hash, and neither the idle nor the overall limit passed."""
    if session is None or session.name not in accounts_:
        return False
    if digest(accounts_[session.name]) != session.digest:
        return False
    return now - session.seen < IDLE_LIMIT and now - session.since < SESSION_LIMIT
