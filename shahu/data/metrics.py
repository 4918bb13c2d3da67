"""Headline figures from metrics.csv: the latest value of each metric, formatted with its source."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shahu.core.formatting import date_label, metric_value
from shahu.core.i18n import t
from shahu.core.labels import lang_col, localized, provenance_label
from shahu.data.aggregates import series
from shahu.data.schemas import Market, Metric

# After the newest event's own two figures (events.csv), which lead the overview.
OVERVIEW = (
    "carbon_firms",
    "carbon_firms_revenue",
    "tanhui_firms",
    "belt_area",
    "registry_firms",
    "alliance_members",
)


@dataclass(frozen=True)
class Kpi:
    """One headline figure as displayed: label, value, and where it comes from (`help`: the line
    under the figure)."""

    metric: str
    label: str
    value: str
    help: str


def latest(metrics: pd.DataFrame) -> pd.DataFrame:
    """The most recent row of every metric (`as_of` sorts as text: 2025-09 < 2025-09-23)."""
    return metrics.sort_values(Metric.as_of).groupby(Metric.metric, sort=False).tail(1)


def kpi(row: pd.Series, lang: str) -> Kpi:
    """A row of metrics.csv (or of market.csv: `series`/`period` in place of `metric`/`as_of`)."""
    label = row[lang_col("label", lang)]
    key = row[Metric.metric] if Metric.metric in row else row[Market.series]
    when = row[Metric.as_of] if Metric.as_of in row else row[Market.period]
    return Kpi(
        metric=key,
        label=label,
        value=metric_value(row[Metric.value], row[Metric.unit], row[Metric.qualifier], lang),
        help=t(
            "kpi.help",
            lang,
            source=localized(row, Metric.source, lang),
            as_of=date_label(when, lang),
            provenance=provenance_label(row[Metric.provenance], lang),
        ),
    )


def headline(metrics: pd.DataFrame, lang: str, keys: tuple[str, ...] = OVERVIEW) -> list[Kpi]:
    """KPIs for `keys`, in that order; metrics missing from the table are skipped."""
    rows = latest(metrics).set_index(Metric.metric, drop=False)
    return [kpi(rows.loc[key], lang) for key in keys if key in rows.index]


def value_of(metrics: pd.DataFrame, key: str) -> float | None:
    """The latest value of one metric, or None if the table lacks it."""
    rows = series(latest(metrics), key)
    return None if rows.empty else float(rows[Metric.value].iloc[0])


def market_kpis(market: pd.DataFrame, lang: str, keys: tuple[str, ...]) -> list[Kpi]:
    """The latest row of each market.csv series in `keys`, as headline figures."""
    rows = market.sort_values(Market.period).groupby(Market.series, sort=False).tail(1)
    rows = rows.set_index(Market.series, drop=False)
    return [kpi(rows.loc[key], lang) for key in keys if key in rows.index]
