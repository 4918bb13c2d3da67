"""The map's points as rows (buildings, projects, institutions: where, colour, tooltip, popup),
where each building's name goes, and which building a click on the map landed on."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from shahu.content.building_card import building_cards
from shahu.content.markup import (
    building_popup,
    for_template_literal,
    institution_popup,
    project_popup,
)
from shahu.core.labels import lang_col
from shahu.core.palette import BUILDING_COLOR, SECTOR_COLORS, SELECTED_COLOR
from shahu.data.dataset import Dataset
from shahu.data.schemas import Building, Project
from shahu.map.basemaps import projector

SAMPLE_COLOR = "#c4c4c4"  # sample rows: grey, whatever their sector (the legend says so)
SELECTED_STYLE = {"radius": 12, "weight": 3}  # larger as well as another colour
LABEL_SIDES = ("right", "left", "bottom", "top")
LABEL_OFFSETS = {"right": [6, 0], "left": [-6, 0], "bottom": [0, 6], "top": [0, -6]}
NEIGHBOUR_M = 700  # buildings closer than this would stack their names at the framed zoom
_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


@dataclass(frozen=True)
class PointRows:
    """The rows of the three point layers, the costly part of a map (cached): `[lat, lon, colour,
    tooltip HTML, popup HTML]` (buildings add their style and their name's side), the HTML escaped
    and plain `str`, since the cache pickles them on every hit."""

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
    point = projector(basemap)
    cards = building_cards(ds, lang)
    sides = label_sides(ds)
    buildings = []
    for row in ds["buildings"].itertuples(index=False):
        card = cards[getattr(row, Building.building_id)]
        lat, lon = point(getattr(row, Building.lat), getattr(row, Building.lon))
        color = SELECTED_COLOR if card.building_id == selected else BUILDING_COLOR
        tooltip = str(for_template_literal(map_label(card.name)))
        row_out = [round(lat, 6), round(lon, 6), color, tooltip, str(building_popup(card, lang))]
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
        _rows(frame, lang, point, project_popup),
        _rows(ds["institutions"], lang, point, institution_popup),
    )


def has_samples(rows: list[list]) -> bool:
    return any(row[2] == SAMPLE_COLOR for row in rows)


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


def map_label(name: str) -> str:
    """A building's name as labelled on the map: without a trailing "(…)" note, which the card
    keeps ("Carbon Sink Building (Tanhui Tower)" → "Carbon Sink Building"), so labels stay short
    enough for a phone."""
    short = _TRAILING_NOTE.sub("", name)
    return short or name


def _rows(frame: pd.DataFrame, lang: str, point, popup) -> list[list]:
    name = lang_col("name", lang)
    rows = []
    for row in frame.dropna(subset=[Project.lat, Project.lon]).to_dict("records"):
        lat, lon = point(row[Project.lat], row[Project.lon])
        color = SECTOR_COLORS.get(row.get(Project.sector, ""), SECTOR_COLORS[""])
        if row.get(Project.provenance) == "illustrative":
            color = SAMPLE_COLOR
        tooltip = str(for_template_literal(str(row[name])))
        rows.append([round(lat, 6), round(lon, 6), color, tooltip, str(popup(row, lang))])
    return rows


def nearest_building(
    ds: Dataset, lat: float, lng: float, basemap: str = "none", tolerance_m: float = 120
) -> str | None:
    """The building drawn at (lat, lng) on the given base map, if one is within `tolerance_m`."""
    point = projector(basemap)
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
    """The building a click on the map (streamlit-folium's answer) landed on, if any: only a
    building marker counts (its name is the clicked object's tooltip); a cluster (no tooltip)
    zooms in instead, and a road or the lake (another tooltip) next to one selects nothing."""
    spot = (clicked or {}).get("last_object_clicked")
    tip = ((clicked or {}).get("last_object_clicked_tooltip") or "").strip()
    if not spot or not tip:
        return None
    hit = nearest_building(ds, spot["lat"], spot["lng"], basemap)
    if hit is None:
        return None
    row = ds["buildings"].set_index(Building.building_id).loc[hit]
    return hit if map_label(str(row[lang_col("name", lang)])) == tip else None
