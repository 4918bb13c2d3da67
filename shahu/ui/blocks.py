"""Page building blocks used by more than one page: metric rows, the project grid, download pairs."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pyarrow as pa
import streamlit as st

from shahu.content import charts, markup, updates
from shahu.content.building_card import Card
from shahu.content.chart_text import Chart
from shahu.content.events import Entry
from shahu.content.markup import md
from shahu.content.tables import ProductTile
from shahu.core.i18n import t
from shahu.core.labels import provenance_label
from shahu.core.palette import PROVENANCE_COLORS, SECTOR_COLORS
from shahu.data.dataset import Dataset
from shahu.data.metrics import Kpi
from shahu.data.schemas import PROVENANCES, SECTORS
from shahu.ui import cache, tour


def heading(title: str, *lines: str, level: int = 1) -> None:
    """A title (the page's, or a part's at `level` 3) and the lines under it, in caption type,
    as one element rather than a heading and a caption: each element drawn is a message every
    first visit pays for.

    Plain markdown (no HTML, so the browser loads no HTML parser for it), every text escaped,
    each line's whitespace collapsed; app.css greys a paragraph that opens with small type. In
    presenter mode the tour bar says where we are, so the page's title is left out."""
    small = [f":small[{md(' '.join(line.split()))}]" for line in lines if line.strip()]
    shown = level > 1 or not tour.presenting()
    parts = [f"{'#' * level} {md(title)}"] if shown else []
    if small:
        parts.append("  \n".join(small))
    if parts:
        st.markdown("\n\n".join(parts))


def metric_row(kpis: Sequence[Kpi], key: str, per_row: int = 4, note: str = "") -> None:
    """Headline figures in bordered cards, `per_row` to a row (two on a phone), each with its
    source under it, and a `note` under the row: one element (`markup.figures_grid`)."""
    if kpis or note:
        st.html(markup.figures_grid(kpis, key, per_row, note))


def project_grid(table: pa.Table, lang: str, full_dates: bool) -> None:
    """The projects table (`tables.project_table` as Arrow, `views.ProjectList.arrow`) with typed,
    translated, coloured columns."""
    cfg = st.column_config
    dates = (
        cfg.DateColumn(t("col.signed_on", lang), format=t("col.date_format", lang))
        if full_dates
        else cfg.TextColumn(t("col.signed_on", lang))
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        placeholder=t("fmt.undisclosed", lang),
        column_config={
            "name": cfg.TextColumn(t("col.name", lang), width="medium", pinned=True),
            "sector": cfg.MultiselectColumn(
                t("col.sector", lang),
                options=SECTORS,
                color=[SECTOR_COLORS[s] for s in SECTORS],
                format_func=lambda s: t(f"sector.{s}", lang),
            ),
            "company": cfg.TextColumn(t("col.company", lang)),
            "amount": cfg.NumberColumn(
                t("col.amount", lang),
                help=t("col.amount_help", lang),
                format=t("col.amount_format", lang),
            ),
            "signed_on": dates,
            "status": cfg.TextColumn(t("col.status", lang)),
            "building": cfg.LinkColumn(
                t("col.building", lang), display_text=r"#(.*)$", help=t("col.building_help", lang)
            ),
            "provenance": cfg.MultiselectColumn(
                t("col.provenance", lang),
                options=PROVENANCES,
                color=[PROVENANCE_COLORS[p] for p in PROVENANCES],
                format_func=lambda p: provenance_label(p, lang),
                help=t("app.provenance_note", lang),
            ),
            "source": cfg.TextColumn(t("col.source", lang)),
        },
    )


def download_pair(
    make_csv: Callable[[], bytes], make_xlsx: Callable[[], bytes], stem: str, lang: str
) -> None:
    """CSV and Excel downloads side by side, built only when clicked."""
    left, right = st.columns(2)
    common = {"width": "stretch", "help": t("signings.download_help", lang), "on_click": "ignore"}
    left.download_button(
        t("signings.csv", lang),
        make_csv,
        f"{stem}.csv",
        "text/csv",
        icon=":material/download:",
        **common,
    )
    right.download_button(
        t("signings.xlsx", lang), make_xlsx, f"{stem}.xlsx", icon=":material/table_view:", **common
    )


