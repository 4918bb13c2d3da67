"""Each chart's text alternative says what the chart shows, from the figure's own data."""

from __future__ import annotations

import pandas as pd
import pytest

from shahu.content import chart_text, charts
from shahu.core.i18n import t
from shahu.core.paths import STATIC_DIR
from shahu.data.schemas import Project
from shahu.map.folium_map import build_map


def projects(rows: list[tuple[str, str, float | None]]) -> pd.DataFrame:
    """A small project table: (id, sector, amount in 亿元 or None for undisclosed)."""
    return pd.DataFrame(
        {
            Project.project_id: [r[0] for r in rows],
            "name_zh": [f"项目{r[0]}" for r in rows],
            "name_en": [f"Project {r[0]}" for r in rows],
            Project.sector: [r[1] for r in rows],
            Project.amount_cny_100m: [r[2] for r in rows],
            Project.signed_on: ["2025-09-23"] * len(rows),
            Project.provenance: ["reported"] * len(rows),
        }
    )


SMALL = projects(
    [
        ("p1", "carbon_finance", 5.0),
        ("p2", "carbon_finance", None),
        ("p3", "carbon_tech", 1.5),
        ("p4", "carbon_industry", 2.0),
        ("p5", "carbon_industry", 0.5),
    ]
)


def test_sector_amounts_names_every_sector_and_the_largest():
    fig = charts.sector_amounts(SMALL, "zh")
    text = chart_text.takeaway(fig, "zh")
    assert text.startswith(t("chart.amount_by_sector", "zh") + "（")
    assert t("chart.undisclosed_note", "zh", n=1) in text  # the note under the title comes along
    for part in ("碳金融 5亿元", "碳技术 1.5亿元", "碳实业 2.5亿元", "最多的是碳金融（5亿元）"):
        assert part in text
    en = chart_text.takeaway(charts.sector_amounts(SMALL, "en"), "en")
    assert "Carbon technology: CNY 0.15 bn" in en  # the <br> of the axis label is a space
    assert en.endswith("the largest is Carbon finance (CNY 0.5 bn).")


def test_counts_with_a_tie_name_no_largest_and_show_whole_numbers():
    tie = projects([("a", "carbon_finance", 1.0), ("b", "carbon_tech", 1.0)])
    text = chart_text.takeaway(charts.sector_counts(tie, "en"), "en")
    assert "Carbon finance: 1; Carbon technology: 1; Carbon industry: 0." in text
    assert "largest" not in text


def test_ranking_names_the_three_largest_with_their_sector():
    text = chart_text.takeaway(charts.ranked(SMALL, "en"), "en")
    assert "4 bars; the 3 largest are Project p1 (Carbon finance) CNY 0.5 bn; " in text
    assert (
        "Project p4 (Carbon industry) CNY 0.2 bn; Project p3 (Carbon technology) CNY 0.15 bn."
        in text
    )


def test_data_table_holds_every_drawn_value():
    table = chart_text.data_table(charts.ranked(SMALL, "zh"), "zh")
    assert list(table.columns) == [t(f"alt.col.{c}", "zh") for c in ("series", "item", "value")]
    assert sorted(table[t("alt.col.item", "zh")]) == ["项目p1", "项目p3", "项目p4", "项目p5"]
    single = chart_text.data_table(charts.sector_counts(SMALL, "zh"), "zh")
    assert single.values.tolist() == [["碳金融", "2"], ["碳技术", "1"], ["碳实业", "2"]]


def test_stacked_dates_read_every_sector():
    text = chart_text.takeaway(charts.over_time(SMALL, "zh"), "zh")
    assert "2025年9月23日：碳金融 2；碳技术 1；碳实业 2" in text


def test_horizontal_bars_are_read_top_to_bottom():
    """Plotly draws a horizontal bar chart's first category at the bottom; the text follows the eye."""
    fig = charts.sector_counts(SMALL, "en")
    drawn_top_down = [chart_text.plain(c, "en") for c in reversed(fig.data[0].y)]
    read = [p.label for p in chart_text.points(fig, "en")][: len(drawn_top_down)]
    assert read == drawn_top_down


def test_users_read_without_an_invented_start_date(shipped):
    text = chart_text.takeaway(charts.users(shipped["metrics"], "en"), "en")
    assert "Two years earlier: 30,000; Sep 2025: 1.9 million" in text
    assert "2023" not in text


def test_market_volumes_and_prices_are_read_apart(shipped):
    """Volumes (亿吨) and prices (元/吨) share a chart on two axes: each series is read on its
    own, and none is ranked against the other's numbers."""
    zh = chart_text.takeaway(charts.market(shipped["market"], "zh"), "zh")
    assert "年成交量（亿吨）：从2021的 1.79 到2025的 2.35" in zh
    assert "年末收盘价（元/吨）：从2021的 54.22 到2024的 97.49" in zh
    assert "最大" not in zh and "最多" not in zh
    en = chart_text.takeaway(charts.market(shipped["market"], "en"), "en")
    assert "Volume in the year (million t): from 179 in 2021 to 235 in 2025" in en
    assert "largest" not in en and "bars" not in en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nothing_to_show_says_so(lang):
    empty = projects([])
    text = chart_text.takeaway(charts.ranked(empty, lang), lang)
    assert text == t("alt.empty", lang, title=chart_text.title(charts.ranked(empty, lang), lang)[0])


def test_names_from_the_data_stay_text():
    odd = projects([("x", "carbon_finance", 1.0)])
    odd["name_en"] = ["<b>Bold</b> & co"]
    text = chart_text.takeaway(charts.ranked(odd, "en"), "en")
    assert "<b>Bold</b> & co" in text  # plain text: the page escapes it for markdown


def test_the_map_names_its_markers_for_screen_readers(shipped):
    html = build_map(shipped, "zh").get_root().render()
    script = (STATIC_DIR / "map" / "marker_access.js").read_text(encoding="utf-8")
    assert "window.shahuMap.markerNames(" in html
    assert 'setAttribute("aria-label", label)' in script and 'map.on("layeradd"' in script
    assert "path.leaflet-interactive:focus-visible" in html


def test_labels_inside_bars_reach_aa_contrast_on_every_sector_colour():
    from shahu.core.palette import SECTOR_COLORS, contrast, text_on

    assert round(contrast("#ffffff", "#000000"), 1) == 21.0
    for fill in SECTOR_COLORS.values():
        assert contrast(text_on(fill), fill) >= 4.5, fill
    for fig in (charts.ranked(SMALL, "en"), charts.over_time(SMALL, "en")):
        for trace in fig.data:
            fill = trace.marker.color
            assert contrast(trace.insidetextfont.color, fill) >= 4.5, (trace.name, fill)
