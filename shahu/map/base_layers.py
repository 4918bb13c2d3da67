"""The vector base under the points: the belt outline, the lake with its name, and the roads
with their names, so the map means something without tiles (roads.geojson's `label_at` spots)."""

from __future__ import annotations

import folium
import pandas as pd
import shapely

from shahu.content.markup import feature_tooltip, for_template_literal, water_label
from shahu.core.i18n import t
from shahu.core.labels import lang_col
from shahu.data.dataset import Dataset
from shahu.data.geo import shift_geometry
from shahu.map.basemaps import projector
from shahu.map.elements import RoadLabels

BELT_COLOR = "#4d4d4d"
ROAD_STYLES = {  # by `road_class` in roads.geojson; main roads drawn wider
    "main": {"color": "#c8b68f", "weight": 6, "opacity": 1},
    "secondary": {"color": "#d3c6a8", "weight": 4, "opacity": 1},
    "local": {"color": "#ddd3bf", "weight": 2.5, "opacity": 1},
}
ROAD_LABEL_ZOOM = {"main": 12.75, "secondary": 14, "local": 15}  # names from this zoom on
KEY_ROAD = "中北路"  # the story's street: named first and at every zoom
BELT_STYLE = {
    "color": BELT_COLOR,
    "weight": 3,
    "dashArray": "8 6",
    "fillColor": BELT_COLOR,
    "fillOpacity": 0.04,
}
LAKE_STYLE = {"color": "#4a90c2", "weight": 1, "fillColor": "#9cc9e8", "fillOpacity": 0.85}


def add_base_layers(m: folium.Map, ds: Dataset, lang: str, basemap: str) -> RoadLabels | None:
    """Belt, lake and roads; returns the road names, to be added once the points are there
    (they keep clear of the points' clusters)."""
    name = lang_col("name", lang)
    names = None
    point = projector(basemap)
    note_key = lang_col("note", lang)
    for layer in ("belt", "lake", "roads"):
        frame = ds.layers.get(layer)
        if frame is None:
            continue
        group = folium.FeatureGroup(name=t(f"map.layer.{layer}", lang), control=layer != "lake")
        labels, features = [], []
        for row, geom in _geojson_features(frame, basemap):
            label = for_template_literal(str(row.get(name, "") or ""))
            note = str(row.get(note_key, "") or "") if note_key in row else ""
            road_class = _road_class(row)
            features.append(
                {
                    "type": "Feature",
                    "properties": {"tip": str(feature_tooltip(label, note)), "cls": road_class},
                    "geometry": geom.__geo_interface__,
                }
            )
            if layer == "lake":
                c = _lake_label_point(row, geom, point)
                km2 = pd.to_numeric(row.get("area_km2"), errors="coerce")
                area = "" if pd.isna(km2) else f"{km2:.2f} km²"
                folium.Marker(
                    (c.y, c.x),
                    icon=folium.DivIcon(
                        html=str(water_label(label, area)),
                        icon_size=(120, 34),
                        icon_anchor=(60, 17),
                    ),
                    interactive=False,
                ).add_to(group)
            if layer == "roads" and label:
                labels.append(_road_label(row, str(label), road_class, geom, point))
        fixed = {"belt": BELT_STYLE, "lake": LAKE_STYLE}.get(layer)
        # one GeoJson per layer, not per feature: each folium element costs template work
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            style_function=lambda f, s=fixed: s or ROAD_STYLES[f["properties"]["cls"]],
            tooltip=folium.GeoJsonTooltip(["tip"], labels=False, sticky=True),
            interactive=layer != "belt",
        ).add_to(group)
        group.add_to(m)
        if labels:
            labels.sort(key=lambda r: r[0])
            names = RoadLabels(group.get_name(), [r[1:] for r in labels])
    return names


def _geojson_features(frame, basemap: str):
    for _, row in frame.iterrows():
        geom = shift_geometry(row.geometry) if basemap == "amap" else row.geometry
        yield row, geom


def _lake_label_point(row, geom, point):
    """The lake's `label_at` spot (chosen clear of the buildings), else a point inside it."""
    spot = row.get("label_at")
    if isinstance(spot, list | tuple) and len(spot) == 2:
        lat, lon = point(float(spot[0]), float(spot[1]))
        return shapely.Point(lon, lat)
    return geom.representative_point()


def _road_class(row) -> str:
    road_class = str(row.get("road_class", "") or "")
    return road_class if road_class in ROAD_STYLES else "local"


def _road_label(row, label: str, road_class: str, geom, point) -> list:
    """[priority, name, css class, min zoom, [[lat, lon, angle], …]] for `RoadLabels`."""
    key = row.get("name_zh") == KEY_ROAD
    spots = row.get("label_at")
    if not isinstance(spots, list | tuple) or not spots:
        c = geom.interpolate(0.5, normalized=True)  # a file without spots: its middle, level
        spots = [[c.y, c.x, 0]]
    else:
        spots = [[*point(float(s[0]), float(s[1])), float(s[2])] for s in spots]
    spots = [[round(lat, 6), round(lon, 6), angle] for lat, lon, angle in spots]
    rank = 0 if key else 1 + list(ROAD_STYLES).index(road_class)
    min_zoom = 0 if key else ROAD_LABEL_ZOOM[road_class]
    return [rank, label, road_class + (" key" if key else ""), min_zoom, spots]
