"""What each page shows, from the dataset, the language (and filters), ready to draw: pages call it
through `Dataset.derived`, so the pandas work is done once per data, not per visit (see
docs/PERFORMANCE.md item 6). Text from a CSV comes escaped for markdown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from shahu.content import charts, events
from shahu.content.building_card import firms_growth
from shahu.content.markup import Section, md
from shahu.content.tables import (
    ProductTile,
    finance_institutions,
    full_dates,
    institutions_in,
    product_tiles,
    project_table,
)
from shahu.core.formatting import cny_100m, people_10k
from shahu.core.i18n import t
from shahu.core.labels import lang_col, names_by_id
from shahu.data import aggregates
from shahu.data.dataset import Dataset
from shahu.data.filters import Filters, amount_ceiling, apply, clamp
from shahu.data.metrics import Kpi, headline, market_kpis, value_of
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
    products: tuple[ProductTile, ...]
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
        products=tuple(product_tiles(ds["finance_products"], lang)),
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
class SectorSummary:
    """One sector's card on the sectors page: what it covers, its figures, then its lists."""

    sector: str
    heading: str
    covers: str
    figures: tuple[Kpi, ...]  # the named count, and the disclosed total when there is one
    sections: tuple[Section, ...]  # named projects (or the article's words), samples, places


def sectors(ds: Dataset, lang: str) -> tuple[SectorSummary, ...]:
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
        cards.append(SectorSummary(view.sector, heading, covers, figures, tuple(sections)))
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
    lede: str  # the newest reported event in one line (events.csv)
    kpis: tuple[Kpi, ...]  # that event's figures first, then metrics.csv's
    growth: str | None  # 碳汇大厦's firms over time, when market.csv has two counts or more


def overview(ds: Dataset, lang: str) -> Overview:
    growth = firms_growth(ds.tables.get("market"), "tanhui", lang)
    event = events.newest(ds["events"])
    figures = events.kpis(event, lang) + tuple(headline(ds["metrics"], lang))
    return Overview(events.lede(event, lang), figures, growth)


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
