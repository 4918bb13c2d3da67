"""Presenter mode in the app: the sections a link brings into view, on stage and off, and the QR
panel's public address (its logic without the app: tests/unit/test_present_logic.py)."""

from __future__ import annotations

from shahu.content import share, tour
from shahu.core import sitemap
from shahu.core.i18n import t
from tests.helpers import (
    card_titles,
    open_link,
    open_tab,
    page_lede,
    page_title,
    qp,
    tab_container,
    visible_texts,
)


def test_a_section_link_opens_that_tab_alone_and_keeps_it_in_the_url():
    at = open_link("finance", lang="en", section="calculator")
    assert not at.exception
    assert [tab.label for tab in at.tabs] == [
        t(f"section.finance.{part}", "en") for part in sitemap.page("finance").sections
    ]
    assert [s.value for s in at.subheader] == [
        t("finance.calculator", "en"),
        t("finance.users_title", "en"),
    ]  # the other tabs are not drawn until chosen
    assert qp(at, "section") == "calculator"


def test_choosing_a_tab_keeps_the_tab_strip_so_the_keyboard_focus_stays_on_it():
    """The browser keeps an element whose id is unchanged: a new id would draw the strip anew and
    drop the focus from the tab just chosen with the keyboard."""
    at = open_link("finance", lang="en")
    first = tab_container(at).id
    at.query_params["section"] = "market"  # as choosing the tab does
    at.run()
    assert open_tab(at) == t("section.finance.market", "en") and tab_container(at).id == first


def test_in_presenter_mode_a_step_shows_only_its_section():
    at = open_link("finance", **tour.step_target(6, "en")[1])
    assert not at.tabs  # no tabs on the stage: the step's part alone
    assert [s.value for s in at.subheader] == [
        t("finance.calculator", "en"),
        t("finance.users_title", "en"),
    ]
    assert qp(at, "section") == "calculator" and qp(at, "step") == "7"


def test_on_a_step_that_names_no_part_the_presenter_can_still_change_tabs():
    at = open_link("signings", **tour.step_target(3, "en")[1])
    assert [tab.label for tab in at.tabs][:1] == [t("section.signings.glance", "en")]
    at.query_params["section"] = "charts"  # as choosing the tab does
    at.run()
    assert len(at.tabs) == 3 and at.get("plotly_chart")  # the tabs stay on the stage
    assert qp(at, "step") == "4"


def test_unknown_sections_are_dropped_from_the_link():
    at = open_link("finance", lang="en", section="nowhere")
    assert not at.exception and qp(at, "section") is None
    titles = card_titles(at)
    assert len(titles) == 6  # the first tab, the product catalogue, is open


def test_without_a_public_address_the_qr_panel_says_who_sets_it(monkeypatch):
    monkeypatch.delenv(share.PUBLIC_URL_ENV, raising=False)
    at = open_link("map", lang="en", share_open=True)
    texts = " ".join(visible_texts(at))
    assert t("share.qr_unset", "en") in texts
    assert "SHAHU_" not in texts and "secrets" not in texts  # no configuration names to visitors


def test_with_a_public_address_the_share_link_uses_it(monkeypatch):
    monkeypatch.setenv(share.PUBLIC_URL_ENV, "https://shahu.example.cn/")
    at = open_link("map", lang="en", building="tanhui", share_open=True)
    link = at.sidebar.text_input(key="share_link").value
    assert link == "https://shahu.example.cn/map?lang=en&building=tanhui"
    assert t("share.qr_unset", "en") not in " ".join(visible_texts(at))


def test_on_stage_a_page_shows_its_lines_but_not_its_own_title():
    """The tour bar says where we are; the map's notes are left to the presenter."""
    finance = open_link("finance", **tour.step_target(5, "en")[1])
    assert page_title(finance) is None
    assert page_lede(finance) == [t("finance.lede", "en")]
    stage_map = open_link("map", **tour.step_target(0, "en")[1])
    assert page_title(stage_map) is None and page_lede(stage_map) == []
    assert page_title(open_link("map", lang="en")) == t("map.title", "en")  # off stage
