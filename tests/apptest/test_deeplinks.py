"""Every view is a link: opening a URL restores the page's state; the tour's steps all load."""

from __future__ import annotations

import pytest

from shahu.content import tour
from shahu.core.i18n import t
from shahu.core.paths import DEFAULT_DATA_DIR, DEFAULT_GEO_DIR
from shahu.data import samples
from shahu.data.dataset import load_dataset
from shahu.data.filters import Filters
from shahu.ui import filters as ui_filters
from tests.helpers import open_link, page_title, qp, raw_keys


def test_map_link_restores_building_basemap_language_and_filters():
    at = open_link("map", lang="en", building="tanhui", basemap="carto", sector="carbon_tech")
    assert not at.exception
    assert at.selectbox(key="building").value == "tanhui"
    assert at.selectbox(key="basemap").value == "carto"
    assert at.session_state["filters"] == Filters(sectors=("carbon_tech",))
    assert page_title(at) == "Map of the belt"
    assert qp(at, "building") == "tanhui" and qp(at, "basemap") == "carto"
    assert qp(at, "lang") == "en" and qp(at, "sector") == "carbon_tech"


@pytest.mark.parametrize("page", ["", "signings", "sectors", "finance"])
def test_language_and_filters_round_trip_on_every_page(page):
    at = open_link(page, lang="en", status="landed", q="碳")
    assert not at.exception and raw_keys(at) == []
    assert at.session_state["filters"] == Filters(statuses=("landed",), search="碳")
    assert qp(at, "lang") == "en"
    assert qp(at, "status") == "landed" and qp(at, "q") == "碳"


def test_changing_a_filter_updates_the_link():
    at = open_link("signings", lang="zh", filters_open=True)
    at.multiselect(key="fw_sector").set_value(["carbon_finance"]).run()
    assert qp(at, "sector") == "carbon_finance"
    at.button[0].click().run()  # reset
    assert "sector" not in at.query_params


def test_invalid_link_values_are_ignored():
    at = open_link("map", lang="fr", building="nowhere", basemap="google", sector="x")
    assert not at.exception
    assert at.selectbox(key="building").value is None
    assert at.selectbox(key="basemap").value == "none"
    assert qp(at, "lang") == "zh"


@pytest.mark.parametrize("index", range(len(tour.STEPS)))
def test_every_tour_step_opens(index):
    step = tour.STEPS[index]
    params = {"lang": "en", "present": "1", "step": str(index + 1), **step.params}
    at = open_link(step.page, **params)
    assert not at.exception and raw_keys(at) == []
    bar = at.markdown[0].value
    assert f"Step {index + 1} of {len(tour.STEPS)}" in bar
    if "building" in step.params:
        assert at.selectbox(key="building").value == step.params["building"]


def test_the_filter_panel_is_drawn_when_opened_and_opens_itself_for_a_filtered_link():
    """Closed on a plain first visit (phones never see the sidebar's widgets), it opens by
    itself when the link carries filters, so a shared view shows what narrows it."""
    plain = open_link("signings", lang="en")
    assert [w.key for w in plain.multiselect] == []
    public = samples.visible(load_dataset(DEFAULT_DATA_DIR, DEFAULT_GEO_DIR), False)["projects"]
    shown = t("filters.inactive", "en", total=len(public))
    assert shown not in [c.value for c in plain.sidebar.caption]  # said inside, once opened
    plain.session_state[ui_filters.OPEN_KEY] = True
    assert shown in [c.value for c in plain.run().sidebar.caption]
    linked = open_link("signings", lang="en", sector="carbon_tech")
    assert linked.multiselect(key="fw_sector").value == ["carbon_tech"]
