"""Issue 15: no upload can make the server work without bound (findings 1 and 2).

Bounds are proved by construction: we count the cells converted and the rows read, and
measure peak Python memory with tracemalloc; never wall-clock time.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from shahu.data import change_plan, store, upload
from shahu.data.schemas import TABLES, Project
from shahu.data.validation import MAX_PROBLEMS, UPLOAD_LIMITS, count_problems, read_csv_bytes
from tests.helpers import snapshot

HEADER = list(TABLES["projects"].columns)


def _book(fill) -> bytes:
    book = openpyxl.Workbook()
    fill(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def converted(monkeypatch) -> list[int]:
    """How many spreadsheet cells the upload reader turned into text."""
    calls = [0]
    real = upload.cell_text

    def counting(cell):
        calls[0] += 1
        return real(cell)

    monkeypatch.setattr(upload, "cell_text", counting)
    return calls


def test_a_workbook_claiming_a_million_rows_is_read_cell_by_cell(data_dir, converted):
    """Finding 1: `<dimension>` says A1:XFD1048576, with one cell in row 1,048,576."""

    def fill(sheet):
        sheet.append(HEADER)
        sheet.cell(row=1_048_576, column=16_384, value="x")

    raw = _book(fill)
    assert len(raw) < 10_000 and b'ref="A1:XFD1048576"' in zipfile.ZipFile(io.BytesIO(raw)).read(
        "xl/worksheets/sheet1.xml"
    )
    before = snapshot(data_dir)
    plan = change_plan.prepare(data_dir, "projects", "bomb.xlsx", raw)
    assert [p.code for p in plan.problems] == ["header_only"]
    assert converted[0] == len(HEADER)  # not 17 billion padded cells: only the header's
    assert snapshot(data_dir) == before


def test_a_header_wider_than_any_table_stops_the_read(data_dir, converted):
    raw = _book(lambda sheet: sheet.append([f"c{i}" for i in range(16_384)]))
    plan = change_plan.prepare(data_dir, "projects", "wide.xlsx", raw)
    assert [p.code for p in plan.problems] == ["too_many_columns"]
    assert converted[0] <= UPLOAD_LIMITS.columns
    assert str(UPLOAD_LIMITS.columns) in plan.problems[0].message("en")


def test_a_long_workbook_stops_at_the_row_limit(data_dir, converted):
    def fill(sheet):
        sheet.append(HEADER)
        for i in range(UPLOAD_LIMITS.rows + 500):
            sheet.append([f"p{i}", "x"])

    plan = change_plan.prepare(data_dir, "projects", "long.xlsx", _book(fill))
    assert [p.code for p in plan.problems] == ["too_many_rows"]
    assert converted[0] <= len(HEADER) + 2 * (UPLOAD_LIMITS.rows + 1)


def test_a_workbook_that_inflates_too_far_is_refused_unparsed(data_dir, converted):
    """Finding 2: a few MB of zip that would inflate to 60 MB of sheet XML."""
    padding = b"<!--" + b" " * (60 * 1024 * 1024) + b"-->"

    def fill(sheet):
        sheet.append(HEADER)

    raw = _book(fill)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", padding + b"<sheetData>", 1)
            dst.writestr(info.filename, data)
    bomb = out.getvalue()
    assert len(bomb) < upload.MAX_UPLOAD_MB * 1024 * 1024
    tracemalloc.start()
    plan = change_plan.prepare(data_dir, "projects", "bomb.xlsx", bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [p.code for p in plan.problems] == ["too_large"]
    assert converted[0] == 0
    assert peak < 100 * 1024 * 1024


def _invalid_rows(n: int) -> bytes:
    line = "P 1,,,nowhere,,-1,2025-13-45,,10,500,lost,maybe,\n"
    return (",".join(HEADER) + "\n" + line * n).encode()


def test_a_big_csv_of_invalid_rows_is_refused_at_the_row_limit(data_dir):
    """Finding 2: 4.9 MB of invalid rows once made 2.58 million problems and 2.2 GB."""
    raw = _invalid_rows(4_900_000 // 48)
    assert 4_500_000 < len(raw) < upload.MAX_UPLOAD_MB * 1024 * 1024
    before = snapshot(data_dir)
    tracemalloc.start()
    plan = change_plan.prepare(data_dir, "projects", "big.csv", raw)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [p.code for p in plan.problems] == ["too_many_rows"]
    assert peak < 150 * 1024 * 1024
    assert snapshot(data_dir) == before


def test_problems_stop_after_a_few_hundred_with_and_n_more(data_dir):
    n = 1_000
    plan = change_plan.prepare(data_dir, "projects", "bad.csv", _invalid_rows(n))
    assert len(plan.problems) == MAX_PROBLEMS + 1
    last = plan.problems[-1]
    assert last.code == "more_problems"
    total = count_problems(plan.problems)
    assert total > 10 * n  # every row has several bad cells; all are counted, few are listed
    assert f"{total - MAX_PROBLEMS}" in last.message("en") and "more" in last.message("en")
    outcome = store.import_upload(data_dir, "projects", "bad.csv", _invalid_rows(n))
    assert outcome.status == "invalid" and str(total) in outcome.message("en")


def test_an_upload_with_a_million_commas_keeps_only_the_header_width(data_dir):
    header = ",".join(HEADER)
    raw = (header + "\n" + "p1" + "," * 1_000_000 + "\n").encode()
    frame, problems = read_csv_bytes(TABLES["projects"], raw)
    assert frame is None and problems
    plan = change_plan.prepare(data_dir, "projects", "commas.csv", raw)
    assert all(p.column in (*HEADER, None) for p in plan.problems)
    assert {p.line for p in plan.problems} <= {None, 2}


def test_an_ordinary_upload_is_still_accepted(data_dir):
    raw = (data_dir / "projects.csv").read_bytes()
    plan = change_plan.prepare(data_dir, "projects", "projects.csv", raw)
    assert plan.ok and plan.unchanged
    assert Project.sector in TABLES["projects"].columns
    assert Path(data_dir / "projects.csv").read_bytes() == raw


def test_only_the_tables_columns_of_a_workbook_are_converted(data_dir, converted):
    def fill(sheet):
        sheet.append([*HEADER, *(f"note{i}" for i in range(40))])
        sheet.append(["p1", *([None] * (len(HEADER) - 1)), *(["x" * 100] * 40)])

    change_plan.prepare(data_dir, "projects", "notes.xlsx", _book(fill))
    assert converted[0] == len(HEADER) + 40 + 1  # the header, then one cell: p1


def test_anonymous_visitors_can_be_refused_without_parsing():
    assert upload.unread_problem("x.csv", b"x" * (upload.MAX_UPLOAD_MB * 2**20 + 1)).code == (
        "too_large"
    )
    assert upload.unread_problem("x.xls", upload.OLE_MAGIC).code == "xls_legacy"
    assert upload.unread_problem("x.csv", b"a,b\n") is None
