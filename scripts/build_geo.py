"""Rebuild `geo/lake.geojson`, `geo/roads.geojson` and `geo/belt.geojson` from OpenStreetMap.

    .venv/bin/python scripts/build_geo.py [SOURCES_DIR]   # default ../shared/geo-sources

Reads the OSM lake outline and named roads (WGS-84, ODbL; see that folder's README), adds the
English road names (pinyin, as on Wuhan's street signs) and a drawing class, and draws the
schematic belt: the lake and the three anchor buildings, buffered until the shape measures
11.11 km² in EPSG:4547. Not imported by the app; run it again when the sources change.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import MultiLineString, mapping, shape
from shapely.ops import linemerge, polylabel

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "geo"
SOURCES = ROOT.parent / "shared" / "geo-sources"
METRIC = "EPSG:4547"
BELT_KM2 = 11.11
ANCHORS = ("tanhui", "xiangyang", "tianfeng")
OSM = "© OpenStreetMap contributors (ODbL-1.0)"
KEY_ROAD = "中北路"  # the story's street (as in shahu.map.base_layers): its name gets many spots

# Pinyin as on Wuhan's street signs (路 Road, 街 Street, 大道 Avenue, 大桥 Bridge).
NAME_EN = {
    "七星路": "Qixing Road",
    "东亭路": "Dongting Road",
    "东湖路": "Donghu Road",
    "中北路": "Zhongbei Road",
    "二环线": "Second Ring Road",
    "兴国北路": "Xingguo North Road",
    "友谊大道": "Youyi Avenue",
    "团结大道": "Tuanjie Avenue",
    "团结路": "Tuanjie Road",
    "学院路": "Xueyuan Road",
    "徐东一路": "Xudong 1st Road",
    "徐东二路": "Xudong 2nd Road",
    "徐东大街": "Xudong Street",
    "惠安路": "Hui'an Road",
    "杨园南路": "Yangyuan South Road",
    "松竹路": "Songzhu Road",
    "楚汉路": "Chuhan Road",
    "欢乐大道": "Huanle Avenue",
    "武汉大道": "Wuhan Avenue",
    "沙湖大桥": "Shahu Bridge",
    "沙湖大道": "Shahu Avenue",
    "沙湖路": "Shahu Road",
    "烟霞路": "Yanxia Road",
    "秦园东路": "Qinyuan East Road",
    "秦园中路": "Qinyuan Middle Road",
    "秦园路": "Qinyuan Road",
    "秦臻街": "Qinzhen Street",
    "黄鹂路": "Huangli Road",
}
ROAD_CLASS = {"motorway": "main", "trunk": "main", "primary": "main", "secondary": "secondary"}
# Where a road's name is tried along it, best first (fractions of its longest stretch).
LABEL_AT = (0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9, 0.275, 0.725)


def _features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _round(geom, places: int = 6):
    return shapely.set_precision(geom, 10**-places)


def lake(sources: Path) -> dict:
    feature = _features(sources / "sha-lake.osm.geojson")[0]
    geom = shape(feature["geometry"])
    km2 = gpd.GeoSeries([geom], crs=4326).to_crs(METRIC).area.iloc[0] / 1e6
    area = f"{km2:.2f}"
    return {
        "name_zh": "沙湖",
        "name_en": "Sha Lake",
        "note_zh": f"水面 {area} km²（OpenStreetMap 轮廓实测，含 4 个湖心岛）",
        "note_en": f"{area} km² of water (measured on the OpenStreetMap outline; 4 islands)",
        "area_km2": round(km2, 3),
        "label_at": _lake_label(geom),
        "schematic": False,
        "provenance": "reported",
        "source": f"{OSM}; 经 Overture Maps 水系 2026-09-23.0",
        "source_en": f"{OSM}, via the Overture Maps water theme 2026-09-23.0",
    }, geom


def _lake_label(geom) -> list[float]:
    """Where the lake's name goes: the middle of its western, widest part (pole of
    inaccessibility), away from the buildings on its east side."""
    metric = gpd.GeoSeries([geom], crs=4326).to_crs(METRIC).iloc[0]
    west = metric.intersection(shapely.box(*metric.bounds[:2], metric.centroid.x, metric.bounds[3]))
    p = gpd.GeoSeries(
        [polylabel(max(getattr(west, "geoms", [west]), key=lambda g: g.area))], crs=METRIC
    )
    p = p.to_crs(4326).iloc[0]
    return [round(p.y, 6), round(p.x, 6)]


def _label_points(geom, dense: bool = False) -> list[list[float]]:
    """[lat, lon, angle°] spots for the road's name, best first: along its longest stretch, then
    two spots on each other stretch of 300 m or more. The angle is as drawn on screen."""
    merged = linemerge(geom) if isinstance(geom, MultiLineString) else geom
    parts = list(merged.geoms) if isinstance(merged, MultiLineString) else [merged]
    metric = gpd.GeoSeries(parts, crs=4326).to_crs(METRIC)
    order = list(metric.length.sort_values(ascending=False).index)
    spots = [(metric[order[0]], at) for at in LABEL_AT]
    others = [metric[i] for i in order[1:] if metric[i].length >= 300]
    spots += [(line, at) for line in others for at in (0.5, 0.8)]
    if dense:  # the key road: every 5 % of every stretch, so its name finds room at any size
        steps = sorted((i / 20 for i in range(1, 20)), key=lambda at: abs(at - 0.5))
        spots += [(line, at) for line in [metric[order[0]], *others] for at in steps]
    return [_spot(line, at) for line, at in spots]


def _spot(line, at: float) -> list[float]:
    d = at * line.length
    a = line.interpolate(max(d - 40, 0))
    b = line.interpolate(min(d + 40, line.length))
    angle = -math.degrees(math.atan2(b.y - a.y, b.x - a.x))  # screen y points down
    if angle > 90:
        angle -= 180
    elif angle < -90:
        angle += 180
    p = gpd.GeoSeries([line.interpolate(d)], crs=METRIC).to_crs(4326).iloc[0]
    return [round(p.y, 6), round(p.x, 6), round(angle, 1)]


def roads(sources: Path) -> list[dict]:
    features = []
    for f in _features(sources / "roads.osm.geojson"):
        props, geom = f["properties"], shape(f["geometry"])
        zh = props["name_zh"]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name_zh": zh,
                    "name_en": NAME_EN[zh],
                    "highway": props["highway"],
                    "road_class": ROAD_CLASS.get(props["highway"], "local"),
                    "label_at": _label_points(geom, dense=zh == KEY_ROAD),
                    "osm_way_ids": props["osm_way_ids"],
                    "provenance": "reported",
                    "source": OSM,
                },
                "geometry": mapping(_round(geom)),
            }
        )
    return features


def anchors() -> list[shapely.Point]:
    with (ROOT / "data" / "buildings.csv").open(encoding="utf-8") as f:
        rows = {r["building_id"]: r for r in csv.DictReader(f)}
    return [shapely.Point(float(rows[b]["lon"]), float(rows[b]["lat"])) for b in ANCHORS]


def belt(lake_geom) -> dict:
    """The lake's hull with the anchor buildings, buffered to 11.11 km² (bisection on the
    buffer distance), smoothed: a schematic shape, since no boundary is published."""
    core = gpd.GeoSeries(
        [shapely.MultiPoint([*lake_geom.exterior.coords, *[p.coords[0] for p in anchors()]])],
        crs=4326,
    ).to_crs(METRIC)
    hull = core.iloc[0].convex_hull
    lo, hi = 0.0, 3000.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if hull.buffer(mid, quad_segs=8).area / 1e6 < BELT_KM2:
            lo = mid
        else:
            hi = mid
    shape_m = hull.buffer((lo + hi) / 2, quad_segs=8)
    geom = gpd.GeoSeries([shape_m], crs=METRIC).to_crs(4326).iloc[0]
    km2 = gpd.GeoSeries([_round(geom)], crs=4326).to_crs(METRIC).area.iloc[0] / 1e6
    assert abs(km2 / BELT_KM2 - 1) < 0.005, km2
    return {
        "type": "Feature",
        "properties": {
            "name_zh": "环沙湖双碳经济带（示意范围）",
            "name_en": "Sha Lake dual-carbon belt (schematic outline)",
            "area_km2": BELT_KM2,
            "schematic": True,
            "provenance": "estimated",
            "source": "面积：长江日报 2025-09；边界：示意（沙湖及碳汇大厦、襄阳大厦、天风大厦外扩至 "
            "11.11 km²），无官方边界公布",
            "source_en": "Area: Changjiang Daily 2025-09; outline: schematic (Sha Lake and the "
            "three anchor buildings, widened to 11.11 km²), no official boundary is published",
        },
        "geometry": mapping(_round(geom)),
    }


def write(name: str, features: list[dict]) -> None:
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    (GEO / f"{name}.geojson").write_text(text + "\n", encoding="utf-8")


def main(sources: Path = SOURCES) -> None:
    props, geom = lake(sources)
    geom = _round(geom)
    write("lake", [{"type": "Feature", "properties": props, "geometry": mapping(geom)}])
    write("roads", roads(sources))
    write("belt", [belt(geom)])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCES)
