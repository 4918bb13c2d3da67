"""Read a CSV (or spreadsheet rows) the way a spreadsheet user expects, and say what is wrong:
each `Problem` names the file, the line as Excel numbers it, the column, the bad value and what
to do, in zh and en. Nothing here writes anything."""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from shahu.core.i18n import CATALOGUE, t
from shahu.data.schemas import (
    LAT_RANGE,
    LON_RANGE,
    STORY_MAX_CHARS,
    TABLES,
    Building,
    Event,
    TableSpec,
)

MAX_VALUE_SHOWN = 40
MAX_PROBLEMS = 200  # then one "and N more": enough to see the pattern, bounded to list
SAMPLE = "illustrative"  # sample rows: never counted among an event's signed projects


@dataclass(frozen=True)
class Limits:
    """How much of an upload is read at most; beyond these it is refused, unread."""

    rows: int = 5_000  # the largest table has 23 rows today; the benchmark's ×100 has 2,300
    columns: int = 60
    cells: int = 150_000


UPLOAD_LIMITS = Limits()
EXCEL_ERRORS = {"#n/a", "#value!", "#ref!", "#div/0!", "#num!", "#name?", "#null!", "n/a", "nan"}
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file; `line` is the row number a spreadsheet shows (header = 1)."""

    file: str
    code: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    params: dict[str, object] = field(default_factory=dict, hash=False, compare=False)

    def message(self, lang: str) -> str:
        """What is wrong and what to do, in plain words."""
        return t(f"problem.{self.code}", lang, **self.params)

    def render(self, lang: str) -> str:
        """One line: file, line, column, value, then the message."""
        parts = [self.file]
        if self.line is not None:
            parts.append(t("problem.where_line", lang, line=self.line))
        if self.column:
            parts.append(t("problem.where_column", lang, column=self.column))
        if self.value is not None:
            shown = self.value if len(self.value) <= MAX_VALUE_SHOWN else self.value[:37] + "…"
            parts.append(t("problem.where_value", lang, value=shown))
        return " · ".join(parts) + ": " + self.message(lang)


class FileProblem(Exception):
    """A file that cannot be read at all (wrong encoding, a renamed .xlsx, empty)."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


def decode(raw: bytes) -> str:
    """Text from UTF-8 (with or without BOM), GB18030/GBK as Excel on Chinese Windows saves, or
    Windows-1252 as it saves on Western Windows. A file that both could be is not guessed: it is
    refused with both readings shown, asking for a UTF-8 copy."""
    if raw.startswith(b"PK\x03\x04"):
        raise FileProblem("xlsx_renamed")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem("utf16")
    if b"\x00" in raw:
        raise FileProblem("binary")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    with suppress(UnicodeDecodeError):
        return raw.decode("utf-8")
    chinese = _try_decode(raw, "gb18030")
    western = _try_decode(raw, "cp1252")
    if western is not None and not _plausible_western(western):
        western = None  # cp1252 maps almost any byte: random bytes are not Western text
    if chinese is not None and (western is None or not _looks_western(chinese)):
        return chinese
    if western is not None and chinese is None:
        return western
    if western is not None:
        gbk, cp = _first_difference(chinese, western)
        raise FileProblem("encoding_ambiguous", gbk=gbk, western=cp)
    raise FileProblem("encoding")


