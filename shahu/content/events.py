"""Investment events (events.csv) as the pages tell them: the newest reported one, one event's
glance (signed · named · not named · disclosed amount), the timeline, and the lines naming an
event on the overview, in the tour, the brief and the print footer."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from shahu.core.formatting import cny_100m, count, date_label, long_date, metric_value
from shahu.core.i18n import t, tn
from shahu.core.labels import lang_col, localized, provenance_label
from shahu.data import aggregates
from shahu.data.dataset import Dataset
from shahu.data.metrics import Kpi
from shahu.data.samples import uses_samples
from shahu.data.schemas import Event, Project

PARAM = "event"  # the link's parameter naming the chosen event
QUALIFIERS = {"超": "more_than", "约": "about"}  # the reported wording → `metric_value`'s
REPORTED = "reported"


def newest_first(events: pd.DataFrame) -> pd.DataFrame:
    """Events newest first (ISO dates, full or partial, sort as text; on a tie the later row)."""
    return events.iloc[::-1].sort_values(Event.held_on, ascending=False, kind="stable")


def newest(events: pd.DataFrame) -> pd.Series | None:
    """The newest reported event (the newest of any when none is reported); None: no event."""
    ordered = newest_first(events)
    reported = ordered[ordered[Event.provenance] == REPORTED]
    shown = reported if len(reported) else ordered
    return None if shown.empty else shown.iloc[0]


def event_ids(ds: Dataset) -> tuple[str, ...]:
    """Every event's id, newest first."""
    return tuple(newest_first(ds["events"])[Event.event_id])


def chosen(ds: Dataset, wanted: str | None = None) -> pd.Series | None:
    """The event `wanted` names (a link's `?event=`) if there is one, else the newest reported."""
    events = ds["events"]
    match = events[events[Event.event_id] == wanted]
    return match.iloc[0] if len(match) else newest(events)


def _words(event: pd.Series, lang: str) -> dict[str, str]:
    """When, where and which event, in `lang`: a line's `date`, `place` and `title`."""
    return {
        "date": long_date(event[Event.held_on], lang),
        "place": str(event[lang_col("place", lang)]),
        "title": str(event[lang_col("title", lang)]),
    }


def _signed(event: pd.Series) -> int | None:
    value = event[Event.projects_signed]
    return None if pd.isna(value) else int(value)


def amount(event: pd.Series, lang: str) -> str | None:
    """The event's amount as reported (超67亿元 / over CNY 6.7 bn); None when not reported."""
    value = event[Event.amount_cny_100m]
    if pd.isna(value):
        return None
    qualifier = QUALIFIERS.get(event[Event.amount_qualifier], "")
    return metric_value(value, "cny_100m", qualifier, lang)


def line(event: pd.Series, lang: str) -> str:
    """“2025年9月23日 · 上海 · 〈title〉”: the event under the signings page's title."""
    return t("signings.event_line", lang, **_words(event, lang))


def lede(event: pd.Series | None, lang: str) -> str:
    """The overview's opening line: when, where, which event, how many projects signed."""
    if event is None:
        return ""
    words = _words(event, lang)
    signed = _signed(event)
    if signed is None:
        return t("overview.event_lede_uncounted", lang, **words)
    return tn("overview.event_lede", lang, signed, count=count(signed, lang), **words)


def kpis(event: pd.Series | None, lang: str) -> tuple[Kpi, ...]:
    """The event's headline figures: projects signed, the investment expected (when reported)."""
    if event is None:
        return ()
    help_ = t(
        "kpi.help",
        lang,
        source=localized(event, Event.source, lang),
        as_of=date_label(event[Event.held_on], lang),
        provenance=provenance_label(event[Event.provenance], lang),
    )
    figures = []
    if (signed := _signed(event)) is not None:
        value = metric_value(signed, "projects", "", lang)
        figures.append(Kpi("projects_signed", t("event.signed", lang), value, help_))
    if (expected := amount(event, lang)) is not None:
        figures.append(Kpi("carbon_investment", t("event.amount", lang), expected, help_))
    return tuple(figures)


def sectors_lede(ds: Dataset, lang: str) -> str:
    """The sectors page's line: how many projects the reported events signed, in all."""
    events = ds["events"]
    signed = events[events[Event.provenance] == REPORTED][Event.projects_signed].dropna()
    if signed.empty:
        return t("sectors.lede_uncounted", lang)
    total = int(signed.sum())
    return tn("sectors.lede", lang, total, count=count(total, lang))


def projects_of(projects: pd.DataFrame, event_id: str) -> pd.DataFrame:
    """The projects signed at one event (`projects.event_id`)."""
    return projects[projects[Project.event_id] == event_id]


