"""Filters, and the sums, counts and shares behind the investor pages (undisclosed ≠ 0)."""

from __future__ import annotations

import math

import pytest

from shahu.core.formatting import cny_100m
from shahu.core.i18n import CATALOGUE
from shahu.data import aggregates
from shahu.data.filters import Filters, apply, describe, from_params, to_params
from shahu.data.schemas import Project

ALL = 23


@pytest.fixture
def projects(shipped):
    return shipped["projects"]


def test_no_filter_keeps_every_project_and_is_not_active(projects):
    assert len(apply(projects, Filters())) == ALL
    assert not Filters().active
    assert Filters(search="x").active and not Filters().active


@pytest.mark.parametrize(
    ("f", "column", "allowed"),
    [
        (Filters(sectors=("carbon_tech",)), Project.sector, {"carbon_tech"}),
        (Filters(statuses=("landed", "operating")), Project.status, {"landed", "operating"}),
        (Filters(buildings=("tanhui",)), Project.building_id, {"tanhui"}),
    ],
)
def test_each_filter_keeps_exactly_the_matching_rows(projects, f, column, allowed):
    kept = apply(projects, f)
    assert set(kept[column]) == allowed
    assert len(kept) == projects[column].isin(allowed).sum()


def test_search_looks_in_both_names_and_the_company_ignoring_case(projects):
    assert list(apply(projects, Filters(search="氨能"))[Project.project_id]) == ["p03"]
    assert list(apply(projects, Filters(search="  AMMONIA "))[Project.project_id]) == ["p03"]
    assert list(apply(projects, Filters(search="示例企业 m"))[Project.project_id]) == ["p18"]
    assert apply(projects, Filters(search="(.*)")).empty  # literal text, not a pattern


def test_filters_combine(projects):
    f = Filters(sectors=("carbon_finance",), buildings=("tanhui",), statuses=("signed",))
    assert list(apply(projects, f)[Project.project_id]) == ["p06", "p07"]


def test_amount_range_keeps_undisclosed_only_when_asked(projects):
    amount = projects[Project.amount_cny_100m]
    ranged = apply(projects, Filters(amount_min=2.0, amount_max=5.0))
    assert ranged[Project.amount_cny_100m].dropna().between(2, 5).all()
    assert ranged[Project.amount_cny_100m].isna().sum() == amount.isna().sum()
    strict = apply(projects, Filters(amount_min=2.0, amount_max=5.0, undisclosed=False))
    assert (
        len(strict) == amount.between(2, 5).sum() and strict[Project.amount_cny_100m].notna().all()
    )
    disclosed = apply(projects, Filters(undisclosed=False))
    assert len(disclosed) == amount.notna().sum()


def test_a_filter_that_matches_nothing_gives_an_empty_table_not_an_error(projects):
    empty = apply(projects, Filters(sectors=("carbon_tech",), search="充电"))
    assert empty.empty and list(empty.columns) == list(projects.columns)
    assert len(apply(projects.iloc[0:0], Filters(sectors=("carbon_tech",)))) == 0


def test_filters_round_trip_through_the_url():
    f = Filters(
        sectors=("carbon_tech", "carbon_finance"),
        statuses=("signed",),
        buildings=("tanhui",),
        amount_min=1.5,
        amount_max=4.0,
        undisclosed=False,
        search="光伏 & co",
    )
    params = to_params(f)
    assert params == {
        "sector": "carbon_tech,carbon_finance",
        "status": "signed",
        "bld": "tanhui",
        "amin": "1.5",
        "amax": "4",
        "undisclosed": "0",
        "q": "光伏 & co",
    }
    assert from_params(params, ("tanhui",)) == f
    assert to_params(Filters()) == {} and from_params({}) == Filters()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "carbon_magic,carbon_tech,carbon_tech"}, Filters(sectors=("carbon_tech",))),
        ({"status": "dreaming"}, Filters()),
        ({"bld": "nowhere,tanhui"}, Filters(buildings=("tanhui",))),
        ({"amin": "-3", "amax": "abc"}, Filters()),
        ({"amin": "nan", "amax": "inf"}, Filters()),
        ({"amin": "5", "amax": "2"}, Filters(amount_min=2.0, amount_max=5.0)),
        ({"undisclosed": "no"}, Filters()),
        ({"q": "x" * 500}, Filters(search="x" * 60)),
    ],
)
def test_bad_or_odd_url_params_never_raise(params, expected):
    assert from_params(params, ("tanhui",)) == expected


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_active_filters_are_described_in_words(lang):
    f = Filters(
        sectors=("carbon_tech",),
        statuses=("landed",),
        buildings=("tanhui",),
        amount_min=1.0,
        undisclosed=False,
        search="氨",
    )
    words = describe(f, lang, {"tanhui": "碳汇大厦"})
    assert len(words) == 6
    text = " ".join(words)
    assert "碳汇大厦" in text and "氨" in text and cny_100m(1.0, lang) in text
    assert ("Carbon technology" in text) == (lang == "en") and ("碳技术" in text) == (lang == "zh")
    assert not any(key in text for key in CATALOGUE)
    assert describe(Filters(), lang) == []


