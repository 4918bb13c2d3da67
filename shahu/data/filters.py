"""The visitor's project filters: one value object, applied the same way on every page and map,
round-tripped through URL query parameters, so a filtered view is a shareable link."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

import pandas as pd

from shahu.core.formatting import cny_100m
from shahu.core.i18n import t
from shahu.data.schemas import PROJECT_STATUSES, SECTORS, Project

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
        """True when any filter narrows the list (the page then offers a reset)."""
        return self != Filters()


def amount_ceiling(projects: pd.DataFrame) -> float:
    """The amount slider's top: the largest disclosed amount rounded up (1 when none is known)."""
    top = projects[Project.amount_cny_100m].max()
    return float(max(1.0, math.ceil(top))) if pd.notna(top) else 1.0


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

    lo, hi = _number(params.get("amin")), _number(params.get("amax"))
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return Filters(
        sectors=pick("sector", SECTORS),
        statuses=pick("status", PROJECT_STATUSES),
        buildings=pick("bld", known_buildings),
        amount_min=lo,
        amount_max=hi,
        undisclosed=params.get("undisclosed", "1") != "0",
        search=(params.get("q") or "")[:MAX_SEARCH],
    )


def clamp(f: Filters, projects: pd.DataFrame, known_buildings: tuple[str, ...]) -> Filters:
    """`f` within what today's data allows, so a link from the past still opens: gone buildings
    dropped, the amount range cut to the slider's (0 … `amount_ceiling`; a bound at or past an
    end means none), a minimum above the largest amount lowered to it, the bounds kept in order."""
    ceiling = amount_ceiling(projects)

    def within(value: float | None) -> float | None:
        if value is None or not math.isfinite(value):
            return None
        return min(max(value, 0.0), ceiling)

    lo, hi = within(f.amount_min), within(f.amount_max)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return replace(
        f,
        buildings=tuple(b for b in f.buildings if b in set(known_buildings)),
        amount_min=None if lo is None or lo <= 0 else lo,
        amount_max=None if hi is None or hi >= ceiling else hi,
        search=f.search[:MAX_SEARCH],
    )


def describe(f: Filters, lang: str, building_names: Mapping[str, str] | None = None) -> list[str]:
    """The active filters in words (plain text, one item per filter), for the “filters active” bar."""
    names = building_names or {}
    sep = t("filters.sep", lang)
    out: list[str] = []
    if f.sectors:
        chosen = sep.join(t(f"sector.{s}", lang) for s in f.sectors)
        out.append(f"{t('filters.sector', lang)}: {chosen}")
    if f.statuses:
        chosen = sep.join(t(f"status.{s}", lang) for s in f.statuses)
        out.append(f"{t('filters.status', lang)}: {chosen}")
    if f.buildings:
        chosen = sep.join(names.get(b, b) for b in f.buildings)
        out.append(f"{t('filters.building', lang)}: {chosen}")
    if f.amount_min is not None or f.amount_max is not None:
        lo = cny_100m(f.amount_min or 0.0, lang)
        hi = t("filters.no_limit", lang) if f.amount_max is None else cny_100m(f.amount_max, lang)
        out.append(t("filters.amount_between", lang, lo=lo, hi=hi))
    if not f.undisclosed:
        out.append(t("filters.disclosed_only", lang))
    if f.search.strip():
        out.append(t("filters.search_for", lang, text=f.search.strip()))
    return out
