"""The colours that mean something (sectors, buildings, the selection), shared by maps and charts."""

from __future__ import annotations

SECTOR_COLORS = {
    "carbon_finance": "#1f7a4d",
    "carbon_tech": "#2563eb",
    "carbon_industry": "#d97706",
    "": "#6b7280",
}
