"""The signings, sectors and finance pages in both languages, with filters: the numbers match the data."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from shahu.content.markup import md
from shahu.content.views import map_counts
from shahu.core.formatting import cny_100m
from shahu.core.i18n import t
from shahu.core.paths import DEFAULT_GEO_DIR
from shahu.data import aggregates
from shahu.data.dataset import load_dataset
from shahu.data.filters import Filters, apply, describe
from shahu.data.schemas import Project
from shahu.ui import filters as ui_filters
from tests.helpers import (
    TABBED_PAGES,
    assert_clean,
    card_titles,
    fresh_app,
    open_part,
    open_tab,
    page_lede,
    page_parts,
    page_title,
    parts,
    untranslated,
    visible_texts,
)
from tests.helpers import (
    figures as headline_figures,
)


def open_page(page: str, lang: str, section: str | None = None, **params: str) -> AppTest:
    """app.py opened on a link like `/signings?lang=en&sector=carbon_tech&samples=1`, on the tab
    `section` names (`&section=table`) or the first.

    Sample rows are on unless `samples="0"`: filters, amounts and charts need rows to work on
    (tests/apptest/test_truth_pages.py checks the pages with samples off).
    """
    params = {"samples": "1", **params, **({"section": section} if section else {})}
    at = fresh_app(page)
    at.session_state[ui_filters.OPEN_KEY] = True  # the sidebar's filter panel, opened
    at.query_params.update(lang=lang, **params)
    return at.run()


def texts(at: AppTest) -> str:
    return "\n".join(
        str(e.value)
        for kind in ("markdown", "caption", "subheader", "info")
        for e in getattr(at, kind)
    )


def figures(at: AppTest) -> list[dict]:
    """The page's plotly figures as sent to the browser (JSON)."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def numbers(value) -> list[float]:
    """A plotly array, plain or typed (`{"dtype": "i1", "bdata": <base64>}`)."""
    if isinstance(value, dict):
        return list(np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]))
    return list(value)


def metrics(at: AppTest) -> dict[str, str]:
    """Each figure's label and value as read on screen: headline cards, and metrics (whose
    markdown escapes such as `38\\.8` drop)."""
    shown = {m.label: m.value.replace("\\", "") for m in at.metric}
    return shown | {f.label: f.value for f in headline_figures(at)}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("page", "part"), page_parts(TABBED_PAGES))
def test_every_tab_is_clean_and_fully_translated(page, part, lang):
    at = open_page(page, lang, section=part)
    assert_clean(at)
    assert untranslated(at) == []
    assert page_title(at)
    key = page.removeprefix("pages/").removesuffix(".py")
    assert [tab.label for tab in at.tabs] == [t(f"section.{key}.{p}", lang) for p in parts(page)]
    other = "Carbon finance" if lang == "zh" else "碳金融"
    assert other not in texts(at)


@pytest.mark.parametrize("page", TABBED_PAGES)
def test_every_investor_page_has_a_chart_and_a_first_visit_draws_only_the_first_tab(page):
    """Each tab is drawn only when open: a first visit sends the first tab, not the whole page."""
    tabs = {part: set(visible_texts(open_page(page, "en", section=part))) for part in parts(page)}
    first_visit = set(visible_texts(open_page(page, "en")))
    first, *others = parts(page)
    assert first_visit == tabs[first]
    for part in others:
        own = tabs[part] - tabs[first]
        assert own and not own & first_visit, part
    assert any(open_page(page, "en", section=p).get("plotly_chart") for p in parts(page))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_signings_at_a_glance_matches_the_data(shipped, lang):
    at = open_page("pages/signings.py", lang)
    projects = shipped["projects"]
    whole = aggregates.disclosure(projects)
    shown = metrics(at)
    label = t("truth.disclosed_total", lang) + t("truth.metric_suffix", lang)
    assert shown[label] == cny_100m(whole.total, lang)  # marked: a sum of sample amounts
    assert shown[t("truth.named_metric", lang)] == "5"
    assert ("超67亿元" if lang == "zh" else "over CNY 6.7 bn") in shown.values()
    assert ("23个" if lang == "zh" else "23") in shown.values()
    for line in aggregates.glance(projects, lang):
        assert line in texts(at)
    assert len(open_part(at, "table").dataframe[0].value) == 23


