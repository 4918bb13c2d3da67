"""Geometry: the schematic belt is 11.11 km², the anchor buildings are inside, GCJ-02 is right."""

from __future__ import annotations

import math

import pytest

from shahu.geo import area_km2, contains, load_layers, shift_geometry, wgs84_to_gcj02
from shahu.paths import DEFAULT_GEO_DIR
from shahu.schemas import Building


@pytest.fixture(scope="module")
def layers():
    found, problems = load_layers(DEFAULT_GEO_DIR)
    assert problems == []
    return found


def test_belt_area_is_11_11_km2(layers):
    assert area_km2(layers["belt"]) == pytest.approx(11.11, rel=0.005)


def test_lake_is_about_3_2_km2(layers):
    assert area_km2(layers["lake"]) == pytest.approx(3.2, rel=0.05)


@pytest.mark.parametrize("building_id", ["tanhui", "xiangyang", "tianfeng"])
def test_anchor_buildings_inside_the_belt(layers, shipped, building_id):
    row = shipped["buildings"].set_index(Building.building_id).loc[building_id]
    assert contains(layers["belt"], row[Building.lat], row[Building.lon])
    assert not contains(layers["lake"], row[Building.lat], row[Building.lon])


def test_gcj02_test_vector():
    lon, lat = wgs84_to_gcj02(120, 40)
    assert lon == pytest.approx(120.00567568355486, abs=1e-9)
    assert lat == pytest.approx(40.0013047896019, abs=1e-9)


def test_gcj02_shift_in_wuhan_is_hundreds_of_metres(layers):
    lon, lat = 114.339, 30.565
    glon, glat = wgs84_to_gcj02(lon, lat)
    metres = math.hypot((glon - lon) * 95_900, (glat - lat) * 110_570)
    assert 400 < metres < 800
    road = layers["roads"].geometry.iloc[0]
    shifted = shift_geometry(road)
    assert len(shifted.coords) == len(road.coords)
    assert shifted.coords[0] == pytest.approx(wgs84_to_gcj02(*road.coords[0]))


def test_bad_geo_files_are_reported(tmp_path):
    (tmp_path / "belt.geojson").write_text("{not json", encoding="utf-8")
    (tmp_path / "lake.geojson").write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
        '"geometry":{"type":"Point","coordinates":[114.3,30.5]}}]}',
        encoding="utf-8",
    )
    found, problems = load_layers(tmp_path)
    assert {(p.file, p.code) for p in problems} == {
        ("belt.geojson", "geo_unreadable"),
        ("lake.geojson", "geo_wrong_type"),
        ("roads.geojson", "geo_missing"),
    }
    assert found == {}
