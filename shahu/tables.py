"""Tables as the pages show and export them: translated labels, formatted amounts, map links."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

from shahu.cards import name_col
from shahu.formatting import cny_100m
from shahu.i18n import t
from shahu.schemas import Building, Institution, Project

PROVENANCE_MARK = {"reported": "●", "estimated": "◐", "illustrative": "○"}


def building_link(building_id: str, name: str, lang: str) -> str:
    """A link that opens the map page on this building's card; the name after # is the label."""
    return f"/map?{urlencode({'building': building_id, 'lang': lang})}#{name}"


def project_table(projects: pd.DataFrame, buildings: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per project, ready for st.dataframe (amounts as text so 未披露 shows as such)."""
    names = dict(zip(buildings[Building.building_id], buildings[name_col(lang)], strict=True))
    return pd.DataFrame(
        {
            "name": projects[name_col(lang)],
            "sector": projects[Project.sector].map(lambda s: t(f"sector.{s}", lang)),
            "company": projects[Project.company].replace("", t("fmt.undisclosed", lang)),
            "amount": projects[Project.amount_cny_100m].map(lambda v: cny_100m(v, lang)),
            "signed_on": pd.to_datetime(projects[Project.signed_on], errors="coerce"),
            "status": projects[Project.status].map(lambda s: t(f"status.{s}", lang)),
            "building": [
                building_link(b, names[b], lang) if b in names else ""
                for b in projects[Project.building_id]
            ],
            "provenance": projects[Project.provenance].map(
                lambda p: f"{PROVENANCE_MARK.get(p, '')} {t(f'provenance.{p}', lang)}"
            ),
            "source": projects[Project.source],
        }
    ).reset_index(drop=True)


def export_table(projects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The filtered projects for download: the CSV contract's columns plus translated labels."""
    out = projects.drop(columns=[c for c in (Project.lat, Project.lon) if c in projects]).copy()
    out.insert(4, "sector_label", out[Project.sector].map(lambda s: t(f"sector.{s}", lang)))
    out["amount_label"] = out[Project.amount_cny_100m].map(lambda v: cny_100m(v, lang))
    return out.reset_index(drop=True)


def institutions_in(institutions: pd.DataFrame, sector: str, lang: str) -> list[str]:
    rows = institutions[institutions[Institution.sector] == sector]
    return [
        name if prov == "reported" else f"{name} ({t(f'provenance.{prov}', lang)})"
        for name, prov in zip(rows[name_col(lang)], rows[Institution.provenance], strict=True)
    ]
