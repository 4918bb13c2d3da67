"""Map builders: a `folium.Map` of the belt that draws with no internet.

The base is vector (belt outline, lake, roads) so the map means something without tiles;
tile base maps are an opt-in. Every script and stylesheet comes from `shahu.map.assets` (our own
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
import shapely
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.plugins import Fullscreen
from jinja2 import Template

from shahu.content.building_card import Card, building_cards
from shahu.core.formatting import cny_100m
from shahu.core.i18n import t
from shahu.core.labels import lang_col, localized, provenance_label
from shahu.core.palette import BUILDING_COLOR, SECTOR_COLORS, SELECTED_COLOR
from shahu.data.dataset import Dataset
from shahu.data.geo import shift_geometry, wgs84_to_gcj02
from shahu.data.schemas import Building, Institution, Project
from shahu.map import assets
from shahu.map.accessibility import MarkerNames

CENTER = (30.5665, 114.3300)
BASEMAPS = ("none", "osm", "carto", "amap")
BUILDING_PANE = "buildings"  # above the points, so a project never hides a building
CLUSTER_PANE = "clusters"  # above buildings, so a count is never hidden; below the names;
# only its badge is clickable (the ring lets clicks through to the building under it)
SELECTED_STYLE = {"radius": 12, "weight": 3}  # larger as well as another colour
BELT_COLOR = "#4d4d4d"
ROAD_STYLES = {  # by `road_class` in roads.geojson; main roads drawn wider
    "main": {"color": "#c8b68f", "weight": 6, "opacity": 1},
    "secondary": {"color": "#d3c6a8", "weight": 4, "opacity": 1},
    "local": {"color": "#ddd3bf", "weight": 2.5, "opacity": 1},
}
ROAD_LABEL_ZOOM = {"main": 12.75, "secondary": 14, "local": 15}  # names from this zoom on
KEY_ROAD = "中北路"  # the story's street: named first and at every zoom
OSM_CREDIT = "© OpenStreetMap contributors"
SAMPLE_COLOR = "#c4c4c4"  # sample rows: grey, whatever their sector (the legend says so)
# On a projector a map shorter than this (1280×720 leaves ~525 px) opens with its legend folded to
# its title: open, it would cover a fifth of the map and the names under it.
PRESENT_LEGEND_MIN_HEIGHT = 600
_TILES = {
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
_BASE_CSS = """
<style>
html .leaflet-container { background: #f4f2ec; font-family: "Noto Sans CJK SC", "PingFang SC",
  "Microsoft YaHei", sans-serif; }