def _try_decode(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _plausible_western(text: str) -> bool:
    """Western text is mostly ASCII, with an accented letter here and there."""
    visible = [c for c in text if not c.isspace()]
    return sum(ord(c) > 0x7F for c in visible) <= 0.3 * len(visible)


def _looks_western(text: str) -> bool:
    """Chinese text from Excel is almost all common (GB2312) characters; Western text misread as
    GBK becomes rare ones (`Müller` → `M黮ler`), since an accented letter and the ASCII letter
    after it make one rare GBK character."""
    unusual = [c for c in text if ord(c) > 0x7F]
    if not unusual:
        return False
    rare = 0
    for c in unusual:
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare / len(unusual) > 0.2


def _first_difference(chinese: str, western: str) -> tuple[str, str]:
    """Both readings of the line where they first differ (up to 20 characters of each)."""
    at = next((i for i, c in enumerate(western) if ord(c) > 0x7F), 0)  # ASCII before: same
    start = western.rfind("\n", 0, at) + 1
    return tuple(text[start:].split("\n", 1)[0][:20] for text in (chinese, western))


def parse_number(text: str) -> tuple[float | None, str | None]:
    """(value, None), or (None, problem code); full-width digits and `1,234` are accepted."""
    s = unicodedata.normalize("NFKC", text).strip().replace("，", ",")
    if s == "":
        return None, None
    if s.lower() in EXCEL_ERRORS or s.startswith("#"):
        return None, "excel_error"
    if s.endswith("%"):
        return None, "percent"
    if _PLAIN_NUMBER.match(s):
        value = float(s)
    elif _THOUSANDS.match(s):
        value = float(s.replace(",", ""))
    elif "," in s:
        return None, "ambiguous_number"
    else:
        return None, "not_a_number"
    if not math.isfinite(value):
        return None, "not_a_number"
    return value, None


def read_rows(
    text: str, limits: Limits | None = None
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (spreadsheet line, cells) pairs, blank lines skipped; the line is Excel's row
    number (a cell with a line break is still one row). With `limits`, reading stops with a
    FileProblem once the file is too wide or long, and a row keeps only the header's cells."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    width = 0
    try:
        for line, cells in enumerate(reader, start=1):
            if header is None:
                if any(c.strip() for c in cells):
                    header = cells
                    width = len(_clean_header(cells))
                    if limits:
                        check_width(width, limits)
                continue
            if any(c.strip() for c in cells):
                rows.append((line, cells[:width] if limits else cells))
                if limits:
                    check_length(len(rows), width, limits)
    except csv.Error as err:  # e.g. a stray quote swallowing the rest of a large file
        raise FileProblem("malformed_csv", line=reader.line_num) from err
    if header is None:
        raise FileProblem("empty")
    return header, rows


def check_width(width: int, limits: Limits) -> None:
    if width > limits.columns:
        raise FileProblem("too_many_columns", limit=limits.columns)


def check_length(rows: int, width: int, limits: Limits) -> None:
    if rows > limits.rows:
        raise FileProblem("too_many_rows", limit=limits.rows)
    if rows * max(width, 1) > limits.cells:
        raise FileProblem("too_many_cells", limit=limits.cells)


def capped(problems: Sequence[Problem], limit: int = MAX_PROBLEMS) -> list[Problem]:
    """The first `limit` problems in order, then one "and N more" (`more_problems`)."""
    more = sum(int(p.params.get("n", 0)) for p in problems if p.code == "more_problems")
    listed = sorted((p for p in problems if p.code != "more_problems"), key=_problem_order)
    more += max(0, len(listed) - limit)
    if not more:
        return listed
    file = listed[0].file if listed else ""
    return listed[:limit] + [Problem(file, "more_problems", params={"n": more})]


def count_problems(problems: Sequence[Problem]) -> int:
    """How many problems there are, counting the ones an "and N more" stands for."""
    return sum(int(p.params.get("n", 0)) if p.code == "more_problems" else 1 for p in problems)


def _clean_header(header: Sequence[str]) -> list[str]:
    names = [unicodedata.normalize("NFKC", h).strip() for h in header]
    while names and names[-1] == "":
        names.pop()
    return names


def frame_from_rows(
    spec: TableSpec,
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    filename: str | None = None,
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Validate already-split rows (from CSV or .xlsx) against `spec`: typed frame + problems."""
    file = filename or spec.filename
    names = _clean_header(header)
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in names:
        if name in seen and name:
            problems.append(Problem(file, "duplicate_column", 1, name))
        seen.add(name)
    for name in spec.required:
        if name not in seen:
            problems.append(Problem(file, "missing_column", 1, name, params={"column": name}))
    if problems:
        return None, problems

    rows = list(rows)
    if not rows:
        return None, [Problem(file, "header_only")]
    index = [line for line, _ in rows]
    width = len(names)
    records = [[c.strip() for c in (list(cells) + [""] * width)[:width]] for _, cells in rows]
    raw = pd.DataFrame(records, columns=names, index=pd.Index(index, name="line"), dtype=object)
    for column in spec.columns:
        if column not in raw.columns:
            raw[column] = ""

    typed = raw.copy()
    for column in spec.numeric:
        values: list[float] = []
        for line, cell in raw[column].items():
            value, code = parse_number(str(cell))
            if code:
                problems.append(Problem(file, code, int(line), column, str(cell)))
            values.append(math.nan if value is None else value)
        typed[column] = pd.Series(values, index=raw.index, dtype="float64")
    for column in spec.columns:
        if column not in spec.numeric:
            typed[column] = raw[column].astype(str)

    unparsed = {(p.line, p.column) for p in problems}  # one message per cell, not two
    frame, found = _validated(spec, typed, raw, file)
    problems += [p for p in found if (p.line, p.column) not in unparsed]
    if problems:
        return None, capped(problems)
    return frame, []


def _problem_order(p: Problem) -> tuple[int, str]:
    return (p.line or 0, p.column or "")


# pandera's built-in checks, by name, and the problem each one means here; every custom check
# in `schemas` is named after its problem code already.
BUILTIN_CODES = {
    "field_uniqueness": "duplicate_key",
    "multiple_fields_uniqueness": "duplicate_key",
    "isin": "not_one_of",
    "str_matches": "bad_format",
    "str_length": "required",
    "greater_than_or_equal_to": "negative",
    "not_nullable": "required",
}


def check_code(check: str) -> str:
    """The problem code for a failed check: its own name, or what a built-in check means."""
    name = check.split("(", 1)[0]
    if name in BUILTIN_CODES:
        return BUILTIN_CODES[name]
    return name if f"problem.{name}" in CATALOGUE else "invalid"


def _validated(
    spec: TableSpec, typed: pd.DataFrame, raw: pd.DataFrame, file: str
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The model's one validation of the typed frame: the validated frame, or its problems."""
    try:
        return spec.model.validate(typed, lazy=True), []
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    schema = spec.model.to_schema()
    problems: list[Problem] = []
    seen: set[tuple] = set()
    # plain dicts: a pandas `.at` per failure case is slow on a file with thousands of bad rows
    cells = {c: dict(zip(raw.index, raw[c].tolist(), strict=True)) for c in raw.columns}
    swapped = _swapped_lines(typed)
    for case in cases.itertuples(index=False):
        code = check_code(str(case.check))
        line = None if pd.isna(case.index) else int(case.index)
        column = case.column if isinstance(case.column, str) else None
        # a table-wide check (the composite metrics key) fails once per column: report it once
        table_wide = code == "duplicate_key" and len(spec.key) > 1
        if table_wide or (code == "duplicate_key" and column is None):
            column = "+".join(spec.key)
        if code == "not_one_of" and column in cells and cells[column][line] == "":
            code = "required"
        if code in {"out_of_wuhan", "required"} and line in swapped:
            code = "swapped_lat_lon"
        key = (line, column, code)
        if key in seen:
            continue
        seen.add(key)
        value = None if line is None or column not in cells else str(cells[column][line])
        if table_wide and line is not None:
            value = "+".join(str(cells[k][line]) for k in spec.key)
        params: dict[str, object] = {}
        if code == "not_one_of" and column in schema.columns:
            params["allowed"] = _allowed(schema.columns[column])
        if code == "out_of_wuhan":
            params.update(
                lat=f"{LAT_RANGE[0]}–{LAT_RANGE[1]}", lon=f"{LON_RANGE[0]}–{LON_RANGE[1]}"
            )
        if code == "duplicate_key":
            params["key"] = "+".join(spec.key)
        if code == "too_long":
            params.update(n=len(value or ""), limit=STORY_MAX_CHARS)
        problems.append(Problem(file, code, line, column, value, params))
    return None, problems


def _allowed(column: pa.Column) -> str:
    """The values an `isin` check allows, for the message."""
    allowed = next(
        (
            c.statistics.get("allowed_values")
            for c in column.checks
            if "allowed_values" in c.statistics
        ),
        [],
    )
    return ", ".join(a for a in allowed if a) or "—"


def _swapped_lines(typed: pd.DataFrame) -> set[int]:
    """Lines whose lat lies in Wuhan's longitudes and lon in its latitudes."""
    if Building.lat not in typed.columns or Building.lon not in typed.columns:
        return set()
    lat, lon = typed[Building.lat], typed[Building.lon]
    hit = lat.between(*LON_RANGE) & lon.between(*LAT_RANGE)
    return {int(line) for line in typed.index[hit]}


def read_csv_bytes(
    spec: TableSpec, raw: bytes, filename: str | None = None
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Decode, split and validate one CSV file's bytes."""
    file = filename or spec.filename
    try:
        header, rows = read_rows(decode(raw))
    except FileProblem as err:
        return None, [Problem(file, err.code, params=err.params)]
    return frame_from_rows(spec, header, rows, file)


def cross_table_problems(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """References between tables: every `building_id` given must exist in buildings.csv, every
    `event_id` in events.csv, and no event has more projects than it signed."""
    events = event_problems(tables.get("events"), tables.get("projects"))
    return _building_problems(tables) + events


def event_problems(
    events: pd.DataFrame | None, projects: pd.DataFrame | None, blame: str = "events"
) -> list[Problem]:
    """Projects naming no event (`unknown_event`); events whose `projects_signed` is below the
    projects pointing to them, sample rows not counted: blamed on the event's row, or with
    `blame="projects"` on the first project row over the count (`event_over_signed`)."""
    if events is None or events.empty or projects is None or Event.event_id not in projects:
        return []  # unreadable events.csv: reported on its own
    refs = projects[Event.event_id].astype(str)
    known, listing = set(events[Event.event_id]), TABLES["projects"].filename
    problems = [
        Problem(listing, "unknown_event", int(line), Event.event_id, ref)
        for line, ref in refs.items()
        if ref and ref not in known
    ]
    counted = refs[projects[Event.provenance].astype(str) != SAMPLE]
    for line, row in events.iterrows():
        signed, event = row[Event.projects_signed], row[Event.event_id]
        mine = counted[counted == event]
        if pd.isna(signed) or signed != round(signed) or len(mine) <= signed:
            continue  # unknown, or not a count (`not_whole` says so)
        params = {"n": len(mine), "signed": f"{signed:g}", "event": event}
        if blame == "projects":
            file, code = listing, "event_over_signed"
            where = (int(mine.index[int(signed)]), Event.event_id, event)
            params["line"] = int(line)
        else:
            file, code = TABLES["events"].filename, "signed_below_listed"
            where = (int(line), Event.projects_signed, f"{signed:g}")
        problems.append(Problem(file, code, *where, params))
    return problems


def _building_problems(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every `building_id` given must exist in buildings.csv."""
    buildings = tables.get("buildings")
    if buildings is None or buildings.empty:  # unreadable buildings.csv: reported on its own
        return []
    known = set(buildings[Building.building_id])
    problems: list[Problem] = []
    for name in ("projects", "institutions"):
        frame = tables.get(name)
        if frame is None:
            continue
        for line, ref in frame[Building.building_id].items():
            if ref and ref not in known:
                problems.append(
                    Problem(
                        TABLES[name].filename,
                        "unknown_building",
                        int(line),
                        Building.building_id,
                        ref,
                    )
                )
    return problems
