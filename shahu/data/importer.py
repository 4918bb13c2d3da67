"""Replacing one table safely: read an upload, validate it, show what changes, write atomically.

Shared by the data page and `python -m shahu import`; no Streamlit here. Nothing is written
unless the upload passes the same checks the app applies (plus cross-table references). A write
copies the old file to `.backups/<table>/`, then writes a temp file in the same folder, fsyncs it
and `os.replace`s it over the table, so a crash or a full disk leaves the old file whole. One file
lock serialises every writer (app sessions and the CLI alike). The uploaded file's name is only
shown, never used as a path.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import errno
import hashlib
import io
import json
import math
import os
import re
import stat
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from filelock import FileLock, Timeout

from shahu.core.i18n import t
from shahu.data import exports
from shahu.data.dataset import load_tables
from shahu.data.exports import undefuse
from shahu.data.files import read_or_none, read_regular
from shahu.data.schemas import TABLES, Building, TableSpec
from shahu.data.validation import (
    UPLOAD_LIMITS,
    FileProblem,
    Limits,
    Problem,
    capped,
    check_length,
    count_problems,
    cross_table_problems,
    decode,
    frame_from_rows,
    read_rows,
)

MAX_UPLOAD_MB = 5  # same as server.maxUploadSize in .streamlit/config.toml
MAX_UNPACKED_BYTES = 30 * 1024 * 1024  # an .xlsx is a zip: refuse one that inflates absurdly
DROP_SHARE = 0.5  # removing more than this share of the rows needs a second confirmation
LOCK_TIMEOUT = 30.0
LOCK_NAME = ".lock"
BACKUP_DIR = ".backups"
LOG_NAME = "log.jsonl"
ACTIONS = ("import", "restore")  # what the log records; anything else reads as not logged
XLSX_SUFFIXES = (".xlsx", ".xlsm")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other Office 97 files)
BEIJING = dt.timezone(dt.timedelta(hours=8))
_UNSAFE_WHO = re.compile(r"[^\w\-]+")
_BACKUP_NAME = re.compile(r"^(\d{8}T\d{12}Z)__([\w\-]+?)(?:_\d+)?\.csv$")


# ── reading an upload ─────────────────────────────────────────────────────────────────────


def display_name(name: str | None, fallback: str) -> str:
    """The upload's base name for messages only: no folders, no control characters, short."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return base[:80] or fallback


def unread_problem(name: str | None, raw: bytes) -> FileProblem | None:
    """What refuses an upload before a single cell is parsed (size, a legacy .xls), or None.

    Cheap enough for any visitor: the data page may run this at once and leave the parsing
    (`prepare`) until staff have signed in.
    """
    if len(raw) > MAX_UPLOAD_MB * 1024 * 1024:
        return FileProblem("too_large", mb=MAX_UPLOAD_MB)
    if raw.startswith(OLE_MAGIC):
        return FileProblem("xls_legacy")
    return None


def read_upload(
    name: str,
    raw: bytes,
    limits: Limits = UPLOAD_LIMITS,
    columns: Sequence[str] | None = None,
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line, cells) from CSV bytes in any supported encoding, or an .xlsx workbook.

    Bounded by construction: at most `MAX_UPLOAD_MB` of bytes, and reading stops at `limits`
    (rows, columns, cells), so no upload costs more than a few seconds and a few MB to refuse.
    With `columns`, a workbook's cells are converted only under those headers.
    """
    if problem := unread_problem(name, raw):
        raise problem
    if (name or "").lower().endswith(XLSX_SUFFIXES):
        header, rows = read_xlsx(raw, limits, columns)
    else:
        header, rows = read_rows(decode(raw), limits)
    # a template cell defused on download (`'=1+1 联合体`) comes back as what it stood for
    return [undefuse(h) for h in header], [(n, [undefuse(c) for c in r]) for n, r in rows]


def read_xlsx(
    raw: bytes, limits: Limits = UPLOAD_LIMITS, columns: Sequence[str] | None = None
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The first sheet of a workbook, every cell as the text Excel shows (line = Excel row)."""
    import openpyxl

    if not raw.startswith(b"PK\x03\x04"):
        raise FileProblem("xlsx_unreadable")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise FileProblem("too_large", mb=MAX_UPLOAD_MB)
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except FileProblem:
        raise
    except Exception as err:  # a damaged zip or workbook raises many different errors
        raise FileProblem("xlsx_unreadable") from err
    try:
        if not book.worksheets:
            raise FileProblem("empty")
        header, rows = _sheet_rows(book.worksheets[0], limits, columns)
    except FileProblem:
        raise
    except Exception as err:
        raise FileProblem("xlsx_unreadable") from err
    finally:
        book.close()
    if header is None:
        raise FileProblem("empty")
    return header, rows


