"""Map builders: a `folium.Map` of the belt that draws with no internet.

The base is vector (belt outline, lake, roads) so the map means something without tiles;
tile base maps are an opt-in. Every script and stylesheet comes from `shahu.assets` (our own
origin), set per element instance so no CDN link can slip in. Every text that comes from a
CSV or GeoJSON is HTML-escaped before it reaches a popup or tooltip.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import folium
import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import Fullscreen
from jinja2 import Template

from shahu import assets
from shahu.cards import Card, building_cards
from shahu.data import Dataset
from shahu.formatting import cny_100m
from shahu.geo import shift_geometry, wgs84_to_gcj02
from shahu.i18n import t
from shahu.labels import lang_col, provenance_label
from shahu.map_access import MarkerNames
from shahu.palette import SECTOR_COLORS
from shahu.schemas import Building, Institution, Project

CENTER = (30.5665, 114.3300)
BASEMAPS = ("none", "osm", "carto", "amap")
BUILDING_PANE = "buildings"  # above marker clusters, so a cluster never hides a building
_TILES = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "© OpenStreetMap contributors",
        "abc",
    ),
    "carto": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "© OpenStreetMap contributors © CARTO",
        "abcd",
    ),
    "amap": (
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "© 高德地图 AutoNavi",
        "1234",
    ),
}
_BASE_CSS = """
<style>
html .leaflet-container { background: #f4f2ec; font-family: "Noto Sans CJK SC", "PingFang SC",
  "Microsoft YaHei", sans-serif; }
