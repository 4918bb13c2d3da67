"""A table's history (the log and the backups it names) and putting a backup back, byte for byte,
under the same checks and lock as an import."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from filelock import Timeout

from shahu.data import store
from shahu.data.change_plan import Plan, prepare
from shahu.data.files import read_or_none, read_regular
from shahu.data.published import Published
from shahu.data.schemas import TABLES
from shahu.data.store import BACKUP_DIR, LOCK_TIMEOUT, LOG_NAME, Outcome, clean_who, failure
from shahu.data.validation import FileProblem, decode, read_rows

ACTIONS = ("import", "restore")  # what the log records; anything else reads as not logged
BEIJING = dt.timezone(dt.timedelta(hours=8))  # the time zone staff read a change's time in
_BACKUP_NAME = re.compile(r"^(\d{8}T\d{12}Z)__([\w\-]+?)(?:_\d+)?\.csv$")


@dataclass(frozen=True)
class Entry:
    """One change to a table; `backup` holds the version it replaced (restorable if present)."""

    when: dt.datetime
    who: str
    action: str
    rows_before: int | None
    rows_after: int | None
    backup: str | None
    restored: str | None = None
    restorable: bool = False
    published: Published | None = None  # what visitors saw change (None: an older log line)


def _count_rows(path: Path) -> int | None:
    try:
        return len(read_rows(decode(read_regular(path)))[1])
    except (OSError, FileProblem):
        return None


def _published(item: dict) -> Published | None:
    """The log line's counts and names (lines written before they were logged have none)."""
    if not all(isinstance(item.get(k), int) for k in ("added", "changed", "removed")):
        return None
    names = [
        tuple(
            (str(n[0]), str(n[1])) for n in item.get(k) or () if isinstance(n, list) and len(n) == 2
        )
        for k in ("names_added", "names_removed")
    ]
    return Published(item["added"], item["changed"], item["removed"], *names)


def history(data_dir: Path, table: str) -> list[Entry]:
    """Every logged change to `table`, newest first, plus any backup file the log misses."""
    folder = data_dir / BACKUP_DIR / table
    files = {p.name for p in folder.glob("*.csv")} if folder.is_dir() else set()
    entries: list[Entry] = []
    logged: set[str] = set()
    with suppress(OSError):
        for line in (folder / LOG_NAME).read_text(encoding="utf-8").splitlines():
            with suppress(ValueError, TypeError, KeyError, AttributeError):
                item = json.loads(line)
                backup = item.get("backup")
                when = dt.datetime.fromisoformat(item["when"])
                action = str(item.get("action", "import"))
                entries.append(
                    Entry(
                        when if when.tzinfo else when.replace(tzinfo=dt.UTC),  # hand-edited line
                        str(item.get("who", "")),
                        action if action in ACTIONS else "",  # shown as "(not logged)"
                        item.get("rows_before"),
                        item.get("rows_after"),
                        backup,
                        item.get("restored"),
                        backup in files,
                        _published(item),
                    )
                )
                logged.add(backup)
    for name in sorted(files - logged):
        match = _BACKUP_NAME.match(name)
        if match:
            when = dt.datetime.strptime(match[1], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
            entries.append(
                Entry(when, match[2], "", _count_rows(folder / name), None, name, None, True)
            )
    return sorted(entries, key=lambda e: e.when, reverse=True)


def restore_plan(data_dir: Path, table: str, backup: str) -> Plan | Outcome:
    """What putting `backup` back verbatim would change (previewed like an upload), or the
    Outcome that refuses it: missing, invalid or unchanged."""
    spec = TABLES[table]
    known = {e.backup for e in history(data_dir, table) if e.restorable}
    if backup not in known:  # only names we listed ourselves: never a path from outside
        return Outcome("missing")
    raw = read_or_none(data_dir / BACKUP_DIR / table / backup)
    if raw is None:
        return Outcome("missing")
    plan = prepare(data_dir, table, spec.filename, raw)
    if not plan.ok:
        return Outcome("invalid", plan)
    if read_or_none(data_dir / spec.filename) == raw:
        return Outcome("unchanged", plan)
    return dataclasses.replace(plan, payload=raw)


def _refusal(plan: Plan | Outcome, confirm_drop: bool) -> Outcome | None:
    if isinstance(plan, Outcome):
        return plan
    return store.refusal(plan, confirm_drop)


def restore(
    data_dir: Path,
    table: str,
    backup: str,
    who: str | None = None,
    *,
    confirm_drop: bool = False,
    expected_base: str | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
) -> Outcome:
    """Put a backup back, byte for byte, after backing up the current file: the same checks and
    the same second confirmation as an import (`confirm_drop`, `expected_base`)."""
    if first := _refusal(restore_plan(data_dir, table, backup), confirm_drop):
        return first  # refused before even taking the lock: the folder is untouched
    try:
        with store.lock(data_dir, lock_timeout):
            plan = restore_plan(data_dir, table, backup)
            if refusal := _refusal(plan, confirm_drop):
                return refusal
            if expected_base is not None and plan.base != expected_base:
                return Outcome("stale", plan)
            return store.replace_table(data_dir, plan, clean_who(who), "restore", backup)
    except Timeout:
        return Outcome("busy")
    except OSError as err:  # e.g. a read-only data folder, where even the lock file cannot be made
        return failure(err)
