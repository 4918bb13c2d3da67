"""Geometry: the schematic belt is 11.11 km², the anchor buildings are inside, GCJ-02 is right."""

from __future__ import annotations

import json

import pytest
from pyproj import Geod

from shahu.geo import METRIC_CRS, area_km2, contains, load_layers, shift_geometry, wgs84_to_gcj02
from shahu.paths import DEFAULT_GEO_DIR
from shahu.schemas import Building

WGS84 = Geod(ellps="WGS84")


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


def test_lake_is_about_3_2_km2_and_inside_the_belt(layers):
    assert area_km2(layers["lake"]) == pytest.approx(3.2, rel=0.05)
    assert layers["belt"].union_all().contains(layers["lake"].union_all())


@pytest.mark.parametrize("building_id", ["tanhui", "xiangyang", "tianfeng"])
def test_anchor_buildings_inside_the_belt_on_land(layers, shipped, building_id):
    row = shipped["buildings"].set_index(Building.building_id).loc[building_id]
    assert contains(layers["belt"], row[Building.lat], row[Building.lon])
    assert not contains(layers["lake"], row[Building.lat], row[Building.lon])


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
            old = list(geom.exterior.coords if name == "lake" else geom.coords)
            new = list(shifted.exterior.coords if name == "lake" else shifted.coords)
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
