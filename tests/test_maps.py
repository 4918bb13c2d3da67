"""Map builders: right markers, offline assets only, every CSV string escaped."""

from __future__ import annotations

import re
import shutil

import pytest

from shahu.data import load_dataset
from shahu.geo import wgs84_to_gcj02
from shahu.maps import build_map, nearest_building
from shahu.paths import DEFAULT_DATA_DIR, DEFAULT_GEO_DIR
from shahu.schemas import Building, Project

EVIL = "<script>alert(1)</script>"
EVIL2 = "<img src=x onerror=alert(2)>"


def render(ds, lang="zh", **kw) -> str:
    return build_map(ds, lang, **kw).get_root().render()


def test_one_label_per_building_and_one_marker_per_mapped_point(shipped):
    html = render(shipped)
    assert html.count('"className": "shahu-label"') == len(shipped["buildings"])
    mapped = shipped["projects"][Project.lat].notna().sum()
    mapped += shipped["institutions"][Project.lat].notna().sum()
    circles = html.count("L.circleMarker(")
    assert circles == len(shipped["buildings"]) + mapped


def test_filtered_projects_only(shipped):
    few = shipped["projects"].head(8)
    html = render(shipped, projects=few)
    full = render(shipped)
    dropped = shipped["projects"][Project.lat].notna().sum() - few[Project.lat].notna().sum()
    assert full.count("L.circleMarker(") - html.count("L.circleMarker(") == dropped


@pytest.mark.parametrize("basemap", ["none", "osm", "carto", "amap"])
def test_no_cdn_only_the_chosen_tiles(shipped, basemap):
    html = render(shipped, basemap=basemap)
    urls = set(re.findall(r"https?://[^\"'\s)]+", html))
    if basemap == "none":
        assert urls == set()
    else:
        assert urls and all(("{z}" in u or "{x}" in u or "openstreetmap.org" in u) for u in urls), (
            urls
        )
    for tag in re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"([^\"]+)\"", html):
        assert tag.startswith("/app/static/vendor/"), tag


def test_amap_shifts_every_point(shipped):
    row = shipped["buildings"].iloc[0]
    lon, lat = wgs84_to_gcj02(row[Building.lon], row[Building.lat])
    html = render(shipped, basemap="amap")
    assert f"[{lat}, {lon}]" in html
    assert f"[{row[Building.lat]}, {row[Building.lon]}]" not in html
    assert nearest_building(shipped, lat, lon, "amap") == row[Building.building_id]
    assert nearest_building(shipped, lat, lon, "none") is None


@pytest.fixture
def evil_dataset(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    for name, columns in {
        "buildings.csv": ("name_zh", "name_en", "role_zh", "role_en", "source"),
        "projects.csv": ("name_zh", "name_en", "source"),
        "institutions.csv": ("name_zh", "name_en", "source"),
    }.items():
        path = data / name
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        import csv
        import io

        rows = list(csv.reader(io.StringIO("\n".join(lines[1:]))))
        for row in rows:
            for col in columns:
                row[header.index(col)] = f"{EVIL}{EVIL2}"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, *rows])
        path.write_text(out.getvalue(), encoding="utf-8")
    ds = load_dataset(data, DEFAULT_GEO_DIR)
    assert ds.problems == []
    return ds


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_csv_string_is_escaped(evil_dataset, lang):
    html = render(evil_dataset, lang)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