def building_panel(card: Card | None, lang: str) -> None:
    """A building's card beside the map: role, address, firms, who is in it, and how sure we are
    (nothing until one is chosen: the picker's label says how)."""
    if card is None:
        return
    st.markdown(f"#### {md(card.name)}")
    st.markdown(md(card.role))
    st.caption(f"{t('card.address', lang)}: {md(card.address)}")
    if card.firms:
        st.metric(t("card.firms", lang), card.firms)
    if card.growth:
        st.caption(md(card.growth))
    st.markdown(f"**{t('card.institutions', lang)}**")
    st.text("\n".join(card.institutions) or t("card.none", lang))
    st.markdown(f"**{t('card.projects', lang)}**")
    st.text("\n".join(card.projects) or t("card.none", lang))
    st.caption(
        f"{t('card.accuracy_label', lang)}: {card.accuracy} · {t('card.provenance', lang)}: "
        f"{card.provenance}  \n{t('card.source', lang)}: {md(card.source)}"
    )


def data_footer(ds: Dataset, lang: str) -> None:
    """The line every page ends with: when the data last changed (`content.updates`, worked out
    once per data and language)."""
    st.caption(ds.derived(updates.page, lang).footer)


def samples_banner(lang: str) -> None:
    """The red band that says sample rows are on screen (catalogue text only)."""
    banner = markup.html("<div class='shahu-samples'>{text}</div>", text=t("truth.banner", lang))
    st.markdown(**markup.markdown_args(banner))


def market_panel(ds: Dataset, kpis: tuple[Kpi, ...], sources: str, lang: str) -> None:
    """The national carbon market by year (chart, each year's source under it) beside Wuhan's
    figures, all from market.csv."""
    left, right = st.columns([3, 2])
    chart(left, cache.table_chart(charts.market, ds, "market", lang), lang, "market")
    left.caption(sources)
    with right:
        metric_row(kpis, "market", per_row=1)


def chart(where, chart: Chart, lang: str, key: str) -> None:
    """A plotly chart with its text alternative: the takeaway under it, the data behind a toggle.

    The table is sent only once the toggle is opened (a first visit does not pay for it).
    """
    where.plotly_chart(chart.figure, width="stretch")
    where.caption(md(chart.takeaway))
    toggle = where.expander(
        t("alt.table", lang), icon=":material/table_rows:", key=f"alt_{key}", on_change="rerun"
    )
    if toggle.open:
        toggle.table(chart.table.map(md), hide_index=True)


def product_grid(cards: tuple[ProductTile, ...], lang: str) -> None:
    """The finance product tiles, three to a row (one on a phone), each with its provenance
    badge: one element (`markup.product_grid`)."""
    st.html(markup.product_grid(cards, lang))


@st.fragment
def calculator(rate: float, rate_kpi: Kpi, lang: str) -> None:
    """kg of reductions → interest red packet; a new quantity reruns only this box."""
    kg = st.number_input(
        t("finance.kg", lang), min_value=0.0, max_value=1e7, value=100.0, step=10.0
    )
    st.metric(
        t("finance.red_packet", lang),
        t("finance.yuan", lang, n=f"{kg * rate:,.2f}"),
        help=md(rate_kpi.help),
    )
    st.caption(t("finance.calc_note", lang, rate=md(rate_kpi.value)))


def event_timeline(entries: Sequence[Entry], shown: str | None, key: str, lang: str) -> None:
    """The events, newest first (`events.timeline`), `shown` chosen: drawn with two or more;
    the choice is session state `key`, which the link mirrors (`state.sync_url`)."""
    labels = {e.event_id: e.label for e in entries}
    if not labels:
        return
    if st.session_state.get(key) not in labels:
        st.session_state[key] = shown if shown in labels else entries[0].event_id
    st.radio(
        t("signings.timeline", lang),
        list(labels),
        format_func=lambda event_id: md(labels[event_id]),
        key=key,
        help=t("signings.timeline_help", lang),
    )
