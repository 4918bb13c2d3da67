"""Take-aways: the offline map file and the investor brief."""

from __future__ import annotations

import re

import pytest

from shahu.content.downloads import brief_html
from shahu.data.metrics import headline
from shahu.map import assets
from shahu.map.download import inline_assets, map_html
from shahu.map.folium_map import build_map


def test_map_file_inlines_every_vendored_asset(shipped):
    html = map_html(build_map(shipped, "zh"))
    assert "app/static/vendor" not in html
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+stylesheet", html)
    assert "L.version" in html or "Leaflet" in html
    for asset in assets.MAP_SCRIPTS:  # our own map scripts, inside the bundle
        assert asset.path.read_text(encoding="utf-8").strip() in html, asset.relpath
    assert (assets.MAP_DIR / "map.css").read_text(encoding="utf-8").strip() in html


def test_inline_refuses_paths_outside_vendor():
    with pytest.raises(ValueError):
        inline_assets(f'<script src="{assets.URL_PREFIX}/../../app.py"></script>')


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_brief_has_the_figures_of_its_data(shipped, lang):
    html = brief_html(shipped, lang)
    for kpi in headline(shipped["metrics"], lang):
        assert kpi.value.replace("&", "&amp;") in html
        assert kpi.label.replace("&", "&amp;") in html
    assert ("长江日报 2025-09" if lang == "zh" else "Changjiang Daily, 2025-09") in html


def test_brief_escapes_data(shipped):
    ds = shipped
    products = ds["finance_products"].copy()
    products.loc[products.index[0], "name_en"] = "<script>alert(1)</script>"
    ds = type(ds)({**ds.tables, "finance_products": products}, ds.layers)
    html = brief_html(ds, "en")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