@pytest.mark.parametrize(
    ("lang", "params", "f"),
    [
        ("en", {"sector": "carbon_tech"}, Filters(sectors=("carbon_tech",))),
        (
            "zh",
            {"status": "landed,operating", "bld": "tanhui"},
            Filters(statuses=("landed", "operating"), buildings=("tanhui",)),
        ),
        (
            "en",
            {"amin": "1", "amax": "4", "undisclosed": "0"},
            Filters(amount_min=1.0, amount_max=4.0, undisclosed=False),
        ),
        ("zh", {"q": "船舶"}, Filters(search="船舶")),
    ],
)
def test_signings_with_filters_from_the_link(shipped, lang, params, f):
    at = open_page("pages/signings.py", lang, section="table", **params)
    assert_clean(at)
    assert at.session_state["filters"] == f
    expected = apply(shipped["projects"], f)
    table = at.dataframe[0].value
    assert len(table) == len(expected)
    assert list(table["name"]) == list(expected[f"name_{lang}"])
    assert table["amount"].sum() == pytest.approx(
        expected[Project.amount_cny_100m].sum() * (0.1 if lang == "en" else 1)
    )
    page = texts(at)
    assert t("signings.table", lang, n=len(expected), total=23) in page
    assert aggregates.disclosure_text(aggregates.disclosure(expected), lang) in page
    assert t("filters.active", lang, n=len(expected), total=23) in page
    names = dict(
        zip(shipped["buildings"]["building_id"], shipped["buildings"][f"name_{lang}"], strict=True)
    )
    assert md(" · ".join(describe(f, lang, names))) in page  # which filters, in words
    by_sector = figures(open_part(at, "charts"))[0]
    assert t("filters.active", lang, n=len(expected), total=23) in texts(at)  # charts say so too
    assert sum(sum(numbers(trace["x"])) for trace in by_sector["data"]) == len(expected)
    assert at.query_params["lang"] == lang


def test_undisclosed_amounts_show_as_such_and_never_as_zero(shipped):
    at = open_page("pages/signings.py", "zh", section="table")
    frame = at.dataframe[0]
    assert frame.proto.placeholder == "未披露"
    assert (
        frame.value["amount"].isna().sum()
        == shipped["projects"][Project.amount_cny_100m].isna().sum()
    )
    config = json.loads(frame.proto.columns)
    assert config["amount"]["type_config"]["format"] == "%g亿元"
    assert config["building"]["type_config"]["type"] == "link"
    links = frame.value["building"].dropna()
    assert links.str.startswith("/map?building=").all() and links.str.contains("lang=zh").all()


def test_a_filter_change_on_the_glance_brings_the_table_into_view(shipped):
    at = open_page("pages/signings.py", "en")
    assert not at.dataframe  # the glance: the event as a whole, which no filter changes
    at.multiselect(key="fw_sector").set_value(["carbon_tech"]).run()
    tech = apply(shipped["projects"], Filters(sectors=("carbon_tech",)))
    assert len(at.dataframe[0].value) == len(tech) and at.query_params["section"] == "table"
    open_part(at, "charts").multiselect(key="fw_sector").set_value([]).run()
    assert at.get("plotly_chart") and at.query_params["section"] == "charts"  # stays on charts


