"""Every page runs in both languages without an exception or an untranslated key."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from shahu.i18n import CATALOGUE, t
from shahu.paths import ROOT
from tests.apptest import RAW_KEY, folium_args, raw_keys, run_page

# every page file, so a new page is covered the day it lands; overview is the default page "/"
PAGES = [None] + sorted(
    f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py") if p.name != "overview.py"
)
MAP_PAGES = {None, "pages/map.py"}


def strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def untranslated(at) -> list[str]:
    """Catalogue keys shown verbatim anywhere: widgets, charts, tables, the sidebar."""
    texts = list(raw_keys(at))
    for chart in at.get("plotly_chart"):
        texts += list(strings(json.loads(chart.proto.spec)))
    for kind in ("download_button", "tab", "expander"):
        texts += [getattr(el.proto, "label", "") for el in at.get(kind)]
    for group in at.get("button_group"):
        texts += [o.content for o in group.proto.options]
    for frame in at.dataframe:
        texts += [str(c) for c in frame.value.columns]
    return [s for s in texts if RAW_KEY.match(s.strip()) or s.strip() in CATALOGUE]


def assert_clean(at) -> None:
    assert not at.exception, at.exception
    # app.py turns a page's exception into st.error(app.error): that counts as a failure too
    crashed = {t("app.error", lang) for lang in ("zh", "en")}
    assert not crashed & {e.value for e in at.error}, [e.value for e in at.error]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_clean(page, lang):
    at = run_page(page, lang)
    assert_clean(at)
    assert untranslated(at) == []
    assert at.title, "every page has a title"
    maps = folium_args(at)
    assert maps or page not in MAP_PAGES
    for args in maps:
        for link in args["js_links"] + args["css_links"]:
            assert link.startswith("/app/static/vendor/"), link
        assert args["returned_objects"] is not None  # never "return everything" (reruns on pan)


def test_language_comes_from_the_url():
    assert run_page(None, "en").title[0].value == t("app.title", "en")
    assert run_page(None, "zh").title[0].value == t("app.title", "zh")
    assert run_page(None, "xx").title[0].value == t("app.title", "zh")


def test_language_switch_in_the_sidebar_updates_the_url():
    at = run_page("pages/map.py", "zh")
    at.session_state["lang"] = "en"
    at.run()
    assert_clean(at)
    assert at.title[0].value == t("map.title", "en")
    assert at.query_params["lang"] == "en"  # a copied link keeps the language
    assert untranslated(at) == []


def test_overview_figures_come_from_metrics():
    at = run_page(None, "en")
    values = {m.label: m.value for m in at.metric}
    assert values["Dual-carbon projects signed"] == "23"
    assert values["Expected carbon investment"] == "over CNY 6.7 bn"
    assert values["Carbon-related firms by Sha Lake"] == "over 460"
    assert values["Firms and institutions in 碳汇大厦"] == "94"


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
    for i, page in enumerate(PAGES):
        lang = ("zh", "en")[i % 2]  # both languages, without running every page twice
        at = run_page(page, lang)
        assert_clean(at)
        warning = re.compile(re.escape(t("app.data_problems", lang, n=0)).replace("0", r"\d+"))
        assert any(warning.fullmatch(w.value) for w in at.sidebar.warning), (page, lang)


def test_last_good_data_is_served_while_a_file_is_broken(data_dir):
    at = run_page("pages/signings.py", "en")
    assert_clean(at)
    before = len(at.dataframe[0].value)
    (data_dir / "projects.csv").write_text("project_id\n", encoding="utf-8")
    at.run()
    assert_clean(at)
    assert at.sidebar.warning
    assert len(at.dataframe[0].value) == before == 23


@pytest.mark.parametrize("page", PAGES)
def test_no_page_needs_the_code_highlighter(page):
    """`st.code` pulls a 1.5 MB script into every first visit, before the map (issue 6)."""
    assert not run_page(page).get("code")


def test_share_link_is_this_view():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(lang="en", sector="carbon_tech")
    at.run()
    at.switch_page("pages/map.py").run()
    link = at.sidebar.text_input(key="share_link").value
    assert "lang=en" in link and "sector=carbon_tech" in link
