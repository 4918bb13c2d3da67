"""The map component's arguments are rendered once per view and match what `st_folium` sends."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

BUILDS: list[str] = []


def _page(view: str) -> None:
    from streamlit_folium import st_folium

    from shahu.core.paths import data_dir, geo_dir
    from shahu.data.dataset import load_dataset
    from shahu.map.folium_map import build_map
    from shahu.ui import mapview
    from tests.apptest import test_mapview

    ds = load_dataset(data_dir(), geo_dir())

    def build():
        test_mapview.BUILDS.append(view)
        return build_map(ds, "en", compact=True)

    st_folium(
        build_map(ds, "en", compact=True),
        key="direct",
        height=380,
        use_container_width=True,
        returned_objects=[],
    )
    mapview.show(build, ("test", view), key="cached", height=380)


def _args(at: AppTest) -> list[dict]:
    """Each map's arguments, its random element ids and indentation left out."""
    texts = [el.proto.json_args for el in at.get("component_instance")]
    return [json.loads(re.sub(r"[0-9a-f]{32}", "ID", re.sub(r"\\n\s*", " ", t))) for t in texts]


def test_cached_arguments_are_what_st_folium_sends_and_are_built_once_per_view(data_dir):
    BUILDS.clear()
    first = AppTest.from_function(_page, args=("a",), default_timeout=60).run()
    assert not first.exception
    direct, cached = _args(first)
    for name in ("script", "html", "header", "id", "js_links", "css_links", "default", "height"):
        assert cached[name] == direct[name], name
    AppTest.from_function(_page, args=("a",), default_timeout=60).run()  # another visitor
    assert BUILDS == ["a"]
    AppTest.from_function(_page, args=("b",), default_timeout=60).run()  # another view
    assert BUILDS == ["a", "b"]
