"""Every page runs in both languages without an exception or an untranslated key."""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pytest

from shahu.content import views
from shahu.content.tables import project_table
from shahu.core.i18n import t
from shahu.core.paths import data_dir, geo_dir
from shahu.data import samples
from shahu.data.dataset import load_dataset
from shahu.data.filters import Filters, apply
from shahu.map import assets
from shahu.ui import cache
from shahu.ui import share as ui_share
from tests.helpers import (
    PAGES,
    assert_clean,
    figures,
    folium_args,
    fresh_app,
    open_link,
    page_parts,
    page_title,
    run_page,
    untranslated,
)

MAP_PAGES = {None, "pages/map.py"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_clean(page, lang):
    at = run_page(page, lang)
    assert_clean(at)
    assert untranslated(at) == []
    assert page_title(at), "every page has a title"
    maps = folium_args(at)
    assert maps or page not in MAP_PAGES
    for args in maps:
        for link in args["js_links"] + args["css_links"]:
            assert link.startswith(assets.URL_PREFIX + "/"), link
        assert args["returned_objects"] is not None  # never "return everything" (reruns on pan)


def test_language_comes_from_the_url():
    assert page_title(run_page(None, "en")) == t("app.title", "en")
    assert page_title(run_page(None, "zh")) == t("app.title", "zh")
    assert page_title(run_page(None, "xx")) == t("app.title", "zh")


def test_language_switch_in_the_sidebar_updates_the_url():
    at = run_page("pages/map.py", "zh")
    at.session_state["lang"] = "en"
    at.run()
    assert_clean(at)
    assert page_title(at) == t("map.title", "en")
    assert at.query_params["lang"] == "en"  # a copied link keeps the language
    assert untranslated(at) == []


def test_overview_figures_come_from_metrics():
    at = run_page(None, "en")
    shown = figures(at, "overview")
    values = {f.label: f.value for f in shown}
    assert values["Dual-carbon projects signed"] == "23"
    assert values["Expected carbon investment"] == "over CNY 6.7 bn"
    assert values["Carbon-related firms by Sha Lake"] == "over 460"
    assert values["Firms and institutions in the Carbon Sink Building (碳汇大厦)"] == "94"
    assert len(shown) == 8  # each with its source under it, not behind a hover
    assert shown[0].source == "Source: Changjiang Daily, 2025-09 (23 Sep 2025, Reported)"


def test_map_building_card_shows_firms_and_source():
    at = run_page("pages/map.py", "zh")
    at.selectbox(key="building").set_value("tanhui").run()
    assert_clean(at)
    texts = " ".join(str(m.value) for m in at.markdown) + " ".join(str(c.value) for c in at.caption)
    assert "碳汇大厦" in texts and "长江日报 2025-09" in texts
    assert at.metric[0].value == "94 家企业和机构"


BREAKAGES = {
    "projects_garbage": ("projects.csv", "project_id,name_zh\np01,<b>x</b>\n"),
    "buildings_shifted": ("buildings.csv", None),  # an unquoted comma shifts every later cell
    "metrics_missing": ("metrics.csv", ""),
}


def _count(text: str) -> int:
    """The number of problems a notice states (its first number)."""
    return int(re.search(r"\d+", text).group())


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_broken_csv_does_not_break_any_page(data_dir, breakage):
    name, text = BREAKAGES[breakage]
    path = data_dir / name
    if breakage == "buildings_shifted":
        lines = path.read_text(encoding="utf-8").splitlines()
        lines[1] = lines[1].replace(",", ",extra,", 1)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif breakage == "metrics_missing":
        path.unlink()
    else:
        path.write_text(text, encoding="utf-8")
    for i, (page, part) in enumerate(page_parts(PAGES)):  # every tab of every page
        lang = ("zh", "en")[i % 2]  # both languages, without running every tab twice
        at = run_page(page, lang, part=part)
        assert_clean(at)
        # a fresh start: there is no earlier valid copy, so the notice must not claim to show one
        key = "app.data_problems_no_copy"
        n = len(at.sidebar.warning) and _count(at.sidebar.warning[0].value)
        assert t(key, lang, n=n) in [w.value for w in at.sidebar.warning], (page, lang)


def test_last_good_data_is_served_while_a_file_is_broken(data_dir):
    at = open_link("signings", lang="en", section="table")
    assert_clean(at)
    before = len(at.dataframe[0].value)
    (data_dir / "projects.csv").write_text("project_id\n", encoding="utf-8")
    at.run()
    assert_clean(at)
    assert at.sidebar.warning
    assert len(at.dataframe[0].value) == before == 5  # the reported rows (samples are off)


@pytest.mark.parametrize(("page", "part"), page_parts(PAGES))
def test_no_page_needs_the_code_highlighter(page, part):
    """`st.code` pulls a 1.5 MB script into every first visit, before the map (issue 6)."""
    assert not run_page(page, part=part).get("code")


def test_share_panel_is_drawn_when_opened():
    """Closed on a first visit (no presenter button, sample switch, link or QR code sent), the
    panel draws them once opened."""
    at = open_link("map", lang="en")
    assert at.sidebar.expander[-1].label == t("sidebar.more", "en")
    assert [w.key for w in at.sidebar.text_input] == [] and not at.sidebar.toggle
    assert t("tour.present", "en") not in [b.label for b in at.sidebar.button]
    at.session_state[ui_share.PANEL_KEY] = True
    at.run()
    assert "lang=en" in at.sidebar.text_input(key="share_link").value
    assert at.sidebar.toggle(key="samples_switch").value is False
    assert t("tour.present", "en") in [b.label for b in at.sidebar.button]


def test_a_link_without_a_language_stays_without_one_while_the_share_link_names_it():
    """The default language sends the browser no new address on a first visit; a link shared
    from there still opens in Chinese wherever it is opened."""
    at = fresh_app()
    at.session_state[ui_share.PANEL_KEY] = True
    at.run()
    assert page_title(at) == t("app.title", "zh") and "lang" not in at.query_params
    assert "lang=zh" in at.sidebar.text_input(key="share_link").value
    at.session_state["lang"] = "en"  # as the sidebar's switch does
    at.run()
    assert at.query_params["lang"] == "en"
    at.session_state["lang"] = "zh"  # and back: the address keeps naming it
    at.run()
    assert at.query_params["lang"] == "zh"


def test_share_link_is_this_view():
    at = fresh_app()
    at.session_state[ui_share.PANEL_KEY] = True
    at.query_params.update(lang="en", sector="carbon_tech")
    at.run()
    at.switch_page("pages/map.py").run()
    link = at.sidebar.text_input(key="share_link").value
    assert "lang=en" in link and "sector=carbon_tech" in link


def test_the_shared_link_carries_only_the_apps_own_parameters():
    """A parameter someone else put in the URL is not passed on (nor could 3,000 of its
    characters overflow the QR code): the link and the QR code are this view's."""
    at = fresh_app()
    at.session_state[ui_share.PANEL_KEY] = True
    at.query_params.update(lang="en", sector="carbon_tech", x="A" * 3000)
    at.run()
    link = at.sidebar.text_input(key="share_link").value
    assert "sector=carbon_tech" in link and "x=" not in link
    assert not at.exception and not at.error


LIST_VIEWS = [  # (lang, filters, link parameters) of the signings tables the test draws
    ("zh", Filters(), ()),
    ("en", Filters(), ()),
    ("en", Filters(sectors=("carbon_tech",)), (("sector", "carbon_tech"),)),
]


def test_every_visitor_reads_one_copy_of_the_data_and_no_page_changes_it():
    """The visitor's dataset is one object shared by all sessions (`cache.dataset`), so a page
    that changed a table in place would change it for everyone: after every page, in both
    languages, with and without the filter panel open, it still equals the files."""
    for page, part in page_parts(PAGES):
        for lang in ("zh", "en"):
            run_page(page, lang, part=part)
    open_link("signings", lang="en", sector="carbon_tech", section="table", filters_open=True)
    open_link("map", lang="en", building="tanhui", share_open=True)
    shared = cache.dataset()
    assert cache.dataset() is shared
    fresh = samples.visible(load_dataset(data_dir(), geo_dir()), False)
    for name, frame in fresh.tables.items():
        pd.testing.assert_frame_equal(shared[name], frame, obj=name)
    assert all((views.project_list, args) in shared._derived for args in LIST_VIEWS)  # drawn
    lists = {args: shared.derived(views.project_list, *args) for args in LIST_VIEWS}
    for (lang, f, links), shown in lists.items():  # drawn by st.dataframe, still as made
        expected = project_table(apply(fresh["projects"], f), fresh["buildings"], lang, dict(links))
        pd.testing.assert_frame_equal(shown.table, expected)
        assert shown.arrow.equals(pa.Table.from_pandas(expected, preserve_index=False))
