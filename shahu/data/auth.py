"""Staff accounts: argon2 password hashes, attempt limits with back-off, session expiry.

Pure logic, no Streamlit: `shahu.ui.staff` feeds it `st.secrets` and the clock.

Accounts live in the secrets as `[staff.accounts]`, one `name = "<argon2 hash>"` line per person
(`python -m shahu hash-password` prints the hash). A signed-in session remembers a digest of its
account's hash, so changing or removing that hash signs out every session of that account.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
from collections.abc import Hashable, Iterable, Mapping
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


@dataclass
class _Record:
    failures: int = 0
    last: float = 0.0
    locked_until: float = 0.0


@dataclass(frozen=True)
class Rule:
    """`free` failures allowed, then each failure locks for `base` × 2^k seconds, up to `cap`."""

    free: int
    base: float = 2.0
    cap: float = 15 * 60
    forget: float = 60 * 60  # a record with no failure for this long starts over


class Throttle:
    """Failed sign-ins per key (an account, a client address), shared by every session.

    Thread-safe (Streamlit runs sessions in threads) and bounded in memory.
    """

    def __init__(self, rules: Mapping[str, Rule] | None = None, max_keys: int = 10_000):
        self.rules = dict(rules or {"account": Rule(free=5), "client": Rule(free=20)})
        self.max_keys = max_keys
        self._records: dict[tuple[str, Hashable], _Record] = {}
        self._lock = threading.Lock()

    def _live(self, key: tuple[str, Hashable], now: float) -> _Record | None:
        record = self._records.get(key)
        if record and now - record.last > self.rules[key[0]].forget and now >= record.locked_until:
            del self._records[key]
            return None
        return record

    def wait(self, keys: Iterable[tuple[str, Hashable]], now: float) -> float:
        """Seconds before any of `keys` may try again (0 = go ahead)."""
        with self._lock:
            waits = [(r.locked_until - now) for k in keys if (r := self._live(k, now))]
        return max([0.0, *waits])

    def failed(self, keys: Iterable[tuple[str, Hashable]], now: float) -> None:
        with self._lock:
            for key in keys:
                rule = self.rules[key[0]]
                record = self._live(key, now) or self._records.setdefault(key, _Record())
                record.failures += 1
                record.last = now
                over = record.failures - rule.free
                if over > 0:
                    record.locked_until = now + min(rule.cap, rule.base * 2 ** (over - 1))
            if len(self._records) > self.max_keys:  # drop the oldest: memory stays bounded
                oldest = sorted(self._records, key=lambda k: self._records[k].last)
                for key in oldest[: len(self._records) - self.max_keys]:
                    del self._records[key]

    def succeeded(self, keys: Iterable[tuple[str, Hashable]]) -> None:
        with self._lock:
            for key in keys:
                self._records.pop(key, None)

    def failures(self, key: tuple[str, Hashable]) -> int:
        record = self._records.get(key)
        return record.failures if record else 0


def keys(name: str, client: str | None) -> list[tuple[str, Hashable]]:
    """The throttle keys of one attempt: the account tried and the client it came from."""
    return [("account", name), ("client", client or "unknown")]
