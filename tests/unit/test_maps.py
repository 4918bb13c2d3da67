"""Map builders: right markers, offline assets only, every CSV and GeoJSON string escaped."""

from __future__ import annotations

import csv
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import folium
import pandas as pd
import pytest

from shahu.content.markup import for_template_literal
from shahu.core.i18n import t
from shahu.core.palette import BUILDING_COLOR, SECTOR_COLORS, SELECTED_COLOR
from shahu.core.paths import DEFAULT_DATA_DIR, DEFAULT_GEO_DIR
from shahu.data.dataset import load_dataset
from shahu.data.geo import wgs84_to_gcj02
from shahu.data.schemas import Building, Project
from shahu.map import assets
from shahu.map.base_layers import ROAD_LABEL_ZOOM, ROAD_STYLES
from shahu.map.basemaps import BASEMAPS
from shahu.map.elements import PointLayer
from shahu.map.folium_map import BUILDING_PANE, MAX_NAMED, build_map
from shahu.map.points import clicked_building, label_sides, map_label, nearest_building
from tests.helpers import folium_args, run_page

# Each payload would run script if it reached the page unescaped: as HTML, or inside the
# JS template literals (`…`) that folium wraps popups and tooltips in.
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "`+alert(3)+`",
    "${alert(4)}",
    "\\\\`+alert(5)+\\\\`",
)
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG_ESCAPED = "&lt;img src=x onerror=alert(2)&gt;"
# a backtick preceded by an even number of backslashes ends the template literal it is in
LIVE_BACKTICK = re.compile(r"(?<!\\)(?:\\\\)*`\+alert\(\d\)")
TILE_HOSTS = {
    "osm": "tile.openstreetmap.org",
    "carto": "basemaps.cartocdn.com",
    "amap": "is.autonavi.com",
}


def render(ds, lang="zh", **kw) -> str:
    return build_map(ds, lang, **kw).get_root().render()


def layer(m: folium.Map, name: str):
    """The layer called `name` (with “(incl. samples)” after it when it draws sample rows)."""
    (found,) = [
        c for c in m._children.values() if str(getattr(c, "layer_name", "")).startswith(name)
    ]
    return found


def markers(group: PointLayer) -> list[list]:
    """The rows a point layer draws: [lat, lon, colour, tooltip HTML, popup HTML]."""
    assert isinstance(group, PointLayer)
    return group.rows


