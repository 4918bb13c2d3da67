"""The base maps a visitor may choose: none (our vector layers only) or one of three tile maps,
and the coordinates each is drawn in (高德 shifts every point to GCJ-02)."""

from __future__ import annotations

from collections.abc import Callable

from shahu.data.geo import wgs84_to_gcj02

CENTER = (30.5665, 114.3300)
BASEMAPS = ("none", "osm", "carto", "amap")
OSM_CREDIT = "© OpenStreetMap contributors"
TILES = {  # base map → (URL, attribution, subdomains)
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        OSM_CREDIT,  # the same text as our own layers' credit, so Leaflet shows it once
        "abc",
    ),
    "carto": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "© CARTO",  # OpenStreetMap is credited by our own layers
        "abcd",
    ),
    "amap": (
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "© 高德地图 AutoNavi",
        "1234",
    ),
}


def projector(basemap: str) -> Callable[[float, float], tuple[float, float]]:
    """(lat, lon) as drawn: shifted to GCJ-02 for 高德, unchanged otherwise."""
    if basemap == "amap":

        def to_gcj(lat: float, lon: float) -> tuple[float, float]:
            glon, glat = wgs84_to_gcj02(lon, lat)
            return glat, glon

        return to_gcj
    return lambda lat, lon: (lat, lon)
