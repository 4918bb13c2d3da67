"""Plotly figures for the investor pages; every title, axis, legend and hover text via i18n.

Chinese charts count money in 亿元, English ones in CNY million. An undisclosed amount is never
drawn or summed as 0: it is left out, and the chart says how many were left out.
Text from the CSVs is HTML-escaped, since plotly renders a subset of HTML (links included).
"""

from __future__ import annotations

import html
import unicodedata

import pandas as pd
import plotly.graph_objects as go

from shahu import aggregates
from shahu.formatting import cny_100m, date_label, people_10k
from shahu.i18n import t
from shahu.labels import lang_col, provenance_label
from shahu.palette import SECTOR_COLORS, text_on
from shahu.schemas import SECTORS, Metric, Project

FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"
_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 70, "b": 10},
    "font": {"family": FONT, "size": 13},
    "plot_bgcolor": "white",
    "hoverlabel": {"font_size": 13},
    "separators": ".,",
}
LABEL_WIDTH = {"zh": 26, "en": 22}  # in Latin characters; a CJK character counts as two
SUNBURST_LABEL = 16
SECTOR_LABEL = 12  # "Carbon<br>technology": three bars fit a phone without slanted labels


def amount_scale(lang: str) -> int:
    """亿元 on Chinese charts; CNY million (×100) on English ones."""
    return 100 if lang == "en" else 1


def _plain(text: object) -> str:
    return html.escape(str(text), quote=False)


def _cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int = 22, lines: int = 2) -> str:
    """A label broken at spaces (or anywhere in CJK) into at most `lines` lines, escaped."""
    rows, line = [], ""
    for ch in str(text).strip():
        if _cells(line + ch) <= width:
            line += ch
            continue
        cut = line.rfind(" ")
        if ch != " " and cut > 0:
            rows.append(line[:cut])
            line = line[cut + 1 :] + ch
        else:
            rows.append(line)
            line = "" if ch == " " else ch
    rows.append(line)
    if len(rows) > lines:
        rows = rows[:lines]
        rows[-1] = rows[-1][:-1].rstrip() + "…"
    return "<br>".join(_plain(row.strip()) for row in rows)


def _finish(
    fig: go.Figure, title: str, note: str = "", height: int = 360, legend: bool = False
) -> go.Figure:
    """Title (with a one-line note under it); with `legend`, a horizontal legend at the bottom.

    Plotly clips a two-line title anchored at the top, so the title keeps its automatic place,
    centred in the top margin; the legend sits below the x axis, where it cannot cover bars.
    """
    text = (
        f"{title}<br><span style='font-size:12px;font-weight:normal'>{note}</span>"
        if note
        else title
    )
    margin = {**_LAYOUT["margin"], "t": 72 if note else 50, "b": 110 if legend else 10}
    fig.update_layout(
        title={"text": text, "x": 0, "xref": "container", "xanchor": "left", "font": {"size": 16}},
        height=height,
        showlegend=legend,
        legend={
            "orientation": "h",
            "xref": "container",
            "x": 0,
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "font": {"size": 12},
        },
        **{**_LAYOUT, "margin": margin},
    )
    return fig


def sector_counts(projects: pd.DataFrame, lang: str) -> go.Figure:
    """How many projects each sector has (all three shown, even at 0)."""
    table = aggregates.by_sector(projects)
    fig = go.Figure(
        go.Bar(
            x=[wrap(t(f"sector.{s}", lang), SECTOR_LABEL) for s in table["sector"]],
            y=table["projects"],
            marker_color=[SECTOR_COLORS[s] for s in table["sector"]],
            text=table["projects"],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=t("chart.hover_projects", lang) + "<extra></extra>",
        )
    )
    fig.update_yaxes(
        title_text=t("chart.count_axis", lang), range=[0, max(1, table["projects"].max()) * 1.2]
    )
    fig.update_xaxes(tickangle=0)
    total = int(table["projects"].sum())
    return _finish(fig, t("chart.projects_by_sector", lang), t("chart.total_n", lang, n=total))


def sector_amounts(projects: pd.DataFrame, lang: str) -> go.Figure:
    """The disclosed amount per sector; a sector with nothing disclosed says so instead of 0."""
    table = aggregates.by_sector(projects)
    scale = amount_scale(lang)
    heights = table["total"].fillna(0) * scale
    missing = table["projects"] - table["disclosed"]
    fig = go.Figure(
        go.Bar(
            x=[wrap(t(f"sector.{s}", lang), SECTOR_LABEL) for s in table["sector"]],
            y=heights,
            marker_color=[SECTOR_COLORS[s] for s in table["sector"]],
            text=[cny_100m(v, lang) for v in table["total"]],
            textposition="outside",
            cliponaxis=False,
            customdata=list(zip(table["disclosed"], missing, strict=True)),
            hovertemplate=t("chart.hover_sector_amount", lang) + "<extra></extra>",
        )
    )
    fig.update_yaxes(
        title_text=t("chart.amount_axis", lang), range=[0, max(1.0, heights.max()) * 1.2]
    )
    fig.update_xaxes(tickangle=0)
    n = int(missing.sum())
    note = t("chart.undisclosed_note", lang, n=n) if n else t("chart.all_disclosed", lang)
    return _finish(fig, t("chart.amount_by_sector", lang), note)