def raw_rows(name: str) -> list[dict[str, str]]:
    with (DEFAULT_DATA_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def with_position(name: str) -> int:
    """Rows the CSV gives a position: its own lat/lon, or a known building's."""
    known = {row["building_id"] for row in raw_rows("buildings")}
    return sum(
        bool(row["lat"] and row["lon"]) or row["building_id"] in known for row in raw_rows(name)
    )


# ── markers ────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_marker_counts_match_the_csvs(shipped, lang):
    m = build_map(shipped, lang)
    buildings = markers(layer(m, t("map.layer.buildings", lang)))
    projects = markers(layer(m, t("map.layer.projects", lang)))
    institutions = markers(layer(m, t("map.layer.institutions", lang)))
    assert len(buildings) == len(raw_rows("buildings")) == 6
    assert len(projects) == with_position("projects") > 0
    assert len(institutions) == with_position("institutions") > 0
    html = m.get_root().render()
    assert html.count("window.shahuMap.pointLayer(") == 3  # one drawing loop per point layer
    assert html.count('"className":"shahu-label"') == 1


def test_buildings_sit_above_clusters(shipped):
    m = build_map(shipped, "zh")
    assert layer(m, t("map.layer.buildings", "zh")).pane == BUILDING_PANE


def test_compact_map_has_buildings_only(shipped):
    m = build_map(shipped, "zh", compact=True)
    assert len(markers(layer(m, t("map.layer.buildings", "zh")))) == len(shipped["buildings"])
    assert [c.layer_name for c in m._children.values() if isinstance(c, PointLayer)] == [
        t("map.layer.buildings", "zh")
    ]


def test_filtered_projects_only(shipped):
    few = shipped["projects"].head(8)
    m = build_map(shipped, "zh", projects=few)
    assert len(markers(layer(m, t("map.layer.projects", "zh")))) == few[Project.lat].notna().sum()


# ── offline: no CDN, tiles only when chosen ───────────────────────────────────────────────


def test_no_url_off_this_origin_without_a_basemap(shipped):
    for compact in (False, True):
        html = render(shipped, basemap="none", compact=compact)
        assert "http://" not in html and "https://" not in html
        assert not re.search(r"""(?:src|href)=["']//""", html)


@pytest.mark.parametrize("basemap", BASEMAPS)
def test_scripts_and_styles_come_from_our_origin(shipped, basemap):
    html = render(shipped, basemap=basemap)
    links = re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", html)
    assert links and all(link.startswith(assets.URL_PREFIX + "/") for link in links), links


@pytest.mark.parametrize("basemap", ["osm", "carto", "amap"])
def test_tile_url_only_for_the_chosen_basemap(shipped, basemap):
    html = render(shipped, basemap=basemap)
    hosts = set(re.findall(r"https?://([^/\"'\s]+)", html))
    assert hosts and all(host.endswith(TILE_HOSTS[basemap]) for host in hosts), hosts
    for other, host in TILE_HOSTS.items():
        assert (host in html) == (other == basemap)


def test_amap_shifts_every_point_and_line(shipped):
    html = render(shipped, basemap="amap")
    name = t("map.layer.buildings", "zh")
    shifted = {(r[0], r[1]) for r in markers(layer(build_map(shipped, "zh", basemap="amap"), name))}
    plain = {(r[0], r[1]) for r in markers(layer(build_map(shipped, "zh"), name))}
    for row in shipped["buildings"].itertuples():
        lat, lon = getattr(row, Building.lat), getattr(row, Building.lon)
        glon, glat = wgs84_to_gcj02(lon, lat)
        assert (round(glat, 6), round(glon, 6)) in shifted and (lat, lon) not in shifted
        assert (round(lat, 6), round(lon, 6)) in plain
    lon, lat = shipped.layers["lake"].geometry.iloc[0].exterior.coords[0]
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert f"[{glon}, {glat}]" in html and f"[{lon}, {lat}]" not in html


def test_clicks_find_the_building_on_the_shifted_map(shipped):
    row = shipped["buildings"].iloc[0]
    lon, lat = wgs84_to_gcj02(row[Building.lon], row[Building.lat])
    assert nearest_building(shipped, lat, lon, "amap") == row[Building.building_id]
    assert nearest_building(shipped, lat, lon, "none") is None


# ── escaping ───────────────────────────────────────────────────────────────────────────────


def poison_csv(path: Path, columns: tuple[str, ...]) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    for i, row in enumerate(rows):
        for column in columns:
            row[column] = f"{row[column]}{PAYLOADS[i % 2]}{''.join(PAYLOADS[2:])}"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(rows)


def poison_geojson(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        for key in ("name_zh", "name_en", "note_zh", "note_en"):
            feature["properties"][key] = "".join(PAYLOADS)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    root = tmp_path_factory.mktemp("evil")
    shutil.copytree(DEFAULT_DATA_DIR, root / "data")
    shutil.copytree(DEFAULT_GEO_DIR, root / "geo")
    text = ("name_zh", "name_en", "source")
    poison_csv(root / "data/buildings.csv", (*text, "role_zh", "role_en", "address_zh"))
    poison_csv(root / "data/projects.csv", (*text, "company"))
    poison_csv(root / "data/institutions.csv", text)
    for name in ("belt", "lake", "roads"):
        poison_geojson(root / "geo" / f"{name}.geojson")
    ds = load_dataset(root / "data", root / "geo")
    assert ds.problems == [] and ds.geo_problems == []
    return ds


def assert_inert(html: str) -> None:
    for live in ("<script>alert", "<img src=x", "\\u003cscript", "\\u003cimg", "${alert"):
        assert live not in html, live
    assert not LIVE_BACKTICK.search(html), LIVE_BACKTICK.search(html)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("basemap", ["none", "amap"])
def test_every_csv_and_geo_string_is_escaped(evil, lang, basemap):
    m = build_map(evil, lang, basemap=basemap, selected="tanhui")
    html = m.get_root().render()
    assert_inert(html)
    shown = len(evil["buildings"]) + evil["projects"][Project.lat].notna().sum()
    text = html.replace("\\u0026", "&")  # the points' rows go in as JSON with `&` escaped
    assert text.count(SCRIPT_ESCAPED) + text.count(IMG_ESCAPED) >= shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_popups_tooltips_and_legend_are_escaped(evil, lang):
    m = build_map(evil, lang)
    html = m.get_root().render()
    rows = [r for c in m._children.values() if isinstance(c, PointLayer) for r in c.rows]
    popups = [r[4] for r in rows] + re.findall(r"\$\(`(.*?)`\)\[0\]", html, flags=re.S)
    tooltips = [r[3] for r in rows] + re.findall(r"bindTooltip\(\s*`(.*?)`,", html, flags=re.S)
    assert_inert(html)
    legend = re.findall(r"window\.shahuMap\.legend\(\w+, (\".*?\")\);", html)
    assert len(popups) >= len(evil["buildings"]) and len(tooltips) >= len(evil["buildings"])
    name = "name_en" if lang == "en" else "name_zh"
    for building in evil["buildings"][name]:
        escaped = building.split("<")[0]
        assert any(escaped in p and (SCRIPT_ESCAPED in p or IMG_ESCAPED in p) for p in popups)
        assert any(escaped in tip for tip in tooltips)
    assert legend and "<script" not in json.loads(legend[0]).lower()
    for part in (*popups, *tooltips):
        assert_inert(part)


def test_compact_map_is_escaped_too(evil):
    assert_inert(render(evil, "zh", compact=True))


def test_template_literal_text_is_escaped_html_with_backtick_dollar_and_backslash_defused():
    text = for_template_literal("<b>`${x}`</b> \\ '\"&")
    assert text == "&lt;b&gt;&#96;&#36;{x}&#96;&lt;/b&gt; &#92; &#39;&#34;&amp;"
    assert for_template_literal(text) == text  # markup passes through, defused once


def test_the_macros_hand_their_options_over_as_script_safe_json(evil):
    m = build_map(evil, "en")
    elements = [c for c in m._children.values() if c._name in ("FrameView", "Legend", "PointLayer")]
    for element in elements:
        for name, value in vars(element).items():
            if name.endswith("_json"):
                assert "</" not in value and "<!--" not in value, name
                assert_inert(value)


# ── the browser code: in static/map, one file per behaviour, bundled ──────────────────────


def test_every_map_behaviour_is_a_static_file_in_the_bundle_and_called_by_the_map(shipped):
    bundle = assets.map_bundle().decode("utf-8")
    html = render(shipped, "en")
    for asset in assets.MAP_SCRIPTS:
        code = asset.path.read_text(encoding="utf-8")
        assert asset.path.parent == assets.MAP_DIR and code.strip() in bundle
        for function in re.findall(r"shahuMap\.(\w+) = function", code):
            assert f"shahuMap.{function}" in html or function == "clusterIcon", function
    called = set(re.findall(r"window\.shahuMap\.(\w+)\(", html))
    assert called == {"pointLayer", "roadLabels", "furniture", "legend", "frameView", "markerNames"}
    for module in (Path(assets.__file__).parent).glob("*.py"):
        assert not re.search(r"function ?\(|querySelector|addEventListener", module.read_text())


# ── what streamlit-folium actually ships to the browser ────────────────────────────────────


@pytest.mark.parametrize(("page", "lang"), [(None, "zh"), ("pages/map.py", "en")])
def test_streamlit_folium_collects_only_local_assets(page, lang):
    at = run_page(page, lang)
    (args,) = folium_args(at)
    # one script, the bundle: streamlit-folium loads scripts one after another
    assert args["js_links"] == [assets.MAP_JS.url]
    links = args["js_links"] + args["css_links"]
    for link in links:
        assert link.startswith(assets.URL_PREFIX + "/"), link
        assert (assets.VENDOR_DIR / link.removeprefix(assets.URL_PREFIX + "/")).is_file(), link
    assert "http://" not in json.dumps(args) and "https://" not in json.dumps(args)


def test_streamlit_folium_assets_with_a_tile_basemap():
    at = run_page("pages/map.py", "zh")
    at.selectbox(key="basemap").set_value("amap").run()
    assert not at.exception
    (args,) = folium_args(at)
    assert all(
        link.startswith(assets.URL_PREFIX + "/") for link in args["js_links"] + args["css_links"]
    )
    assert TILE_HOSTS["amap"] in args["script"]


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("Carbon Sink Building (Tanhui Tower)", "Carbon Sink Building"),
        ("碳汇大厦（在建）", "碳汇大厦"),
        ("Tianfeng Building", "Tianfeng Building"),
        ("(only a note)", "(only a note)"),
        ("A (b) building", "A (b) building"),
    ],
)
def test_map_labels_drop_a_trailing_note_only(name, label):
    assert map_label(name) == label