def test_disclosure_keeps_undisclosed_apart(projects):
    amount = projects[Project.amount_cny_100m]
    d = aggregates.disclosure(projects)
    assert (d.projects, d.disclosed, d.undisclosed) == (
        ALL,
        amount.notna().sum(),
        amount.isna().sum(),
    )
    assert d.total == pytest.approx(amount.sum())
    none = aggregates.disclosure(projects[amount.isna()])
    assert none.total is None and cny_100m(none.total, "zh") == "未披露"
    assert aggregates.disclosure(projects.iloc[0:0]) == aggregates.Disclosure(0, 0, None)


def test_by_sector_counts_sums_and_shares(projects):
    table = aggregates.by_sector(projects).set_index("sector")
    assert list(table.index) == ["carbon_finance", "carbon_tech", "carbon_industry"]
    assert list(table["projects"]) == [7, 8, 8]
    for sector, row in table.iterrows():
        mine = projects[projects[Project.sector] == sector][Project.amount_cny_100m]
        assert row["disclosed"] == mine.notna().sum()
        assert row["total"] == pytest.approx(mine.sum())
    assert table["project_share"].sum() == pytest.approx(1.0)
    assert table["amount_share"].sum() == pytest.approx(1.0)
    assert table.loc["carbon_finance", "amount_share"] == pytest.approx(13.1 / 38.8)


def test_by_sector_with_nothing_disclosed_has_no_total_and_no_share(projects):
    undisclosed = projects[projects[Project.amount_cny_100m].isna()]
    table = aggregates.by_sector(undisclosed)
    assert table["total"].isna().all() and (table["amount_share"] == 0).all()
    empty = aggregates.by_sector(projects.iloc[0:0])
    assert len(empty) == 3 and (empty["projects"] == 0).all() and empty["total"].isna().all()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_disclosure_text_says_what_is_left_out(projects, lang):
    text = aggregates.disclosure_text(aggregates.disclosure(projects), lang)
    assert cny_100m(38.8, lang) in text and "15" in text and "23" in text and "8" in text
    undisclosed = projects[projects[Project.amount_cny_100m].isna()]
    none = aggregates.disclosure_text(aggregates.disclosure(undisclosed), lang)
    assert "8" in none and cny_100m(0, lang) not in none
    known = projects[projects[Project.amount_cny_100m].notna()].head(2)
    assert "2" in aggregates.disclosure_text(aggregates.disclosure(known), lang)
    assert aggregates.disclosure_text(aggregates.disclosure(projects.iloc[0:0]), lang)


def test_glance_counts_by_sector_status_and_provenance(projects):
    lines = aggregates.glance(projects, "zh")
    assert lines[0] == "按领域: 碳金融 **7** · 碳技术 **8** · 碳实业 **8**"
    assert lines[1] == "按状态: 已签约 **18** · 已落地 **4** · 已运营 **1**"
    assert lines[2] == "数据性质: 已报道 **5** · 示例 **18**"
    assert aggregates.glance(projects, "en")[0].startswith("By sector: Carbon finance **7**")


def test_by_date_and_sector_has_every_sector(projects):
    table = aggregates.by_date_and_sector(projects)
    assert list(table.columns) == ["carbon_finance", "carbon_tech", "carbon_industry"]
    assert table.to_numpy().sum() == ALL and list(table.index) == ["2025-09-23"]


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (67, "67亿元", "CNY 6.7 bn"),
        (80, "80亿元", "CNY 8 bn"),
        (0.8, "0.8亿元", "CNY 0.08 bn"),  # one unit on a page: billions
        (38.8, "38.8亿元", "CNY 3.88 bn"),
        (math.nan, "未披露", "undisclosed"),
        (None, "未披露", "undisclosed"),
    ],
)
def test_amounts_read_as_each_audience_expects(value, zh, en):
    assert cny_100m(value, "zh") == zh and cny_100m(value, "en") == en
