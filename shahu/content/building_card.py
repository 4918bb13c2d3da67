"""What a building's card says: role, firms, projects landing there, position accuracy, source;
plain data, drawn by the map page and by the map's popups."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shahu.core.formatting import cny_100m, date_label, is_missing
from shahu.core.i18n import t
from shahu.core.labels import lang_col, provenance_label, tagged
from shahu.data.dataset import Dataset
from shahu.data.schemas import Building, Institution, Market, Project


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
    growth: str | None = None  # e.g. 72 firms in Mar 2025 → 94 in Sep 2025 (market.csv)


def firms_growth(market: pd.DataFrame | None, building_id: str, lang: str) -> str | None:
    """The building's firm counts from market.csv (series `<building_id>_firms`), None under two
    points: e.g. “碳汇大厦内企业和机构：2025年3月 72 家 → 2025年9月 94 家”. Points counting different
    things each say what they count, with no arrow between (that difference is no reported growth)."""
    if market is None or market.empty:
        return None
    rows = market[market[Market.series] == f"{building_id}_firms"].sort_values(Market.period)
    if len(rows) < 2:
        return None
    labels = rows[lang_col("label", lang)]
    points = zip(rows[Market.period], rows[Market.value], labels, strict=True)
    if labels.nunique() == 1:
        series = " → ".join(
            t("card.growth_point", lang, when=date_label(p, lang), n=int(v)) for p, v, _ in points
        )
        return f"{labels.iloc[0]}{t('fmt.colon', lang)}{series}"
    return " · ".join(
        t("card.count_point", lang, when=date_label(p, lang), what=what, n=int(v))
        for p, v, what in points
    )


ROUGH_M = 1000  # a position this uncertain is only the district: the card says so


def building_card(ds: Dataset, building_id: str, lang: str) -> Card | None:
    """The card for `building_id`, or None if there is no such building."""
    buildings = ds["buildings"]
    rows = buildings[buildings[Building.building_id] == building_id]
    if rows.empty:
        return None
    insts, projects = ds["institutions"], ds["projects"]
    return _card(
        rows.iloc[0],
        insts[insts[Institution.building_id] == building_id],
        projects[projects[Project.building_id] == building_id],
        lang,
        firms_growth(ds.tables.get("market"), building_id, lang),
    )


def building_cards(ds: Dataset, lang: str) -> dict[str, Card]:
    """Every building's card, in one pass over the tables (the map needs them all)."""
    insts = dict(iter(ds["institutions"].groupby(Institution.building_id)))
    projects = dict(iter(ds["projects"].groupby(Project.building_id)))
    empty_i, empty_p = ds["institutions"].iloc[0:0], ds["projects"].iloc[0:0]
    return {
        row[Building.building_id]: _card(
            row,
            insts.get(row[Building.building_id], empty_i),
            projects.get(row[Building.building_id], empty_p),
            lang,
            firms_growth(ds.tables.get("market"), row[Building.building_id], lang),
        )
        for _, row in ds["buildings"].iterrows()
    }


def _card(
    row: pd.Series, here: pd.DataFrame, landing: pd.DataFrame, lang: str, growth: str | None
) -> Card:
    name = lang_col("name", lang)
    role = row[lang_col("role", lang)]
    accuracy = row[Building.position_accuracy_m]
    return Card(
        building_id=row[Building.building_id],
        name=row[name],
        role=role or "",
        address=_text_in(row, Building.address_en, Building.address_zh, lang),
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
        else t(
            "card.accuracy_rough" if accuracy >= ROUGH_M else "card.accuracy", lang, m=int(accuracy)
        ),
        provenance=provenance_label(row[Building.provenance], lang),
        source=_text_in(row, Building.source_en, Building.source, lang),
        growth=growth,
    )


def _text_in(row: pd.Series, en: str, zh: str, lang: str) -> str:
    """The English column in English when the file has it filled, else the Chinese one."""
    value = row.get(en)
    return str(value) if lang == "en" and not is_missing(value) and str(value).strip() else row[zh]


def _labelled(frame: pd.DataFrame, name: str, lang: str) -> list[str]:
    """Names, with a provenance tag on anything not reported."""
    return [
        tagged(label, prov, lang)
        for label, prov in zip(frame[name], frame[Project.provenance], strict=True)
    ]
