"""Limits on failed staff sign-ins, per client address and per account-from-that-client, kept in
the data folder so every replica counts the same attempts (docs/HARDENING.md, docs/DEPLOY.md).

The client is the visitor's real address: `X-Forwarded-For` is read only from a trusted proxy.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from filelock import FileLock, Timeout

TRUSTED_PROXIES_ENV = "SHAHU_TRUSTED_PROXIES"
DEFAULT_TRUSTED_PROXIES = "127.0.0.0/8,::1/128"  # loopback: HAProxy on this machine
STORE_DIR = ".sign-in"  # inside the data folder, which every replica shares
LOCK_TIMEOUT = 5.0
log = logging.getLogger("shahu.sign_in")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies(setting: str | None = None) -> tuple[Network, ...]:
    """The networks whose `X-Forwarded-For` is believed: `SHAHU_TRUSTED_PROXIES` (comma-separated
    addresses or CIDR ranges), loopback by default; an entry that is not an address is skipped."""
    text = setting if setting is not None else os.environ.get(TRUSTED_PROXIES_ENV)
    networks = []
    for part in (text if text is not None else DEFAULT_TRUSTED_PROXIES).split(","):
        with contextlib.suppress(ValueError):
            if part.strip():
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip().strip('"')
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(peer: object, forwarded_for: object, trusted: Iterable[Network]) -> str:
    """The address a limit counts: the direct peer (anything but an address string means
    loopback, as Streamlit reports it), or, behind a trusted proxy, the nearest untrusted hop."""
    trusted = tuple(trusted)
    peer = peer if isinstance(peer, str) and peer else "127.0.0.1"
    forwarded_for = forwarded_for if isinstance(forwarded_for, str) else ""
    peer_ip = _address(peer)
    if peer_ip is None:
        return str(peer)

    def is_trusted(ip) -> bool:
        return any(ip.version == net.version and ip in net for net in trusted)

    if not is_trusted(peer_ip):
        return str(peer_ip)
    hops = [ip for part in forwarded_for.split(",") if (ip := _address(part))]
    for hop in reversed(hops):  # each proxy appends the address it saw: read from the right
        if not is_trusted(hop):
            return str(hop)
    return str(hops[0] if hops else peer_ip)


@dataclass(frozen=True)
class Rule:
    """`free` failures allowed, then each failure locks for `base` × 2^k seconds, up to `cap`."""

    free: int
    base: float = 2.0
    cap: float = 15 * 60
    forget: float = 60 * 60  # a record with no failure for this long starts over


@dataclass
class _Record:
    failures: int = 0
    last: float = 0.0
    locked_until: float = 0.0


Key = tuple[str, str]  # (kind, what): ("client", address) or ("account", "name@address")


def keys(name: str, client: str) -> list[Key]:
    """The limits one attempt counts against: its client, and the account tried from that client
    (so a lock on an account never blocks the right password from another client)."""
    return [("client", client), ("account", f"{name}@{client}")]


class Throttle:
    """Failed sign-ins per key, thread-safe and bounded; kept in `folder` (a JSON file under a
    file lock, shared by every process using that folder) or, without one, in this process."""

    def __init__(
        self,
        rules: Mapping[str, Rule] | None = None,
        max_keys: int = 10_000,
        folder: Path | None = None,
    ):
        self.rules = dict(rules or {"account": Rule(free=5), "client": Rule(free=20)})
        self.max_keys = max_keys
        self.folder = folder
        self._memory: dict[str, _Record] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def _records(self, write: bool) -> Iterator[dict[str, _Record]]:
        with self._lock:
            if self.folder is None:
                yield self._memory
                return
            if not write and not (self.folder / "attempts.json").exists():
                yield self._memory  # none on file (only what a failed write kept): make no file
                return
            file_lock = FileLock(self.folder / "attempts.lock", timeout=LOCK_TIMEOUT)
            try:
                self.folder.mkdir(exist_ok=True)
                file_lock.acquire()
            except (OSError, Timeout) as err:  # read-only or stuck folder: count in this process
                log.warning("sign-in limits kept in this process only: %s", err)
                yield self._memory
                return
            try:
                records = self._load()
                yield records
                if write:
                    self._save(records)
            finally:
                file_lock.release()

    def _load(self) -> dict[str, _Record]:
        try:
            raw = json.loads((self.folder / "attempts.json").read_text(encoding="utf-8"))
            return {k: _Record(**v) for k, v in raw.items()}
        except FileNotFoundError:
            return {}
        except (ValueError, TypeError) as err:  # a damaged file starts over, said in the log
            log.warning("sign-in limits file unreadable, starting over: %s", err)
            return {}

    def _save(self, records: dict[str, _Record]) -> None:
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".attempts-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({k: asdict(r) for k, r in records.items()}, out)
            os.replace(tmp, self.folder / "attempts.json")
        except OSError as err:  # e.g. a full disk: the count is lost, the sign-in goes on
            log.warning("sign-in limits not saved: %s", err)

    def _live(self, records: dict[str, _Record], key: Key, now: float) -> _Record | None:
        record = records.get(_text(key))
        if record and now - record.last > self.rules[key[0]].forget and now >= record.locked_until:
            del records[_text(key)]
            return None
        return record

    def wait(self, keys: Iterable[Key], now: float) -> float:
        """Seconds before any of `keys` may try again (0 = go ahead)."""
        with self._records(write=False) as records:
            waits = [(r.locked_until - now) for k in keys if (r := self._live(records, k, now))]
        return max([0.0, *waits])

    def failed(self, keys: Iterable[Key], now: float) -> None:
        with self._records(write=True) as records:
            for key in keys:
                rule = self.rules[key[0]]
                record = self._live(records, key, now) or records.setdefault(_text(key), _Record())
                record.failures += 1
                record.last = now
                if (over := record.failures - rule.free) > 0:
                    record.locked_until = now + min(rule.cap, rule.base * 2 ** (over - 1))
            if len(records) > self.max_keys:  # drop the oldest: the store stays bounded
                for key in sorted(records, key=lambda k: records[k].last)[: -self.max_keys]:
                    del records[key]

    def succeeded(self, keys: Iterable[Key]) -> None:
        """A right password: forget the failures of these keys (this client's, no one else's)."""
        keys = [_text(k) for k in keys]
        with self._records(write=False) as records:
            if not any(k in records for k in keys):
                return  # nothing to forget: no write
        with self._records(write=True) as records:
            for key in keys:
                records.pop(key, None)

    def failures(self, key: Key) -> int:
        with self._records(write=False) as records:
            record = records.get(_text(key))
        return record.failures if record else 0

    def clear(self) -> None:
        """Forget every failure (tests; an operator after an incident)."""
        with self._records(write=True) as records:
            records.clear()


def _text(key: Key) -> str:
    return f"{key[0]}:{key[1]}"
