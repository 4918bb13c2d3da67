"""Every page runs in both languages without an exception or an untranslated key."""

from __future__ import annotations

import pytest

from tests.apptest import folium_args, raw_keys, run_page

PAGES = [None, "pages/map.py", "pages/signings.py", "pages/sectors.py", "pages/finance.py"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_clean(page, lang):
    at = run_page(page, lang)
    assert not at.exception, at.exception
    assert raw_keys(at) == []
    for args in folium_args(at):
        for link in args["js_links"] + args["css_links"]:
            assert link.startswith("/app/static/vendor/"), link
        assert args["returned_objects"] is not None  # never "return everything" (reruns on pan)


def test_language_comes_from_the_url():
    assert run_page(None, "en").title[0].value == "Sha Lake Dual-Carbon Belt"
    assert run_page(None, "zh").title[0].value == "环沙湖双碳经济带"
    assert run_page(None, "xx").title[0].value == "环沙湖双碳经济带"


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
    assert not at.exception
    texts = " ".join(str(m.value) for m in at.markdown) + " ".join(str(c.value) for c in at.caption)
    assert "碳汇大厦" in texts and "长江日报 2025-09" in texts
    assert at.metric[0].value == "94 家企业和机构"


def test_broken_csv_does_not_break_any_page(data_dir):
    (data_dir / "projects.csv").write_text("project_id,name_zh\np01,<b>x</b>\n", encoding="utf-8")
    for page in PAGES:
        at = run_page(page, "en")
        assert not at.exception
        assert any("problem" in w.value for w in at.sidebar.warning)