def _sheet_rows(
    sheet, limits: Limits, columns: Sequence[str] | None = None
) -> tuple[list[str] | None, list[tuple[int, list[str]]]]:
    """The cells the sheet's XML really holds, row by row, never more than `limits`.

    openpyxl's own `iter_rows` trusts the sheet's `<dimension>` and pads every row (and every
    missing row in between) to it: a 7 KB file claiming A1:XFD1048576 becomes 17 billion empty
    cells. Here only the cells present are parsed, at most `limits.columns` of them are kept per
    row (the header's width once it is known; with `columns`, only cells under those headers
    are converted), missing rows cost nothing, and the parse stops at the row and cell limits.
    """
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    wanted: set[int] | None = None  # 1-based columns to convert, once the header is known
    parsed = 0
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for line, cells in parser.parse():
            parsed += len(cells)
            if parsed > 2 * limits.cells:  # styled empty cells count too: bounded work
                raise FileProblem("too_many_cells", limit=limits.cells)
            width = limits.columns if header is None else len(header)
            texts = [""] * width
            for cell in cells:
                column = cell["column"]
                if column > width:
                    if header is None and cell["value"] not in (None, ""):
                        raise FileProblem("too_many_columns", limit=limits.columns)
                    continue
                if wanted is None or column in wanted:
                    texts[column - 1] = cell_text(ReadOnlyCell(sheet, **cell))
            while texts and texts[-1] == "":
                texts.pop()
            if not any(c.strip() for c in texts):
                continue
            if header is None:
                header = texts
                if columns is not None:
                    names = [unicodedata.normalize("NFKC", h).strip() for h in header]
                    wanted = {i for i, h in enumerate(names, start=1) if h in set(columns)}
            else:
                rows.append((line, texts))
                check_length(len(rows), len(header), limits)
    return header, rows


def cell_text(cell) -> str:
    """A spreadsheet cell as its user reads it: 30.565, 2025-09-23, 12%, #N/A, TRUE."""
    value = getattr(cell, "value", None)
    fmt = (getattr(cell, "number_format", None) or "").lower()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            return value.strftime("%Y-%m-%d %H:%M")
        if "d" not in fmt and "m" in fmt:
            return value.strftime("%Y-%m")
        if "d" not in fmt and "m" not in fmt and "y" in fmt:
            return value.strftime("%Y")
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if "%" in fmt:
            return format(value * 100, ".15g") + "%"
        return format(value, ".15g")
    return str(value)


# ── what would change ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class CellChange:
    column: str
    before: str
    after: str


@dataclass
class Diff:
    """Rows added, removed and changed (by key), with the changed cells; all values as text."""

    added: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    removed: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    changed: list[tuple[str, list[CellChange]]] = field(default_factory=list)
    rows_before: int = 0
    rows_after: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def drop_share(self) -> float:
        """Share of the current rows that this change removes."""
        return len(self.removed) / self.rows_before if self.rows_before else 0.0


@dataclass
class Plan:
    """A validated (or refused) replacement of one table, before anything is written."""

    table: str
    source: str
    problems: list[Problem]
    diff: Diff | None = None
    payload: bytes = b""
    base: str = ""  # sha256 of the current file when planned ("" = no file)
    current_valid: bool = False
    dropped_columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and self.diff is not None

    @property
    def unchanged(self) -> bool:
        return self.ok and self.current_valid and self.diff.empty

    @property
    def needs_confirmation(self) -> bool:
        """True when the replacement drops most rows (the second-confirmation guard)."""
        return self.ok and self.diff.drop_share > DROP_SHARE


