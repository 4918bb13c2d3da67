"""The map draws with the network unplugged, in both languages, at desktop and phone widths."""

from __future__ import annotations

import pytest

from tests import browser as b

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_page_draws_offline(app_url, offline_page, lang):
    page = offline_page
    page.goto(f"{app_url}/map?lang={lang}")
    b.wait_for_app(page)
    frame = b.wait_for_map(page)

    leaflet_loaded = frame.locator("body").evaluate("() => typeof L === 'object' && !!L.version")
    assert leaflet_loaded
    height = frame.locator(".leaflet-container").evaluate("el => el.clientHeight")
    assert height > 300
    # six buildings, each drawn with a permanent name label
    assert frame.locator(".leaflet-tooltip.shahu-label").count() == 6
    assert page.offsite == [], f"tried to leave localhost: {page.offsite[:5]}"
    assert page.locator("[data-testid=stException]").count() == 0
    b.screenshot(page, f"map-{lang}-1440")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_page_offline(app_url, offline_page, lang):
    page = offline_page
    page.goto(f"{app_url}/?lang={lang}")
    b.wait_for_app(page)
    b.wait_for_map(page)
    assert page.locator("[data-testid=stMetric]").count() >= 8
    assert page.offsite == []
    b.screenshot(page, f"overview-{lang}-1440")


def test_map_on_phone(app_url, phone_page):
    page = phone_page
    page.goto(f"{app_url}/map?lang=zh")
    b.wait_for_app(page)
    frame = b.wait_for_map(page)
    width = frame.locator(".leaflet-container").evaluate("el => el.clientWidth")
    assert 200 < width <= 390
    assert page.offsite == []
    b.screenshot(page, "map-zh-390")
