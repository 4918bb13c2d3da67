"""The line a printed page ends with: where the figures come from, the date they are as of (the
newest `as_of` among metrics.csv's reported rows, or the newest reported event's day: not the
clock, so a file merely copied does not move it), and the event the headline figures are from."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from shahu.content import events
from shahu.core.formatting import date_label
from shahu.core.i18n import t
from shahu.data.dataset import Dataset
from shahu.data.schemas import Event, Metric

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


def data_as_of(ds: Dataset) -> str | None:
    """The newest day of the reported figures: metrics.csv's `as_of`, or the newest reported
    event's `held_on` (its own two headline figures live in events.csv)."""
    event, days = events.newest(ds["events"]), [figures_as_of(ds["metrics"])]
    if event is not None and event[Event.provenance] == REPORTED:
        days.append(str(event[Event.held_on]))
    return max((d for d in days if d), default=None)


def footer_text(ds: Dataset, lang: str) -> str:
    """The print footer's text (plain; escape before it reaches HTML)."""
    metrics, event = ds["metrics"], events.newest(ds["events"])
    columns = [Metric.provenance, Metric.source]
    cited = pd.concat([metrics[columns], ds["events"][columns]])
    as_of = data_as_of(ds)
    text = t(
        "print.source",
        lang,
        source=main_source(cited) or t("fmt.undisclosed", lang),
        as_of=date_label(as_of, lang) if as_of else t("fmt.undisclosed", lang),
    )
    if event is None:
        return text
    return text + t("print.event", lang, event=events.line(event, lang))