def number_text(value: float) -> str:
    """A number as the normalised file writes it: shortest exact decimal, never exponent."""
    if value is None or math.isnan(value):
        return ""
    return np.format_float_positional(float(value) + 0.0, trim="-")


def row_texts(spec: TableSpec, frame: pd.DataFrame) -> list[dict[str, str]]:
    """Every row of a typed frame as {column: normalised text}, in the table's column order."""
    out = []
    for record in frame[list(spec.columns)].to_dict("records"):
        out.append(
            {
                c: number_text(record[c]) if c in spec.numeric else str(record[c])
                for c in spec.columns
            }
        )
    return out


def to_csv(
    spec: TableSpec, rows: Iterable[dict[str, str]], present: Iterable[str] | None = None
) -> bytes:
    """The normalised file: UTF-8 without BOM, the table's columns in order, `\\n` line ends.

    An optional column the upload left out (`present` names the upload's columns) stays out.
    """
    kept = set(spec.columns if present is None else present) | set(spec.required)
    columns = [c for c in spec.columns if c in kept]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue().encode("utf-8")


def key_of(spec: TableSpec, row: dict[str, str]) -> str:
    return " / ".join(row.get(c, "") for c in spec.key)


def diff_rows(
    spec: TableSpec, before: Sequence[dict[str, str]], after: Sequence[dict[str, str]]
) -> Diff:
    """Compare two tables row by row on the table's key."""
    old = {key_of(spec, r): r for r in before}
    new = {key_of(spec, r): r for r in after}
    diff = Diff(rows_before=len(before), rows_after=len(after))
    for key, row in new.items():
        if key not in old:
            diff.added.append((key, row))
            continue
        cells = [
            CellChange(c, old[key].get(c, ""), row.get(c, ""))
            for c in spec.columns
            if old[key].get(c, "") != row.get(c, "")
        ]
        if cells:
            diff.changed.append((key, cells))
    diff.removed = [(key, row) for key, row in old.items() if key not in new]
    return diff


def _current_rows(spec: TableSpec, raw: bytes | None) -> tuple[list[dict[str, str]], bool]:
    """The table on disk as text rows, and whether it is valid (an invalid one is read leniently)."""
    if raw is None:
        return [], False
    try:
        header, rows = read_rows(decode(raw))
    except FileProblem:
        return [], False
    frame, problems = frame_from_rows(spec, header, rows)
    if frame is not None:
        return row_texts(spec, frame), True
    names = [unicodedata.normalize("NFKC", h).strip() for h in header]
    return [dict(zip(names, [c.strip() for c in cells], strict=False)) for _, cells in rows], False


def _references(header: Sequence[str], rows: Sequence[tuple[int, Sequence[str]]]) -> pd.DataFrame:
    """The upload's `building_id` cells by line, read even when other cells are wrong."""
    names = [unicodedata.normalize("NFKC", h).strip() for h in header]
    column = names.index(Building.building_id)
    cells = {line: row[column].strip() if len(row) > column else "" for line, row in rows}
    return pd.DataFrame({Building.building_id: pd.Series(cells, dtype=object)})


def _reference_problems(
    data_dir: Path, spec: TableSpec, frame: pd.DataFrame, source: str
) -> list[Problem]:
    """Cross-table checks against the other current tables (last valid copy if one is broken)."""
    tables, _, _ = load_tables(data_dir)
    if spec.name != "buildings":
        found = cross_table_problems({"buildings": tables["buildings"], spec.name: frame})
        return [dataclasses.replace(p, file=source) for p in found if p.file == spec.filename]
    before = set(tables["buildings"][Building.building_id])
    after = set(frame[Building.building_id])
    problems = []
    for name in ("projects", "institutions"):
        for line, ref in tables[name][Building.building_id].items():
            if ref in before and ref not in after:
                where = {"file": TABLES[name].filename, "line": int(line)}
                problems.append(
                    Problem(source, "building_in_use", None, Building.building_id, ref, where)
                )
    return problems