@dataclass(frozen=True)
class Glance:
    """One event at a glance: what is known of its signings whatever the filters."""

    event_id: str | None
    line: str  # when, where, which event
    kpis: tuple[Kpi, ...]
    counts: tuple[Kpi, ...]  # named in public, not named, the disclosed total
    known: aggregates.Signings
    whole: aggregates.Disclosure
    marked: bool  # sample rows are on screen: totals and titles say so
    summary: str  # “23 个项目签约 · 5 个已公开名称 · …”
    glance: str  # counts by sector, status and provenance (markdown)
    note: str  # under the figures: why there is no total, or what the total is made of


def glance(ds: Dataset, lang: str, wanted: str | None = None) -> Glance:
    """The glance for the event `wanted` names (else the newest reported one)."""
    event = chosen(ds, wanted)
    event_id = None if event is None else str(event[Event.event_id])
    mine = projects_of(ds["projects"], event_id) if event_id else ds["projects"].iloc[0:0]
    known = aggregates.signings(mine, None if event is None else _signed(event))
    whole, marked = aggregates.disclosure(mine), uses_samples(mine)
    return Glance(
        event_id=event_id,
        line="" if event is None else line(event, lang),
        kpis=kpis(event, lang),
        counts=_counts(known, whole, marked, event, lang),
        known=known,
        whole=whole,
        marked=marked,
        summary=aggregates.signings_line(known, lang),
        glance="  \n".join(aggregates.glance(mine, lang)),
        note=_note(whole, marked, event, lang),
    )


def _counts(
    known: aggregates.Signings,
    whole: aggregates.Disclosure,
    marked: bool,
    event: pd.Series | None,
    lang: str,
) -> tuple[Kpi, ...]:
    """The glance's three counts: projects named in public, not named, and the disclosed total
    (marked when sample rows are in it, or said to be undisclosed)."""
    unnamed = str(known.unnamed) if known.unnamed is not None else "—"
    total = cny_100m(whole.total, lang) if whole.disclosed else t("truth.amount_undisclosed", lang)
    suffix = t("truth.metric_suffix", lang) if marked else ""
    source = "" if event is None else localized(event, Event.source, lang)
    return (
        Kpi("named", t("truth.named_metric", lang), str(known.named), ""),
        Kpi(
            "unnamed",
            t("truth.unnamed_metric", lang),
            unnamed,
            t("truth.unnamed_help", lang, source=source),
        ),
        Kpi(
            "disclosed",
            t("truth.disclosed_total", lang) + suffix,
            total,
            t("signings.disclosed_help", lang, n=whole.disclosed, total=whole.projects),
        ),
    )


def _note(whole: aggregates.Disclosure, marked: bool, event: pd.Series | None, lang: str) -> str:
    """Why no total is shown, or that the total shown is mostly sample rows; with the event's
    reported amount beside it when there is one."""
    if whole.disclosed and not marked:
        return ""
    reported = None if event is None else amount(event, lang)
    if whole.disclosed:  # the total shown is mostly sample rows
        if reported:
            return t("signings.disclosure_note", lang, amount=reported)
        return t("signings.disclosure_note_plain", lang)
    if reported:
        return t("truth.amount_undisclosed_note", lang, amount=reported)
    return t("truth.amount_undisclosed_note_plain", lang)


@dataclass(frozen=True)
class Entry:
    """One event on the signings page's timeline."""

    event_id: str
    label: str  # “2025年9月23日 · 上海 · 〈title〉 — 23个 · 超67亿元”


def timeline(ds: Dataset, lang: str) -> tuple[Entry, ...]:
    """Every event, newest first, to choose from; empty with one event or none (no timeline)."""
    events = newest_first(ds["events"])
    if len(events) < 2:
        return ()
    entries = []
    for _, event in events.iterrows():
        figures = " · ".join(f.value for f in kpis(event, lang))
        label = f"{line(event, lang)} — {figures}" if figures else line(event, lang)
        entries.append(Entry(str(event[Event.event_id]), label))
    return tuple(entries)


def tour_words(ds: Dataset, lang: str) -> tuple[str, str]:
    """The tour's signings step (title, script), told from the newest reported event."""
    event = newest(ds["events"])
    if event is None:
        return t("tour.signings.title_uncounted", lang), t("tour.signings.script_none", lang)
    signed = _signed(event)
    if signed is None:
        title = t("tour.signings.title_uncounted", lang)
    else:
        title = tn("tour.signings.title", lang, signed, count=count(signed, lang))
    clauses = []
    if signed is not None:
        clauses.append(tn("tour.signings.signed", lang, signed, count=count(signed, lang)))
    if (expected := amount(event, lang)) is not None:
        clauses.append(t("tour.signings.amount", lang, amount=expected))
    words = _words(event, lang)
    if not clauses:
        return title, t("tour.signings.script_bare", lang, **words)
    joined = t("tour.signings.joiner", lang).join(clauses)
    return title, t("tour.signings.script", lang, clauses=joined, **words)
