"""Downloads: CSV with a BOM for Excel on Chinese Windows, .xlsx, and no live formulas in either."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from shahu.content.tables import building_link, export_table, full_dates, project_table
from shahu.data.exports import neutralise, safe, to_csv_bytes, to_xlsx_bytes
from shahu.data.filters import Filters, apply
from shahu.data.schemas import Project

DANGEROUS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1:A2)", "\tx", "\rx", "＝1+1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_starts_get_a_leading_quote(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["碳汇大厦", "A=B", "", " =1", 3.5, None, -2])
def test_everything_else_is_left_alone(value):
    assert neutralise(value) == value


def test_csv_is_utf8_with_bom_and_reads_back_defused():
    frame = pd.DataFrame({"name": [*DANGEROUS, "碳汇大厦"], "amount": [1.5] * 7 + [None]})
    raw = to_csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", keep_default_na=False)
    assert list(back["name"]) == ["'" + v for v in DANGEROUS] + ["碳汇大厦"]
    assert back["amount"].iloc[-1] == "" and back["amount"].iloc[0] == "1.5"
    assert raw.count(b"\r\n") == len(frame) + 1  # one line per row, even with a CR inside a cell


def test_headers_are_defused_too():
    assert list(safe(pd.DataFrame({"=cmd": ["a"]})).columns) == ["'=cmd"]


def test_xlsx_stores_text_not_formulas():
    frame = pd.DataFrame(
        {"name": ["=1+1", "碳汇大厦", "https://example.com"], "amount": [1.5, None, 2]}
    )
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(frame, "projects")))["projects"]
    assert [c.value for c in sheet["A"]] == ["name", "'=1+1", "碳汇大厦", "https://example.com"]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert sheet["A4"].hyperlink is None
    assert [c.value for c in sheet["B"]] == ["amount", 1.5, None, 2]


def test_xlsx_of_an_empty_table_still_opens():
    book = load_workbook(io.BytesIO(to_xlsx_bytes(pd.DataFrame(), "projects")))
    assert book.sheetnames == ["projects"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_table_is_the_filtered_rows_with_undisclosed_left_empty(shipped, lang):
    f = Filters(sectors=("carbon_finance",))
    rows = apply(shipped["projects"], f)
    out = export_table(rows, lang, shipped["buildings"])
    assert list(out[Project.project_id]) == list(rows[Project.project_id])
    undisclosed = out[Project.amount_cny_100m].isna()
    assert undisclosed.sum() == 1
    assert set(out.loc[undisclosed, "amount_label"]) == {
        "未披露" if lang == "zh" else "undisclosed"
    }
    assert (out.loc[~undisclosed, Project.amount_cny_100m] > 0).all()
    assert "碳汇大厦" in set(out["building_name"]) or "Carbon Sink Building (Tanhui Tower)" in set(
        out["building_name"]
    )
    raw = to_csv_bytes(out).decode("utf-8-sig")
    assert raw.count("\r\n") == len(rows) + 1


def test_a_csv_cell_from_the_data_cannot_become_a_formula(shipped):
    rows = shipped["projects"].copy()
    rows.loc[rows.index[0], Project.company] = '=WEBSERVICE("http://x")'
    back = pd.read_csv(io.BytesIO(to_csv_bytes(export_table(rows, "en"))), encoding="utf-8-sig")
    assert back[Project.company].iloc[0].startswith("'=")


def test_table_for_the_page_keeps_missing_values_missing(shipped):
    table = project_table(shipped["projects"], shipped["buildings"], "en")
    amounts = shipped["projects"][Project.amount_cny_100m]
    assert table["amount"].isna().sum() == amounts.isna().sum()  # shown as “undisclosed”, never 0
    expected = (amounts.dropna().to_numpy() * 0.1).round(6)  # CNY bn, without float noise
    assert (table["amount"].dropna() == expected).all()
    assert table["company"].isna().sum() == (shipped["projects"][Project.company] == "").sum()


def test_building_links_open_the_map_card_in_the_same_language_and_filters():
    link = building_link("tanhui", "碳汇大厦", "en", {"sector": "carbon_tech"})
    assert link == "/map?building=tanhui&lang=en&sector=carbon_tech#碳汇大厦"


def test_a_month_only_signing_date_is_not_given_an_invented_day(shipped):
    rows = shipped["projects"].copy()
    rows.loc[rows.index[0], Project.signed_on] = "2025-09"
    assert not full_dates(rows) and full_dates(shipped["projects"])
    table = project_table(rows, shipped["buildings"], "zh")
    assert list(table["signed_on"][:2]) == ["2025-09", "2025-09-23"]
