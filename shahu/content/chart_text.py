"""A chart's text alternative (WCAG 1.1.1), read from the figure's own data.

`takeaway(fig, lang)` is one or two sentences a screen reader (or a visitor who cannot make out
the colours) gets instead of the picture; `data_table(fig, lang)` is every value the chart draws.
Both come from the plotly figure, so they can never disagree with it. The texts may contain CSV
strings: escape them where they reach markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from shahu.content.markup import unescape
from shahu.core.i18n import t

_TAG = re.compile(r"<[^>]+>")
TOP = 3  # how many of the largest values a ranking's takeaway names


@dataclass(frozen=True)
class Chart:
    """A figure with its text alternative, worked out together once and shared (`cache`)."""

    figure: go.Figure
    takeaway: str
    table: pd.DataFrame


def described(fig: go.Figure, lang: str) -> Chart:
    return Chart(fig, takeaway(fig, lang), data_table(fig, lang))


@dataclass(frozen=True)
class Point:
    series: str
    label: str
    value: float
    shown: str


def plain(text: object, lang: str) -> str:
    """Plotly label markup as plain text: line breaks joined (a space in English), tags dropped."""
    text = str(text if text is not None else "")
    text = text.replace("<br>", " " if lang == "en" else "")
    return unescape(_TAG.sub("", text)).strip()


def _lines(text: object) -> list[str]:
    return [unescape(_TAG.sub("", part)).strip() for part in str(text or "").split("<br>")]


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def _shown(text: object, value: float, lang: str) -> str:
    """The value as the chart labels it (its text), else the number itself."""
    if text is None or text == "":
        return _number(value)
    if isinstance(text, int | float):
        return _number(float(text))
    return plain(text, lang)


def _at(seq, i: int):
    if seq is None or isinstance(seq, str):
        return seq
    seq = list(seq)
    return seq[i] if i < len(seq) else None


def _bar_points(fig: go.Figure, trace, lang: str) -> list[Point]:
    horizontal = trace.orientation == "h"
    cats, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
    ticks = {}
    axis = fig.layout.yaxis if horizontal else fig.layout.xaxis
    if axis.tickvals is not None and axis.ticktext is not None:
        ticks = dict(zip(axis.tickvals, axis.ticktext, strict=False))
    out = []
    for i, (cat, value) in enumerate(zip(cats, values, strict=False)):
        hover = _at(trace.hovertext, i)
        label = _lines(hover)[0] if hover else plain(ticks.get(cat, cat), lang)
        shown = _shown(_at(trace.text, i), value, lang)
        if shown == plain(trace.name, lang) + " " + _number(value):  # "碳金融 7" on a stack
            shown = _number(value)
        out.append(Point(plain(trace.name, lang), label, float(value), shown))
    if horizontal and fig.layout.yaxis.autorange != "reversed":
        out.reverse()  # plotly draws the first category at the bottom: read top to bottom
    return out


def points(fig: go.Figure, lang: str) -> list[Point]:
    """Every value the figure draws, with its label as the visitor reads it."""
    out: list[Point] = []
    for trace in fig.data:
        if trace.type == "bar":
            out += _bar_points(fig, trace, lang)
        elif trace.type == "scatter":
            for i, (x, y) in enumerate(zip(trace.x, trace.y, strict=False)):
                shown = _shown(_at(trace.text, i), y, lang)
                out.append(Point(plain(trace.name, lang), plain(x, lang), float(y), shown))
    return out


def title(fig: go.Figure, lang: str) -> tuple[str, str]:
    """The chart's title and the note under it, as plain text."""
    lines = _lines(fig.layout.title.text)
    return lines[0], " ".join(x for x in lines[1:] if x)


def takeaway(fig: go.Figure, lang: str) -> str:
    """What the chart says, in a sentence or two."""
    head, note = title(fig, lang)
    pts = points(fig, lang)
    lead = f"{head}（{note}）" if note and lang == "zh" else f"{head} ({note})" if note else head
    sep = t("fmt.semicolon", lang)
    if not pts:
        return t("alt.empty", lang, title=lead)
    series = {p.series for p in pts}
    if len({trace.yaxis or "y" for trace in fig.data}) > 1:
        body = sep.join(
            _series_trend(name, [p for p in pts if p.series == name], lang)
            for name in dict.fromkeys(p.series for p in pts)
        )
    elif fig.data[0].type == "scatter":
        body = _trend(pts, lang)
    elif len(series) > 1 and len({p.label for p in pts}) > 1 and len(pts) > TOP:
        ranked = sorted(pts, key=lambda p: -p.value)[:TOP]
        items = sep.join(
            f"{p.label}（{p.series}）{p.shown}"
            if lang == "zh"
            else f"{p.label} ({p.series}) {p.shown}"
            for p in ranked
        )
        body = t("alt.top", lang, n=len(pts), k=len(ranked), items=items)
    else:
        one_label = len({p.label for p in pts}) == 1
        items = sep.join(
            f"{p.series if one_label else p.label}{'' if lang == 'zh' else ':'} {p.shown}".strip()
            for p in pts
        )
        if one_label:
            items = f"{pts[0].label}{t('fmt.colon', lang)}{items}"
        body = items
        top = max(pts, key=lambda p: p.value)
        if len(pts) > 1 and sum(p.value == top.value for p in pts) == 1:
            name = top.series if one_label else top.label
            body += t("alt.largest", lang, label=name, value=top.shown)
    end = "" if body.endswith(("。", ".")) else ("。" if lang == "zh" else ".")
    return f"{lead}{t('fmt.colon', lang)}{body}{end}"


def _series_trend(name: str, pts: list[Point], lang: str) -> str:
    """One series of a chart with two axes (volumes beside prices): its own first and last
    values, never ranked against the other axis's, whose unit differs."""
    only = pts[0] if len(pts) == 1 else None
    return (
        name + t("fmt.colon", lang) + (f"{only.label} {only.shown}" if only else _trend(pts, lang))
    )


def _trend(pts: list[Point], lang: str) -> str:
    """From the first value to the last, as the chart draws them."""
    first, last = pts[0], pts[-1]
    return t("alt.trend", lang, first=first.label, a=first.shown, last=last.label, b=last.shown)


def data_table(fig: go.Figure, lang: str) -> pd.DataFrame:
    """Every value the chart draws, one row each (the series column only when there are several)."""
    pts = points(fig, lang)
    table = pd.DataFrame(
        {
            t("alt.col.series", lang): [p.series for p in pts],
            t("alt.col.item", lang): [p.label for p in pts],
            t("alt.col.value", lang): [p.shown for p in pts],
        }
    )
    if len({p.series for p in pts}) <= 1:
        table = table.drop(columns=t("alt.col.series", lang))
    return table
