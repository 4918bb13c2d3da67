"""The line a printed page ends with: where the figures come from, and the date they are as of.

The date is derived from the data, not the clock: the newest `as_of` among the reported rows of
metrics.csv, i.e. the date the newest headline figure describes (a staff refresh that adds a
newer figure moves it forward; a file merely copied does not).
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from shahu.core.formatting import date_label
from shahu.core.i18n import t
from shahu.data.dataset import Dataset
from shahu.data.schemas import Metric

REPORTED = "reported"


def figures_as_of(metrics: pd.DataFrame) -> str | None:
    """The newest `as_of` (ISO, possibly partial) among reported metrics; None if there are none."""
    reported = metrics[metrics[Metric.provenance] == REPORTED]
    dates = [str(d) for d in reported[Metric.as_of] if str(d)]
    return max(dates, default=None)  # ISO dates, full or partial, sort as text


def main_source(metrics: pd.DataFrame) -> str | None:
    """The source most reported metrics cite (e.g. 长江日报 2025-09)."""
    reported = metrics[metrics[Metric.provenance] == REPORTED]
    counts = Counter(str(s) for s in reported[Metric.source] if str(s))
    return counts.most_common(1)[0][0] if counts else None


def footer_text(ds: Dataset, lang: str) -> str:
    """The print footer's text (plain; escape before it reaches HTML)."""
    metrics = ds["metrics"]
    as_of = figures_as_of(metrics)
    return t(
        "print.source",
        lang,
        source=main_source(metrics) or t("fmt.undisclosed", lang),
        as_of=date_label(as_of, lang) if as_of else t("fmt.undisclosed", lang),
    )
