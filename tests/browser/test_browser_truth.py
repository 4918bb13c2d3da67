"""Issue 11 in a browser: the Chinese and the English map open at the same zoom."""

from __future__ import annotations

import re

import pytest

from shahu.data import samples
from shahu.map.download import map_html
from shahu.map.folium_map import build_map


def _zoom(chromium, tmp_path, ds, lang: str, width: int) -> float:
    html = map_html(build_map(ds, lang))
    path = tmp_path / f"map-{lang}-{width}.html"
    path.write_text(html, encoding="utf-8")
    name = re.search(r"var (map_[0-9a-f]+) = L\.map", html).group(1)
    page = chromium.new_page(viewport={"width": width, "height": 620})
    page.goto(path.as_uri())
    page.locator(".leaflet-tooltip.shahu-label").first.wait_for()
    zoom = page.evaluate(f"{name}.getZoom()")
    page.close()
    return zoom


@pytest.mark.parametrize("width", [900, 640, 390])
@pytest.mark.parametrize("samples_on", [False, True])
def test_zh_and_en_maps_open_at_the_same_zoom(shipped, chromium, tmp_path, width, samples_on):
    ds = samples.visible(shipped, samples_on)
    assert _zoom(chromium, tmp_path, ds, "zh", width) == _zoom(chromium, tmp_path, ds, "en", width)
