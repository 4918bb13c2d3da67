"""The colours that mean something, shared by maps and charts: Okabe–Ito, told apart with any
common colour-vision deficiency. Buildings black, the selection vermillion, the sectors blue /
orange / bluish green; no two meanings share a colour."""

from __future__ import annotations

SECTOR_COLORS = {
    "carbon_finance": "#0072B2",
    "carbon_tech": "#E69F00",
    "carbon_industry": "#009E73",
    "": "#999999",
}
BUILDING_COLOR = "#1a1a1a"
SELECTED_COLOR = "#D55E00"
# How sure a row is, as Streamlit colour names: the data grid's tags and the product badges.
PROVENANCE_COLORS = {"reported": "green", "estimated": "orange", "illustrative": "gray"}


def _luminance(color: str) -> float:
    channels = [int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two `#rrggbb` colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (labels inside bars, WCAG 1.4.3)."""
    return "#000000" if contrast("#000000", fill) >= contrast("#ffffff", fill) else "#ffffff"
