"""Downloads of a table: CSV that Excel on Chinese Windows opens, and .xlsx; formulas defused.

A cell beginning with = + - @ (or a tab / carriage return) would run as a formula in a
spreadsheet (CSV injection), so it is prefixed with a single quote.
"""

from __future__ import annotations

import io

import pandas as pd

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def safe(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel detects the encoding; formulas neutralised."""
    return safe(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        safe(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
        writer.sheets[sheet[:31]].set_column(0, len(frame.columns) - 1, 18)
    return buffer.getvalue()