def test_attribution_credits_openstreetmap_without_the_flag_and_the_scale_is_metric(shipped):
    for basemap in BASEMAPS:
        html = render(shipped, "en", basemap=basemap)
        assert '{"credit":"© OpenStreetMap contributors","present":false}' in html
        assert "L.control.scale()" not in html  # folium's own one shows feet and miles
        assert "🇺🇦" not in html
    furniture = (assets.MAP_DIR / "furniture.js").read_text(encoding="utf-8")
    assert "addAttribution(options.credit)" in furniture and 'setPrefix("Leaflet")' in furniture
    assert "L.control.scale({imperial: false" in furniture


@pytest.mark.parametrize("lang, name", [("zh", "中北路"), ("en", "Zhongbei Road")])
def test_road_names_zhongbei_road_first_at_every_zoom_main_roads_wider(shipped, lang, name):
    m = build_map(shipped, lang)
    roads = json.loads(next(c for c in m._children.values() if c._name == "RoadLabels").roads_json)
    assert roads[0][:3] == [name, "main key", 0]
    assert len(roads) == 28
    classes = [r[1].split()[0] for r in roads]
    assert classes == sorted(classes, key=list(ROAD_STYLES).index)  # main, secondary, local
    assert all(r[2] >= ROAD_LABEL_ZOOM["main"] for r in roads[1:])
    assert ROAD_STYLES["main"]["weight"] > ROAD_STYLES["secondary"]["weight"]
    assert ROAD_STYLES["secondary"]["weight"] > ROAD_STYLES["local"]["weight"]


