"""Plotly figures for the investor pages; every title, axis, legend and hover text via i18n.

Chinese charts count money in 亿元, English ones in CNY billion (one unit per page, as the
figures beside them). An undisclosed amount is never drawn or summed as 0: it is left out, and
the chart says how many were left out. A chart drawn from sample rows says so in its title and
carries a watermark a photo of the projector still shows.
Text from the CSVs is HTML-escaped, since plotly renders a subset of HTML (links included).
"""

from __future__ import annotations

import unicodedata

import pandas as pd
import plotly.graph_objects as go

from shahu.content.markup import escape
from shahu.core.formatting import cny_100m, date_label, people_10k
from shahu.core.i18n import t
from shahu.core.labels import lang_col, localized, provenance_label
from shahu.core.palette import SECTOR_COLORS, text_on
from shahu.data import aggregates
from shahu.data.samples import is_sample, uses_samples
from shahu.data.schemas import SECTORS, Market, Metric, Project

FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"
# No plotly template: every trace sets its own colours, and Streamlit's theme is applied in the
# browser. The default one Streamlit installs carries colour scales for a dozen trace types we
# never draw, and `st.plotly_chart` copies and serialises the whole figure on every visit.
_NO_TEMPLATE = go.layout.Template()
_LAYOUT = {
    "template": _NO_TEMPLATE,
    "margin": {"l": 10, "r": 10, "t": 70, "b": 10},
    "font": {"family": FONT, "size": 13},
    "plot_bgcolor": "white",
    "hoverlabel": {"font_size": 13},
    "separators": ".,",
}
LABEL_WIDTH = {"zh": 26, "en": 22}  # in Latin characters; a CJK character counts as two
SECTOR_LABEL = 12  # "Carbon<br>technology": three bars fit a phone without slanted labels


def amount_scale(lang: str) -> float:
    """亿元 on Chinese charts; CNY billion (÷10) on English ones."""
    return 0.1 if lang == "en" else 1


def _plain(text: object) -> str:
    return str(escape(text))


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


def mark_samples(fig: go.Figure, lang: str) -> go.Figure:
    """A large diagonal “sample data” watermark across the plot (the title says it too)."""
    fig.add_annotation(
        text=t("truth.watermark", lang),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        textangle=-20,
        font={"size": 44, "color": "rgba(185, 28, 28, 0.22)"},
        name="samples",
    )
    return fig


def _finish(
    fig: go.Figure,
    title: str,
    note: str = "",
    height: int = 360,
    legend: bool = False,
    samples: bool = False,
    lang: str = "zh",
) -> go.Figure:
    """Title (with a one-line note under it); with `legend`, a horizontal legend at the bottom;
    with `samples`, the title suffix and watermark that say sample rows are drawn.

    Plotly clips a two-line title anchored at the top, so the title keeps its automatic place,
    centred in the top margin; the legend sits below the x axis, where it cannot cover bars.
    """
    if samples:
        title = f"{title}{t('truth.title_suffix', lang)}"
        mark_samples(fig, lang)
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
    """Named projects per sector as horizontal bars (readable on a phone), all three sectors;
    sample rows, when shown, are a separate hatched grey segment."""
    sample = is_sample(projects)
    rows = [
        (
            s,
            int(((projects[Project.sector] == s) & ~sample).sum()),
            int(((projects[Project.sector] == s) & sample).sum()),
        )
        for s in SECTORS
    ][::-1]
    labels = [wrap(t(f"sector.{s}", lang), SECTOR_LABEL) for s, _, _ in rows]
    fig = go.Figure(
        go.Bar(
            name=t("truth.legend_named", lang),
            y=labels,
            x=[n for _, n, _ in rows],
            orientation="h",
            marker_color=[SECTOR_COLORS[s] for s, _, _ in rows],
            text=[n or "" for _, n, _ in rows],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"size": 15, "color": [text_on(SECTOR_COLORS[s]) for s, _, _ in rows]},
            hovertemplate=t("truth.hover_named", lang) + "<extra></extra>",
        )
    )
    if sample.any():
        fig.add_bar(
            name=provenance_label("illustrative", lang),
            y=labels,
            x=[n for _, _, n in rows],
            orientation="h",
            marker={"color": "#d1d5db", "pattern": {"shape": "/", "fgcolor": "#6b7280"}},
            text=[n or "" for _, _, n in rows],
            textposition="outside",  # on white: no text colour reads on both hatch colours
            textfont={"size": 15, "color": "#111827"},
            cliponaxis=False,
            hovertemplate=t("truth.hover_samples", lang) + "<extra></extra>",
        )
    finance = {s: a + b for s, a, b in rows}["carbon_finance"]
    if not finance:  # nothing to draw: say what the article says instead
        fig.add_annotation(
            text=_plain(t("truth.article.carbon_finance", lang)),
            x=0,
            y=labels[[s for s, _, _ in rows].index("carbon_finance")],
            xanchor="left",
            showarrow=False,
            font={"size": 13, "color": "#374151"},
        )
    top = max(1, max(a + b for _, a, b in rows))
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_xaxes(title_text=t("chart.count_axis", lang), range=[0, top * 1.15], dtick=1)
    named = int((~sample).sum())
    note = t("truth.counts_note", lang, n=named)
    if sample.any():
        note = t("truth.counts_note_samples", lang, n=named, s=int(sample.sum()))
    return _finish(
        fig,
        t("truth.named_by_sector", lang),
        note,
        height=300 + 40 * bool(sample.any()),
        legend=bool(sample.any()),
        samples=bool(sample.any()),
        lang=lang,
    )


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
    return _finish(
        fig, t("chart.amount_by_sector", lang), note, samples=uses_samples(projects), lang=lang
    )


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
    return _finish(
        fig,
        t("chart.ranked", lang),
        " · ".join(notes),
        height,
        legend=True,
        samples=uses_samples(shown),
        lang=lang,
    )


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
    return _finish(
        fig,
        t("chart.over_time", lang),
        t("chart.total_n", lang, n=int(totals.sum())),
        samples=uses_samples(projects),
        lang=lang,
    )