def prepare(data_dir: Path, table: str, name: str | None, raw: bytes) -> Plan:
    """Validate an upload as table `table` and work out what replacing the table would change."""
    spec = TABLES[table]
    source = display_name(name, spec.filename)
    target = data_dir / spec.filename
    current = read_or_none(target)
    base = hashlib.sha256(current).hexdigest() if current is not None else ""
    try:
        header, rows = read_upload(name or "", raw, columns=spec.columns)
    except FileProblem as err:
        return Plan(table, source, [Problem(source, err.code, params=err.params)], base=base)
    frame, problems = frame_from_rows(spec, header, rows, source)
    if Building.building_id in {unicodedata.normalize("NFKC", h).strip() for h in header}:
        problems += _reference_problems(data_dir, spec, _references(header, rows), source)
    if frame is None or problems:
        return Plan(table, source, capped(problems), base=base)
    after = row_texts(spec, frame)
    before, current_valid = _current_rows(spec, current)
    names = dict.fromkeys(unicodedata.normalize("NFKC", h).strip() for h in header)
    return Plan(
        table,
        source,
        [],
        diff_rows(spec, before, after),
        to_csv(spec, after, names),
        base,
        current_valid,
        tuple(h for h in names if h and h not in spec.columns),
    )


# ── writing ───────────────────────────────────────────────────────────────────────────────


@dataclass
class Outcome:
    """What an import or restore did.

    `status` is written, restored or unchanged (ok), else why nothing changed: invalid, confirm
    (drops most rows), stale (the table changed since the preview), busy (locked), failed (an
    OS error; the old file is intact) or missing (no such backup).
    """

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


def _lock(data_dir: Path, timeout: float) -> FileLock:
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


def _replace(data_dir: Path, plan: Plan, who: str, action: str, restored: str = "") -> Outcome:
    """Back up the current file, then atomically put the plan's payload in its place."""
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
    }
    with suppress(OSError):  # the table is already replaced; a lost log line loses no data
        log = data_dir / BACKUP_DIR / plan.table / LOG_NAME
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
    return Outcome("written" if action == "import" else "restored", plan, backup)


def _refusal(plan: Plan, confirm_drop: bool) -> Outcome | None:
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
    refusal = _refusal(prepare(data_dir, table, name, raw), confirm_drop)
    if refusal is not None:
        return refusal  # refused before even taking the lock: the folder is untouched
    try:
        with _lock(data_dir, lock_timeout):
            plan = prepare(data_dir, table, name, raw)  # again: another writer may have been first
            if expected_base is not None and plan.base != expected_base:
                return Outcome("stale", plan)
            return _refusal(plan, confirm_drop) or _replace(
                data_dir, plan, clean_who(who), "import"
            )
    except Timeout:
        return Outcome("busy")
    except OSError as err:  # e.g. a read-only data folder, where even the lock file cannot be made
        return failure(err)


# ── history and restore ───────────────────────────────────────────────────────────────────


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


def _count_rows(path: Path) -> int | None:
    try:
        return len(read_rows(decode(read_regular(path)))[1])
    except (OSError, FileProblem):
        return None


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


def _restore_plan(data_dir: Path, table: str, backup: str) -> Plan | Outcome:
    """The plan to put `backup` back verbatim, or the Outcome that refuses it."""
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
    target = data_dir / spec.filename
    if read_or_none(target) == raw:
        return Outcome("unchanged", plan)
    return dataclasses.replace(plan, payload=raw)


def restore(
    data_dir: Path,
    table: str,
    backup: str,
    who: str | None = None,
    *,
    lock_timeout: float = LOCK_TIMEOUT,
) -> Outcome:
    """Put a backup back, byte for byte, after backing up the current file; same checks as import."""
    if isinstance(first := _restore_plan(data_dir, table, backup), Outcome):
        return first  # refused before even taking the lock: the folder is untouched
    try:
        with _lock(data_dir, lock_timeout):
            plan = _restore_plan(data_dir, table, backup)
            if isinstance(plan, Outcome):
                return plan
            return _replace(data_dir, plan, clean_who(who), "restore", backup)
    except Timeout:
        return Outcome("busy")
    except OSError as err:  # e.g. a read-only data folder, where even the lock file cannot be made
        return failure(err)