def test_colours_buildings_sectors_and_selection_all_differ_and_the_legend_matches(shipped):
    sectors = [SECTOR_COLORS[s] for s in ("carbon_finance", "carbon_tech", "carbon_industry")]
    colours = [BUILDING_COLOR, SELECTED_COLOR, *sectors]
    assert len({c.lower() for c in colours}) == 5
    m = build_map(shipped, "en", selected="tanhui")
    rows = markers(layer(m, t("map.layer.buildings", "en")))
    by_id = dict(zip(shipped["buildings"][Building.building_id], rows, strict=True))
    assert by_id["tanhui"][2] == SELECTED_COLOR and by_id["tanhui"][5]["radius"] > 9
    assert {r[2] for i, r in by_id.items() if i != "tanhui"} == {BUILDING_COLOR}
    legend = next(c for c in m._children.values() if c._name == "Legend").html
    for colour, label in [
        (BUILDING_COLOR, "map.legend.building"),
        (SELECTED_COLOR, "map.legend.selected"),
        (SECTOR_COLORS["carbon_tech"], "sector.carbon_tech"),
    ]:
        assert f"background:{colour}'></i>{t(label, 'en')}" in legend


def test_names_of_neighbouring_buildings_go_on_different_sides(shipped):
    sides = label_sides(shipped)
    assert len({sides["tanhui"], sides["xiangyang"], sides["tianfeng"]}) == 3
    assert sides["guotie"] == "right"


def test_a_click_selects_a_building_only_on_its_marker(shipped):
    row = shipped["buildings"].set_index(Building.building_id).loc["tanhui"]
    spot = {"lat": row[Building.lat], "lng": row[Building.lon]}
    click = {"last_object_clicked": spot, "last_object_clicked_tooltip": " 碳汇大厦 "}
    assert clicked_building(shipped, click, "zh") == "tanhui"
    english = {**click, "last_object_clicked_tooltip": "Carbon Sink Building"}
    assert clicked_building(shipped, english, "en") == "tanhui"
    cluster = {"last_object_clicked": spot, "last_object_clicked_tooltip": None}
    assert clicked_building(shipped, cluster, "zh") is None  # the cluster zooms in instead
    road = {"last_object_clicked": spot, "last_object_clicked_tooltip": "中北路"}
    assert clicked_building(shipped, road, "zh") is None
    assert clicked_building(shipped, None, "zh") is None


def test_names_are_written_on_the_map_for_a_belt_sized_list_and_on_hover_past_that(shipped):
    """Six names are written beside their markers; hundreds would cover each other and the
    map (and cost the browser seconds to place): past MAX_NAMED a name shows on hover."""
    assert '"permanent":true' in build_map(shipped, "en").get_root().render()
    copies = []
    for i in range(MAX_NAMED // len(shipped["buildings"]) + 1):
        copy = shipped["buildings"].copy()
        copy[Building.building_id] = copy[Building.building_id] + f"_{i}"
        copies.append(copy)
    many = replace(shipped, tables={**shipped.tables, "buildings": pd.concat(copies)})
    assert len(many["buildings"]) > MAX_NAMED
    html = build_map(many, "en").get_root().render()
    assert '"permanent":true' not in html and '"className":"shahu-label"' not in html
    assert len(markers(layer(build_map(many, "en"), t("map.layer.buildings", "en")))) == len(
        many["buildings"]
    )
