"""What each page shows, worked out from the data once and shared by every visitor.

Each function takes the dataset and the visitor's language (and, where a page has them, its
filters) and returns values ready to draw; pages call them through `Dataset.derived`, so the
pandas work is done for the first visitor of each data and language, not on every visit. On a
first visit it was most of the script's time (issue 14: a room of phones opening the dashboard
at once). Every text is markdown-safe (escaped) where it comes from a CSV.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from shahu.content import charts
from shahu.content.building_card import firms_growth
from shahu.content.figures import Section
from shahu.content.tables import (
    ProductCard,
    finance_institutions,
    full_dates,
    institutions_in,
    product_cards,
    project_table,
)
from shahu.core.formatting import cny_100m, md, people_10k
from shahu.core.i18n import t
from shahu.core.labels import lang_col, names_by_id
from shahu.data import aggregates
from shahu.data.dataset import Dataset
from shahu.data.filters import Filters, amount_ceiling, apply, clamp
from shahu.data.metrics import Kpi, headline, market_kpis, value_of
from shahu.data.samples import uses_samples
from shahu.data.schemas import Building, Institution, Metric, Project

FINANCE_SCALE = ("carbon_finance_scale", "carbon_fund_ambition", "green_institutions")
MARKET_FIGURES = ("wuhan_carbon_industry", "wuhan_green_loans", "cea_cumulative_turnover")


@dataclass(frozen=True)
class Users:
    """武碳江湖's users: the latest count, and the earlier one as its change (when known)."""

    label: str
    value: str
    delta: str | None


@dataclass(frozen=True)
class Finance:
    kpis: tuple[Kpi, ...]
    products: tuple[ProductCard, ...]
    market: tuple[Kpi, ...]
    market_sources: str  # each year of the market chart with its own source
    rate: float | None  # yuan of interest per kg of reductions; None: the calculator is off
    rate_kpi: Kpi | None
    users: Users | None
    specialists: int | None  # how many green-finance specialists the article counts
    institutions: dict[str, list[str]]


def finance(ds: Dataset, lang: str) -> Finance:
    metrics = ds["metrics"]
    rate = value_of(metrics, "interest_per_kg")
    users, before = (
        aggregates.series(metrics, "wutan_users"),
        value_of(metrics, "wutan_users_before"),
    )
    count = value_of(metrics, "green_institutions")
    last = None if users.empty else users.iloc[-1]
    start = None if before is None else people_10k(before, lang)  # “two years earlier”: no date
    return Finance(
        kpis=tuple(headline(metrics, lang, FINANCE_SCALE)),
        products=tuple(product_cards(ds["finance_products"], lang)),
        market=tuple(market_kpis(ds["market"], lang, MARKET_FIGURES)),
        market_sources=md(charts.market_sources(ds["market"], lang)),
        rate=rate,
        rate_kpi=next(iter(headline(metrics, lang, ("interest_per_kg",))), None),
        users=None
        if last is None
        else Users(
            label=md(last[lang_col("label", lang)]),
            value=people_10k(last[Metric.value], lang),
            delta=start and t("finance.users_delta", lang, start=start),
        ),
        specialists=None if count is None else int(count),
        institutions=finance_institutions(ds["institutions"], lang),
    )


@dataclass(frozen=True)
class SectorCard:
    """One sector's card on the sectors page: what it covers, its figures, then its lists."""

    sector: str
    heading: str
    covers: str
    figures: tuple[Kpi, ...]  # the named count, and the disclosed total when there is one
    sections: tuple[Section, ...]  # named projects (or the article's words), samples, places


def sectors(ds: Dataset, lang: str) -> tuple[SectorCard, ...]:
    projects = ds["projects"]
    names = names_by_id(ds["buildings"], Building.building_id, lang)
    none = t("card.none", lang)
    cards = []
    for view in aggregates.sector_views(projects, lang):
        mine = projects[projects[Project.sector] == view.sector]
        title = t("sectors.named", lang)
        if view.named:
            named = Section(title, tuple(view.named))
        elif view.article:
            quote = f"{t('truth.article_label', lang)}: “{view.article}”"
            named = Section(title, text=quote, note=t("truth.no_names_yet", lang))
        else:
            named = Section(title, empty=none)
        d = view.disclosure
        sections = [] if d.disclosed else [Section(note=t("truth.amount_undisclosed", lang))]
        sections.append(named)
        if view.samples:
            sections.append(Section(t("truth.sample_list", lang), tuple(view.samples)))
        places = sorted({names[b] for b in mine[Project.building_id] if b in names})
        institutions = institutions_in(ds["institutions"], view.sector, lang)
        sections += [
            Section(t("sectors.institutions", lang), tuple(institutions), empty=none),
            Section(t("sectors.buildings", lang), tuple(places), empty=none),
        ]
        named_kpi = Kpi(view.sector, t("truth.named_metric", lang), str(len(view.named)), "")
        figures = (named_kpi,)
        if d.disclosed:
            suffix = t("truth.metric_suffix", lang) if view.samples else ""
            total = Kpi(
                metric=view.sector,
                label=t("truth.disclosed_total", lang) + suffix,
                value=cny_100m(d.total, lang),
                help=aggregates.disclosure_text(d, lang),
            )
            figures += (total,)
        heading, covers = t(f"sector.{view.sector}", lang), t(f"sectors.{view.sector}.covers", lang)
        cards.append(SectorCard(view.sector, heading, covers, figures, tuple(sections)))
    return tuple(cards)


