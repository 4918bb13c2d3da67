"""签约项目 / Signings: the 2025-09-23 event at a glance, the filtered table, downloads, charts."""

import streamlit as st

from shahu import aggregates, cache, charts
from shahu.exports import to_csv_bytes, to_xlsx_bytes
from shahu.filters import to_params
from shahu.formatting import cny_100m, md
from shahu.i18n import t
from shahu.metrics import headline
from shahu.schemas import PROVENANCES, SECTORS
from shahu.tables import GRID_EXPORT_OFF, PROVENANCE_COLORS, export_table, full_dates, project_table

lang = cache.lang()
ds = cache.dataset()
everything, projects = ds["projects"], cache.filtered_projects(ds)
cfg = st.column_config
sector_colors = [charts.SECTOR_COLORS[s] for s in SECTORS]

st.title(t("signings.title", lang))
st.caption(t("signings.event", lang))
st.subheader(t("signings.glance", lang))
whole = aggregates.disclosure(everything)
cols = st.columns(4)
for col, kpi in zip(
    cols, headline(ds["metrics"], lang, ("projects_signed", "carbon_investment")), strict=False
):
    col.metric(md(kpi.label), kpi.value, help=md(kpi.help), border=True)
cols[2].metric(
    t("signings.disclosed", lang),
    cny_100m(whole.total, lang),
    border=True,
    help=t("signings.disclosed_help", lang, n=whole.disclosed, total=whole.projects),
)
cols[3].metric(t("signings.undisclosed", lang), whole.undisclosed, border=True)
st.markdown("  \n".join(aggregates.glance(everything, lang)))
st.caption(t("signings.disclosure_note", lang))

st.subheader(t("signings.table", lang, n=len(projects), total=len(everything)))
cache.filter_banner(ds, lang)
if projects.empty:
    st.info(t("signings.none", lang))
else:
    st.markdown(aggregates.disclosure_text(aggregates.disclosure(projects), lang))
date_col = cfg.DateColumn if full_dates(projects) else cfg.TextColumn
dates = {"format": t("col.date_format", lang)} if date_col is cfg.DateColumn else {}
st.dataframe(
    project_table(projects, ds["buildings"], lang, to_params(cache.filters(ds))),
    hide_index=True,
    width="stretch",
    placeholder=t("fmt.undisclosed", lang),
    column_config={
        "name": cfg.TextColumn(t("col.name", lang), width="medium", pinned=True),
        "sector": cfg.MultiselectColumn(
            t("col.sector", lang),
            options=SECTORS,
            color=sector_colors,
            format_func=lambda s: t(f"sector.{s}", lang),
        ),
        "company": cfg.TextColumn(t("col.company", lang)),
        "amount": cfg.NumberColumn(
            t("col.amount", lang),
            help=t("col.amount_help", lang),
            format=t("col.amount_format", lang),
        ),
        "signed_on": date_col(t("col.signed_on", lang), **dates),
        "status": cfg.TextColumn(t("col.status", lang)),
        "building": cfg.LinkColumn(
            t("col.building", lang), display_text=r"#(.*)$", help=t("col.building_help", lang)
        ),
        "provenance": cfg.MultiselectColumn(
            t("col.provenance", lang),
            options=PROVENANCES,
            color=[PROVENANCE_COLORS[p] for p in PROVENANCES],
            format_func=lambda p: t(f"provenance.{p}", lang),
            help=t("app.provenance_note", lang),
        ),
        "source": cfg.TextColumn(t("col.source", lang)),
    },
)
st.html(GRID_EXPORT_OFF)


def download():  # built when a download is clicked, not on every rerun
    return export_table(projects, lang, ds["buildings"])


left, right = st.columns(2)
left.download_button(
    t("signings.csv", lang),
    lambda: to_csv_bytes(download()),
    f"shahu-projects-{lang}.csv",
    "text/csv",
    icon=":material/download:",
    width="stretch",
    help=t("signings.download_help", lang),
    on_click="ignore",
)
right.download_button(
    t("signings.xlsx", lang),
    lambda: to_xlsx_bytes(download(), "projects"),
    f"shahu-projects-{lang}.xlsx",
    icon=":material/table_view:",
    width="stretch",
    help=t("signings.download_help", lang),
    on_click="ignore",
)

if not projects.empty:
    st.subheader(t("signings.charts", lang))
    left, right = st.columns(2)
    left.plotly_chart(cache.project_chart(charts.sector_counts, ds, lang), width="stretch")
    right.plotly_chart(cache.project_chart(charts.sector_amounts, ds, lang), width="stretch")
    left, right = st.columns([3, 2])
    left.plotly_chart(cache.project_chart(charts.ranked, ds, lang), width="stretch")
    right.plotly_chart(cache.project_chart(charts.over_time, ds, lang), width="stretch")