.leaflet-tooltip.shahu-label { background: rgba(255,255,255,.85); border: 0; box-shadow: none;
  font-weight: 600; color: #14532d; padding: 1px 4px; }
.leaflet-tooltip.shahu-label:before { display: none; }
.shahu-water { color: #1e6091; font-weight: 600; font-size: 14px; white-space: nowrap;
  text-align: center; text-shadow: 0 0 3px #fff; }
.shahu-card { font-size: 13px; line-height: 1.45; max-width: 280px; }
.shahu-card h4 { margin: 0 0 4px; font-size: 15px; }
.shahu-card .muted { color: #555; font-size: 12px; }
.shahu-legend { background: #fff; padding: 8px 10px; border-radius: 6px; font-size: 12px;
  line-height: 1.6; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.shahu-legend i { display: inline-block; width: 12px; height: 12px; margin-right: 6px;
  vertical-align: -2px; border-radius: 50%; }
.shahu-legend i.sq { border-radius: 2px; }
@media (max-width: 520px) {
  .shahu-legend { font-size: 10px; line-height: 1.35; padding: 4px 6px; }
  .shahu-legend i { width: 9px; height: 9px; margin-right: 4px; }
  .leaflet-tooltip.shahu-label { font-size: 11px; white-space: normal; width: max-content;
    max-width: 8.5em; line-height: 1.2; background: none;
    text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }
  .shahu-water { font-size: 12px; white-space: normal; line-height: 1.15; margin: 0 auto;
    max-width: 6em; }
}
</style>
"""


_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def escape(text: object) -> str:
    """HTML-escape, and also defuse what folium's JS template literals would interpret
    (backtick, `${…}`, backslash): popups and tooltips are embedded as `…` strings."""
    return html.escape(str(text)).translate(_TEMPLATE_LITERAL)


class Legend(MacroElement):
    """A static legend control; its HTML is built from escaped text only."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var legend = L.control({position: "bottomleft"});
          legend.onAdd = function() {
            var div = L.DomUtil.create("div", "shahu-legend");
            div.innerHTML = {{ this.html|tojson }};
            return div;
          };
          legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html = html


class FrameView(MacroElement):
    """Frame the belt, at once and again whenever the map's box changes size.

    No zoom animation on load (a visitor would see the map shrink into place, and a screenshot
    could catch it half-way). Streamlit sizes the component's iframe after Leaflet has started,
    and fullscreen changes it too: each time, the map is told its new size (without that the
    vector layers stay clipped to the first size) and, until the visitor has moved or zoomed it,
    framed again for that size. The right margin fits the names of the framed buildings (up to
    40 % of the map's width); the left one clears the legend when that costs no zoom.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, bounds, options) {
          var touched = false;
          var box = L.latLngBounds(bounds), tl = options.paddingTopLeft;
          var br = options.paddingBottomRight;
          var beyondEast = function () {  // px the framed buildings' names need past the east edge
            var east = map.latLngToContainerPoint(box.getNorthEast()).x;
            var left = map.getContainer().getBoundingClientRect().left, need = 0;
            var corner = map.getContainer().querySelector(".leaflet-top.leaflet-right");
            var controls = corner && corner.getBoundingClientRect();  // the layer switch
            map.eachLayer(function (layer) {
              var tip = layer.getTooltip && layer.getTooltip();
              if (!tip || !tip.isOpen() || !tip.getElement().classList.contains("shahu-label")
                  || !box.contains(layer.getLatLng())) { return; }
              var label = tip.getElement().getBoundingClientRect();
              var under = controls && controls.height && label.top < controls.bottom;
              need = Math.max(need, label.right - left - east + (under ? controls.width : 0));
            });
            return need;
          };
          var zoomFor = function (left, right) {
            return map.getBoundsZoom(box, false, L.point(left + right, tl[1] + br[1]));
          };
          var frame = function () {
            var size = map.getSize();
            if (size.x < 100 || size.y < 100) { return; }  // not laid out yet: the observer calls again
            map.fitBounds(box, options);
            var right = Math.min(Math.max(br[0], beyondEast() + 8), 0.4 * size.x);
            var left = tl[0], legend = map.getContainer().querySelector(".shahu-legend");
            if (legend && legend.offsetWidth < 0.4 * size.x
                && zoomFor(legend.offsetWidth + 20, right) >= zoomFor(left, right)) {
              left = legend.offsetWidth + 20;  // clear of the legend when that costs no zoom
            }
            if (left !== tl[0] || right !== br[0]) {
              map.fitBounds(box, Object.assign({}, options,
                {paddingTopLeft: [left, tl[1]], paddingBottomRight: [right, br[1]]}));
            }
          };
          ["pointerdown", "wheel", "keydown"].forEach(function (type) {
            map.getContainer().addEventListener(type, function () { touched = true; });
          });
          frame();
          document.querySelectorAll("link[rel=stylesheet]").forEach(function (link) {
            if (!link.sheet) {  // labels and legend are measured again once their styles apply
              link.addEventListener("load", function () { if (!touched) { frame(); } });
            }
          });
          if (!window.ResizeObserver) { return; }
          new ResizeObserver(function () {
            map.invalidateSize({animate: false});
            if (!touched) { frame(); }
          }).observe(map.getContainer());
        })({{ this._parent.get_name() }}, {{ this.bounds|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]):
        super().__init__()
        self._name = "FrameView"
        self.bounds = bounds
        self.options = {
            "paddingTopLeft": [10, 10],
            "paddingBottomRight": [90, 10],
            "animate": False,
        }


def _projector(basemap: str) -> Callable[[float, float], tuple[float, float]]:
    """(lat, lon) as drawn: shifted to GCJ-02 for 高德, unchanged otherwise."""
    if basemap == "amap":

        def to_gcj(lat: float, lon: float) -> tuple[float, float]:
            glon, glat = wgs84_to_gcj02(lon, lat)
            return glat, glon

        return to_gcj
    return lambda lat, lon: (lat, lon)


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
) -> folium.Map:
    """The belt map. `projects` is the (filtered) project table; default all projects.

    `rows` may be given precomputed (see `point_rows`, cached by the app) to skip the costly part.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"basemap must be one of {BASEMAPS}, got {basemap!r}")
    point = _projector(basemap)
    m = folium.Map(
        location=point(*CENTER),
        zoom_start=zoom,
        tiles=None,
        min_zoom=11,
        max_zoom=19,
        control_scale=True,
        height=height,
        prefer_canvas=False,
    )
    # Without tiles Leaflet needs the zoom range on the map itself; quarter zoom steps let
    # FrameView frame the belt snugly at any width.
    m.options.update(maxZoom=19, minZoom=11, zoomSnap=0.25, zoomDelta=0.5)
    m.default_js = assets.pairs(assets.MAP_JS)  # Leaflet, jQuery and the plugins, one request
    m.default_css = assets.pairs(assets.LEAFLET_CSS)
    m.get_root().header.add_child(Element(_BASE_CSS), name="shahu_css")
    if basemap != "none":
        url, attribution, subdomains = _TILES[basemap]
        folium.TileLayer(
            url,
            attr=attribution,
            subdomains=subdomains,
            max_zoom=19,
            name=t(f"map.basemap.{basemap}", lang),
        ).add_to(m)

    folium.map.CustomPane(BUILDING_PANE, z_index=650).add_to(m)
    _add_base_layers(m, ds, lang, basemap)
    if rows is None:
        rows = point_rows(
            ds, lang, basemap=basemap, projects=projects, selected=selected, compact=compact
        )
    _add_point_layers(m, rows, lang, compact)
    if not compact:
        folium.LayerControl(collapsed=True).add_to(m)
        if assets.fullscreen_available():
            full = Fullscreen(position="topleft", title="⛶", title_cancel="×")
            full.default_js = []  # inside assets.MAP_JS
            full.default_css = assets.pairs(assets.FULLSCREEN_CSS)
            full.add_to(m)
    Legend(_legend_html(lang, compact)).add_to(m)
    FrameView(_frame_bounds(ds, point, compact)).add_to(m)
    MarkerNames().add_to(m)
    return m


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


def _geojson_features(frame, basemap: str):
    for _, row in frame.iterrows():
        geom = shift_geometry(row.geometry) if basemap == "amap" else row.geometry
        yield row, geom


def _add_base_layers(m: folium.Map, ds: Dataset, lang: str, basemap: str) -> None:
    name = lang_col("name", lang)
    styles = {
        "belt": {
            "color": "#1f7a4d",
            "weight": 3,
            "dashArray": "8 6",
            "fillColor": "#1f7a4d",
            "fillOpacity": 0.06,
        },
        "lake": {"color": "#4a90c2", "weight": 1, "fillColor": "#9cc9e8", "fillOpacity": 0.85},
        "roads": {"color": "#9a8f7a", "weight": 5, "opacity": 0.9},
    }
    for layer in ("belt", "lake", "roads"):
        frame = ds.layers.get(layer)
        if frame is None:
            continue
        group = folium.FeatureGroup(name=t(f"map.layer.{layer}", lang), control=layer != "lake")
        for row, geom in _geojson_features(frame, basemap):
            label = escape(str(row.get(name, "") or ""))
            note_key = lang_col("note", lang)
            note = escape(str(row.get(note_key, "") or "")) if note_key in row else ""
            folium.GeoJson(
                geom.__geo_interface__,
                style_function=lambda _f, s=styles[layer]: s,
                tooltip=folium.Tooltip(
                    f"<b>{label}</b>" + (f"<br>{note}" if note else ""), sticky=True
                ),
                interactive=layer != "belt",
            ).add_to(group)
            if layer == "lake":
                c = geom.representative_point()
                folium.Marker(
                    (c.y, c.x),
                    icon=folium.DivIcon(
                        html=f'<div class="shahu-water">{map_label(label)}</div>',
                        icon_size=(120, 20),
                        icon_anchor=(60, 10),
                    ),
                    interactive=False,
                ).add_to(group)
        group.add_to(m)


class PointLayer(JSCSSMixin, Layer):
    """Many circle markers as one compact JSON array, drawn by a short loop in the browser.

    One element instead of one per point keeps building the map, its payload and the
    browser's work small at thousands of points. Each row is
    `[lat, lon, fill colour, tooltip HTML, popup HTML]`; both HTML strings are escaped in
    Python before they get here, and the rows are embedded as JSON (never as JS source).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = {{ this.group_js }};
        (function (group, rows, style, tip) {
          for (var i = 0; i < rows.length; i++) {
            var r = rows[i];
            var marker = L.circleMarker([r[0], r[1]], Object.assign({}, style, {fillColor: r[2]}));
            marker.bindTooltip(r[3], tip);
            marker.bindPopup(r[4], {maxWidth: 300});
            group.addLayer(marker);
          }
        })({{ this.get_name() }}, {{ this.rows_json }}, {{ this.style_json }}, {{ this.tooltip_json }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        name: str,
        rows: list[list],
        style: dict,
        tooltip: dict | None = None,
        cluster: bool = False,
    ):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "PointLayer"
        self.rows = rows
        self.rows_json = _json(rows)
        self.style_json = _json(style)
        self.tooltip_json = _json(tooltip or {})
        self.pane = style.get("pane")
        if cluster:
            options = {"maxClusterRadius": 40, "spiderfyOnMaxZoom": True, "chunkedLoading": True}
            self.group_js = f"L.markerClusterGroup({_json(options)})"
            self.default_js = []  # inside assets.MAP_JS
            self.default_css = assets.pairs(assets.CLUSTER_CSS, assets.CLUSTER_DEFAULT_CSS)
        else:
            self.group_js = "L.featureGroup()"
            self.default_js, self.default_css = [], []


def _json(value: object) -> str:
    """JSON that is safe inside a <script>: `</` cannot close it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


@dataclass(frozen=True)
class PointRows:
    """The rows of the three point layers: the costly part of a map, worth caching."""

    buildings: list[list]
    projects: list[list]
    institutions: list[list]


def point_rows(
    ds: Dataset,
    lang: str,
    *,
    basemap: str = "none",
    projects: pd.DataFrame | None = None,
    selected: str | None = None,
    compact: bool = False,
) -> PointRows:
    """Every marker's position, colour, tooltip and popup (escaped), as drawn on `basemap`."""
    point = _projector(basemap)
    cards = building_cards(ds, lang)
    buildings = []
    for row in ds["buildings"].itertuples(index=False):
        card = cards[getattr(row, Building.building_id)]
        lat, lon = point(getattr(row, Building.lat), getattr(row, Building.lon))
        color = "#b45309" if card.building_id == selected else "#14532d"
        buildings.append(
            [
                round(lat, 6),
                round(lon, 6),
                color,
                escape(map_label(card.name)),
                card_html(card, lang),
            ]
        )
    if compact:
        return PointRows(buildings, [], [])
    frame = ds["projects"] if projects is None else projects
    return PointRows(
        buildings,
        _rows(frame, lang, point, _project_html),
        _rows(ds["institutions"], lang, point, _institution_html),
    )


_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def map_label(name: str) -> str:
    """A building's name as labelled on the map: without a trailing "(…)" note, which the card
    keeps ("Carbon Sink Building (Tanhui Tower)" → "Carbon Sink Building"), so labels stay short
    enough for a phone."""
    short = _TRAILING_NOTE.sub("", name)
    return short or name


def _rows(frame: pd.DataFrame, lang: str, point, html_of) -> list[list]:
    name = lang_col("name", lang)
    rows = []
    for row in frame.dropna(subset=[Project.lat, Project.lon]).to_dict("records"):
        lat, lon = point(row[Project.lat], row[Project.lon])
        color = SECTOR_COLORS.get(row.get(Project.sector, ""), SECTOR_COLORS[""])
        rows.append(
            [round(lat, 6), round(lon, 6), color, escape(str(row[name])), html_of(row, lang)]
        )
    return rows


def _add_point_layers(m: folium.Map, rows: PointRows, lang: str, compact: bool) -> None:
    style = {
        "radius": 9,
        "color": "#ffffff",
        "weight": 2,
        "fill": True,
        "fillOpacity": 0.95,
        "pane": BUILDING_PANE,
    }
    tooltip = {"permanent": True, "direction": "right", "className": "shahu-label"}
    PointLayer(t("map.layer.buildings", lang), rows.buildings, style, tooltip).add_to(m)
    if compact:
        return
    style = {"radius": 7, "color": "#ffffff", "weight": 1.5, "fill": True, "fillOpacity": 0.9}
    PointLayer(t("map.layer.projects", lang), rows.projects, style, cluster=True).add_to(m)
    PointLayer(t("map.layer.institutions", lang), rows.institutions, style, cluster=True).add_to(m)


def card_html(card: Card, lang: str) -> str:
    """A building popup: every value escaped."""
    e = escape
    lines = [f"<div class='shahu-card'><h4>{e(card.name)}</h4>"]
    if card.role:
        lines.append(f"<div>{e(card.role)}</div>")
    if card.firms:
        lines.append(f"<div><b>{e(t('card.firms', lang))}</b>: {e(card.firms)}</div>")
    if card.projects:
        lines.append(f"<div><b>{e(t('card.projects', lang))}</b>: {len(card.projects)}</div>")
    lines.append(
        f"<div class='muted'>{e(t('card.accuracy_label', lang))}: {e(card.accuracy)} · "
        f"{e(card.provenance)}<br>{e(t('card.source', lang))}: {e(card.source)}</div></div>"
    )
    return "".join(lines)


def _project_html(row: dict, lang: str) -> str:
    e = escape
    name = row[lang_col("name", lang)]
    return (
        f"<div class='shahu-card'><h4>{e(str(name))}</h4>"
        f"<div><b>{e(t('card.sector', lang))}</b>: {e(t('sector.' + row[Project.sector], lang))}</div>"
        f"<div><b>{e(t('card.amount', lang))}</b>: {e(cny_100m(row[Project.amount_cny_100m], lang))}</div>"
        f"<div><b>{e(t('card.status', lang))}</b>: {e(t('status.' + row[Project.status], lang))}</div>"
        f"<div class='muted'>{e(provenance_label(row[Project.provenance], lang))} · "
        f"{e(str(row[Project.source]))}</div></div>"
    )


def _institution_html(row: dict, lang: str) -> str:
    e = escape
    name = row[lang_col("name", lang)]
    return (
        f"<div class='shahu-card'><h4>{e(str(name))}</h4>"
        f"<div><b>{e(t('card.category', lang))}</b>: "
        f"{e(t('category.' + row[Institution.category], lang))}</div>"
        f"<div class='muted'>{e(provenance_label(row[Institution.provenance], lang))} · "
        f"{e(str(row[Institution.source]))}</div></div>"
    )


def _legend_html(lang: str, compact: bool) -> str:
    e = escape
    rows = [
        f"<b>{e(t('map.legend.title', lang))}</b>",
        f"<div><i style='background:#14532d'></i>{e(t('map.legend.building', lang))}</div>",
    ]
    if not compact:
        for sector in ("carbon_finance", "carbon_tech", "carbon_industry"):
            rows.append(
                f"<div><i style='background:{SECTOR_COLORS[sector]}'></i>"
                f"{e(t('sector.' + sector, lang))}</div>"
            )
    rows.append(
        "<div><i class='sq' style='border:2px dashed #1f7a4d;background:transparent'></i>"
        f"{e(t('map.legend.belt', lang))}</div>"
    )
    rows.append(
        f"<div><i class='sq' style='background:#9cc9e8'></i>{e(t('map.legend.lake', lang))}</div>"
    )
    return "".join(rows)


def nearest_building(
    ds: Dataset, lat: float, lng: float, basemap: str = "none", tolerance_m: float = 120
) -> str | None:
    """The building drawn at (lat, lng) on the given base map, if one is within `tolerance_m`."""
    point = _projector(basemap)
    best, best_d = None, tolerance_m
    for row in ds["buildings"].itertuples(index=False):
        blat, blon = point(getattr(row, Building.lat), getattr(row, Building.lon))
        d = ((blat - lat) * 110_570) ** 2 + ((blon - lng) * 95_900) ** 2
        if d**0.5 <= best_d:
            best, best_d = getattr(row, Building.building_id), d**0.5
    return best


def map_counts(ds: Dataset, projects: pd.DataFrame, lang: str) -> str:
    """What the map shows, and how many (filtered) projects it cannot place."""
    unmapped = int(projects[Project.lat].isna().sum())
    shown = t(
        "map.counts",
        lang,
        b=len(ds["buildings"]),
        p=len(projects) - unmapped,
        i=int(ds["institutions"][Institution.lat].notna().sum()),
    )
    return f"{shown} · {t('map.unmapped', lang, n=unmapped)}"
