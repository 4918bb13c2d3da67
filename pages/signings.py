"""签约项目 / Signings: the 2025-09-23 event at a glance, the filtered table, downloads, charts."""

import streamlit as st

from shahu import aggregates, cache, charts
from shahu.exports import to_csv_bytes, to_xlsx_bytes
from shahu.filters import to_params
from shahu.formatting import cny_100m, md
from shahu.i18n import t
from shahu.metrics import headline
from shahu.tables import export_table, full_dates, project_table
from shahu.ui import blocks, filters, state
from shahu.ui.blocks import download_pair, project_grid

lang = state.lang()
ds = state.dataset()
chosen = state.filters(ds)
everything, projects = ds["projects"], state.filtered_projects(ds)

st.title(t("signings.title", lang))
st.caption(t("signings.event", lang))
st.subheader(t("signings.glance", lang))
whole = aggregates.disclosure(everything)
cols = st.columns(4)
for col, kpi in zip(
    cols, headline(ds["metrics"], lang, ("projects_signed", "carbon_investment")), strict=False
):
    col.metric(md(kpi.label), md(kpi.value), help=md(kpi.help), border=True)
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
filters.banner(ds, lang)
if projects.empty:
    st.info(t("signings.none", lang))
else:
    st.markdown(aggregates.disclosure_text(aggregates.disclosure(projects), lang))
table = project_table(projects, ds["buildings"], lang, to_params(chosen))
project_grid(table, lang, full_dates(projects))


def download():  # built when a download is clicked, not on every rerun
    return export_table(projects, lang, ds["buildings"])


download_pair(
    lambda: to_csv_bytes(download()),
    lambda: to_xlsx_bytes(download(), "projects"),
    f"shahu-projects-{lang}",
    lang,
)

if not projects.empty:
    st.subheader(t("signings.charts", lang))
    builds = (charts.sector_counts, charts.sector_amounts, charts.ranked, charts.over_time)
    figures = [cache.project_chart(build, ds, lang, chosen) for build in builds]
    for spec, pair in (([1, 1], figures[:2]), ([3, 2], figures[2:])):
        for col, fig in zip(st.columns(spec), pair, strict=True):
            blocks.chart(col, fig, lang)
