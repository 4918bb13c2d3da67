"""Template downloads: a table's current rows as CSV or .xlsx, defused as public exports are, so
staff edit the real data and uploading it back untouched changes nothing."""

from __future__ import annotations

import math
from contextlib import suppress
from pathlib import Path

import pandas as pd

from shahu.data import exports
from shahu.data.files import read_or_none
from shahu.data.schemas import TABLES
from shahu.data.validation import FileProblem, decode, read_rows


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
    """The current rows as CSV with a BOM (Excel on Windows reads it right), formulas defused."""
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
