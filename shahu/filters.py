"""The visitor's project filters: one value object, applied the same way on every page and map.

`Filters` round-trips through URL query parameters, so a filtered view is a shareable link.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

import pandas as pd

from shahu.schemas import PROJECT_STATUSES, SECTORS, Project

MAX_SEARCH = 60


@dataclass(frozen=True)
class Filters:
    """Empty tuples mean “all”; an amount bound of None means “no bound”."""

    sectors: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    buildings: tuple[str, ...] = ()
    amount_min: float | None = None
    amount_max: float | None = None
    undisclosed: bool = True
    search: str = ""

    @property
    def active(self) -> bool:
        return self != Filters()

    def with_(self, **changes) -> Filters:
        return replace(self, **changes)


def apply(projects: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The projects that pass every filter (an undisclosed amount passes a range only if allowed)."""
    keep = pd.Series(True, index=projects.index)
    if f.sectors:
        keep &= projects[Project.sector].isin(f.sectors)
    if f.statuses:
        keep &= projects[Project.status].isin(f.statuses)
    if f.buildings:
        keep &= projects[Project.building_id].isin(f.buildings)
    amount = projects[Project.amount_cny_100m]
    if f.amount_min is not None or f.amount_max is not None:
        lo = -math.inf if f.amount_min is None else f.amount_min
        hi = math.inf if f.amount_max is None else f.amount_max
        keep &= amount.between(lo, hi) | (amount.isna() & f.undisclosed)
    elif not f.undisclosed:
        keep &= amount.notna()
    if f.search.strip():
        needle = f.search.strip().casefold()
        text = (
            projects[Project.name_zh]
            + " "
            + projects[Project.name_en]
            + " "
            + projects[Project.company]
        ).str.casefold()
        keep &= text.str.contains(needle, regex=False)
    return projects[keep]


_PARAM = {
    "sectors": "sector",
    "statuses": "status",
    "buildings": "bld",
    "amount_min": "amin",
    "amount_max": "amax",
    "undisclosed": "undisclosed",
    "search": "q",
}
PARAM_NAMES = tuple(_PARAM.values())


def to_params(f: Filters) -> dict[str, str]:
    """Only the filters that differ from the default, as URL query parameters."""
    out: dict[str, str] = {}
    default = Filters()
    for field in fields(Filters):
        value = getattr(f, field.name)
        if value == getattr(default, field.name):
            continue
        if isinstance(value, tuple):
            out[_PARAM[field.name]] = ",".join(value)
        elif isinstance(value, bool):
            out[_PARAM[field.name]] = "1" if value else "0"
        elif isinstance(value, float):
            out[_PARAM[field.name]] = f"{value:g}"
        else:
            out[_PARAM[field.name]] = str(value)
    return out


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text not in (None, "") else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) and value >= 0 else None


def from_params(params: Mapping[str, str], known_buildings: tuple[str, ...] = ()) -> Filters:
    """Filters from a URL; anything unknown or malformed is ignored, never an error."""

    def pick(name: str, allowed) -> tuple[str, ...]:
        raw = params.get(name) or ""
        return tuple(v for v in dict.fromkeys(raw.split(",")) if v in allowed)

    return Filters(
        sectors=pick("sector", SECTORS),
        statuses=pick("status", PROJECT_STATUSES),
        buildings=pick("bld", known_buildings),
        amount_min=_number(params.get("amin")),
        amount_max=_number(params.get("amax")),
        undisclosed=params.get("undisclosed", "1") != "0",
        search=(params.get("q") or "")[:MAX_SEARCH],
    )