def test_a_link_with_filters_opens_what_they_filter_unless_it_names_a_tab(shipped):
    """An old link or QR code (`?sector=…`, no `section=`) shows the filtered table, not the
    glance that no filter changes; a link that names the glance still opens it."""
    at = open_page("pages/signings.py", "en", sector="carbon_tech")
    tech = apply(shipped["projects"], Filters(sectors=("carbon_tech",)))
    assert open_tab(at) == t("section.signings.table", "en")
    assert len(at.dataframe[0].value) == len(tech)
    at.button(key="filters_reset_page").click().run()  # the table stays open, now with all rows
    assert open_tab(at) == t("section.signings.table", "en") and len(at.dataframe[0].value) == 23
    at = open_page("pages/signings.py", "en", sector="carbon_tech", section="glance")
    assert open_tab(at) == t("section.signings.glance", "en") and not at.dataframe
    at.multiselect(key="fw_status").set_value(["landed"]).run()  # a change brings the table
    assert open_tab(at) == t("section.signings.table", "en")
    assert at.query_params["section"] == "table"


def test_filter_widgets_change_the_table_and_the_page_reset_clears_them(shipped):
    at = open_page("pages/signings.py", "zh", section="table")
    assert t("filters.hint", "zh") in texts(at)
    at.multiselect(key="fw_status").set_value(["landed"]).run()
    landed = (shipped["projects"][Project.status] == "landed").sum()
    assert len(at.dataframe[0].value) == landed
    assert at.query_params["status"] == "landed"  # the view is a link
    at.text_input(key="fw_search").set_value("碳资产").run()
    assert list(at.dataframe[0].value["name"]) == ["示例：碳资产管理服务项目"]
    at.button(key="filters_reset_page").click().run()
    assert len(at.dataframe[0].value) == 23 and not at.session_state["filters"].active
    assert "status" not in at.query_params


def test_charts_follow_the_filter_widgets_and_a_data_refresh(data_dir):
    """The signings charts are cached across visitors: never a stale figure."""
    at = open_page("pages/signings.py", "en", section="charts")

    def projects_in_chart() -> int:
        by_sector = figures(at)[0]
        return int(sum(sum(numbers(trace["x"])) for trace in by_sector["data"]))

    assert projects_in_chart() == 23
    at.multiselect(key="fw_sector").set_value(["carbon_tech"]).run()
    tech = apply(
        load_dataset(data_dir, DEFAULT_GEO_DIR)["projects"], Filters(sectors=("carbon_tech",))
    )
    assert projects_in_chart() == len(tech) < 23
    path = data_dir / "projects.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = next(i for i, line in enumerate(lines) if ",carbon_tech," in line)
    path.write_text("".join(lines[:dropped] + lines[dropped + 1 :]), encoding="utf-8")
    at.run()
    assert projects_in_chart() == len(tech) - 1


def test_a_filter_that_matches_nothing_says_so():
    at = open_page("pages/signings.py", "en", section="table", q="no such project")
    assert_clean(at)
    assert t("signings.none", "en") in [i.value for i in at.info]
    assert len(at.dataframe[0].value) == 0
    open_part(at, "charts")
    assert t("signings.none", "en") in [i.value for i in at.info] and not at.get("plotly_chart")


def test_filters_follow_the_visitor_to_the_map(shipped):
    at = open_page("pages/signings.py", "en")
    at.multiselect(key="fw_sector").set_value(["carbon_finance"]).run()
    at.switch_page("pages/map.py").run()
    assert_clean(at)
    f = Filters(sectors=("carbon_finance",))
    assert at.session_state["filters"] == f
    assert at.multiselect(key="fw_sector").value == ["carbon_finance"]
    counts = map_counts(shipped, apply(shipped["projects"], f), "en")
    assert page_lede(at)[0] == counts  # the notes under the map's title
    assert t("filters.active", "en", n=7, total=23) in texts(at)