def ranked(projects: pd.DataFrame, lang: str, top: int = 15) -> go.Figure:
    """Projects with a disclosed amount, largest on top, coloured by sector (legend inside)."""
    known = projects.dropna(subset=[Project.amount_cny_100m])
    shown = known.nlargest(top, Project.amount_cny_100m).iloc[::-1]
    fig = go.Figure()
    for sector in SECTORS:
        rows = shown[shown[Project.sector] == sector]
        fig.add_bar(
            name=t(f"sector.{sector}", lang),
            x=rows[Project.amount_cny_100m] * amount_scale(lang),
            y=rows[Project.project_id],
            orientation="h",
            marker_color=SECTOR_COLORS[sector],
            text=[cny_100m(v, lang) for v in rows[Project.amount_cny_100m]],
            textposition="auto",
            insidetextfont={"color": text_on(SECTOR_COLORS[sector])},
            customdata=[provenance_label(p, lang) for p in rows[Project.provenance]],
            hovertext=[_plain(n) for n in rows[lang_col("name", lang)]],
            hovertemplate="%{hovertext}<br>%{text} · %{customdata}<extra></extra>",
        )
    # project ids keep bars apart even when two shortened names read the same
    ids = list(shown[Project.project_id])
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=ids,
        tickvals=ids,
        ticktext=[wrap(n, LABEL_WIDTH[lang]) for n in shown[lang_col("name", lang)]],
    )
    fig.update_xaxes(title_text=t("chart.amount_axis", lang))
    fig.update_layout(barmode="overlay")
    notes = []
    if len(known) > top:
        notes.append(t("chart.top_n", lang, n=top, of=len(known)))
    missing = int(projects[Project.amount_cny_100m].isna().sum())
    if missing:
        notes.append(t("chart.undisclosed_note", lang, n=missing))
    if shown.empty:
        fig.add_annotation(
            text=t("chart.nothing_disclosed", lang),
            showarrow=False,
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    height = max(320, 38 * len(shown) + 170)
    return _finish(fig, t("chart.ranked", lang), " · ".join(notes), height, legend=True)


def over_time(projects: pd.DataFrame, lang: str) -> go.Figure:
    """Projects signed per date, stacked by sector, each segment labelled with its sector."""
    table = aggregates.by_date_and_sector(projects)
    dates = [date_label(d, lang) for d in table.index]
    fig = go.Figure()
    for sector in SECTORS:
        label = t(f"sector.{sector}", lang)
        counts = table[sector]
        fig.add_bar(
            name=label,
            x=dates,
            y=counts,
            marker_color=SECTOR_COLORS[sector],
            text=[f"{label} {n}" if n else "" for n in counts],
            textposition="inside",
            insidetextanchor="middle",
            insidetextfont={"color": text_on(SECTOR_COLORS[sector])},
            hovertemplate=label + " · " + t("chart.hover_projects", lang) + "<extra></extra>",
        )
    totals = table.sum(axis=1)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text=t("chart.count_axis", lang), range=[0, max(1, totals.max()) * 1.1])
    fig.update_xaxes(type="category", title_text=t("chart.date_axis", lang))
    return _finish(fig, t("chart.over_time", lang), t("chart.total_n", lang, n=int(totals.sum())))


def sunburst(projects: pd.DataFrame, lang: str) -> go.Figure:
    """Sector → project hierarchy; each project counts once (most amounts are undisclosed)."""
    ids, labels, parents, colors, hover = [], [], [], [], []
    for sector, row in aggregates.by_sector(projects).set_index("sector").iterrows():
        label = t(f"sector.{sector}", lang)
        ids.append(sector)
        labels.append(label)
        parents.append("")
        colors.append(SECTOR_COLORS[sector])
        total = cny_100m(row["total"], lang)
        hover.append(
            f"{label}<br>{t('chart.hover_sector', lang, n=int(row['projects']), total=total)}"
        )
    for row in projects.to_dict("records"):
        ids.append(row[Project.project_id])
        labels.append(wrap(row[lang_col("name", lang)], SUNBURST_LABEL))
        parents.append(row[Project.sector])
        colors.append(SECTOR_COLORS[row[Project.sector]])
        hover.append(
            f"{_plain(row[lang_col('name', lang)])}<br>"
            f"{cny_100m(row[Project.amount_cny_100m], lang)}"
            f" · {provenance_label(row[Project.provenance], lang)}"
        )
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            marker={"colors": colors, "line": {"color": "white", "width": 1}},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            insidetextorientation="radial",
        )
    )
    return _finish(fig, t("chart.hierarchy", lang), t("chart.hierarchy_note", lang), height=480)


def users(metrics: pd.DataFrame, lang: str, metric: str = "wutan_users") -> go.Figure:
    """A people count (in 万) over time, each point labelled 3万 / 30,000."""
    rows = aggregates.series(metrics, metric)
    values = rows[Metric.value] if lang == "zh" else rows[Metric.value] * 10_000
    n = len(rows)
    fig = go.Figure(
        go.Scatter(
            x=[date_label(d, lang) for d in rows[Metric.as_of]],
            y=values,
            mode="lines+markers+text",
            text=[people_10k(v, lang) for v in rows[Metric.value]],
            textposition="top center",
            cliponaxis=False,
            marker={"size": 10},
            line={"color": SECTOR_COLORS["carbon_finance"], "width": 3},
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    top = float(values.max()) if n else 1.0
    fig.update_yaxes(title_text=t("chart.users_axis", lang), range=[0, top * 1.25], tickformat="~s")
    fig.update_xaxes(type="category", range=[-0.4, max(n, 1) - 0.6])
    return _finish(fig, t("chart.users", lang), height=320)
