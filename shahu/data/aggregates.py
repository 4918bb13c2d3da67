"""Counts, sums and shares of projects, with undisclosed amounts kept apart (never counted as 0)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shahu.core.formatting import cny_100m
from shahu.core.i18n import CATALOGUE, t, tn
from shahu.core.labels import provenance_label
from shahu.data.samples import is_sample
from shahu.data.schemas import PROJECT_STATUSES, PROVENANCES, SECTORS, Market, Metric, Project


@dataclass(frozen=True)
class Disclosure:
    """How much of a set of projects has a known amount."""

    projects: int
    disclosed: int
    total: float | None  # sum of disclosed amounts in 亿元; None when nothing is disclosed

    @property
    def undisclosed(self) -> int:
        return self.projects - self.disclosed


def disclosure(projects: pd.DataFrame) -> Disclosure:
    amounts = projects[Project.amount_cny_100m]
    known = int(amounts.notna().sum())
    return Disclosure(len(projects), known, float(amounts.sum()) if known else None)


def by_sector(projects: pd.DataFrame) -> pd.DataFrame:
    """One row per sector (all three, even if empty): projects, disclosed, total, shares."""
    rows = []
    for sector in SECTORS:
        d = disclosure(projects[projects[Project.sector] == sector])
        rows.append(
            {"sector": sector, "projects": d.projects, "disclosed": d.disclosed, "total": d.total}
        )
    frame = pd.DataFrame(rows)
    count = frame["projects"].sum()
    amount = frame["total"].fillna(0).sum()
    frame["project_share"] = frame["projects"] / count if count else 0.0
    frame["amount_share"] = frame["total"].fillna(0) / amount if amount else 0.0
    return frame


def by_status(projects: pd.DataFrame) -> dict[str, int]:
    counts = projects[Project.status].value_counts()
    return {status: int(counts.get(status, 0)) for status in PROJECT_STATUSES}


def by_provenance(projects: pd.DataFrame) -> dict[str, int]:
    """Rows per provenance, in the fixed order reported → estimated → illustrative, zeros left out."""
    counts = projects[Project.provenance].value_counts()
    return {p: int(counts[p]) for p in PROVENANCES if counts.get(p, 0)}


def disclosure_text(d: Disclosure, lang: str) -> str:
    """“Disclosed total X across N of M projects; K undisclosed (not counted as 0)”, in words."""
    if d.projects == 0:
        return t("agg.no_projects", lang)
    if d.disclosed == 0:
        return tn("agg.none_disclosed", lang, d.projects)
    key = "agg.disclosed_all" if d.undisclosed == 0 else "agg.disclosed_some"
    return tn(
        key,
        lang,
        d.disclosed,
        total=cny_100m(d.total, lang),
        of=d.projects,
        missing=d.undisclosed,
    )


def glance(projects: pd.DataFrame, lang: str) -> list[str]:
    """Counts by sector, by status and by provenance: one markdown line each, labels translated."""
    sectors = by_sector(projects).set_index("sector")["projects"]
    groups = {
        t("agg.by_sector", lang): {t(f"sector.{s}", lang): n for s, n in sectors.items()},
        t("agg.by_status", lang): {
            t(f"status.{s}", lang): n for s, n in by_status(projects).items()
        },
        t("agg.by_provenance", lang): {
            provenance_label(p, lang): n for p, n in by_provenance(projects).items()
        },
    }
    return [
        f"{label}: " + " · ".join(f"{name} **{int(n)}**" for name, n in counts.items())
        for label, counts in groups.items()
    ]


def by_date_and_sector(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects signed per date (rows, oldest first) and sector (columns, all three)."""
    table = pd.crosstab(projects[Project.signed_on], projects[Project.sector])
    return table.reindex(columns=list(SECTORS), fill_value=0).sort_index()


def series(metrics: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Every row of one metric, oldest first."""
    return metrics[metrics[Metric.metric] == metric].sort_values(Metric.as_of)


def signing_dates(projects: pd.DataFrame) -> int:
    """How many distinct signing dates: a chart “over time” needs at least two."""
    return int(projects[Project.signed_on].nunique())


def reported(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame[Project.provenance] == "reported"]


@dataclass(frozen=True)
class Signings:
    """The signings as far as they are known: how many were signed (the event's row), how many
    have a published name (reported rows), and how many sample rows are shown beside them."""

    signed: int | None
    named: int
    samples: int

    @property
    def unnamed(self) -> int | None:
        return None if self.signed is None else max(self.signed - self.named, 0)


def signings(projects: pd.DataFrame, signed: float | None) -> Signings:
    """`projects`: one event's; `signed`: its `projects_signed` (None or NaN: not reported)."""
    known = None if signed is None or pd.isna(signed) else int(signed)
    return Signings(known, len(reported(projects)), int(is_sample(projects).sum()))


def signings_line(s: Signings, lang: str) -> str:
    """“23 个项目签约 · 5 个已公开名称 · 18 个名称未见报道” (only what is known)."""
    parts = []
    if s.signed is not None:
        parts.append(tn("truth.signed_n", lang, s.signed))
    parts.append(tn("truth.named_n", lang, s.named))
    if s.unnamed:
        parts.append(tn("truth.unnamed_n", lang, s.unnamed))
    if s.samples:
        parts.append(tn("truth.samples_n", lang, s.samples))
    return " · ".join(parts)


@dataclass(frozen=True)
class SectorView:
    """What is known of one sector: its named (reported) projects, the article's own words
    where it names none, and the sample rows shown (0 with samples off)."""

    sector: str
    named: tuple[str, ...]
    article: str
    samples: tuple[str, ...]
    disclosure: Disclosure


def sector_views(projects: pd.DataFrame, lang: str) -> list[SectorView]:
    name = "name_en" if lang == "en" else "name_zh"
    views = []
    for sector in SECTORS:
        mine = projects[projects[Project.sector] == sector]
        key = f"truth.article.{sector}"
        views.append(
            SectorView(
                sector=sector,
                named=tuple(reported(mine)[name]),
                article=t(key, lang) if key in CATALOGUE else "",
                samples=tuple(mine[is_sample(mine)][name]),
                disclosure=disclosure(mine),
            )
        )
    return views


def market_series(market: pd.DataFrame, series: str) -> pd.DataFrame:
    """Every row of one market series, oldest first."""
    return market[market[Market.series] == series].sort_values(Market.period)