def test_a_building_link_opens_the_map_on_its_card_with_the_filters():
    at = open_page("pages/map.py", "en", building="tanhui", sector="carbon_finance")
    assert_clean(at)
    assert at.selectbox(key="building").value == "tanhui"
    assert at.session_state["filters"] == Filters(sectors=("carbon_finance",))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sectors_side_by_side_match_the_data(shipped, lang):
    at = open_page("pages/sectors.py", lang, section="sectors")
    views = aggregates.sector_views(shipped["projects"], lang)
    shown = headline_figures(at)
    values = [f.value for f in shown]
    assert [f.value for f in shown if f.label == t("truth.named_metric", lang)] == [
        str(len(v.named)) for v in views
    ]
    for view in views:
        assert cny_100m(view.disclosure.total, lang) in values
    totals = [f for f in shown if f.label != t("truth.named_metric", lang)]
    assert len(totals) == 3 and all(t("truth.metric_suffix", lang) in f.label for f in totals)
    page = texts(at)  # the path and the model, under the cards (the tour's sectors step)
    assert (
        "碳金融 → 碳服务 → 碳科技" if lang == "zh" else "Carbon finance → carbon services"
    ) in page
    assert ("滨江数创走廊" if lang == "zh" else "Riverside digital-innovation corridor") in page
    open_part(at, "projects")
    assert sum(sum(numbers(trace["x"])) for trace in figures(at)[0]["data"]) == 23


@pytest.mark.parametrize(
    ("lang", "kg", "packet"), [("en", 250.0, "CNY 500.00"), ("zh", 1.5, "3.00 元")]
)
def test_calculator_uses_the_rate_in_metrics(lang, kg, packet):
    at = open_page("pages/finance.py", lang, section="calculator")
    at.number_input[0].set_value(kg).run()
    assert metrics(at)[t("finance.red_packet", lang)] == packet


def test_calculator_follows_a_changed_rate(data_dir):
    path = data_dir / "metrics.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "interest_per_kg,2025-03,2,", "interest_per_kg,2025-03,3,"
        ),
        encoding="utf-8",
    )
    at = open_page("pages/finance.py", "en", section="calculator")
    at.number_input[0].set_value(100.0).run()
    assert metrics(at)["Interest red packet earned"] == "CNY 300.00"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", {"80亿元", "千亿级", "4家", "190万"}),
        ("en", {"CNY 8 bn", "CNY 100 bn scale", "4", "1.9 million"}),
    ],
)
def test_finance_figures_come_from_metrics(lang, expected):
    at = open_page("pages/finance.py", lang)
    assert_clean(at)
    titles = card_titles(at)
    assert len(titles) == 6  # one card per product in finance_products.csv
    shown = set(metrics(at).values()) | set(metrics(open_part(at, "calculator")).values())
    assert expected <= shown
    start = "3万" if lang == "zh" else "30,000"
    assert any(start in str(m.proto.delta) for m in at.metric)
    assert t("finance.specialists_note", lang, n=4, unnamed=3) in texts(
        open_part(at, "institutions")
    )


@pytest.mark.parametrize(
    ("lang", "unit", "top", "fmt", "moved_to", "amin"),
    [("en", "CNY bn", 0.6, "CNY %.2f bn", 0.2, "2"), ("zh", "亿元", 6.0, "%.1f", 2.0, "2")],
)
def test_amount_slider_reads_in_the_pages_unit_and_links_stay_in_yi(
    lang, unit, top, fmt, moved_to, amin
):
    """English pages speak CNY bn, so the slider does too; the link keeps 亿元 (`amin=2`)."""
    at = open_page("pages/signings.py", lang)
    slider = at.slider[0]
    assert unit in slider.label
    assert (slider.min, slider.max) == (0.0, top)  # the largest sample amount, 6亿元 = CNY 0.6 bn
    assert slider.proto.format == fmt
    slider.set_range(moved_to, slider.max).run()
    assert at.query_params["amin"] == amin
    assert cny_100m(2.0, lang) in texts(at)  # the banner: CNY 0.2 bn / 2亿元


def test_english_amounts_in_the_table_carry_no_float_noise(shipped):
    """0.6 亿元 reads CNY 0.06 bn, never CNY 0.06000000000000001 bn (the column prints %g)."""
    at = open_page("pages/signings.py", "en", section="table")
    shown = at.dataframe[0].value["amount"].dropna()
    expected = shipped["projects"][Project.amount_cny_100m].dropna()
    assert sorted(shown) == sorted(round(v / 10, 6) for v in expected)
    assert all(len(repr(v)) <= 8 for v in shown)
