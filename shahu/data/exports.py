"""Downloads of a table: CSV that Excel on Chinese Windows opens, and .xlsx. A cell that would run
as a formula (CSV injection: = + - @, a Chinese input method's ＝ ＋ － ＠, a tab or CR first)
is prefixed with a single quote."""

from __future__ import annotations

import io

import pandas as pd

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made literal with a leading quote;
    one already quoted so gets one more, so `undefuse` gives every value back exactly."""
    if isinstance(value, str) and value.lstrip("'").startswith(_DANGEROUS):
        return "'" + value
    return value


def undefuse(value: str) -> str:
    """The text a `neutralise`d cell stood for: `'=1+1 联合体` → `=1+1 联合体`."""
    if value.startswith("'") and value.lstrip("'").startswith(_DANGEROUS):
        return value[1:]
    return value


def safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell and header neutralised; numbers and empty cells untouched."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Excel detects the encoding; formulas neutralised. Rows end in CRLF, so
    the writer quotes any cell holding a CR or LF and a stray one cannot split a row in Excel."""
    return safe(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """An .xlsx workbook with one sheet; text is stored as text, never as a formula or link."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        safe(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
        if len(frame.columns):
            writer.sheets[sheet[:31]].set_column(0, len(frame.columns) - 1, 18)
    return buffer.getvalue()
