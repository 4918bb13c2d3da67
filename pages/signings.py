"""签约项目 / Signings: an event (the newest reported, or the one chosen from the timeline) as far
as it is known, the filtered table, charts. Three parts as tabs (`ui.sections`): only the open one
is drawn; a filter change opens the table."""

from functools import partial

import streamlit as st

from shahu.content import events, views
from shahu.content.tables import export_table
from shahu.core.i18n import t
from shahu.data import samples
from shahu.data.exports import to_csv_bytes, to_xlsx_bytes
from shahu.data.filters import to_params
from shahu.ui import blocks, cache, filters, sections, state
from shahu.ui.blocks import download_pair, heading, metric_row, project_grid

lang = state.lang()
ds = state.dataset()
chosen, projects = state.filters(ds), state.filtered_projects(ds)
glance = ds.derived(events.glance, lang, state.chosen_event(ds))
marked, total = samples.uses_samples(ds["projects"]), len(ds["projects"])  # every event's
links = {**to_params(chosen), **samples.to_params(state.samples_on())}  # map opens the same view
shown = ds.derived(views.project_list, lang, chosen, tuple(sorted(links.items())))
mark = t("truth.title_suffix", lang) if marked else ""

heading(t("signings.title", lang), glance.line)
blocks.event_timeline(ds.derived(events.timeline, lang), glance.event_id, state.EVENT_KEY, lang)


def glance_part() -> None:
    metric_row(glance.kpis, "signings", per_row=2)
    metric_row(glance.counts, "known", per_row=3)
    st.markdown(f"**{glance.summary}**\n\n{glance.glance}")
    if glance.note:
        st.caption(glance.note)


def table_part() -> None:
    st.subheader(t("signings.table", lang, n=shown.shown, total=total) + mark)
    filters.banner(ds, lang)
    if shown.disclosure is None:
        st.info(t("signings.none", lang))
    else:
        st.markdown(shown.disclosure)
    project_grid(shown.arrow, lang, shown.full_dates)
    download = partial(export_table, projects, lang, ds["buildings"])  # run on a click only
    download_pair(
        lambda: to_csv_bytes(download()),
        lambda: to_xlsx_bytes(download(), "projects"),
        f"shahu-projects-{lang}" + ("-with-samples" if marked else ""),
        lang,
    )


def charts_part() -> None:
    st.subheader(t("signings.charts", lang))
    filters.banner(ds, lang)
    if not shown.charts:
        st.info(t("signings.none", lang))
    for start in range(0, len(shown.charts), 2):
        for col, build in zip(st.columns(2), shown.charts[start : start + 2], strict=False):
            chart = cache.project_chart(build, ds, lang, chosen)
            blocks.chart(col, chart, lang, build.__name__)


sections.draw("signings", lang, {"glance": glance_part, "table": table_part, "charts": charts_part})
