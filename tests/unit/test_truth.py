"""Issue 11: sample rows never pose as facts; what is known is said, and fills in on its own."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from shahu.content import charts, events
from shahu.content.building_card import building_card, firms_growth
from shahu.content.downloads import brief_html
from shahu.core.i18n import CATALOGUE
from shahu.core.paths import DEFAULT_GEO_DIR
from shahu.data import aggregates, samples
from shahu.data.dataset import load_dataset
from shahu.data.schemas import Event, Market, Metric, Project
from shahu.map import folium_map, points
from tests.facts import FACTS, stray_chinese


@pytest.fixture(scope="module")
def public(shipped):
    return samples.visible(shipped, False)


def test_visitors_see_no_sample_row_unless_they_switch_samples_on(shipped, public):
    for name, frame in public.tables.items():
        assert not samples.uses_samples(frame), name
    assert len(public["projects"]) == 5 and len(public["institutions"]) == 15
    shown = samples.visible(shipped, True)
    assert len(shown["projects"]) == 23 and samples.uses_samples(shown["projects"])
    assert public.stamp != shown.stamp  # caches never hand one view's figures to the other


def test_staff_are_told_how_many_sample_rows_remain(shipped, public):
    assert samples.remaining(shipped) == {"projects": 18, "institutions": 5}
    assert samples.remaining(public) == {}


@pytest.mark.parametrize(
    ("params", "on"), [({}, False), ({"samples": "1"}, True), ({"samples": "yes"}, False)]
)
def test_the_switch_lives_in_the_link(params, on):
    assert samples.from_params(params) is on
    assert samples.from_params(samples.to_params(on)) is on


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("zh", "23 个项目签约 · 5 个已公开名称 · 18 个名称未见报道"),
        ("en", "23 projects signed · 5 named in public · 18 not named in the reports we cite"),
    ],
)
def test_the_signings_as_far_as_they_are_known(public, lang, line):
    s = aggregates.signings(public["projects"], 23)  # the event's projects_signed
    assert aggregates.signings_line(s, lang) == line
    assert events.glance(public, lang).summary == line  # the newest event's, from events.csv
    assert aggregates.disclosure(public["projects"]).total is None  # nothing to total


def test_sectors_show_what_is_known(public):
    views = {v.sector: v for v in aggregates.sector_views(public["projects"], "zh")}
    assert views["carbon_finance"].named == () and views["carbon_finance"].article == (
        "多个绿色金融合作项目"
    )
    assert len(views["carbon_tech"].named) == 3 and len(views["carbon_industry"].named) == 2
    assert all(v.samples == () and v.disclosure.total is None for v in views.values())


def _with_reported_rows(data_dir):
    path = data_dir / "projects.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    extra = frame.iloc[:2].copy()
    extra[Project.project_id] = ["r24", "r25"]
    extra[Project.name_zh] = ["绿色金融合作项目（某银行）", "碳资产托管项目"]
    extra[Project.name_en] = ["Green-finance cooperation (a bank)", "Carbon-asset custody"]
    extra[Project.sector] = ["carbon_finance", "carbon_finance"]
    extra[Project.amount_cny_100m] = ["5", ""]
    extra[Project.building_id] = ["tanhui", "tanhui"]
    pd.concat([frame, extra]).to_csv(path, index=False)


def test_pages_fill_in_when_staff_add_reported_rows(data_dir):
    _with_reported_rows(data_dir)
    ds = samples.visible(load_dataset(data_dir, DEFAULT_GEO_DIR), False)
    assert events.glance(ds, "zh").known.named == 7 and events.glance(ds, "zh").known.unnamed == 16
    d = aggregates.disclosure(ds["projects"])
    assert (d.disclosed, d.total) == (1, 5.0)
    finance = aggregates.sector_views(ds["projects"], "en")[0]
    assert finance.named == ("Green-finance cooperation (a bank)", "Carbon-asset custody")
    fig = charts.sector_counts(ds["projects"], "zh")
    assert dict(zip(fig.data[0].y, fig.data[0].x, strict=True))["碳金融"] == 2
    card = building_card(ds, "tanhui", "zh")
    assert card.projects == ("绿色金融合作项目（某银行） · 5亿元", "碳资产托管项目 · 未披露")


def test_building_card_shows_reported_growth_and_no_sample_projects(shipped, public):
    card = building_card(public, "tanhui", "zh")
    # 72 carbon-service firms (Mar 2025) and 94 firms and institutions (Sep 2025) are two counts
    # of different things: each says what it counts, and no arrow makes them a growth of 22
    assert card.projects == () and card.growth == (
        "2025年3月：碳汇大厦集聚的碳服务企业 72 家 · 2025年9月：碳汇大厦内企业和机构 94 家"
    )
    assert building_card(public, "tanhui", "en").growth == (
        "Mar 2025: Carbon-service firms in the Carbon Sink Building (碳汇大厦), 72 · "
        "Sep 2025: Firms and institutions in the Carbon Sink Building (碳汇大厦), 94"
    )
    with_samples = building_card(samples.visible(shipped, True), "tanhui", "en")
    assert with_samples.projects[0].startswith("Sample: ") and "(Sample)" not in " ".join(
        with_samples.projects
    )


def test_firm_counts_of_one_kind_read_as_a_series(public):
    """When staff add a count of the same thing (same label), the card shows its growth."""
    market = public.tables["market"].copy()
    rows = market[Market.series] == "tanhui_firms"
    market.loc[rows, "label_zh"] = "碳汇大厦内企业和机构"
    assert firms_growth(market, "tanhui", "zh") == (
        "碳汇大厦内企业和机构：2025年3月 72 家 → 2025年9月 94 家"
    )
    assert (
        firms_growth(market[~rows | (market[Market.period] == "2025-09")], "tanhui", "zh") is None
    )


def test_map_draws_samples_only_when_on_and_then_marks_them(shipped, public):
    rows = points.point_rows(public, "zh")
    assert not any(r[2] == points.SAMPLE_COLOR for r in rows.projects + rows.institutions)
    legend = "灰色：示例行（非事实）"  # the legend's HTML goes in as JSON, non-ASCII kept
    html = folium_map.build_map(public, "zh").get_root().render()
    assert legend not in html and json.dumps("（含示例）")[1:-1] not in html
    marked = folium_map.build_map(samples.visible(shipped, True), "zh").get_root().render()
    assert legend in marked and json.dumps("签约项目（含示例）")[1:-1] in marked


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_brief_without_samples_has_no_sample_row_and_no_total(public, shipped, lang):
    html = brief_html(public, lang)
    assert "示例：" not in html and "Sample:" not in html and "class='samples'" not in html
    assert ("5 个已公开名称" if lang == "zh" else "5 named in public") in html
    marked = brief_html(samples.visible(shipped, True), lang)
    assert "class='samples'" in marked


def test_market_csv_is_checked_like_every_table(data_dir, capsys):
    from shahu.ops.cli import EXIT_INVALID, main

    path = data_dir / "market.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(lines[1])  # the same (series, period) twice
    lines[2] = lines[2].replace(",reported,", ",rumoured,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--lang", "en", "check", str(data_dir)]) == EXIT_INVALID
    out = capsys.readouterr().out
    assert "market.csv · line 2 · column series" in out and "line 3 · column provenance" in out


def test_staff_can_import_a_longer_market_series(data_dir):
    from shahu.data import store

    raw = (data_dir / "market.csv").read_bytes() + (
        "cea_volume,2026,2.5,,t_100m,全国碳市场（CEA）年成交量,CEA volume,reported,"
        "据公开报道,As publicly reported\n"
    ).encode()
    outcome = store.import_upload(data_dir, "market", "market.csv", raw, "t")
    assert outcome.status == "written", outcome.plan.problems
    ds = load_dataset(data_dir, DEFAULT_GEO_DIR)
    assert list(charts.market(ds["market"], "zh").data[0].x)[-1] == "2026"


def test_the_presenter_tour_speaks_english_too():
    lines = [entry["en"] for key, entry in CATALOGUE.items() if key.startswith("tour.")]
    assert stray_chinese(lines) == []


def test_every_reported_market_and_metric_row_is_a_fact(shipped):
    for table, key in (("metrics", Metric.value), ("market", Market.value)):
        frame = shipped[table]
        for value in frame[frame[Metric.provenance] == "reported"][key]:
            assert any(math.isclose(value, f) for f in FACTS), (table, value)
    frame = shipped["events"]  # the event's own figures: 23 projects, 超67亿元
    for key in (Event.projects_signed, Event.amount_cny_100m):
        for value in frame[frame[Event.provenance] == "reported"][key].dropna():
            assert any(math.isclose(value, f) for f in FACTS), ("events", key, value)
