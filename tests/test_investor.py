"""Filters, aggregation, formatting, charts and downloads behind the investor pages."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from openpyxl import load_workbook

from shahu import aggregates, charts
from shahu.exports import to_csv_bytes, to_xlsx_bytes
from shahu.filters import Filters, apply, from_params, to_params
from shahu.formatting import cny_100m
from shahu.schemas import Project


def test_empty_filters_keep_everything(shipped):
    assert len(apply(shipped["projects"], Filters())) == 23
    assert not Filters().active


def test_each_filter_narrows(shipped):
    p = shipped["projects"]
    assert set(apply(p, Filters(sectors=("carbon_tech",)))[Project.sector]) == {"carbon_tech"}
    assert set(apply(p, Filters(statuses=("landed",)))[Project.status]) == {"landed"}
    assert set(apply(p, Filters(buildings=("tanhui",)))[Project.building_id]) == {"tanhui"}
    assert list(apply(p, Filters(search="氨能"))[Project.project_id]) == ["p03"]
    assert list(apply(p, Filters(search="AMMONIA"))[Project.project_id]) == ["p03"]


def test_amount_range_and_undisclosed(shipped):
    p = shipped["projects"]
    ranged = apply(p, Filters(amount_min=2.0, amount_max=5.0))
    known = ranged[Project.amount_cny_100m].dropna()
    assert known.between(2, 5).all() and ranged[Project.amount_cny_100m].isna().any()
    strict = apply(p, Filters(amount_min=2.0, amount_max=5.0, undisclosed=False))
    assert strict[Project.amount_cny_100m].notna().all() and len(strict) == len(known)


def test_filters_round_trip_through_the_url():
    f = Filters(sectors=("carbon_tech", "carbon_finance"), statuses=("signed",), buildings=("tanhui",),
                amount_min=1.5, amount_max=4.0, undisclosed=False, search="光伏")  # fmt: skip
    params = to_params(f)
    assert from_params(params, ("tanhui",)) == f
    assert to_params(Filters()) == {}


def test_bad_url_params_are_ignored():
    f = from_params(
        {"sector": "carbon_magic,carbon_tech", "amin": "-3", "amax": "abc", "bld": "nowhere"}
    )
    assert f == Filters(sectors=("carbon_tech",))


def test_undisclosed_is_never_summed_as_zero(shipped):
    p = shipped["projects"]
    d = aggregates.disclosure(p)
    assert d.projects == 23 and d.undisclosed == int(p[Project.amount_cny_100m].isna().sum())
    assert d.total == pytest.approx(p[Project.amount_cny_100m].sum())
    none = aggregates.disclosure(p[p[Project.amount_cny_100m].isna()])
    assert none.total is None and cny_100m(none.total, "zh") == "未披露"
    table = aggregates.by_sector(p)
    assert list(table["projects"]) == [7, 8, 8]
    assert table["project_share"].sum() == pytest.approx(1.0)


def test_by_sector_on_empty_input_keeps_three_rows(shipped):
    table = aggregates.by_sector(shipped["projects"].iloc[0:0])
    assert len(table) == 3 and table["total"].isna().all()


@pytest.mark.parametrize(("value", "zh", "en"), [(67, "67亿元", "CNY 6.7 bn"), (0.8, "0.8亿元", "CNY 80 m"),
                                                  (math.nan, "未披露", "undisclosed"), (0, "0亿元", "CNY 0 m")])  # fmt: skip
def test_amount_formatting(value, zh, en):
    assert cny_100m(value, "zh") == zh and cny_100m(value, "en") == en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_have_data_and_translated_titles(shipped, lang):
    p = shipped["projects"]
    figs = [charts.sectors_bar(p, lang), charts.ranked(p, lang), charts.over_time(p, lang),
            charts.sunburst(p, lang), charts.users(shipped["metrics"], lang)]  # fmt: skip
    for fig in figs:
        assert fig.data
        for trace in fig.data:
            points = trace.ids if trace.type == "sunburst" else trace.x
            assert points is not None and len(points) > 0
        title = fig.layout.title.text
        assert title and "." not in title.split()[0]
    assert ("Sector" in figs[3].layout.title.text) == (lang == "en")


def test_csv_has_bom_and_defused_formulas():
    frame = pd.DataFrame({"name": ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\tx", "ok", "碳汇"]})
    raw = to_csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    values = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")["name"].tolist()
    assert values[:5] == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM(A1)", "'\tx"]
    assert values[5:] == ["ok", "碳汇"]


def test_xlsx_cells_are_text_not_formulas():
    frame = pd.DataFrame({"name": ["=1+1", "碳汇大厦"], "amount": [1.5, None]})
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(frame, "projects")))["projects"]
    assert sheet["A2"].value == "'=1+1" and sheet["A3"].value == "碳汇大厦"
    assert sheet["B2"].value == 1.5 and sheet["B3"].value is None


@pytest.mark.parametrize(
    "text",
    [
        "[x](http://evil)",
        "![i](http://evil/x.png)",
        "<b>bold</b>",
        "$x^2$",
        "- item",
        "1. one",
        "# h",
        "`code`",
    ],
)
def test_markdown_from_data_stays_text(text):
    from shahu.formatting import md

    escaped = md(text)
    for live in ("](", "<b>", "$x", "`c"):
        if live in text:
            assert live not in escaped.replace("\\", "") or "\\" in escaped
    assert escaped.replace("\\", "") == text
