"""Storing a table: back up the current file to `.backups/<table>/`, write the new one atomically
(temp file, fsync, `os.replace`) and log it. A crash or a full disk leaves the old file whole; one
file lock serialises every writer (app sessions and the CLI alike)."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import stat
import tempfile
import unicodedata
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from shahu.core.i18n import t
from shahu.data.change_plan import Plan, prepare
from shahu.data.files import read_or_none
from shahu.data.published import change_of
from shahu.data.schemas import TABLES
from shahu.data.validation import count_problems

LOCK_TIMEOUT = 30.0
LOCK_NAME = ".lock"
BACKUP_DIR = ".backups"
LOG_NAME = "log.jsonl"
_UNSAFE_WHO = re.compile(r"[^\w\-]+")


@dataclass
class Outcome:
    """What an import or restore did: written, restored or unchanged (ok), else why nothing
    changed: invalid, confirm (drops most rows), stale (the table changed since the preview),
    busy (locked), failed (an OS error; the old file is intact) or missing (no such backup)."""

    status: str
    plan: Plan | None = None
    backup: Path | None = None
    error: str = ""
    reason: str = ""  # for `failed`: full, readonly, permission or other (see `failure`)

    @property
    def ok(self) -> bool:
        return self.status in {"written", "restored", "unchanged"}

    def message(self, lang: str) -> str:
        plan, diff = self.plan, self.plan.diff if self.plan else None
        key = f"staff.outcome.{self.status}"
        if self.status == "failed" and self.reason in {"readonly", "permission", "other"}:
            key += f"_{self.reason}"  # `full` keeps the original "check disk space" message
        if self.status == "confirm" and plan.removed_columns:
            key += "_columns"
        return t(
            key,
            lang,
            table=TABLES[plan.table].filename if plan else "",
            n=count_problems(plan.problems) if plan else 0,
            added=len(diff.added) if diff else 0,
            removed=len(diff.removed) if diff else 0,
            changed=len(diff.changed) if diff else 0,
            share=round(100 * diff.drop_share) if diff else 0,
            backup=self.backup.name if self.backup else "—",
            error=self.error,
            columns=", ".join(plan.removed_columns) if plan else "",
        )


_REASONS = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EROFS: "readonly",
    errno.EACCES: "permission",
    errno.EPERM: "permission",
}


def failure(err: OSError, plan: Plan | None = None) -> Outcome:
    """A write the OS refused, with the reason staff can act on (a read-only disk is not full)."""
    reason = _REASONS.get(err.errno or 0, "other")
    return Outcome("failed", plan, error=err.strerror or type(err).__name__, reason=reason)


def clean_who(who: str | None) -> str:
    """A name safe inside a file name: letters (any script), digits, _ and -; `staff` if none."""
    return (
        _UNSAFE_WHO.sub("_", unicodedata.normalize("NFKC", who or "")).strip("_-")[:40] or "staff"
    )


def _fsync_dir(folder: Path) -> None:
    with suppress(OSError):  # not every platform or file system can fsync a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, `os.replace`, fsync the folder; on error no trace."""
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def lock(data_dir: Path, timeout: float) -> FileLock:
    """The one lock every writer of `data_dir` holds (imports and restores, app and CLI)."""
    return FileLock(data_dir / LOCK_NAME, timeout=timeout)


def _backup(data_dir: Path, table: str, old: bytes, who: str) -> Path:
    folder = data_dir / BACKUP_DIR / table
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{stamp}__{who}.csv"
    n = 1
    while path.exists():
        path, n = folder / f"{stamp}__{who}_{n}.csv", n + 1
    atomic_write(path, old)
    return path


def _tidy_empty(data_dir: Path, table: str) -> None:
    for folder in (data_dir / BACKUP_DIR / table, data_dir / BACKUP_DIR):
        with suppress(OSError):
            folder.rmdir()


def replace_table(data_dir: Path, plan: Plan, who: str, action: str, restored: str = "") -> Outcome:
    """Back up the current file, then atomically put the plan's payload in its place (hold `lock`)."""
    target = data_dir / TABLES[plan.table].filename
    strays = [*data_dir.glob(f".{target.name}.*.tmp")]  # left by a process killed mid-write
    strays += (data_dir / BACKUP_DIR / plan.table).glob(".*.tmp")  # (we hold the lock)
    for stray in strays:
        with suppress(OSError):
            stray.unlink()
    backup = None
    try:
        if (old := read_or_none(target)) is not None:
            backup = _backup(data_dir, plan.table, old, who)
        atomic_write(target, plan.payload)
    except OSError as err:
        if backup is not None:
            with suppress(OSError):
                backup.unlink()
        _tidy_empty(data_dir, plan.table)
        return failure(err, plan)
    entry = {
        "when": dt.datetime.now(dt.UTC).isoformat(),
        "who": who,
        "action": action,
        "table": plan.table,
        "backup": backup.name if backup else None,
        "rows_before": plan.diff.rows_before,
        "rows_after": plan.diff.rows_after,
        "restored": restored or None,
        # what visitors see change (sample rows left out), for "Data updates" (`published`)
        **change_of(TABLES[plan.table], old, plan.payload).log_fields(),
    }
    with suppress(OSError):  # the table is already replaced; a lost log line loses no data
        log = data_dir / BACKUP_DIR / plan.table / LOG_NAME
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
    return Outcome("written" if action == "import" else "restored", plan, backup)


def refusal(plan: Plan, confirm_drop: bool) -> Outcome | None:
    """Why `plan` may not be written now (invalid, unchanged, or unconfirmed), or None."""
    if not plan.ok:
        return Outcome("invalid", plan)
    if plan.unchanged:
        return Outcome("unchanged", plan)
    if plan.needs_confirmation and not confirm_drop:
        return Outcome("confirm", plan)
    return None


def import_upload(
    data_dir: Path,
    table: str,
    name: str | None,
    raw: bytes,
    who: str | None = None,
    *,
    confirm_drop: bool = False,
    expected_base: str | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
) -> Outcome:
    """Validate and, if allowed, replace the table; `expected_base` refuses a stale preview."""
    if first := refusal(prepare(data_dir, table, name, raw), confirm_drop):
        return first  # refused before even taking the lock: the folder is untouched
    try:
        with lock(data_dir, lock_timeout):
            plan = prepare(data_dir, table, name, raw)  # again: another writer may have been first
            if expected_base is not None and plan.base != expected_base:
                return Outcome("stale", plan)
            return refusal(plan, confirm_drop) or replace_table(
                data_dir, plan, clean_who(who), "import"
            )
    except Timeout:
        return Outcome("busy")
    except OSError as err:  # e.g. a read-only data folder, where even the lock file cannot be made
        return failure(err)