# ── tables for the page (text only: st.dataframe never renders HTML) ───────────────────────


def _template_rows(data_dir: Path, table: str) -> tuple[list[str], list[list[str]]]:
    """The current file's header and rows as text (just the table's header if none is readable)."""
    spec = TABLES[table]
    raw = read_or_none(data_dir / spec.filename)
    if raw is not None:
        with suppress(FileProblem):
            header, rows = read_rows(decode(raw))
            width = len(header)
            return header, [(cells + [""] * width)[:width] for _, cells in rows]
    return list(spec.columns), []


def template_csv(data_dir: Path, table: str) -> bytes:
    """The current rows as CSV with a BOM (Excel on Windows reads it right), formulas defused
    exactly as public exports are; uploading it back untouched changes nothing."""
    header, rows = _template_rows(data_dir, table)
    return exports.to_csv_bytes(pd.DataFrame(rows, columns=header, dtype=object))


def template_xlsx(data_dir: Path, table: str) -> bytes:
    """The current rows as a workbook: numbers as numbers, text as text (never a formula)."""
    spec = TABLES[table]
    header, rows = _template_rows(data_dir, table)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    for column in (c for c in spec.numeric if header.count(c) == 1):
        frame[column] = [
            float(text) if _is_plain_number(text) else (text or None) for text in frame[column]
        ]
    return exports.to_xlsx_bytes(frame, sheet=table)


def _is_plain_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _label(row: dict[str, str], lang: str) -> str:
    for column in (f"name_{lang}", f"label_{lang}", "name_zh", "label_zh"):
        if row.get(column):
            return row[column]
    return ""


def problem_table(problems: Sequence[Problem], lang: str, with_file: bool = True) -> pd.DataFrame:
    """One row per problem: (file,) line as Excel numbers it, column, value, what to do."""
    table = pd.DataFrame(
        {
            t("staff.col.file", lang): [p.file for p in problems],
            t("staff.col.line", lang): [str(p.line) if p.line else "" for p in problems],
            t("staff.col.column", lang): [p.column or "" for p in problems],
            t("staff.col.value", lang): [p.value or "" for p in problems],
            t("staff.col.todo", lang): [p.message(lang) for p in problems],
        }
    )
    return table if with_file else table.iloc[:, 1:]


def change_table(diff: Diff, lang: str) -> pd.DataFrame:
    """One row per added or removed row and per changed cell."""
    rows = [(t("staff.change.added", lang), k, "", "", _label(r, lang)) for k, r in diff.added]
    rows += [(t("staff.change.removed", lang), k, "", _label(r, lang), "") for k, r in diff.removed]
    rows += [
        (t("staff.change.changed", lang), k, c.column, c.before, c.after)
        for k, cells in diff.changed
        for c in cells
    ]
    columns = [t(f"staff.col.{c}", lang) for c in ("change", "key", "column", "before", "after")]
    return pd.DataFrame(rows, columns=columns)


def history_table(entries: Sequence[Entry], lang: str) -> pd.DataFrame:
    """Who changed the table when, and how many rows it had before and after."""
    return pd.DataFrame(
        {
            t("staff.col.when", lang): [
                e.when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S") for e in entries
            ],
            t("staff.col.who", lang): [e.who for e in entries],
            t("staff.col.action", lang): [
                t(f"staff.action.{e.action or 'unknown'}", lang) for e in entries
            ],
            t("staff.col.rows", lang): [
                f"{'?' if e.rows_before is None else e.rows_before} → "
                f"{'?' if e.rows_after is None else e.rows_after}"
                for e in entries
            ],
            t("staff.col.backup", lang): [e.backup or "—" for e in entries],
        }
    )


def entry_label(entry: Entry, lang: str) -> str:
    """How a restorable version is named in the picker."""
    when = entry.when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
    rows = "?" if entry.rows_before is None else entry.rows_before
    return t("staff.restore_option", lang, when=when, who=entry.who, rows=rows)
