"""Geometry: the OSM lake and roads, the schematic 11.11 km² belt around them, buildings on the
right streets in WGS-84, and GCJ-02 done right."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point

from shahu.content.building_card import ROUGH_M
from shahu.core.paths import DEFAULT_GEO_DIR, ROOT
from shahu.data.geo import (
    METRIC_CRS,
    area_km2,
    contains,
    load_layers,
    shift_geometry,
    wgs84_to_gcj02,
)
from shahu.data.schemas import Building, Institution, Project
from shahu.map.points import point_rows

WGS84 = Geod(ellps="WGS84")
# The centroid of OpenStreetMap's Sha Lake (../shared/geo-sources/sha-lake.osm.geojson), lon/lat.
OSM_LAKE_CENTROID = (114.329111, 30.568215)
OSM_SOURCES = ROOT.parent / "shared" / "geo-sources"


@pytest.fixture(scope="module")
def layers():
    found, problems = load_layers(DEFAULT_GEO_DIR)
    assert problems == []
    return found


def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return WGS84.inv(lon1, lat1, lon2, lat2)[2]


def test_belt_area_is_11_11_km2_in_epsg_4547(layers):
    assert METRIC_CRS == "EPSG:4547"
    measured = layers["belt"].to_crs(4547).area.sum() / 1e6
    assert measured == pytest.approx(11.11, rel=0.005)
    assert area_km2(layers["belt"]) == pytest.approx(measured, rel=1e-12)


def test_belt_is_marked_schematic(layers):
    belt = layers["belt"].iloc[0]
    assert bool(belt["schematic"]) and belt["provenance"] == "estimated"


def test_lake_is_the_osm_outline_2_62_km2_with_4_islands_inside_the_belt(layers):
    lake = layers["lake"]
    assert area_km2(lake) == pytest.approx(2.62, abs=0.005)
    assert [len(g.interiors) for g in lake.geometry] == [4]
    assert lake.iloc[0]["name_zh"] == "沙湖" and lake.iloc[0]["name_en"] == "Sha Lake"
    assert "OpenStreetMap" in lake.iloc[0]["source"]
    assert layers["belt"].union_all().contains(lake.union_all())


def test_lake_centroid_within_100_m_of_the_osm_one(layers):
    centroid = layers["lake"].to_crs(METRIC_CRS).centroid.to_crs(4326).iloc[0]
    assert metres(centroid.x, centroid.y, *OSM_LAKE_CENTROID) < 100
    if OSM_SOURCES.exists():  # the outline it was built from, where the sources are at hand
        osm = gpd.read_file(OSM_SOURCES / "sha-lake.osm.geojson").to_crs(METRIC_CRS)
        c = osm.centroid.to_crs(4326).iloc[0]
        assert metres(centroid.x, centroid.y, c.x, c.y) < 100


def test_roads_are_the_osm_ones_with_english_names_and_a_class(layers):
    roads = layers["roads"].set_index("name_zh")
    assert len(roads) == 28 and roads["name_en"].str.len().gt(0).all()
    assert roads.loc["中北路", "name_en"] == "Zhongbei Road"
    assert roads.loc["徐东大街", "name_en"] == "Xudong Street"
    assert set(roads["road_class"]) == {"main", "secondary", "local"}
    assert (
        roads.loc["中北路", "road_class"] == "main" and roads.loc["秦园路", "road_class"] != "main"
    )
    assert "OpenStreetMap" in roads.loc["中北路", "source"]


def test_the_lake_lies_where_osm_has_it_not_on_the_old_blob(layers):
    """沙湖大桥 crosses the lake and 中北路 passes about 300 m east of it, as in OpenStreetMap."""
    lake = layers["lake"].to_crs(METRIC_CRS).union_all()
    roads = layers["roads"].to_crs(METRIC_CRS).set_index("name_zh").geometry
    assert roads["沙湖大桥"].crosses(lake)
    assert 250 < roads["中北路"].distance(lake) < 350


@pytest.mark.parametrize("building_id", ["tanhui", "xiangyang", "tianfeng"])
def test_buildings_on_zhongbei_road_lie_within_their_accuracy_of_it(layers, shipped, building_id):
    """The datum check: WGS-84 positions against the OSM road, as drawn on the OSM base map
    (a GCJ-02 position would sit about 590 m off)."""
    row = shipped["buildings"].set_index(Building.building_id).loc[building_id]
    lat, lon = point_rows(shipped, "zh", basemap="osm").buildings[
        list(shipped["buildings"][Building.building_id]).index(building_id)
    ][:2]
    road = layers["roads"].set_index("name_zh").loc[["中北路"]].to_crs(METRIC_CRS).union_all()
    at = gpd.GeoSeries([Point(lon, lat)], crs=4326).to_crs(METRIC_CRS).iloc[0]
    assert at.distance(road) <= row[Building.position_accuracy_m]
    assert at.distance(road) < 100  # drawn on the street itself; the accuracy is along it
    gcj = gpd.GeoSeries([Point(*wgs84_to_gcj02(lon, lat))], crs=4326).to_crs(METRIC_CRS).iloc[0]
    assert gcj.distance(road) > 300


def test_every_building_lies_inside_the_drawn_base_layers(layers, shipped):
    """No building floats on blank paper: each is inside the extent of the roads and lake drawn
    under it, or a rough one (±1 km or more) within its stated accuracy of it; none in the lake."""
    extent = shapely.box(*pd.concat([layers["roads"], layers["lake"]]).total_bounds)
    extent = gpd.GeoSeries([extent], crs=4326).to_crs(METRIC_CRS).iloc[0]
    for row in shipped["buildings"].itertuples():
        lat, lon = getattr(row, Building.lat), getattr(row, Building.lon)
        at = gpd.GeoSeries([Point(lon, lat)], crs=4326).to_crs(METRIC_CRS).iloc[0]
        accuracy = getattr(row, Building.position_accuracy_m)
        slack = accuracy if accuracy >= ROUGH_M else 0
        assert at.distance(extent) <= slack, row
        assert not contains(layers["lake"], lat, lon), row


@pytest.mark.parametrize("building_id", ["tanhui", "xiangyang", "tianfeng"])
def test_anchor_buildings_inside_the_belt_on_land(layers, shipped, building_id):
    row = shipped["buildings"].set_index(Building.building_id).loc[building_id]
    assert contains(layers["belt"], row[Building.lat], row[Building.lon])
    assert not contains(layers["lake"], row[Building.lat], row[Building.lon])


def test_every_building_says_why_it_is_where_it_is(shipped):
    for row in shipped["buildings"].itertuples():
        assert getattr(row, Building.position_accuracy_m) > 0, row
        assert "±" in getattr(row, Building.source) and "±" in getattr(row, Building.source_en)
        assert getattr(row, Building.address_en), row


def test_gcj02_test_vector():
    lon, lat = wgs84_to_gcj02(120, 40)
    assert lon == pytest.approx(120.00567568355486, abs=1e-9)
    assert lat == pytest.approx(40.0013047896019, abs=1e-9)


def test_gcj02_moves_wuhan_points_500_to_700_m(shipped):
    for row in shipped["buildings"].itertuples():
        lon, lat = getattr(row, Building.lon), getattr(row, Building.lat)
        assert 500 < metres(lon, lat, *wgs84_to_gcj02(lon, lat)) < 700, row


def test_shifting_a_geometry_moves_every_vertex(layers):
    for name in ("lake", "roads"):
        for geom in layers[name].geometry:
            shifted = shift_geometry(geom)
            assert shifted.geom_type == geom.geom_type
            old = shapely.get_coordinates(geom).tolist()
            new = shapely.get_coordinates(shifted).tolist()
            assert len(old) == len(new)
            for (x, y), (gx, gy) in zip(old, new, strict=True):
                assert (gx, gy) == pytest.approx(wgs84_to_gcj02(x, y), abs=1e-12)


def feature_collection(geometry: dict | None) -> str:
    features = (
        [] if geometry is None else [{"type": "Feature", "properties": {}, "geometry": geometry}]
    )
    return json.dumps({"type": "FeatureCollection", "features": features})


def test_bad_geo_files_are_reported(tmp_path):
    square = [[[114.30, 30.55], [114.31, 30.55], [114.31, 30.56], [114.30, 30.55]]]
    (tmp_path / "belt.geojson").write_text("{not json", encoding="utf-8")
    (tmp_path / "lake.geojson").write_text(
        feature_collection({"type": "Point", "coordinates": [114.3, 30.5]}), encoding="utf-8"
    )
    (tmp_path / "zones.geojson").write_text(feature_collection(None), encoding="utf-8")
    found, problems = load_layers(tmp_path)
    assert {(p.file, p.code) for p in problems} == {
        ("belt.geojson", "geo_unreadable"),
        ("lake.geojson", "geo_wrong_type"),
        ("roads.geojson", "geo_missing"),
        ("zones.geojson", "geo_empty"),
    }
    assert found == {}

    beijing = [[[116.3, 39.9], [116.4, 39.9], [116.4, 40.0], [116.3, 39.9]]]
    (tmp_path / "belt.geojson").write_text(
        feature_collection({"type": "Polygon", "coordinates": beijing}), encoding="utf-8"
    )
    (tmp_path / "lake.geojson").write_text(
        feature_collection({"type": "Polygon", "coordinates": square}), encoding="utf-8"
    )
    found, problems = load_layers(tmp_path)
    assert ("belt.geojson", "geo_outside_wuhan") in {(p.file, p.code) for p in problems}
    assert set(found) == {"lake"}


@pytest.mark.parametrize("table", ["projects", "institutions"])
def test_every_sample_or_estimated_point_is_inside_the_belt_on_land(layers, shipped, table):
    """A point we placed ourselves (a sample or estimated row with its own coordinates, not at a
    building) never floats outside the belt or in the lake."""
    model = {"projects": Project, "institutions": Institution}[table]
    rows = shipped[table]
    placed = rows[
        rows[model.provenance].isin(["illustrative", "estimated"])
        & (rows[model.building_id].fillna("") == "")
        & rows[model.lat].notna()
        & rows[model.lon].notna()
    ]
    assert len(placed) >= 1  # the shipped samples really are checked
    outside = [
        row_id
        for row_id, lat, lon in zip(
            placed.iloc[:, 0], placed[model.lat], placed[model.lon], strict=True
        )
        if not contains(layers["belt"], lat, lon) or contains(layers["lake"], lat, lon)
    ]
    assert outside == []
