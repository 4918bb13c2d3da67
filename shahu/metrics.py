"""Headline figures from metrics.csv: the latest value of each metric, formatted with its source."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shahu.aggregates import series
from shahu.formatting import date_label, metric_value
from shahu.i18n import t
from shahu.labels import lang_col, provenance_label
from shahu.schemas import Metric

OVERVIEW = (
    "projects_signed",
    "carbon_investment",
    "carbon_firms",
    "carbon_firms_revenue",
    "tanhui_firms",
    "belt_area",
    "registry_firms",
    "alliance_members",
)


@dataclass(frozen=True)
class Kpi:
    """One headline figure as displayed: label, value, and where it comes from (for hover)."""

    metric: str
    label: str
    value: str
    help: str


def latest(metrics: pd.DataFrame) -> pd.DataFrame:
    """The most recent row of every metric (`as_of` sorts as text: 2025-09 < 2025-09-23)."""
    return metrics.sort_values(Metric.as_of).groupby(Metric.metric, sort=False).tail(1)


def kpi(row: pd.Series, lang: str) -> Kpi:
    label = row[lang_col("label", lang)]
    return Kpi(
        metric=row[Metric.metric],
        label=label,
        value=metric_value(row[Metric.value], row[Metric.unit], row[Metric.qualifier], lang),
        help=t(
            "kpi.help",
            lang,
            source=row[Metric.source],
            as_of=date_label(row[Metric.as_of], lang),
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