def building_ids(ds: Dataset) -> tuple[str, ...]:
    return tuple(ds["buildings"][Building.building_id])


def building_names(ds: Dataset, lang: str) -> dict[str, str]:
    """Building id → name in `lang` (shared: read it, never change it)."""
    return names_by_id(ds["buildings"], Building.building_id, lang)


def ceiling(ds: Dataset) -> float:
    """The amount filter's top (`filters.amount_ceiling`)."""
    return amount_ceiling(ds["projects"])


def clamped(ds: Dataset, f: Filters) -> Filters:
    """`f` within what this data allows (`filters.clamp`)."""
    return clamp(f, ds["projects"], ds.derived(building_ids))


def filtered(ds: Dataset, f: Filters) -> pd.DataFrame:
    """The projects that pass `f` (shared: read it, never change it)."""
    return apply(ds["projects"], f)


@dataclass(frozen=True)
class Signings:
    """The 2025-09-23 event at a glance: what is known whatever the filters."""

    kpis: tuple[Kpi, ...]
    counts: tuple[Kpi, ...]  # named in public, not named, the disclosed total
    known: aggregates.Signings
    whole: aggregates.Disclosure
    marked: bool  # sample rows are on screen: totals and titles say so
    line: str
    glance: str


def signings(ds: Dataset, lang: str) -> Signings:
    everything = ds["projects"]
    known = aggregates.signings(everything, ds["metrics"])
    whole, marked = aggregates.disclosure(everything), uses_samples(everything)
    return Signings(
        kpis=tuple(headline(ds["metrics"], lang, ("projects_signed", "carbon_investment"))),
        counts=_counts(known, whole, marked, lang),
        known=known,
        whole=whole,
        marked=marked,
        line=aggregates.signings_line(known, lang),
        glance="  \n".join(aggregates.glance(everything, lang)),
    )


def _counts(
    known: aggregates.Signings, whole: aggregates.Disclosure, marked: bool, lang: str
) -> tuple[Kpi, ...]:
    """The glance's three counts: projects named in public, not named, and the disclosed total
    (marked when sample rows are in it, or said to be undisclosed)."""
    unnamed = str(known.unnamed) if known.unnamed is not None else "—"
    total = cny_100m(whole.total, lang) if whole.disclosed else t("truth.amount_undisclosed", lang)
    suffix = t("truth.metric_suffix", lang) if marked else ""
    return (
        Kpi("named", t("truth.named_metric", lang), str(known.named), ""),
        Kpi("unnamed", t("truth.unnamed_metric", lang), unnamed, t("truth.unnamed_help", lang)),
        Kpi(
            "disclosed",
            t("truth.disclosed_total", lang) + suffix,
            total,
            t("signings.disclosed_help", lang, n=whole.disclosed, total=whole.projects),
        ),
    )


@dataclass(frozen=True)
class ProjectList:
    """The visitor's filtered projects: how many, what is disclosed, the table, which charts."""

    shown: int
    disclosure: str | None  # None when no project passes the filters
    table: pd.DataFrame
    full_dates: bool
    charts: tuple[Callable, ...]  # `charts` builders that have something to draw
    arrow: pa.Table  # `table` as `st.dataframe` sends it: converted once, not on every visit


def project_list(ds: Dataset, lang: str, f: Filters, links: tuple) -> ProjectList:
    projects = ds.derived(filtered, f)
    d = aggregates.disclosure(projects)
    builds: tuple[Callable, ...] = ()
    if not projects.empty:
        builds = (charts.sector_counts,)
        if d.disclosed:
            builds += (charts.sector_amounts, charts.ranked)
        if aggregates.signing_dates(projects) > 1:
            builds += (charts.over_time,)
    table = project_table(projects, ds["buildings"], lang, dict(links))
    return ProjectList(
        shown=len(projects),
        disclosure=None if projects.empty else aggregates.disclosure_text(d, lang),
        table=table,
        full_dates=full_dates(projects),
        charts=builds,
        arrow=pa.Table.from_pandas(table, preserve_index=False),
    )


@dataclass(frozen=True)
class Overview:
    kpis: tuple[Kpi, ...]
    growth: str | None  # 碳汇大厦's firms over time, when market.csv has two counts or more


def overview(ds: Dataset, lang: str) -> Overview:
    growth = firms_growth(ds.tables.get("market"), "tanhui", lang)
    return Overview(tuple(headline(ds["metrics"], lang)), growth)


@dataclass(frozen=True)
class MapPage:
    counts: str  # what the map shows, and how many filtered projects it cannot place
    names: dict[str, str]  # building id → name, for the building picker


def map_page(ds: Dataset, lang: str, f: Filters) -> MapPage:
    return MapPage(map_counts(ds, ds.derived(filtered, f), lang), ds.derived(building_names, lang))


def map_counts(ds: Dataset, projects: pd.DataFrame, lang: str) -> str:
    """What the map shows, and how many (filtered) projects it cannot place."""
    unmapped = int(projects[Project.lat].isna().sum())
    shown = t(
        "map.counts",
        lang,
        b=len(ds["buildings"]),
        p=len(projects) - unmapped,
        i=int(ds["institutions"][Institution.lat].notna().sum()),
    )
    return f"{shown} · {t('map.unmapped', lang, n=unmapped)}"