def users(metrics: pd.DataFrame, lang: str) -> go.Figure:
    """武碳江湖 users: the two figures the article gives, “two years” apart (no invented date)."""
    values = {}
    for metric in ("wutan_users_before", "wutan_users"):
        rows = metrics[metrics[Metric.metric] == metric].sort_values(Metric.as_of)
        if not rows.empty:
            values[metric] = float(rows[Metric.value].iloc[-1])
    labels = {"wutan_users_before": t("truth.two_years_earlier", lang)}
    if "wutan_users" in values:
        now = metrics[metrics[Metric.metric] == "wutan_users"].sort_values(Metric.as_of)
        labels["wutan_users"] = date_label(now[Metric.as_of].iloc[-1], lang)
    keys = list(values)
    scale = 1 if lang == "zh" else 10_000
    fig = go.Figure(
        go.Bar(
            x=[labels[k] for k in keys],
            y=[values[k] * scale for k in keys],
            text=[people_10k(values[k], lang) for k in keys],
            textposition="outside",
            cliponaxis=False,
            marker_color=SECTOR_COLORS["carbon_finance"],
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    top = max((values[k] * scale for k in keys), default=1.0)
    fig.update_yaxes(title_text=t("chart.users_axis", lang), range=[0, top * 1.25], tickformat="~s")
    fig.update_xaxes(type="category")
    note = t("truth.users_note", lang) if len(keys) == 2 else ""
    return _finish(fig, t("chart.users", lang), note, height=320)


def _market_drawn(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The rows `market` draws: volumes, closing prices, and average prices for the years
    without a closing price."""

    def series(name: str) -> pd.DataFrame:
        return rows[rows[Market.series] == name].sort_values(Market.period)

    close, average = series("cea_close_price"), series("cea_avg_price")
    return series("cea_volume"), close, average[~average[Market.period].isin(close[Market.period])]


def market_sources(market_rows: pd.DataFrame, lang: str) -> str:
    """Where each year of the market chart comes from, e.g. “来源（逐年）：2021 据公开报道：…”:
    every figure from other reports is shown with its own source (FACTS.md)."""
    drawn = pd.concat(_market_drawn(market_rows))
    years = []
    for period, group in drawn.groupby(Market.period, sort=True):
        sources = dict.fromkeys(localized(row, Market.source, lang) for _, row in group.iterrows())
        years.append(f"{period} {t('fmt.semicolon', lang).join(sources)}")
    return (
        t("truth.market_sources", lang) + t("fmt.colon", lang) + " · ".join(years) if years else ""
    )


def market(market_rows: pd.DataFrame, lang: str) -> go.Figure:
    """The national carbon market (CEA) by year: volume as bars, year-end closing price as a
    line (the year's average price, where that is all that is published, as open circles)."""
    rows = market_rows
    volume, close, average = _market_drawn(rows)
    years = sorted(set(volume[Market.period]) | set(close[Market.period]))
    vscale = 1 if lang == "zh" else 100  # 亿吨 / million t
    fig = go.Figure()
    fig.add_bar(
        name=t("truth.market_volume", lang),
        x=list(volume[Market.period]),
        y=volume[Market.value] * vscale,
        marker_color="#a7f3d0",
        text=[_trim_number(v * vscale) for v in volume[Market.value]],
        textposition="inside",
        insidetextanchor="start",
        hovertemplate=t("truth.hover_volume", lang) + "<extra></extra>",
        yaxis="y2",
    )

    def prices(rows: pd.DataFrame, name_key: str, **style) -> None:
        """Yearly prices as labelled points (closing: a line; average: open circles)."""
        fig.add_scatter(
            name=t(name_key, lang),
            x=list(rows[Market.period]),
            y=rows[Market.value],
            text=[_trim_number(v) for v in rows[Market.value]],
            textposition="top center",
            cliponaxis=False,
            hovertemplate=t("truth.hover_price", lang) + "<extra></extra>",
            **style,
        )

    colour = SECTOR_COLORS["carbon_finance"]
    prices(
        close,
        "truth.market_close",
        mode="lines+markers+text",
        line={"color": colour, "width": 3},
        marker={"size": 9},
    )
    if not average.empty:
        prices(
            average,
            "truth.market_average",
            mode="markers+text",
            marker={"size": 11, "symbol": "circle-open", "line": {"width": 2}, "color": colour},
        )
    every_price = pd.concat([close[Market.value], average[Market.value]])
    fig.update_layout(
        yaxis={
            "title": {"text": t("truth.price_axis", lang)},
            "range": [0, max(1.0, float(every_price.max()) if len(every_price) else 1.0) * 1.3],
            "side": "left",
        },
        yaxis2={  # each bar carries its value; the legend names the unit
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "visible": False,
            "range": [0, max(1.0, float(volume[Market.value].max() * vscale)) * 2.2],
        },
    )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=years)
    _finish(
        fig,
        t("truth.market_title", lang),
        t("truth.market_note", lang),
        height=400,
        legend=True,
        samples=uses_samples(rows),
        lang=lang,
    )
    return fig.update_layout(margin_r=56)


def _trim_number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")
