"""The colours that mean something (sectors, buildings, the selection), shared by maps and charts.

Okabe–Ito colours, told apart with any common colour-vision deficiency: buildings black, the
selected building vermillion, the three sectors blue / orange / bluish green. No two meanings
share a colour, so a selected building never looks like a sector's point.
"""

from __future__ import annotations

SECTOR_COLORS = {
    "carbon_finance": "#0072B2",
    "carbon_tech": "#E69F00",
    "carbon_industry": "#009E73",
    "": "#999999",
}
BUILDING_COLOR = "#1a1a1a"
SELECTED_COLOR = "#D55E00"
