"""Map markers a screen reader can name and a keyboard can reach (WCAG 2.1.1, 4.1.2): each marker
with a tooltip gets it as its name, focus, and Enter/Space as a click (static/map/marker_access.js)."""

from __future__ import annotations

from branca.element import Element, MacroElement
from jinja2 import Template

from shahu.map import assets


class MarkerNames(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.shahuMap.markerNames({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "MarkerNames"

    def render(self, **kwargs):
        """The script, and a visible focus ring on a marker reached by the keyboard."""
        focus = Element(assets.map_style("marker_access.css"))
        self.get_root().header.add_child(focus, name="shahu_marker_focus")
        super().render(**kwargs)
