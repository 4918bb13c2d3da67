"""Plotly figures for the investor pages; every title, axis, legend and hover text via i18n."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from shahu import aggregates
from shahu.cards import name_col
from shahu.formatting import cny_100m, date_label
from shahu.i18n import t
from shahu.maps import SECTOR_COLORS
from shahu.schemas import SECTORS, Metric, Project

_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
    "font": {"family": "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif", "size": 13},
    "plot_bgcolor": "white",
    "hoverlabel": {"font_size": 13},
}
MAX_LABEL = 18


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _finish(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0, "font": {"size": 16}}, height=height, **_LAYOUT)
    return fig


def sectors_bar(projects: pd.DataFrame, lang: str) -> go.Figure:
    """Projects and disclosed amounts per sector, side by side."""
    table = aggregates.by_sector(projects)
    labels = [t(f"sector.{s}", lang) for s in table["sector"]]
    colors = [SECTOR_COLORS[s] for s in table["sector"]]
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(t("chart.projects", lang), t("chart.disclosed_amount", lang)),
        horizontal_spacing=0.12,
    )
    fig.add_bar(x=labels, y=table["projects"], marker_color=colors, text=table["projects"], row=1, col=1,
                hovertemplate="%{x}: %{y}<extra></extra>", showlegend=False)  # fmt: skip
    amounts = table["total"].fillna(0) * (100 if lang == "en" else 1)
    fig.add_bar(
        x=labels,
        y=amounts,
        marker_color=colors,
        text=[cny_100m(v, lang) if d else t("fmt.undisclosed", lang)
              for v, d in zip(table["total"], table["disclosed"], strict=True)],
        customdata=table["projects"] - table["disclosed"],
        hovertemplate="%{x}: %{text}<br>" + t("chart.undisclosed_n", lang) + "<extra></extra>",
        row=1,
        col=2,
        showlegend=False,
    )  # fmt: skip
    fig.update_traces(textposition="outside", cliponaxis=False)
    fig.update_yaxes(title_text=t("chart.count_axis", lang), row=1, col=1)
    fig.update_yaxes(title_text=t("chart.amount_axis", lang), row=1, col=2)
    return _finish(fig, t("chart.by_sector", lang))


def ranked(projects: pd.DataFrame, lang: str, top: int = 15) -> go.Figure:
    """Projects with a disclosed amount, largest first; undisclosed ones are counted in a note."""
    known = projects.dropna(subset=[Project.amount_cny_100m]).nlargest(top, Project.amount_cny_100m)
    known = known.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=known[Project.amount_cny_100m] * (100 if lang == "en" else 1),
            y=known[Project.project_id],
            orientation="h",
            marker_color=[SECTOR_COLORS[s] for s in known[Project.sector]],
            text=[cny_100m(v, lang) for v in known[Project.amount_cny_100m]],
            textposition="auto",
            customdata=[t(f"provenance.{p}", lang) for p in known[Project.provenance]],
            hovertext=known[name_col(lang)],
            hovertemplate="%{hovertext}: %{text} (%{customdata})<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=t("chart.amount_axis", lang))
    # ids keep bars apart even when two shortened names read the same
    fig.update_yaxes(tickvals=known[Project.project_id], ticktext=known[name_col(lang)].map(_short))
    missing = int(projects[Project.amount_cny_100m].isna().sum())
    title = t("chart.ranked", lang) + (
        " · " + t("chart.undisclosed_note", lang, n=missing) if missing else ""
    )
    return _finish(fig, title, height=max(300, 28 * len(known) + 90))


def over_time(projects: pd.DataFrame, lang: str) -> go.Figure:
    table = aggregates.by_date(projects)
    labels = [date_label(d, lang) for d in table[Project.signed_on]]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=table["projects"],
            marker_color=SECTOR_COLORS["carbon_finance"],
            text=table["projects"],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    fig.update_yaxes(
        title_text=t("chart.count_axis", lang), range=[0, table["projects"].max() * 1.2]
    )
    fig.update_xaxes(type="category", title_text=t("chart.date_axis", lang))
    return _finish(fig, t("chart.over_time", lang), height=300)


def sunburst(projects: pd.DataFrame, lang: str) -> go.Figure:
    """Sector → project hierarchy; each project counts once (amounts are often undisclosed)."""
    ids, labels, parents, colors = [], [], [], []
    for sector in SECTORS:
        ids.append(sector)
        labels.append(t(f"sector.{sector}", lang))
        parents.append("")
        colors.append(SECTOR_COLORS[sector])
    for row in projects.to_dict("records"):
        ids.append(row[Project.project_id])
        labels.append(_short(row[name_col(lang)]))
        parents.append(row[Project.sector])
        colors.append(SECTOR_COLORS[row[Project.sector]])
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            marker={"colors": colors},
            hovertemplate="%{label}<extra></extra>",
            insidetextorientation="radial",
        )
    )
    return _finish(fig, t("chart.hierarchy", lang), height=460)


def users(metrics: pd.DataFrame, lang: str, metric: str = "wutan_users") -> go.Figure:
    rows = metrics[metrics[Metric.metric] == metric].sort_values(Metric.as_of)
    people = rows[Metric.value] * 10_000
    fig = go.Figure(
        go.Scatter(
            x=[date_label(d, lang) for d in rows[Metric.as_of]],
            y=people,
            mode="lines+markers+text",
            text=[t("chart.users_label", lang, n=f"{v:g}") if lang == "zh" else f"{v / 1e6:g} m"
                  if v >= 1e6 else f"{v:,.0f}" for v in people],
            textposition="top center",
            line={"color": SECTOR_COLORS["carbon_finance"], "width": 3},
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_yaxes(title_text=t("chart.users_axis", lang), rangemode="tozero")
    fig.update_xaxes(type="category")
    return _finish(fig, t("chart.users", lang), height=300)
