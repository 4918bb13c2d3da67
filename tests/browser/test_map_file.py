"""The downloaded map file opens in Chromium with no server and no network, markers and names drawn."""

from __future__ import annotations

from harness import browser as b
from shahu.map.download import map_html
from shahu.map.folium_map import build_map


def test_map_file_opens_offline_with_markers(shipped, chromium, tmp_path):
    path = tmp_path / "map.html"
    path.write_text(map_html(build_map(shipped, "en")), encoding="utf-8")
    context = chromium.new_context(viewport={"width": 1200, "height": 800})
    attempts: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:", "about:")):
            return r.continue_()
        attempts.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(path.as_uri())
    page.locator(".leaflet-container").wait_for()
    page.locator(".leaflet-tooltip.shahu-label").first.wait_for()
    assert page.locator(".leaflet-tooltip.shahu-label").count() == len(shipped["buildings"])
    assert attempts == []
    b.screenshot(page, "takeaway-map-en")
    context.close()
