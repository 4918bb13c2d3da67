"""Tables as the pages show and export them: translated labels, amounts, map links, product tiles."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from shahu.content.charts import amount_scale
from shahu.content.markup import md
from shahu.core.formatting import cny_100m, date_label, is_missing
from shahu.core.i18n import t
from shahu.core.labels import lang_col, localized, names_by_id, provenance_label, tagged
from shahu.data.schemas import Building, FinanceProduct, Institution, Project


def building_link(building_id: str, name: str, lang: str, params: dict | None = None) -> str:
    """A link that opens the map page on this building's card; the name after # is the label."""
    query = {"building": building_id, "lang": lang, **(params or {})}
    return f"/map?{urlencode(query)}#{name}"


def full_dates(projects: pd.DataFrame) -> bool:
    """True when every signing date has a day (2025-09-23), so a date column shows no invented day."""
    return bool(projects[Project.signed_on].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all())


def project_table(
    projects: pd.DataFrame, buildings: pd.DataFrame, lang: str, params: dict | None = None
) -> pd.DataFrame:
    """One row per project for st.dataframe: missing values stay missing (shown as 未披露 /
    undisclosed), amounts are numbers in the chart unit so they sort, and building links carry
    the visitor's filters (`params`), so the map opens on the same view."""
    names = names_by_id(buildings, Building.building_id, lang)
    dates = projects[Project.signed_on]
    rows = projects.to_dict("records")
    return pd.DataFrame(
        {
            "name": projects[lang_col("name", lang)],
            "sector": projects[Project.sector].map(lambda s: [s]),
            "company": pd.Series(
                [localized(r, Project.company, lang) or None for r in rows],
                index=projects.index,
                dtype=object,
            ),
            # rounded: 0.6 亿元 is CNY 0.06 bn, not the 0.06000000000000001 of float arithmetic
            "amount": (projects[Project.amount_cny_100m] * amount_scale(lang)).round(6),
            "signed_on": pd.to_datetime(dates, format="%Y-%m-%d", errors="coerce")
            if full_dates(projects)
            else dates,
            "status": projects[Project.status].map(lambda s: t(f"status.{s}", lang)),
            "building": [
                building_link(b, names[b], lang, params) if b in names else None
                for b in projects[Project.building_id]
            ],
            "provenance": projects[Project.provenance].map(lambda p: [p]),
            "source": pd.Series(
                [localized(r, Project.source, lang) for r in rows],
                index=projects.index,
                dtype=object,
            ),
        }
    ).reset_index(drop=True)


def export_table(
    projects: pd.DataFrame, lang: str, buildings: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The filtered projects for download: the CSV contract's columns plus translated labels;
    `amount_cny_100m` stays empty where undisclosed, `amount_label` says 未披露 / undisclosed."""
    out = projects.drop(columns=[c for c in (Project.lat, Project.lon) if c in projects]).copy()
    out.insert(4, "sector_label", out[Project.sector].map(lambda s: t(f"sector.{s}", lang)))
    out["amount_label"] = out[Project.amount_cny_100m].map(lambda v: cny_100m(v, lang))
    if buildings is not None:
        names = names_by_id(buildings, Building.building_id, lang)
        out["building_name"] = out[Project.building_id].map(lambda b: names.get(b, ""))
    out["provenance_label"] = out[Project.provenance].map(lambda p: provenance_label(p, lang))
    return out.reset_index(drop=True)


def institutions_in(institutions: pd.DataFrame, sector: str, lang: str) -> list[str]:
    rows = institutions[institutions[Institution.sector] == sector]
    return [
        tagged(name, prov, lang)
        for name, prov in zip(
            rows[lang_col("name", lang)], rows[Institution.provenance], strict=True
        )
    ]


@dataclass(frozen=True)
class ProductTile:
    """One finance product as its card shows it (plain text: `markup.product_grid` escapes it)."""

    title: str
    meta: str
    body: str
    details: tuple[str, ...]
    provenance: str


def product_tiles(products: pd.DataFrame, lang: str) -> list[ProductTile]:
    """Kind, launch date, provider and scale where known, description and source per product."""
    body_col = lang_col("description", lang)
    cards = []
    for p in products.to_dict("records"):
        launched = p[FinanceProduct.launched_on]
        when = (
            t("finance.launched", lang, date=date_label(launched, lang))
            if launched
            else t("finance.launch_unknown", lang)
        )
        details = [t("finance.source", lang, source=localized(p, FinanceProduct.source, lang))]
        if provider := localized(p, FinanceProduct.provider, lang):
            details.insert(0, t("finance.provider", lang, provider=provider))
        scale = p.get(FinanceProduct.scale_cny_100m)
        if not is_missing(scale):
            details.insert(0, t("finance.scale", lang, scale=cny_100m(scale, lang)))
        cards.append(
            ProductTile(
                title=p[lang_col("name", lang)],
                meta=f"{t('kind.' + p[FinanceProduct.kind], lang)} · {when}",
                body=p[body_col],
                details=tuple(details),
                provenance=p[FinanceProduct.provenance],
            )
        )
    return cards


FINANCE_CATEGORIES = ("registry", "exchange", "bank")


def finance_institutions(institutions: pd.DataFrame, lang: str) -> dict[str, list[str]]:
    """The four 武碳 platforms and the financial institutions, as markdown-safe lines."""

    def lines(rows: pd.DataFrame) -> list[str]:
        return [
            md(tagged(name, prov, lang))
            for name, prov in zip(
                rows[lang_col("name", lang)], rows[Institution.provenance], strict=True
            )
        ]

    category = institutions[Institution.category]
    return {
        "platforms": lines(institutions[category == "platform"]),
        "institutions": lines(institutions[category.isin(FINANCE_CATEGORIES)]),
    }