.leaflet-tooltip.shahu-label { background: rgba(255,255,255,.85); border: 0; box-shadow: none;
  font-weight: 600; color: #1a1a1a; padding: 1px 4px; }
.leaflet-tooltip.shahu-label:before { display: none; }
.shahu-water { color: #1e6091; font-weight: 600; font-size: 14px; white-space: nowrap;
  text-align: center; text-shadow: 0 0 3px #fff; }
.shahu-water small { display: block; font-size: 11px; font-weight: 400; }
.shahu-road span { position: absolute; left: 0; top: 0; white-space: nowrap; font-size: 11px;
  color: #5c4f36; letter-spacing: .02em; pointer-events: none;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
.shahu-road.key span { font-size: 13px; font-weight: 700; color: #3d3321; }
.leaflet-marker-icon.shahu-cluster { background: none; pointer-events: none; }
.shahu-cluster .ring { position: absolute; inset: 6px; border-radius: 50%;
  border: 3px solid #4d4d4d; }
.shahu-cluster .count { position: absolute; left: 10%; top: -15px; transform: translateX(-50%);
  min-width: 16px; height: 22px; padding: 0 3px; box-sizing: content-box; border: 2px solid #fff;
  border-radius: 13px; background: #4d4d4d; color: #fff; font: 700 12px/22px sans-serif;
  text-align: center; pointer-events: auto; cursor: pointer; }
.shahu-cluster.right .count { left: 90%; }
.shahu-cluster.sample .ring { border: 3px dashed #6b6b6b; }
.shahu-cluster.sample .count { border-style: dashed; border-color: #222; text-shadow: 0 0 2px #000;
  background: repeating-linear-gradient(135deg, #555 0 3px, #8c8c8c 3px 6px); }
.leaflet-control-scale-line { border-color: #555; color: #333; }
@media print { .leaflet-control-zoom, .leaflet-control-fullscreen { display: none; } }
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
  .shahu-water small { display: none; }
  .shahu-road.key span { font-size: 12px; }
}
.shahu-present .leaflet-tooltip.shahu-label { font-size: 18px; }
.shahu-present .shahu-road span { font-size: 15px; }
.shahu-present .shahu-road.key span { font-size: 19px; }
.shahu-present .shahu-water { font-size: 20px; }
.shahu-present .shahu-legend { font-size: 14px; }
.shahu-legend summary { cursor: pointer; }
.shahu-legend:not([open]) { padding: 4px 8px; }
</style>
"""


_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def escape(text: object) -> str:
    """HTML-escape, and also defuse what folium's JS template literals would interpret
    (backtick, `${…}`, backslash): popups and tooltips are embedded as `…` strings."""
    return html.escape(str(text)).translate(_TEMPLATE_LITERAL)


class Legend(MacroElement):
    """The legend control, a `<details>` whose summary is its title (so it can be folded away);
    its HTML is built from escaped text only. Open unless `FrameBelt` folds it on a projector."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
          var legend = L.control({position: "bottomleft"});
          legend.onAdd = function() {
            var div = L.DomUtil.create("details", "shahu-legend");
            div.open = true;
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);  // opening it is no click on the map
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
    40 % of the map's width); the left one clears the legend when that costs no zoom. Names and
    legend are measured in both languages (the other one in a hidden probe), so the Chinese and
    the English map open at the same zoom.
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
            var left = map.getContainer().getBoundingClientRect().left, need = 0, labels = [];
            var corner = map.getContainer().querySelector(".leaflet-top.leaflet-right");
            map.eachLayer(function (layer) {  // writes first: each name's twin laid beside it
              var tip = layer.getTooltip && layer.getTooltip();
              if (!tip || !tip.isOpen() || !tip.getElement().classList.contains("shahu-label")
                  || !box.contains(layer.getLatLng())) { return; }
              var at = layer.getLatLng(), twin = options.twinLabels[
                at.lat.toFixed(6) + "," + at.lng.toFixed(6)];
              labels.push([tip.getElement(), twin ? ghost(tip.getElement(), twin) : null]);
            });
            var controls = corner && corner.getBoundingClientRect();  // then every read, in
            labels.forEach(function (pair) {  // one layout (not one per name: 600 at 100×)
              var label = pair[0].getBoundingClientRect();
              var width = Math.max(label.width, pair[1] ? pair[1].getBoundingClientRect().width : 0);
              var under = controls && controls.height && label.top < controls.bottom;
              need = Math.max(need, label.left + width - left - east + (under ? controls.width : 0));
            });
            labels.forEach(function (pair) { if (pair[1]) { pair[1].remove(); } });
            return need;
          };
          var ghost = function (like, content) {  // the HTML `content` styled as `like`, unseen
            var twin = like.cloneNode(false);
            twin.style.cssText = "position:absolute;visibility:hidden;left:0;top:0;transform:none";
            twin.innerHTML = content;  // escaped in Python, like every label and the legend
            like.parentNode.appendChild(twin);
            return twin;
          };
          var probe = function (like, content) {  // width of the HTML `content` styled as `like`
            var twin = ghost(like, content), width = twin.getBoundingClientRect().width;
            twin.remove();
            return width;
          };
          var fit = function (opts) {  // fitBounds, unless that is already the view: a reset
            var to = map._getBoundsCenterZoom(box, opts);  // moves every name (600 at 100×)
            if (map._loaded && to.zoom === map.getZoom() && map.getCenter().equals(to.center)) {
              return;
            }
            map.fitBounds(box, opts);
          };
          var zoomFor = function (left, right) {
            return map.getBoundsZoom(box, false, L.point(left + right, tl[1] + br[1]));
          };
          var framedFor = null;  // the container's size the last framing was made for
          var boxSize = function () {  // the container's size now (getSize() is cached)
            var el = map.getContainer();
            return el.clientWidth + "x" + el.clientHeight;
          };
          var frame = function () {
            var size = map.getSize();
            if (size.x < 100 || size.y < 100) { return; }  // not laid out yet: the observer calls again
            framedFor = boxSize();
            fit(options);
            map.eachLayer(function (layer) {  // names left of or below a marker are placed by
              var tip = layer.getTooltip && layer.getTooltip();  // their size: measure again
              if (!tip || !tip.isOpen()) { return; }
              if (tip.shahuSide) {  // flipped last time: try its own side again
                tip.options.direction = tip.shahuSide[0];
                tip.options.offset = tip.shahuSide[1];
                delete tip.shahuSide;
              } else if (tip.options.direction === "right") {
                return;  // a name right of its marker does not move with its width
              }
              tip.update();
            });
            var right = Math.min(Math.max(br[0], beyondEast() + 8), 0.4 * size.x);
            var left = tl[0], legend = map.getContainer().querySelector(".shahu-legend");
            if (legend && map.getContainer().classList.contains("shahu-present")
                && !legend.querySelector(".samples")) {  // samples are always said on the map
              legend.open = size.y >= options.presentLegendMinHeight;  // short projector: folded
            }
            var wide = legend && Math.max(legend.offsetWidth,
                                          probe(legend, options.twinLegend || ""));
            if (legend && wide < 0.4 * size.x && zoomFor(wide + 20, right) >= zoomFor(left, right)) {
              left = wide + 20;  // clear of the legend (in either language) when that costs no zoom
            }
            if (left !== tl[0] || right !== br[0]) {
              fit(Object.assign({}, options,
                {paddingTopLeft: [left, tl[1]], paddingBottomRight: [right, br[1]]}));
            }
            flip();
          };
          var flip = function () {  // a name still cut at the east edge or under a control
            var edge = map.getContainer().getBoundingClientRect();  // goes left of its marker
            var controls = [];
            map.getContainer().querySelectorAll(".leaflet-control").forEach(function (el) {
              controls.push(el.getBoundingClientRect());
            });
            var hits = function (a, b) {
              return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            };
            var cut = [];  // every name measured first (one layout), then the few cut moved
            map.eachLayer(function (layer) {
              var tip = layer.getTooltip && layer.getTooltip();
              if (!tip || !tip.isOpen() || tip.options.direction !== "right"
                  || !tip.getElement().classList.contains("shahu-label")) { return; }
              var r = tip.getElement().getBoundingClientRect();
              if (r.right > edge.right || controls.some(function (c) { return hits(r, c); })) {
                cut.push(tip);
              }
            });
            cut.forEach(function (tip) {
              tip.shahuSide = [tip.options.direction, tip.options.offset];
              tip.options.direction = "left";
              tip.options.offset = [-6, 0];
              tip.update();
            });
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
          var known = map.getSize().x + "x" + map.getSize().y;  // the size Leaflet works with
          new ResizeObserver(function () {
            var now = boxSize();
            if (now === known) { return; }  // e.g. the observer's own first call
            known = now;
            map.invalidateSize({animate: false});
            if (!touched && now !== framedFor) { frame(); }
          }).observe(map.getContainer());
        })({{ this._parent.get_name() }}, {{ this.bounds|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        bounds: list[list[float]],
        twin_labels: dict[str, str] | None = None,
        twin_legend: str = "",
    ):
        super().__init__()
        self._name = "FrameView"
        self.bounds = bounds
        self.options = {
            "paddingTopLeft": [10, 10],
            "paddingBottomRight": [90, 10],
            "animate": False,
            "twinLabels": twin_labels or {},  # "lat,lon" of a building → its label, other language
            "twinLegend": twin_legend,  # the legend's HTML in the other language (escaped text)
            "presentLegendMinHeight": PRESENT_LEGEND_MIN_HEIGHT,
        }


class Furniture(MacroElement):
    """A metric scale bar, the attribution without Leaflet's flag prefix and with the
    OpenStreetMap credit our own layers owe (ODbL), and, for a projector, larger labels."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
          L.control.scale({imperial: false, position: "bottomright"}).addTo(map);
          map.attributionControl.setPrefix("Leaflet");
          map.attributionControl.addAttribution({{ this.credit|tojson }});
          if ({{ this.present|tojson }}) { map.getContainer().classList.add("shahu-present"); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, present: bool = False):
        super().__init__()
        self._name = "Furniture"
        self.credit = OSM_CREDIT
        self.present = present


class RoadLabels(MacroElement):
    """Road names drawn along their roads, only where they fit.

    Each road has a few candidate spots (`label_at` in roads.geojson, best first). After every
    move, zoom or resize the names are placed in priority order (中北路 first, then main,
    secondary, local roads): a road takes its first spot whose name lies wholly inside the map
    and clear of the controls, the building names and markers, clusters, the lake's name and
    the names placed before it; a road with no such spot, or below its class's zoom, is unnamed.
    The names live in the roads layer, so switching roads off hides them too.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, group, roads) {
          var pane = map.getPane("shahuRoadLabels") || map.createPane("shahuRoadLabels");
          pane.style.zIndex = 450;
          pane.style.pointerEvents = "none";
          var items = roads.map(function (r) {
            return {min: r[2], spots: r[3].map(function (s) {
              var html = "<span style='transform: translate(-50%, -50%) rotate(" + s[2]
                + "deg)'>" + r[0] + "</span>";
              var marker = L.marker([s[0], s[1]], {pane: "shahuRoadLabels", interactive: false,
                keyboard: false, icon: L.divIcon({className: "shahu-road " + r[1], html: html,
                iconSize: [0, 0]})});
              marker.angle = s[2] * Math.PI / 180;
              group.addLayer(marker);
              return marker;
            })};
          });
          var hits = function (a, b) {  // 3 px of slack: a glyph box is wider than its ink
            return a.left + 3 < b.right && b.left + 3 < a.right && a.top + 3 < b.bottom
              && b.top + 3 < a.bottom;
          };
          var along = function (text, r, angle) {  // a slanted name as squares along its line
            var w = text.offsetWidth, h = text.offsetHeight, n = Math.max(1, Math.ceil(w / h));
            var cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2, cells = [];
            for (var i = 0; i < n; i++) {
              var d = (i + 0.5) * w / n - w / 2;
              var x = cx + d * Math.cos(angle), y = cy + d * Math.sin(angle);
              cells.push({left: x - h / 2, right: x + h / 2, top: y - h / 2, bottom: y + h / 2});
            }
            return cells;
          };
          var place = function () {  // every read before any write: one layout, not one a spot
            var box = map.getContainer().getBoundingClientRect(), zoom = map.getZoom();
            var spots = [], taken = [];
            items.forEach(function (item) {
              item.spots.forEach(function (marker) {
                var el = marker.getElement();
                if (el) { el.style.display = ""; spots.push(marker); }
              });
            });
            map.getContainer().querySelectorAll(".leaflet-control, .shahu-label, .shahu-water, "
                + ".shahu-cluster, .shahu-point").forEach(function (el) {
              var r = el.getBoundingClientRect();
              if (r.width) { taken.push(r); }
            });
            spots.forEach(function (marker) {
              var text = marker.getElement().firstChild, r = text.getBoundingClientRect();
              marker.shahuInside = r.left >= box.left + 4 && r.right <= box.right - 4
                && r.top >= box.top + 4 && r.bottom <= box.bottom - 4;
              marker.shahuCells = along(text, r, marker.angle);
              marker.shahuShown = false;
            });
            items.forEach(function (item) {
              if (zoom < item.min) { return; }
              item.spots.some(function (marker) {
                if (!marker.getElement() || !marker.shahuInside || marker.shahuCells.some(
                    function (c) { return taken.some(function (t) { return hits(c, t); }); })) {
                  return false;
                }
                taken.push.apply(taken, marker.shahuCells);
                return (marker.shahuShown = true);
              });
            });
            spots.forEach(function (marker) {
              marker.getElement().style.display = marker.shahuShown ? "" : "none";
            });
          };
          var queued = false;
          var soon = function () {  // once per frame however many events ask (a load sends many)
            if (queued) { return; }
            queued = true;
            requestAnimationFrame(function () { queued = false; place(); });
          };
          map.on("zoomend moveend resize overlayadd", soon);
          map.eachLayer(function (layer) {  // clusters settle after a zoom's animation
            if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
              layer.on("animationend", soon);
            }
          });
          group.on("add", soon);
          soon();
        })({{ this._parent.get_name() }}, {{ this.group }}, {{ this.roads_json }});
        {% endmacro %}
        """
    )

    def __init__(self, group: str, roads: list[list]):
        super().__init__()
        self._name = "RoadLabels"
        self.group = group
        self.roads_json = _json(roads)


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
    present: bool = False,
) -> folium.Map:
    """The belt map. `projects` is the (filtered) project table; default all projects.
    `present` enlarges its labels for a projector.

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
        control_scale=False,  # Furniture adds a metric-only one
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

    folium.map.CustomPane(BUILDING_PANE, z_index=640).add_to(m)
    folium.map.CustomPane(CLUSTER_PANE, z_index=645).add_to(m)  # names (tooltips) at 650
    road_names = _add_base_layers(m, ds, lang, basemap)
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
    samples = _has_samples(rows.projects) or _has_samples(rows.institutions)
    Legend(_legend_html(lang, compact, samples)).add_to(m)
    other = "zh" if lang == "en" else "en"
    twins = {}  # each building's label in the other language, keyed on where it is drawn
    for row in ds["buildings"].to_dict("records"):
        lat, lon = point(row[Building.lat], row[Building.lon])
        label = escape(map_label(row[lang_col("name", other)]))
        twins[f"{round(lat, 6):.6f},{round(lon, 6):.6f}"] = label
    FrameView(
        _frame_bounds(ds, point, compact), twins, _legend_html(other, compact, samples)
    ).add_to(m)
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


def _add_base_layers(m: folium.Map, ds: Dataset, lang: str, basemap: str) -> RoadLabels | None:
    """Belt, lake and roads; returns the road names, to be added once the points are there
    (they keep clear of the points' clusters)."""
    name = lang_col("name", lang)
    names = None
    point = _projector(basemap)
    belt_style = {
        "color": BELT_COLOR,
        "weight": 3,
        "dashArray": "8 6",
        "fillColor": BELT_COLOR,
        "fillOpacity": 0.04,
    }
    lake_style = {"color": "#4a90c2", "weight": 1, "fillColor": "#9cc9e8", "fillOpacity": 0.85}
    note_key = lang_col("note", lang)
    for layer in ("belt", "lake", "roads"):
        frame = ds.layers.get(layer)
        if frame is None:
            continue
        group = folium.FeatureGroup(name=t(f"map.layer.{layer}", lang), control=layer != "lake")
        labels, features = [], []
        for row, geom in _geojson_features(frame, basemap):
            label = escape(str(row.get(name, "") or ""))
            note = escape(str(row.get(note_key, "") or "")) if note_key in row else ""
            road_class = _road_class(row)
            tip = f"<b>{label}</b>" + (f"<br>{note}" if note else "")
            features.append(
                {
                    "type": "Feature",
                    "properties": {"tip": tip, "cls": road_class},  # only escaped text
                    "geometry": geom.__geo_interface__,
                }
            )
            if layer == "lake":
                c = _lake_label_point(row, geom, point)
                km2 = pd.to_numeric(row.get("area_km2"), errors="coerce")
                area = "" if pd.isna(km2) else f"<small>{km2:.2f} km²</small>"
                folium.Marker(
                    (c.y, c.x),
                    icon=folium.DivIcon(
                        html=f'<div class="shahu-water">{label}{area}</div>',
                        icon_size=(120, 34),
                        icon_anchor=(60, 17),
                    ),
                    interactive=False,
                ).add_to(group)
            if layer == "roads" and label:
                labels.append(_road_label(row, label, road_class, geom, point))
        fixed = {"belt": belt_style, "lake": lake_style}.get(layer)
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


def cluster_icon_js(side: str, sample_label: str = "") -> str:
    """A cluster: a ring around the spot and its count in a badge above it, clear of a building
    marker (radius 9-12 px) drawn at the same spot above it and of names beside or below it.
    `side` ("left" for projects, "right" for institutions) keeps two layers' badges at one
    building apart. A click zooms in (MarkerCluster's default), or spreads the points out at
    the deepest zoom.

    A cluster holding sample rows (grey markers) is marked `sample`: a dashed ring and a grey
    hatched badge, and `sample_label` (escaped HTML, `{n}` and `{samples}` filled in here) as
    its accessible name and hover text, so a grouped sample never passes for a fact."""
    return (
        "function (c) { var all = c.getAllChildMarkers(), s = 0, n = c.getChildCount();"
        " for (var i = 0; i < all.length; i++) {"
        f" if (all[i].options.fillColor === {_json(SAMPLE_COLOR)}) {{ s++; }} }}"
        f" var name = s ? {_json(sample_label)}.replace('{{n}}', n).replace('{{samples}}', s)"
        " : '';"
        " var aria = s ? \" role='img' aria-label='\" + name + \"' title='\" + name + \"'\" : '';"
        f" return L.divIcon({{className: 'shahu-cluster {side}' + (s ? ' sample' : ''), "
        "iconSize: L.point(44, 44), html: \"<div class='ring'></div><span class='count'\" "
        "+ aria + '>' + n + '</span>'}); }"
    )


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
            var marker = L.circleMarker([r[0], r[1]],
              Object.assign({}, style, {fillColor: r[2]}, r[5] || {}));
            marker.bindTooltip(r[3], r[6] ? Object.assign({}, tip, r[6]) : tip);
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
        cluster: str | None = None,
        sample_label: str = "",
    ):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "PointLayer"
        self.rows = rows
        self.rows_json = _json(rows)
        self.style_json = _json(style)
        self.tooltip_json = _json(tooltip or {})
        self.pane = style.get("pane")
        if cluster:
            options = {
                "maxClusterRadius": 40,
                "spiderfyOnMaxZoom": True,
                "chunkedLoading": True,
                "clusterPane": CLUSTER_PANE,
            }
            self.group_js = (
                f"L.markerClusterGroup(Object.assign({_json(options)}, "
                "{iconCreateFunction: " + cluster_icon_js(cluster, sample_label) + "}))"
            )
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
    sides = label_sides(ds)
    buildings = []
    for row in ds["buildings"].itertuples(index=False):
        card = cards[getattr(row, Building.building_id)]
        lat, lon = point(getattr(row, Building.lat), getattr(row, Building.lon))
        color = SELECTED_COLOR if card.building_id == selected else BUILDING_COLOR
        row_out = [round(lat, 6), round(lon, 6), color, escape(map_label(card.name))]
        row_out.append(card_html(card, lang))
        row_out.append(SELECTED_STYLE if card.building_id == selected else None)
        side = sides.get(card.building_id, "right")
        if side != "right":
            row_out.append({"direction": side, "offset": LABEL_OFFSETS[side]})
        buildings.append(row_out)
    if compact:
        return PointRows(buildings, [], [])
    frame = ds["projects"] if projects is None else projects
    return PointRows(
        buildings,
        _rows(frame, lang, point, _project_html),
        _rows(ds["institutions"], lang, point, _institution_html),
    )


LABEL_SIDES = ("right", "left", "bottom", "top")
LABEL_OFFSETS = {"right": [6, 0], "left": [-6, 0], "bottom": [0, 6], "top": [0, -6]}
NEIGHBOUR_M = 700  # buildings closer than this would stack their names at the framed zoom


def label_sides(ds: Dataset) -> dict[str, str]:
    """Which side of its marker each building's name goes: right, unless a building to the
    north is within `NEIGHBOUR_M`; then the next free side (left, below, above), so the
    names of buildings next to each other never stack."""
    b = ds["buildings"].sort_values(Building.lat, ascending=False)
    placed: list[tuple[float, float, str]] = []
    sides = {}
    for row in b.itertuples(index=False):
        lat, lon = getattr(row, Building.lat), getattr(row, Building.lon)
        near = {
            side
            for plat, plon, side in placed
            if ((plat - lat) * 110_570) ** 2 + ((plon - lon) * 95_900) ** 2 < NEIGHBOUR_M**2
        }
        side = next((s for s in LABEL_SIDES if s not in near), "right")
        sides[getattr(row, Building.building_id)] = side
        placed.append((lat, lon, side))
    return sides


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
        if row.get(Project.provenance) == "illustrative":
            color = SAMPLE_COLOR
        rows.append(
            [round(lat, 6), round(lon, 6), color, escape(str(row[name])), html_of(row, lang)]
        )
    return rows


# Building names written on the map, at most (the belt has 6): past that they would cover each
# other and the map, and placing each one costs the browser a layout (600 took seconds).
MAX_NAMED = 40


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
    marked = {
        key: _has_samples(layer) for key, layer in (("p", rows.projects), ("i", rows.institutions))
    }
    suffix = t("truth.metric_suffix", lang)
    projects = t("map.layer.projects", lang) + (suffix if marked["p"] else "")
    label = escape(t("polish.cluster_samples", lang))
    PointLayer(projects, rows.projects, style, cluster="left", sample_label=label).add_to(m)
    institutions = t("map.layer.institutions", lang) + (suffix if marked["i"] else "")
    PointLayer(institutions, rows.institutions, style, cluster="right", sample_label=label).add_to(
        m
    )


def _has_samples(rows: list[list]) -> bool:
    return any(row[2] == SAMPLE_COLOR for row in rows)


def card_html(card: Card, lang: str) -> str:
    """A building popup: every value escaped."""
    e = escape
    lines = [f"<div class='shahu-card'><h4>{e(card.name)}</h4>"]
    if card.role:
        lines.append(f"<div>{e(card.role)}</div>")
    if card.firms:
        lines.append(f"<div><b>{e(t('card.firms', lang))}</b>: {e(card.firms)}</div>")
    if card.growth:
        lines.append(f"<div>{e(card.growth)}</div>")
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
        f"{e(localized(row, Project.source, lang))}</div></div>"
    )


def _institution_html(row: dict, lang: str) -> str:
    e = escape
    name = row[lang_col("name", lang)]
    return (
        f"<div class='shahu-card'><h4>{e(str(name))}</h4>"
        f"<div><b>{e(t('card.category', lang))}</b>: "
        f"{e(t('category.' + row[Institution.category], lang))}</div>"
        f"<div class='muted'>{e(provenance_label(row[Institution.provenance], lang))} · "
        f"{e(localized(row, Institution.source, lang))}</div></div>"
    )


def _legend_html(lang: str, compact: bool, samples: bool = False) -> str:
    """The legend: the same colours the layers are drawn in (and grey samples, when drawn)."""
    e = escape
    rows = [
        f"<summary><b>{e(t('map.legend.title', lang))}</b></summary>",
        f"<div><i style='background:{BUILDING_COLOR}'></i>{e(t('map.legend.building', lang))}</div>",
    ]
    if not compact:
        rows.append(
            f"<div><i style='background:{SELECTED_COLOR}'></i>"
            f"{e(t('map.legend.selected', lang))}</div>"
        )
        for sector in ("carbon_finance", "carbon_tech", "carbon_industry"):
            rows.append(
                f"<div><i style='background:{SECTOR_COLORS[sector]}'></i>"
                f"{e(t('sector.' + sector, lang))}</div>"
            )
        rows.append(
            "<div><i style='border:2px solid #4d4d4d;box-sizing:border-box;background:#fff'></i>"
            f"{e(t('map.legend.cluster', lang))}</div>"
        )
        if samples:
            rows.append(
                f"<div class='samples'><i style='background:{SAMPLE_COLOR}'></i>"
                f"<b>{e(t('truth.map_samples', lang))}</b></div>"
            )
            rows.append(
                "<div class='samples'><i style='border:2px dashed #222;box-sizing:border-box;"
                "background:repeating-linear-gradient(135deg,#555 0 3px,#8c8c8c 3px 6px)'></i>"
                f"<b>{e(t('polish.legend_sample_cluster', lang))}</b></div>"
            )
    rows.append(
        f"<div><i class='sq' style='border:2px dashed {BELT_COLOR};background:transparent'></i>"
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


def clicked_building(
    ds: Dataset, clicked: dict | None, lang: str, basemap: str = "none"
) -> str | None:
    """The building a click on the map (streamlit-folium's answer) landed on, if any.

    Only a building marker counts: its name label is the clicked object's tooltip. A cluster
    (no tooltip) sitting on a building zooms in instead, and a road or the lake (another
    tooltip) next to one selects nothing.
    """
    spot = (clicked or {}).get("last_object_clicked")
    tip = ((clicked or {}).get("last_object_clicked_tooltip") or "").strip()
    if not spot or not tip:
        return None
    hit = nearest_building(ds, spot["lat"], spot["lng"], basemap)
    if hit is None:
        return None
    row = ds["buildings"].set_index(Building.building_id).loc[hit]
    return hit if map_label(str(row[lang_col("name", lang)])) == tip else None
