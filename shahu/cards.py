"""What a building's card says: role, firms, projects landing there, position accuracy, source.

Plain data, rendered by the map page (Streamlit widgets) and the map popups (escaped HTML).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shahu.data import Dataset
from shahu.formatting import cny_100m, is_missing
from shahu.i18n import t
from shahu.schemas import Building, Institution, Project


@dataclass(frozen=True)
class Card:
    """A building card in one language; every string is plain text (escape before HTML)."""

    building_id: str
    name: str
    role: str
    address: str
    firms: str | None
    institutions: tuple[str, ...]
    projects: tuple[str, ...]
    accuracy: str
    provenance: str
    source: str


def name_col(lang: str) -> str:
    return "name_en" if lang == "en" else "name_zh"


def building_card(ds: Dataset, building_id: str, lang: str) -> Card | None:
    """The card for `building_id`, or None if there is no such building."""
    buildings = ds["buildings"]
    rows = buildings[buildings[Building.building_id] == building_id]
    if rows.empty:
        return None
    row = rows.iloc[0]
    name = name_col(lang)
    insts = ds["institutions"]
    here = insts[insts[Institution.building_id] == building_id]
    projects = ds["projects"]
    landing = projects[projects[Project.building_id] == building_id]
    role = row[Building.role_en] if lang == "en" else row[Building.role_zh]
    accuracy = row[Building.position_accuracy_m]
    return Card(
        building_id=building_id,
        name=row[name],
        role=role or "",
        address=row[Building.address_zh],
        firms=None
        if is_missing(row[Building.firms_count])
        else t("card.firms_count", lang, n=int(row[Building.firms_count])),
        institutions=tuple(_labelled(here, name, lang)),
        projects=tuple(
            f"{label} · {cny_100m(amount, lang)}"
            for label, amount in zip(
                _labelled(landing, name, lang), landing[Project.amount_cny_100m], strict=True
            )
        ),
        accuracy=t("card.accuracy_unknown", lang)
        if is_missing(accuracy)
        else t("card.accuracy", lang, m=int(accuracy)),
        provenance=t(f"provenance.{row[Building.provenance]}", lang),
        source=row[Building.source],
    )


def _labelled(frame: pd.DataFrame, name: str, lang: str) -> list[str]:
    """Names, with a provenance tag on anything not reported."""
    out = []
    for label, prov in zip(frame[name], frame[Project.provenance], strict=True):
        tag = "" if prov == "reported" else f" ({t(f'provenance.{prov}', lang)})"
        out.append(f"{label}{tag}")
    return out
