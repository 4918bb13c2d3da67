"""The change plan: an upload validated as one table (plus cross-table references), and what
replacing the table with it would add, remove and change, before anything is written."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from shahu.data.dataset import load_tables
from shahu.data.files import read_or_none
from shahu.data.schemas import TABLES, Building, Event, TableSpec
from shahu.data.upload import display_name, read_upload
from shahu.data.validation import (
    FileProblem,
    Problem,
    capped,
    cross_table_problems,
    decode,
    event_problems,
    frame_from_rows,
    parse_number,
    read_rows,
)

DROP_SHARE = 0.5  # removing more than this share of the rows needs a second confirmation
EVENT_LINKED = ("events", "projects")  # tables whose upload is checked against the other


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
    dropped_columns: tuple[str, ...] = ()  # in the file, unused by the table: not kept
    removed_columns: tuple[str, ...] = ()  # in the current table, missing from the file

    @property
    def ok(self) -> bool:
        return not self.problems and self.diff is not None

    @property
    def unchanged(self) -> bool:
        return self.ok and self.current_valid and self.diff.empty

    @property
    def needs_confirmation(self) -> bool:
        """True when the replacement drops most rows or a column the table has now (the
        second-confirmation guard, for imports and restores alike)."""
        return self.ok and (self.diff.drop_share > DROP_SHARE or bool(self.removed_columns))


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


def _current_rows(
    spec: TableSpec, raw: bytes | None
) -> tuple[list[dict[str, str]], bool, list[str]]:
    """The table on disk as text rows, whether it is valid (an invalid one is read leniently),
    and its column names."""
    if raw is None:
        return [], False, []
    try:
        header, rows = read_rows(decode(raw))
    except FileProblem:
        return [], False, []
    names = [unicodedata.normalize("NFKC", h).strip() for h in header]
    frame, problems = frame_from_rows(spec, header, rows)
    if frame is not None:
        return row_texts(spec, frame), True, names
    texts = [dict(zip(names, [c.strip() for c in cells], strict=False)) for _, cells in rows]
    return texts, False, names


def _references(
    header: Sequence[str],
    rows: Sequence[tuple[int, Sequence[str]]],
    columns: Sequence[str] = (Building.building_id,),
) -> pd.DataFrame:
    """The upload's `columns` cells by line (a column it lacks: empty), read even when other
    cells are wrong."""
    names = [unicodedata.normalize("NFKC", h).strip() for h in header]
    frame = {}
    for column in columns:
        at = names.index(column) if column in names else len(header)
        cells = {line: row[at].strip() if len(row) > at else "" for line, row in rows}
        frame[column] = pd.Series(cells, dtype=object)
    return pd.DataFrame(frame)


def _event_references(
    data_dir: Path, spec: TableSpec, refs: pd.DataFrame, source: str
) -> list[Problem]:
    """A projects upload must name known events, no more of them than each signed; an events
    upload must keep every event projects.csv names, and signed counts the projects reach."""
    tables, _, _ = load_tables(data_dir)
    if spec.name == "projects":
        found = event_problems(tables["events"], refs, blame="projects")
        return [dataclasses.replace(p, file=source) for p in found]
    signed = [parse_number(cell)[0] for cell in refs[Event.projects_signed]]
    refs = refs.assign(**{Event.projects_signed: pd.Series(signed, refs.index, dtype=float)})
    found = event_problems(refs, tables["projects"])
    problems = [dataclasses.replace(p, file=source) for p in found if p.code != "unknown_event"]
    before, after = set(tables["events"][Event.event_id]), set(refs[Event.event_id])
    using = tables["projects"][Event.event_id]
    for ref in sorted(before - after):
        lines = using.index[using == ref]
        if len(lines):
            where = {"file": TABLES["projects"].filename, "line": int(lines[0]), "n": len(lines)}
            problems.append(Problem(source, "event_in_use", None, Event.event_id, ref, where))
    return problems


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
    given = {unicodedata.normalize("NFKC", h).strip() for h in header}
    if Building.building_id in given:
        problems += _reference_problems(data_dir, spec, _references(header, rows), source)
    if spec.name in EVENT_LINKED and Event.event_id in given:
        columns = (Event.event_id, Event.provenance, Event.projects_signed)
        refs = _references(header, rows, columns)
        problems += _event_references(data_dir, spec, refs, source)
    if frame is None or problems:
        return Plan(table, source, capped(problems), base=base)
    after = row_texts(spec, frame)
    before, current_valid, current_names = _current_rows(spec, current)
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
        tuple(h for h in current_names if h in spec.columns and h not in names),
    )
