"""签约项目 / Signings: the 2025-09-23 event as far as it is known, the filtered table, charts."""

import streamlit as st

from shahu import aggregates, cache, charts, samples
from shahu.exports import to_csv_bytes, to_xlsx_bytes
from shahu.filters import to_params
from shahu.formatting import cny_100m
from shahu.i18n import t
from shahu.metrics import headline
from shahu.samples import uses_samples
from shahu.tables import export_table, full_dates, project_table
from shahu.ui import blocks, filters, state
from shahu.ui.blocks import download_pair, metric_row, project_grid

lang = state.lang()
ds = state.dataset()
chosen = state.filters(ds)
everything, projects = ds["projects"], state.filtered_projects(ds)
marked = uses_samples(everything)
mark = t("truth.title_suffix", lang) if marked else ""

st.title(t("signings.title", lang))
st.caption(t("signings.event", lang))
st.subheader(t("signings.glance", lang))
known = aggregates.signings(everything, ds["metrics"])
whole = aggregates.disclosure(everything)
metric_row(headline(ds["metrics"], lang, ("projects_signed", "carbon_investment")), per_row=2)
cols = st.columns(3)
cols[0].metric(t("truth.named_metric", lang), known.named, border=True)
cols[1].metric(
    t("truth.unnamed_metric", lang),
    known.unnamed if known.unnamed is not None else "—",
    border=True,
    help=t("truth.unnamed_help", lang),
)
cols[2].metric(
    t("truth.disclosed_total", lang) + (t("truth.metric_suffix", lang) if marked else ""),
    cny_100m(whole.total, lang) if whole.disclosed else t("truth.amount_undisclosed", lang),
    border=True,
    help=t("signings.disclosed_help", lang, n=whole.disclosed, total=whole.projects),
)
st.markdown(f"**{aggregates.signings_line(known, lang)}**")
st.markdown("  \n".join(aggregates.glance(everything, lang)))
if not whole.disclosed:
    st.caption(t("truth.amount_undisclosed_note", lang))
elif marked:
    st.caption(t("signings.disclosure_note", lang))

st.subheader(t("signings.table", lang, n=len(projects), total=len(everything)) + mark)
filters.banner(ds, lang)
if projects.empty:
    st.info(t("signings.none", lang))
else:
    st.markdown(aggregates.disclosure_text(aggregates.disclosure(projects), lang))
links = {**to_params(chosen), **samples.to_params(state.samples_on())}  # map opens the same view
table = project_table(projects, ds["buildings"], lang, links)
project_grid(table, lang, full_dates(projects))


def download():  # built when a download is clicked, not on every rerun
    return export_table(projects, lang, ds["buildings"])


download_pair(
    lambda: to_csv_bytes(download()),
    lambda: to_xlsx_bytes(download(), "projects"),
    f"shahu-projects-{lang}" + ("-with-samples" if marked else ""),
    lang,
)

if not projects.empty:
    st.subheader(t("signings.charts", lang))
    builds = [charts.sector_counts]
    if aggregates.disclosure(projects).disclosed:
        builds += [charts.sector_amounts, charts.ranked]
    if aggregates.signing_dates(projects) > 1:
        builds.append(charts.over_time)
    figures = [cache.project_chart(build, ds, lang, chosen) for build in builds]
    for start in range(0, len(figures), 2):
        for col, fig in zip(st.columns(2), figures[start : start + 2], strict=False):
            blocks.chart(col, fig, lang)
