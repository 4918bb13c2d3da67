"""The map's own folium elements. Each is a short macro that calls its behaviour in
`static/map/*.js` (bundled into `assets.MAP_JS`) with its options as JSON (`script_json`)."""

from __future__ import annotations

from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from shahu.content.markup import Markup, script_json
from shahu.map import assets
from shahu.map.basemaps import OSM_CREDIT
from shahu.map.points import SAMPLE_COLOR

CLUSTER_PANE = "clusters"  # above buildings, so a count is never hidden; below the names;
# only its badge is clickable (the ring lets clicks through to the building under it)
# On a projector a map shorter than this (1280×720 leaves ~525 px) opens with its legend folded to
# its title: open, it would cover a fifth of the map and the names under it.
PRESENT_LEGEND_MIN_HEIGHT = 600


class PointLayer(JSCSSMixin, Layer):
    """Many circle markers as one compact JSON array (`PointRows`), drawn by one loop in the
    browser (static/map/points.js): one element, not one per point, at thousands of points.
    `cluster` ("left" or "right", the badge's side) groups them; `sample_label` names a group."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = window.shahuMap.pointLayer(
          {{ this.rows_json }}, {{ this.style_json }}, {{ this.tooltip_json }},
          {{ this.cluster_json }});
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
        self.rows_json = script_json(rows)
        self.style_json = script_json(style)
        self.tooltip_json = script_json(tooltip or {})
        self.pane = style.get("pane")
        self.cluster = None
        self.default_js, self.default_css = [], []  # the scripts are inside assets.MAP_JS
        if cluster:
            self.cluster = {
                "options": {
                    "maxClusterRadius": 40,
                    "spiderfyOnMaxZoom": True,
                    "chunkedLoading": True,
                    "clusterPane": CLUSTER_PANE,
                },
                "side": cluster,
                "sampleLabel": sample_label,  # escaped HTML, with `{n}` and `{samples}`
                "sampleColor": SAMPLE_COLOR,
            }
            self.default_css = assets.pairs(assets.CLUSTER_CSS, assets.CLUSTER_DEFAULT_CSS)
        self.cluster_json = script_json(self.cluster)


class Legend(MacroElement):
    """The legend control (static/map/legend.js), a `<details>` that `FrameView` may fold on a
    projector; `html` is its rows, escaped (`markup.map_legend`)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.shahuMap.legend({{ this._parent.get_name() }}, {{ this.html_json }});
        {% endmacro %}
        """
    )

    def __init__(self, html: Markup):
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.html_json = script_json(str(html))


class FrameView(MacroElement):
    """Frame `bounds` at once and again whenever the map's box changes size, until the visitor
    moves it (static/map/frame.js). The names and legend of the other language (escaped HTML)
    are measured too, so both languages open at the same zoom."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.shahuMap.frameView(
          {{ this._parent.get_name() }}, {{ this.bounds_json }}, {{ this.options_json }});
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
        self.bounds_json = script_json(bounds)
        self.options_json = script_json(self.options)


class Furniture(MacroElement):
    """A metric scale bar, the attribution with the OpenStreetMap credit our own layers owe (ODbL),
    and, for a projector, larger labels (static/map/furniture.js)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.shahuMap.furniture({{ this._parent.get_name() }}, {{ this.options_json }});
        {% endmacro %}
        """
    )

    def __init__(self, present: bool = False):
        super().__init__()
        self._name = "Furniture"
        self.options = {"credit": OSM_CREDIT, "present": present}
        self.options_json = script_json(self.options)


class RoadLabels(MacroElement):
    """Road names along their roads, only where they fit (static/map/road_labels.js). `group` is
    the roads layer's JS name; `roads` are `[name, css class, min zoom, spots]`, in priority order."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.shahuMap.roadLabels(
          {{ this._parent.get_name() }}, {{ this.group }}, {{ this.roads_json }});
        {% endmacro %}
        """
    )

    def __init__(self, group: str, roads: list[list]):
        super().__init__()
        self._name = "RoadLabels"
        self.group = group
        self.roads_json = script_json(roads)
