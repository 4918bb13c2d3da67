"""Reading an upload: CSV in any supported encoding or an .xlsx workbook, as header and rows of
text, bounded by construction (size, unpacked size, rows, columns, cells) so a hostile file is
cheap to refuse. The uploaded file's name is only shown, never used as a path."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Sequence

from shahu.data.exports import undefuse
from shahu.data.validation import (
    UPLOAD_LIMITS,
    FileProblem,
    Limits,
    check_length,
    decode,
    read_rows,
)

MAX_UPLOAD_MB = 5  # same as server.maxUploadSize in .streamlit/config.toml
MAX_UNPACKED_BYTES = 30 * 1024 * 1024  # an .xlsx is a zip: refuse one that inflates absurdly
XLSX_SUFFIXES = (".xlsx", ".xlsm")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other Office 97 files)


def display_name(name: str | None, fallback: str) -> str:
    """The upload's base name for messages only: no folders, no control characters, short."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return base[:80] or fallback


def unread_problem(name: str | None, raw: bytes) -> FileProblem | None:
    """What refuses an upload before a single cell is parsed (size, a legacy .xls), or None.

    Cheap enough for any visitor; the parsing waits until staff have signed in.
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
    """Header and (line, cells) from CSV bytes or an .xlsx workbook, reading no more than `limits`.

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
    """Only the cells the sheet's XML really holds, never more than `limits`: openpyxl's own
    `iter_rows` pads every row to the sheet's `<dimension>`, so a tiny file claiming A1:XFD1048576
    would cost billions of empty cells. Here a missing row or cell costs nothing."""
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
            # at most `limits.columns` cells a row until the header is known, then its width
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
