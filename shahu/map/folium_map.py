"""`build_map`: a `folium.Map` of the belt that draws with no internet, framed to fit. Scripts and
styles come from `shahu.map.assets` (our own origin, set per element, so no CDN link slips in);
every text from a CSV or GeoJSON is escaped by `shahu.content.markup`."""

from __future__ import annotations

import folium
import pandas as pd
from branca.element import Element
from folium.plugins import Fullscreen

from shahu.content.markup import for_template_literal, map_legend
from shahu.core.i18n import t
from shahu.core.labels import lang_col
from shahu.data.dataset import Dataset
from shahu.data.schemas import Building
from shahu.map import assets
from shahu.map.accessibility import MarkerNames
from shahu.map.base_layers import BELT_COLOR, add_base_layers
from shahu.map.basemaps import BASEMAPS, CENTER, TILES, projector
from shahu.map.elements import CLUSTER_PANE, FrameView, Furniture, Legend, PointLayer
from shahu.map.points import SAMPLE_COLOR, PointRows, has_samples, map_label, point_rows

BUILDING_PANE = "buildings"  # above the points, so a project never hides a building
# Building names written on the map, at most (the belt has 6): past that they would cover each
# other and the map, and placing each one costs the browser a layout (600 took seconds).
MAX_NAMED = 40


def build_map(
    ds: Dataset,
    lang: str,
    *,
    basemap: str = "none",
    projects: pd.DataFrame | None = None,
    selected: str | None = None,
    height: int | str = "100%",
    zoom: int = 14,
    compact: bool = False,
    rows: PointRows | None = None,
    present: bool = False,
) -> folium.Map:
    """The belt map. `projects` is the (filtered) project table, default all; `present` enlarges
    its labels for a projector; `rows` may come precomputed (`point_rows`, cached by the app)."""
    if basemap not in BASEMAPS:
        raise ValueError(f"basemap must be one of {BASEMAPS}, got {basemap!r}")
    point = projector(basemap)
    m = folium.Map(
        location=point(*CENTER),
        zoom_start=zoom,
        tiles=None,
        min_zoom=11,
        max_zoom=19,
        control_scale=False,  # Furniture adds a metric-only one
        height=height,
        prefer_canvas=False,
    )
    # Without tiles Leaflet needs the zoom range on the map itself; quarter zoom steps let
    # FrameView frame the belt snugly at any width.
    m.options.update(maxZoom=19, minZoom=11, zoomSnap=0.25, zoomDelta=0.5)
    m.default_js = assets.pairs(assets.MAP_JS)  # Leaflet, jQuery, the plugins and ours, one request
    m.default_css = assets.pairs(assets.LEAFLET_CSS)
    m.get_root().header.add_child(Element(assets.map_style("map.css")), name="shahu_css")
    if basemap != "none":
        url, attribution, subdomains = TILES[basemap]
        folium.TileLayer(
            url,
            attr=attribution,
            subdomains=subdomains,
            max_zoom=19,
            name=t(f"map.basemap.{basemap}", lang),
        ).add_to(m)

    folium.map.CustomPane(BUILDING_PANE, z_index=640).add_to(m)
    folium.map.CustomPane(CLUSTER_PANE, z_index=645).add_to(m)  # names (tooltips) at 650
    road_names = add_base_layers(m, ds, lang, basemap)
    if rows is None:
        rows = point_rows(
            ds, lang, basemap=basemap, projects=projects, selected=selected, compact=compact
        )
    _add_point_layers(m, rows, lang, compact)
    if road_names is not None:
        road_names.add_to(m)
    if not compact:
        folium.LayerControl(collapsed=True).add_to(m)
        if assets.fullscreen_available():
            full = Fullscreen(position="topleft", title="⛶", title_cancel="×")
            full.default_js = []  # inside assets.MAP_JS
            full.default_css = assets.pairs(assets.FULLSCREEN_CSS)
            full.add_to(m)
    Furniture(present).add_to(m)
    samples = has_samples(rows.projects) or has_samples(rows.institutions)
    Legend(_legend(lang, compact, samples)).add_to(m)
    other = "zh" if lang == "en" else "en"
    twins = {}  # each building's label in the other language, keyed on where it is drawn
    for row in ds["buildings"].to_dict("records"):
        lat, lon = point(row[Building.lat], row[Building.lon])
        label = str(for_template_literal(map_label(row[lang_col("name", other)])))
        twins[f"{round(lat, 6):.6f},{round(lon, 6):.6f}"] = label
    twin_legend = str(_legend(other, compact, samples))
    FrameView(_frame_bounds(ds, point, compact), twins, twin_legend).add_to(m)
    MarkerNames().add_to(m)
    return m


def _legend(lang: str, compact: bool, samples: bool):
    return map_legend(lang, compact, samples, belt_color=BELT_COLOR, sample_color=SAMPLE_COLOR)


def _add_point_layers(m: folium.Map, rows: PointRows, lang: str, compact: bool) -> None:
    style = {
        "radius": 9,
        "color": "#ffffff",
        "weight": 2,
        "fill": True,
        "fillOpacity": 0.95,
        "pane": BUILDING_PANE,
        "className": "shahu-point shahu-building",
    }
    tooltip: dict = {"direction": "right"}  # a name on hover or focus
    if len(rows.buildings) <= MAX_NAMED:  # written on the map
        tooltip.update(permanent=True, className="shahu-label")
    PointLayer(t("map.layer.buildings", lang), rows.buildings, style, tooltip).add_to(m)
    if compact:
        return
    style = {
        "radius": 7,
        "color": "#ffffff",
        "weight": 1.5,
        "fill": True,
        "fillOpacity": 0.9,
        "className": "shahu-point",
    }
    suffix = t("truth.metric_suffix", lang)
    label = str(for_template_literal(t("polish.cluster_samples", lang)))
    for name, layer, side in (
        ("map.layer.projects", rows.projects, "left"),
        ("map.layer.institutions", rows.institutions, "right"),
    ):
        title = t(name, lang) + (suffix if has_samples(layer) else "")
        PointLayer(title, layer, style, cluster=side, sample_label=label).add_to(m)


def _frame_bounds(ds: Dataset, point, compact: bool) -> list[list[float]]:
    """South-west and north-east corners around the belt (and, full size, every building)."""
    lats, lons = [], []
    belt = ds.layers.get("belt")
    if belt is not None:
        minx, miny, maxx, maxy = belt.total_bounds
        lats += [miny, maxy]
        lons += [minx, maxx]
    if not compact or belt is None:
        lats += list(ds["buildings"][Building.lat])
        lons += list(ds["buildings"][Building.lon])
    if not lats:
        lats, lons = [CENTER[0]], [CENTER[1]]
    sw = point(min(lats), min(lons))
    ne = point(max(lats), max(lons))
    return [list(sw), list(ne)]
