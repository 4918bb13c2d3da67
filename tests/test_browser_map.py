"""The map draws with the network unplugged, in both languages, at desktop and phone widths."""

from __future__ import annotations

import pytest

from harness import browser as b

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


MAP_STATE = """() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  const box = map.getContainer().getBoundingClientRect();
  const belt = document.querySelector('.leaflet-overlay-pane path[stroke-dasharray]').getBoundingClientRect();
  return {
    zoom: map.getZoom(), animating: !!map._animatingZoom, width: map.getSize().x,
    boxWidth: Math.round(box.width),
    scaled: /scale/.test(document.querySelector('.leaflet-overlay-pane svg').style.transform),
    beltInside: belt.left >= box.left && belt.right <= box.right
      && belt.top >= box.top && belt.bottom <= box.bottom,
  };
}"""
SIZE_SEEN = (
    "w => { const m = Object.values(window).find(v => v instanceof L.Map); "
    "return m.getContainer().clientWidth !== w && m.getSize().x === m.getContainer().clientWidth; }"
)


def test_the_belt_is_framed_at_once_and_again_on_resize_until_the_visitor_moves_the_map(
    app_url, offline_page
):
    """No zoom animation on load; a new size reframes; after a touch the visitor's view stays."""
    page = offline_page
    page.goto(f"{app_url}/map?lang=zh")
    b.wait_for_app(page)
    b.wait_for_map(page)
    frame = next(f for f in page.frames if "st_folium" in f.url)
    first = frame.evaluate(MAP_STATE)
    assert not first["animating"] and not first["scaled"], first
    assert first["beltInside"] and first["width"] == first["boxWidth"]

    page.set_viewport_size({"width": 900, "height": 1000})
    frame.wait_for_function(SIZE_SEEN, arg=first["width"])
    narrow = frame.evaluate(MAP_STATE)
    assert narrow["zoom"] < first["zoom"] and narrow["beltInside"], narrow

    frame.locator(".leaflet-container").dispatch_event("pointerdown")
    page.set_viewport_size({"width": 1440, "height": 1000})
    frame.wait_for_function(SIZE_SEEN, arg=narrow["width"])
    assert frame.evaluate(MAP_STATE)["zoom"] == narrow["zoom"]


LABELS_CLEAR = """() => {
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  const control = document.querySelector('.leaflet-control-layers').getBoundingClientRect();
  const labels = Array.from(document.querySelectorAll('.shahu-label'))
    .map(el => el.getBoundingClientRect());
  const hits = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  return labels.length === 6 && labels.every(r => r.left >= box.left && r.right <= box.right
    && r.top >= box.top && r.bottom <= box.bottom && !hits(r, control));
}"""


@pytest.mark.parametrize("width", [1440, 390])
def test_every_building_name_fits_on_the_map_in_english(app_url, chromium, width):
    """The longest names are English ones; none runs off the map or under the layer switch."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    b.block_offsite(context)
    page = context.new_page()
    page.goto(f"{app_url}/map?lang=en")
    b.wait_for_app(page)
    b.wait_for_map(page)
    frame = next(f for f in page.frames if "st_folium" in f.url)
    frame.wait_for_function(LABELS_CLEAR, timeout=10_000)
    context.close()
